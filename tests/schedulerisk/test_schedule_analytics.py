"""Schedule health and schedule risk through the actions, the API and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from projectoffice.controls.registers import RISKS
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan
from projectoffice.registers import actions as register_actions
from projectoffice.schedulerisk import actions
from projectoffice.schedulerisk.models import (
    HealthRecord,
    RiskClass,
    RiskImpact,
    SimulationRun,
    TaskEstimate,
)
from tests.conftest import PASSWORD
from tests.planning.helpers import build

CHAIN = [
    {"name": "Design", "duration": "5d"},
    {"name": "Build", "duration": "10d", "predecessors": "1"},
    {"name": "Docs", "duration": "3d", "predecessors": "1FS+1d"},
    {"name": "Test", "duration": "4d", "predecessors": "2"},
    {"name": "Release", "duration": "0d", "predecessors": "3, 4"},
]


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def planned(office):
    build(office.pm, office.project, CHAIN)
    return office


def test_health_api_records_and_trend(planned, api_as) -> None:
    viewer = api_as(planned.members["stakeholder"])
    r = viewer.get("/projects/MTX/schedule-health")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [c["number"] for c in body["checks"]] == list(range(1, 15))
    lags = next(c for c in body["checks"] if c["key"] == "lags")
    assert lags["count"] == 1 and lags["passed"] is False
    assert lags["offenders"] == [{"uid": 3, "id": 3, "name": "Docs"}]
    assert body["trend"] == []
    # Setting a status date records the assessment at that date: the trend.
    plan = plan_actions.set_plan_settings(actor=planned.pm, project=planned.project,
                                          version=Plan.objects.get().version,
                                          status_date=dt.date(2026, 1, 9))
    assert HealthRecord.objects.get().status_date == dt.date(2026, 1, 9)
    plan_actions.set_plan_settings(actor=planned.pm, project=planned.project,
                                   version=plan.version, status_date=dt.date(2026, 1, 16))
    assert [t["status_date"] for t in viewer.get("/projects/MTX/schedule-health")
            .json()["trend"]] == ["2026-01-09", "2026-01-16"]
    assert viewer.post("/projects/MTX/schedule-health/records", {}).status_code == 403
    r = api_as(planned.pm).post("/projects/MTX/schedule-health/records", {})
    assert r.status_code == 201 and r.json()["status_date"] == "2026-01-16"
    assert HealthRecord.objects.count() == 2
    rollup = api_as(planned.pmo).get("/schedule-health").json()
    assert [row["project"] for row in rollup] == ["MTX"]
    assert rollup[0]["checks"]["lags"] is False


def test_thresholds_are_the_pmo_managers(planned, api_as) -> None:
    assert api_as(planned.pm).patch("/schedule-health-thresholds",
                                    {"version": 1, "lags_percent": 30}).status_code == 403
    r = api_as(planned.pmo).patch("/schedule-health-thresholds",
                                  {"version": 1, "lags_percent": 30})
    assert r.status_code == 200 and r.json()["values"]["lags_percent"] == 30
    checks = api_as(planned.pm).get("/projects/MTX/schedule-health").json()["checks"]
    assert next(c for c in checks if c["key"] == "lags")["passed"] is True
    bad = api_as(planned.pmo).patch("/schedule-health-thresholds",
                                    {"version": 2, "lags_percent": 130})
    assert bad.status_code == 422 and "lags_percent" in bad.json()["errors"]


def risk(office):
    return register_actions.create_item(actor=office.pm, spec=RISKS, project=office.project,
                                        data={"title": "Supplier late", "owner": office.pm})


def test_bad_risk_model_is_refused_at_the_field_and_nothing_written(planned, api_as) -> None:
    reference = risk(planned).reference
    pm = api_as(planned.pm)
    r = pm.post("/projects/MTX/schedule-risk/model", {
        "classes": [{"name": "Build", "min_percent": 120, "likely_percent": 100,
                     "max_percent": 150, "correlation": 1.5}],
        "estimates": [{"uid": 2, "min": 12, "most_likely": 10, "max": 15},
                      {"uid": 4, "min": 3, "most_likely": 5, "max": 4},
                      {"uid": 5, "min": 0, "most_likely": 0, "max": 1},
                      {"uid": 1, "min": 4}],
        "events": [{"risk": reference, "task_uid": 2, "probability": 1.2, "impact_days": 3},
                   {"risk": "RSK-0099", "task_uid": 77, "probability": 0.5,
                    "impact_days": -1}]})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["estimates[2].min"] == ["must not be above the most likely"]
    assert errors["estimates[4].max"] == ["must not be below the most likely"]
    assert "estimates[5].uid" in errors  # a milestone
    assert errors["estimates[1].most_likely"] == ["give all three points, or none"]
    assert errors["classes[0].min_percent"] == ["must not be above the most likely"]
    assert errors["classes[0].correlation"] == ["must be between 0 and 1"]
    assert errors["events[0].probability"] == ["must be between 0 and 1"]
    assert errors["events[1].risk"] == ["no such risk in this project"]
    assert errors["events[1].task_uid"] == ["no such task in the plan"]
    assert errors["events[1].impact_days"] == ["must be between 0 and 10000"]
    assert not (RiskClass.objects.exists() or TaskEstimate.objects.exists()
                or RiskImpact.objects.exists())
    ok = pm.post("/projects/MTX/schedule-risk/model", {
        "classes": [{"name": "Build", "min_percent": 90, "max_percent": 150,
                     "correlation": 0.5}],
        "estimates": [{"uid": 2, "min": 8, "most_likely": 10, "max": 16, "risk_class": "Build"},
                      {"uid": 4, "risk_class": "Build"}],
        "events": [{"risk": reference, "task_uid": 4, "probability": 0.4, "impact_days": 3}]})
    assert ok.status_code == 200, ok.content
    assert ok.json()["estimates"][0] == {"uid": 2, "min": "8.00", "most_likely": "10.00",
                                         "max": "16.00", "risk_class": "Build"}
    assert api_as(planned.members["stakeholder"]).post(
        "/projects/MTX/schedule-risk/model", {}).status_code == 403


def test_a_run_with_zero_width_estimates_gives_the_plan_finish(planned) -> None:
    actions.save_risk_model(actor=planned.pm, code="MTX", classes=[], events=[], estimates=[
        {"uid": uid, "min": days, "most_likely": days, "max": days}
        for uid, days in ((1, 5), (2, 10), (3, 3), (4, 4))])
    run = actions.start_risk_run(actor=planned.pm, code="MTX", iterations=300,
                                 background=False)
    run = actions.execute_run(run.pk)
    assert run.status == "done" and run.done == 300
    finish = planned.project.plan.finish
    assert run.deterministic_finish == finish
    assert run.p50 == run.p80 == run.p90 == finish
    release = run.results["milestones"][0]
    assert release["name"] == "Release" and release["p80"] == finish.isoformat()


def test_runs_through_the_api_are_kept_and_compared(planned, api_as) -> None:
    reference = risk(planned).reference
    actions.save_risk_model(actor=planned.pm, code="MTX", classes=[], estimates=[
        {"uid": 2, "min": 8, "most_likely": 10, "max": 20}], events=[])
    pm = api_as(planned.pm)
    r = pm.post("/projects/MTX/schedule-risk/runs", {"iterations": 50})
    assert r.status_code == 422 and "iterations" in r.json()["errors"]
    r = pm.post("/projects/MTX/schedule-risk/runs", {"iterations": 1000, "seed": 4})
    assert r.status_code == 202 and r.json()["status"] == "queued"
    actions.execute_run(SimulationRun.objects.get(number=1).pk)
    actions.save_risk_model(actor=planned.pm, code="MTX", classes=[], estimates=[
        {"uid": 2, "min": 8, "most_likely": 10, "max": 20}], events=[
        {"risk": reference, "task_uid": 4, "probability": 1, "impact_days": 5}])
    run2 = actions.start_risk_run(actor=planned.pm, code="MTX", iterations=1000, seed=4,
                                  background=False)
    actions.execute_run(run2.pk)
    viewer = api_as(planned.members["stakeholder"])
    runs = viewer.get("/projects/MTX/schedule-risk/runs").json()
    assert [r["number"] for r in runs] == [2, 1]
    first = viewer.get("/projects/MTX/schedule-risk/run?number=1").json()["run"]
    latest = viewer.get("/projects/MTX/schedule-risk/run").json()["run"]
    assert latest["number"] == 2
    # A certain five-day risk on the last task moves every percentile by a week.
    assert (dt.datetime.fromisoformat(latest["p80"]).date()
            - dt.datetime.fromisoformat(first["p80"]).date()).days == 7
    assert latest["results"]["drivers"][0]["kind"] == "task"
    assert latest["results"]["criticality"][0]["index"] == 1.0
    assert viewer.post("/projects/MTX/schedule-risk/runs",
                       {"iterations": 100}).status_code == 403
    assert viewer.get("/projects/MTX/schedule-risk/run?number=9").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_run_started_from_the_page_is_a_background_job(office, settings) -> None:
    build(office.pm, office.project, CHAIN)
    actions.save_risk_model(actor=office.pm, code="MTX", classes=[], events=[], estimates=[
        {"uid": 2, "min": 8, "most_likely": 10, "max": 20}])
    client = client_for(office.pm)
    r = client.post("/projects/MTX/plan/risk/run/", {"iterations": "2000", "seed": ""})
    assert r.status_code == 302 and r["Location"].endswith("?run=1")
    # Queued for the worker, not run in the request.
    run = SimulationRun.objects.get()
    assert run.status == "queued"
    job = DBTaskResult.objects.get(task_path=actions.simulate.module_path)
    assert job.status == TaskResultStatus.READY and job.args_kwargs["args"] == [run.pk]
    waiting = client.get("/projects/MTX/plan/risk/run/1/progress/")
    assert waiting.status_code == 200 and "HX-Redirect" not in waiting
    # The worker's turn (run here at once, as a worker would).
    settings.TASKS = {"default": {"BACKEND": "projectoffice.jobs.backends.AtOnceDatabaseBackend",
                                  "QUEUES": []}}
    actions.simulate.using().enqueue(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and run.done == 2000, run.error
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    progress = client.get("/projects/MTX/plan/risk/run/1/progress/")
    assert progress["HX-Redirect"].endswith("?run=1")
    page = client.get("/projects/MTX/plan/risk/?run=1").content.decode()
    assert 'class="risk-histogram"' in page and 'class="risk-scurve"' in page
    assert 'class="risk-tornado"' in page and "Release" in page


def test_pages(planned) -> None:
    viewer = client_for(planned.members["stakeholder"])
    page = viewer.get("/projects/MTX/plan/health/").content.decode()
    assert 'data-check="lags"' in page and "Record at" not in page
    assert viewer.get("/projects/MTX/plan/risk/").status_code == 200
    estimates = viewer.get("/projects/MTX/plan/risk/estimates/").content.decode()
    assert "Save estimates" not in estimates and "Docs" in estimates
    assert viewer.post("/projects/MTX/plan/risk/estimates/",
                       {"part": "estimates"}).status_code == 403
    assert viewer.get("/schedule-health/").status_code == 200
    assert "Save thresholds" not in viewer.get("/schedule-health/thresholds/").content.decode()
    pm = client_for(planned.pm)
    bad = pm.post("/projects/MTX/plan/risk/estimates/", {
        "part": "estimates", "uid": ["2", "4"], "min-2": "12", "ml-2": "10", "max-2": "15",
        "min-4": "3", "ml-4": "4", "max-4": "6"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "must not be above the most likely" in html
    assert 'value="12"' in html and not TaskEstimate.objects.exists()
    ok = pm.post("/projects/MTX/plan/risk/estimates/", {
        "part": "estimates", "uid": ["2", "4"], "min-2": "8", "ml-2": "10", "max-2": "15",
        "min-4": "3", "ml-4": "4", "max-4": "6"})
    assert ok.status_code == 302 and TaskEstimate.objects.count() == 2
    bad_event = pm.post("/projects/MTX/plan/risk/estimates/", {
        "part": "add-event", "risk": "", "task_uid": "2", "probability": "2",
        "impact_days": "3"}).content.decode()
    assert "must be between 0 and 1" in bad_event and "no such risk" in bad_event
    plan_page = pm.get("/projects/MTX/plan/").content.decode()
    assert "/projects/MTX/plan/health/" in plan_page and "/projects/MTX/plan/risk/" in plan_page
    overview = pm.get("/projects/MTX/").content.decode()
    assert "/projects/MTX/plan/risk/" in overview


def test_a_run_keeps_the_cost_distribution_for_those_who_see_costs(planned, api_as) -> None:
    from decimal import Decimal

    from projectoffice.resources import actions as resource_actions

    engineer = resource_actions.create_resource(actor=planned.pm, project=planned.project,
                                                name="Engineer")
    resource_actions.set_rate(actor=planned.pm, resource=engineer,
                              effective_from=dt.date(2025, 1, 1), standard=Decimal(100))
    resource_actions.assign_resource(actor=planned.pm, project=planned.project,
                                     resource_id=engineer.pk, task_uid=2)  # 10 d = 80 h
    actions.save_risk_model(actor=planned.pm, code="MTX", classes=[], events=[], estimates=[
        {"uid": 2, "min": 8, "most_likely": 10, "max": 20}])
    run = actions.start_risk_run(actor=planned.pm, code="MTX", iterations=2000, seed=3,
                                 background=False)
    cost = actions.execute_run(run.pk).results["cost"]
    assert cost["planned"] == 8000.0 and cost["currency"] == planned.project.currency
    # Build costs 100 an hour × 8 h a day × its sampled days: triangular(8, 10, 20) has a
    # mean of 12.67 days, so P50 is above the plan and P10 ≥ 8 days' cost.
    assert 6400 <= cost["10"] < cost["50"] < cost["80"] < cost["90"] <= 16000
    assert cost["50"] > 8000
    assert sum(n for _, _, n in cost["histogram"]) == 2000
    assert [p for p, _ in cost["cdf"]][::20] == [0.0, 0.5, 1.0]
    seen = api_as(planned.pm).get("/projects/MTX/schedule-risk/run").json()["run"]["results"]
    assert seen["cost"]["planned"] == 8000.0
    hidden = api_as(planned.members["stakeholder"]).get(
        "/projects/MTX/schedule-risk/run").json()["run"]["results"]
    assert "cost" not in hidden and "milestones" in hidden
    page = client_for(planned.pm).get("/projects/MTX/plan/risk/").content.decode()
    assert 'id="risk-cost"' in page and "Cost distribution" in page
    page = client_for(planned.members["stakeholder"]).get("/projects/MTX/plan/risk/")
    assert b'id="risk-cost"' not in page.content
