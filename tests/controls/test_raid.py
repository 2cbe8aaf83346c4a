"""RAID registers, the decision log and change control on the register kernel."""

from __future__ import annotations

from typing import Any

from projectoffice.controls.models import ChangeRequest, Dependency, Risk
from projectoffice.portfolio import actions as portfolio_actions
from tests.conftest import PASSWORD


def test_a_risk_is_scored_and_drawn_on_the_heat_map(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    r = pm.post("/projects/MTX/risks", {
        "title": "Vendor insolvency", "owner": "project_manager", "category": "commercial",
        "cause": "Vendor cash flow", "event": "Vendor stops trading", "effect": "No support",
        "inherent_probability": 4, "inherent_time": 3, "inherent_cost": 5,
        "inherent_quality": 2, "response_strategy": "transfer"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["inherent_score"] == 20 and body["residual_score"] is None
    r = pm.patch(f"/projects/MTX/risks/{body['reference']}", {
        "version": body["version"], "residual_probability": 2, "residual_time": 2,
        "residual_cost": 3, "residual_quality": 1})
    assert r.json()["residual_score"] == 6

    client = pm.client
    client.login(username="project_manager", password=PASSWORD)
    page = client.get("/projects/MTX/risks/").content.decode()
    assert 'data-probability="4" data-impact="5" data-count="1"' in page
    assert 'data-probability="2" data-impact="3" data-count="1"' in page
    overview = client.get("/projects/MTX/risk-overview/").content.decode()
    assert "Vendor insolvency" in overview and "<polyline" in overview


def test_scores_outside_the_scale_and_wrong_responses_are_refused(office: Any,
                                                                   api_as: Any) -> None:
    pm = api_as(office.pm)
    r = pm.post("/projects/MTX/risks", {"title": "Too likely", "inherent_probability": 6})
    assert r.status_code == 422
    assert r.json()["errors"] == {"inherent_probability": ["must be between 1 and 5"]}
    r = pm.post("/projects/MTX/risks", {"title": "Grab it", "kind": "opportunity",
                                        "response_strategy": "avoid"})
    assert r.status_code == 422 and "response_strategy" in r.json()["errors"]
    assert Risk.objects.count() == 1  # only the fixture's


def test_a_dependency_on_a_project_the_user_cannot_see_is_an_error(office: Any,
                                                                    api_as: Any) -> None:
    pm = api_as(office.pm)
    before = Dependency.objects.count()
    hidden = pm.post("/projects/MTX/dependencies", {"title": "Their API",
                                                    "other_project": "OTHER"})
    missing = pm.post("/projects/MTX/dependencies", {"title": "Their API",
                                                     "other_project": "NOPE"})
    assert hidden.status_code == missing.status_code == 422
    assert "other_project" in hidden.json()["errors"]
    assert Dependency.objects.count() == before
    # The PMO sees every project: the dependency is recorded with the other project's code.
    r = api_as(office.pmo).post("/projects/MTX/dependencies", {
        "title": "Their API", "other_project": "OTHER", "other_reference": "M4 API live",
        "needed_by": "2026-05-01", "promised_on": "2026-05-20"})
    assert r.status_code == 201 and r.json()["other_project"] == "OTHER"


def test_change_request_from_draft_to_applied_above_the_threshold(office: Any,
                                                                   api_as: Any) -> None:
    portfolio_actions.update_project(actor=office.pmo, project=office.project,
                                     version=office.project.version,
                                     changes={"sponsor": office.executive})
    pm, sponsor = api_as(office.pm), api_as(office.executive)
    team = api_as(office.members["team_member"])
    r = pm.post("/projects/MTX/changes", {
        "title": "Add a reporting dashboard", "change_type": "scope",
        "change_detail": "Add the board dashboard to release 2", "reason": "Sponsor request",
        "requested_by": "executive"})
    assert r.status_code == 201
    ref, v = r.json()["reference"], r.json()["version"]
    path = f"/projects/MTX/changes/{ref}"

    def move(client: Any, transition: str, version: int, comment: str = "") -> Any:
        return client.post(path + "/transitions", {"transition": transition,
                                                   "version": version, "comment": comment})

    r = move(pm, "submit", v)
    assert r.json()["status"] == "submitted"
    r = move(pm, "assess", r.json()["version"])
    assert r.status_code == 422 and set(r.json()["errors"]) == {"cost_impact", "delay_days"}
    r = pm.patch(path, {"version": 2, "cost_impact": "25000.00", "delay_days": 12,
                        "assessment": "Two extra sprints"})
    r = move(pm, "assess", r.json()["version"])
    assert r.json()["status"] == "assessed"
    v = r.json()["version"]
    # A team member may not decide; the project manager may not above the threshold.
    assert move(team, "approve", v, "fine").status_code == 403
    r = move(pm, "approve", v, "Worth it")
    assert r.status_code == 403 and "sponsor" in r.json()["message"]
    assert move(sponsor, "approve", v, "").status_code == 422  # a reason is required
    r = move(sponsor, "approve", v, "Funded from contingency")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    again = move(sponsor, "approve", r.json()["version"], "Again")
    assert again.status_code == 409
    assert pm.patch(path, {"version": r.json()["version"], "delay_days": 1}).status_code == 409
    r = move(pm, "apply", r.json()["version"])
    assert r.json()["status"] == "applied" and r.json()["closed_on"]
    change = ChangeRequest.objects.get(reference=ref)
    assert change.delay_days == 12
    verbs = [h["verb"] for h in pm.get(path + "/history").json()]
    assert {"submit", "assess", "approve", "apply"} <= set(verbs)


def test_a_small_change_is_decided_by_the_project_manager(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    change = office.raid["changes"]
    path = f"/projects/MTX/changes/{change.reference}"
    r = pm.post(path + "/transitions", {"transition": "submit", "version": 1})
    r = pm.patch(path, {"version": r.json()["version"], "cost_impact": "800", "delay_days": 0})
    r = pm.post(path + "/transitions", {"transition": "assess", "version": r.json()["version"]})
    r = pm.post(path + "/transitions", {"transition": "defer", "version": r.json()["version"],
                                        "comment": "After release 1"})
    assert r.json()["status"] == "deferred"


def test_a_decision_needs_its_content_before_it_is_recorded(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    path = f"/projects/MTX/decisions/{office.raid['decisions'].reference}"
    r = pm.post(path + "/transitions", {"transition": "decide", "version": 1})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"decision", "rationale", "decided_by"}
    pm.patch(path, {"version": 1, "options": "On premises; cloud", "decision": "Cloud",
                    "rationale": "Lower cost", "decided_by": "project_manager",
                    "decided_on": "2026-02-01"})
    r = pm.post(path + "/transitions", {"transition": "decide", "version": 2})
    assert r.json()["status"] == "decided"


def test_the_pmo_view_lists_raid_escalations_and_the_dependency_map(office: Any,
                                                                     api_as: Any) -> None:
    from projectoffice.controls.actions import escalate_issue
    from projectoffice.controls.registers import DEPENDENCIES
    from projectoffice.registers import actions as register_actions

    escalate_issue(actor=office.pm, issue=office.issue, version=office.issue.version,
                   reason="Needs programme funds")
    register_actions.create_item(actor=office.pmo, spec=DEPENDENCIES, project=office.project,
                                 data={"title": "Shared API", "other_project": office.other,
                                       "needed_by": "2026-05-01", "promised_on": "2026-06-01"})
    client = api_as(office.pmo).client
    client.login(username="pmo_manager", password=PASSWORD)
    page = client.get("/raid/").content.decode()
    assert "Escalated to programme" in page and "Supplier may fail" in page
    assert 'class="edge" data-from="MTX" data-to="OTHER"' in page
    only_risks = client.get("/raid/?register=risks&programme=PRG").content.decode()
    assert "Supplier may fail" in only_risks and "Supplier late" not in only_risks.split(
        'id="escalated"')[0]
    # A project member sees only their projects: no OTHER on the map.
    client.login(username="project_manager", password=PASSWORD)
    assert 'data-project="OTHER"' not in client.get("/raid/").content.decode()


def test_the_burn_down_shows_the_scores_risks_had_each_week(office: Any, api_as: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from projectoffice.audit.models import AuditEntry
    from projectoffice.controls.queries import risk_burn_down

    pm = api_as(office.pm)
    today = timezone.localdate()
    Risk.objects.filter(project=office.project).delete()
    created = pm.post("/projects/MTX/risks", {
        "title": "Key person leaves", "inherent_probability": 4, "inherent_time": 5}).json()
    assert created["inherent_score"] == 20
    Risk.objects.filter(pk=created["id"]).update(raised_on=today - dt.timedelta(days=30))
    changed = pm.patch(f"/projects/MTX/risks/{created['reference']}", {
        "version": created["version"], "residual_probability": 2, "residual_time": 3})
    assert changed.json()["residual_score"] == 6
    # The response was agreed ten days ago: the audit trail dates the change.
    AuditEntry.objects.filter(object_id=str(created["id"]), verb="updated").update(
        at=timezone.now() - dt.timedelta(days=10))

    points = {day: (inherent, current)
              for day, inherent, current in risk_burn_down(office.project, today, weeks=5)}
    assert points[today - dt.timedelta(days=35)] == (0, 0)  # not raised yet
    assert points[today - dt.timedelta(days=14)] == (20, 20)  # before the response
    assert points[today - dt.timedelta(days=7)] == (20, 6)
    assert points[today] == (20, 6)
