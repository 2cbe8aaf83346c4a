"""Change control with its real effect on the plan: proposed plan edits, impact on a what-if
copy, per-project thresholds, application with a new baseline; live internal dependencies;
the RAID view through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.controls.models import ChangeRequest, Dependency, Risk
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Baseline, Plan, PlanTask
from projectoffice.portfolio import actions as portfolio_actions
from tests.conftest import PASSWORD, make_user
from tests.planning.helpers import build

# Design 5d → Build 10d → Test 5d → Go live (milestone); Docs 3d after Design.
PLAN = [
    {"name": "Design", "duration": "5d"},
    {"name": "Build", "duration": "10d", "predecessors": "1"},
    {"name": "Docs", "duration": "3d", "predecessors": "1"},
    {"name": "Test", "duration": "5d", "predecessors": "2"},
    {"name": "Go live", "duration": "0d", "predecessors": "3, 4"},
]


def uid(project: Any, name: str) -> int:
    return PlanTask.objects.get(plan__project=project, name=name).uid


@pytest.fixture
def world(office: Any) -> Any:
    build(office.pm, office.project, PLAN)
    office.sponsor = make_user("sponsor", "executive")
    portfolio_actions.update_project(actor=office.pmo, project=office.project,
                                     version=office.project.version,
                                     changes={"sponsor": office.sponsor})
    return office


def new_change(client: Any, title: str = "Harden the build") -> tuple[str, int]:
    r = client.post("/projects/MTX/changes", {
        "title": title, "change_type": "durations",
        "change_detail": "Build takes four more weeks", "reason": "Security review"})
    assert r.status_code == 201, r.content
    return r.json()["reference"], r.json()["version"]


def move(client: Any, ref: str, transition: str, version: int, comment: str = "") -> Any:
    return client.post(f"/projects/MTX/changes/{ref}/transitions", {
        "transition": transition, "version": version, "comment": comment})


def test_a_change_goes_from_draft_through_assessment_and_approval_to_the_plan(
        world: Any, api_as: Any) -> None:
    office = world
    pm, pmo = api_as(office.pm), api_as(office.pmo)
    sponsor, executive = api_as(office.sponsor), api_as(office.executive)
    # The project's own thresholds: more than 5 working days needs the sponsor.
    r = pmo.patch("/projects/MTX/controls", {"version": 1, "approval_days": 5,
                                            "approval_cost": "20000"})
    assert r.status_code == 200 and r.json()["approval_days"] == 5 and r.json()["own"]
    assert pm.patch("/projects/MTX/controls", {"version": 1,
                                               "approval_days": 50}).status_code == 403

    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    build_uid, docs_uid = uid(office.project, "Build"), uid(office.project, "Docs")
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": build_uid, "duration": "18d"}})
    assert r.status_code == 200, r.content
    r = pm.post(base + "/edits", {"version": r.json()["version"], "edit": {
        "op": "link", "uid": docs_uid, "predecessor": build_uid, "type": "SS", "lag": "2d"}})
    assert r.status_code == 200, r.content
    assert [e["op"] for e in r.json()["plan_edits"]] == ["update", "link"]
    assert "Add link: 2 Build → 3 Docs (SS 2d)" in r.json()["plan_edits"][1]["text"]
    # A refused edit (the plan editor's own check) is not stored.
    bad = pm.post(base + "/edits", {"version": r.json()["version"], "edit": {
        "op": "update", "uid": build_uid, "duration": "ten days"}})
    assert bad.status_code == 422 and f"tasks.{build_uid}.duration" in bad.json()["errors"]

    plan = Plan.objects.get(project=office.project)
    finish_before, version_before = plan.finish, plan.version
    r = pm.post(base + "/assess", {"version": r.json()["version"], "cost_impact": "24000"})
    assert r.status_code == 200, r.content
    impact = r.json()["impact"]
    # Build 10d → 18d: the critical path, and the finish, move 8 working days.
    assert r.json()["delay_days"] == impact["finish_days"] == 8
    assert r.json()["cost_impact"] == "24000.00"
    go_live = next(m for m in impact["milestones"] if m["name"] == "Go live")
    assert go_live["days"] == 8 and go_live["unit"] == "working days"
    assert r.json()["assessed_plan_version"] == version_before
    plan.refresh_from_db()
    assert plan.finish == finish_before and plan.version == version_before  # what-if only
    assessed_finish = dt.datetime.fromisoformat(impact["finish_after"])

    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    assert r.json()["status"] == "assessed", r.content
    v = r.json()["version"]
    # Above the project's threshold: neither the project manager nor an executive who is
    # not the sponsor may decide it.
    r = move(pm, ref, "approve", v, "Fine")
    assert r.status_code == 403 and "sponsor" in r.json()["message"]
    assert move(executive, ref, "approve", v, "Fine").status_code == 403
    r = move(sponsor, ref, "approve", v, "Security first")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    twice = move(sponsor, ref, "approve", r.json()["version"], "Again")
    assert twice.status_code == 409 and "approved" in twice.json()["message"]

    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 200 and r.json()["status"] == "applied", r.content
    plan.refresh_from_db()
    assert plan.finish == assessed_finish
    assert PlanTask.objects.get(plan=plan, uid=build_uid).duration == 18 * 480
    baseline = Baseline.objects.get(plan=plan, number=1)
    assert baseline.name.startswith(ref) and baseline.finish == assessed_finish
    change = ChangeRequest.objects.get(reference=ref, project=office.project)
    assert change.baseline_number == 1
    entries = AuditEntry.objects.filter(object_id=str(plan.pk), verb__in=(
        "plan edited", "baseline saved")).order_by("pk")
    linked = [e for e in entries if e.changes.get("source") == [None, ref]]
    assert {e.verb for e in linked} == {"plan edited", "baseline saved"}
    own = AuditEntry.objects.get(object_id=str(change.pk), verb="applied to the plan")
    assert own.changes["baseline"] == [None, f"1 {baseline.name}"]

    page = pm.client
    page.login(username="project_manager", password=PASSWORD)
    html = page.get(f"/projects/MTX/changes/{ref}/").content.decode()
    assert "milestone-movements" in html and "Go live" in html and "+8 working days" in html
    assert "baseline 1 saved" in html


def test_a_change_assessed_on_an_older_plan_is_not_applied(world: Any, api_as: Any) -> None:
    office = world
    pm, sponsor = api_as(office.pm), api_as(office.sponsor)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Test"), "duration": "7d"}})
    r = pm.post(base + "/assess", {"version": r.json()["version"], "cost_impact": "100"})
    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    r = move(sponsor, ref, "approve", r.json()["version"], "Yes")
    assert r.json()["status"] == "approved"
    plan = Plan.objects.get(project=office.project)
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"uid": uid(office.project, "Docs"), "duration": "4d"}])
    plan.refresh_from_db()
    before = (plan.version, plan.finish, Baseline.objects.count())
    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 409 and "re-assess first" in r.json()["message"]
    plan.refresh_from_db()
    assert (plan.version, plan.finish, Baseline.objects.count()) == before
    assert PlanTask.objects.get(plan=plan, name="Test").duration == 5 * 480
    change = ChangeRequest.objects.get(reference=ref, project=office.project)
    assert change.status == "approved"
    # Re-assessing with the same outcome keeps the approval; then it applies.
    r = pm.post(base + "/assess", {"version": change.version})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 200 and r.json()["status"] == "applied"


def test_all_baselines_used_is_said_clearly(world: Any, api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    for n in range(11):
        plan_actions.save_baseline(actor=office.pm, project=office.project, number=n)
    ref, v = new_change(pm)
    r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Docs"), "duration": "2d"}})
    r = pm.post(f"/projects/MTX/changes/{ref}/assess", {"version": r.json()["version"],
                                                       "cost_impact": "0"})
    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    r = move(pm, ref, "approve", r.json()["version"], "Small")  # within the threshold
    assert r.status_code == 200, r.content
    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 409 and "All 11 baselines" in r.json()["message"]
    assert PlanTask.objects.get(plan__project=office.project, name="Docs").duration == 3 * 480


def test_editing_the_proposal_forgets_the_assessment_and_blocks_the_decision(
        world: Any, api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Docs"), "duration": "2d"}})
    r = move(pm, ref, "submit", r.json()["version"])
    submitted = r.json()["version"]
    r = move(pm, ref, "assess", submitted)
    assert r.status_code == 422 and "impact" in r.json()["errors"]
    r = pm.post(base + "/assess", {"version": submitted})
    assert r.status_code == 200 and r.json()["impact"]["edits"] == 1
    change = ChangeRequest.objects.get(reference=ref, project=office.project)
    r = pm.delete(f"{base}/edits/1?version={change.version}")
    assert r.status_code == 200 and r.json()["plan_edits"] == [] and r.json()["impact"] is None
    assert pm.delete(f"{base}/edits/5").status_code == 404


def test_an_executive_decides_only_the_changes_they_sponsor(world: Any, api_as: Any) -> None:
    office = world
    pm, executive, sponsor = (api_as(u) for u in (office.pm, office.executive, office.sponsor))
    ref, v = new_change(pm, "Small wording change")
    r = pm.patch(f"/projects/MTX/changes/{ref}", {"version": v, "cost_impact": "10",
                                                  "delay_days": 0})
    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    v = r.json()["version"]
    r = move(executive, ref, "reject", v, "No")
    assert r.status_code == 403 and "sponsor" in r.json()["message"]
    assert move(sponsor, ref, "approve", v, "Fine").status_code == 200


def test_control_settings_page_and_risk_scale(world: Any, api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    r = pm.post("/projects/MTX/risks", {"title": "Scaled", "inherent_probability": 7})
    assert r.status_code == 422  # the default scale is 1–5
    pmo = api_as(office.pmo)
    r = pmo.patch("/projects/MTX/controls", {"version": 1, "risk_scale": 10})
    assert r.status_code == 200 and r.json()["risk_scale"] == 10
    r = pm.post("/projects/MTX/risks", {"title": "Scaled", "inherent_probability": 7,
                                        "inherent_time": 9})
    assert r.status_code == 201, r.content
    r = pmo.patch("/projects/MTX/controls", {"version": 2, "risk_scale": 5})
    assert r.status_code == 422 and "risk_scale" in r.json()["errors"]
    # The sponsor may change the thresholds too, through the page.
    client = api_as(office.sponsor).client
    client.login(username="sponsor", password=PASSWORD)
    page = client.get("/projects/MTX/controls/")
    assert page.status_code == 200 and "Save settings" in page.content.decode()
    r = client.post("/projects/MTX/controls/", {"version": 2, "approval_cost": "5000",
                                                "approval_days": "3", "risk_scale": "10"})
    assert r.status_code == 302
    assert pm.get("/projects/MTX/controls").json()["approval_days"] == 3
    client.login(username="project_manager", password=PASSWORD)
    assert "Save settings" not in client.get("/projects/MTX/controls/").content.decode()


def test_an_internal_dependency_follows_the_other_plan_live(office: Any,
                                                            api_as: Any) -> None:
    build(office.outsider, office.other, PLAN)
    finish = PlanTask.objects.get(plan__project=office.other, name="Go live").finish
    needed = finish.date() - dt.timedelta(days=5)
    pmo, pm = api_as(office.pmo), api_as(office.pm)
    r = pmo.post("/projects/MTX/dependencies", {
        "title": "Their release", "other_project": "OTHER", "other_reference": "Go live",
        "needed_by": needed.isoformat()})
    assert r.status_code == 201, r.content
    dep = Dependency.objects.get(reference=r.json()["reference"], project=office.project)
    task = PlanTask.objects.get(plan__project=office.other, name="Go live")
    assert dep.other_task == task and dep.expected_on == task.finish.date()
    assert dep.late and dep.slack_days == -5
    schedule = pmo.get(f"/projects/MTX/dependencies/{dep.reference}/schedule").json()
    assert schedule["task"]["name"] == "Go live" and schedule["late"]
    assert schedule["expected_on"] == task.finish.date().isoformat()
    row = next(i for i in pmo.get("/raid?kind=dependencies").json()["items"]
               if i["reference"] == dep.reference and i["project"] == "MTX")
    assert row["late"] and row["expected_on"] == schedule["expected_on"]
    pmo.client.login(username="pmo_manager", password=PASSWORD)
    raid = pmo.client.get("/raid/").content.decode()
    late = raid[raid.index('id="late-dependencies"'):]
    assert dep.reference in late and "5 days" in late
    # The register's list and export show the live date, not the date once promised.
    listing = pmo.client.get("/projects/MTX/dependencies/?status=").content.decode()
    row_html = listing[listing.index(dep.reference):].split("</tr>")[0]
    assert f"{task.finish.date():%-d %b %Y}" in row_html and "late" in row_html
    export = pmo.client.get("/projects/MTX/dependencies/?status=&format=csv")
    lines = export.content.decode().splitlines()
    assert lines[0].endswith(",Expected")
    assert any(ln.startswith(dep.reference) and ln.endswith(task.finish.date().isoformat())
               for ln in lines)
    # The plan moves: the dependency shows the new date, no copy to refresh.
    plan = Plan.objects.get(project=office.other)
    plan_actions.edit_plan(actor=office.outsider, project=office.other, version=plan.version,
                           edits=[{"uid": uid(office.other, "Build"), "duration": "1d"},
                                  {"uid": uid(office.other, "Test"), "duration": "1d"}])
    dep = Dependency.objects.get(pk=dep.pk)
    task.refresh_from_db()
    assert dep.expected_on == task.finish.date() and not dep.late
    # A row that does not exist is refused at the field; a project the user cannot see too.
    r = pmo.post("/projects/MTX/dependencies", {"title": "Ghost", "other_project": "OTHER",
                                                "other_reference": "99"})
    assert r.status_code == 422 and "other_reference" in r.json()["errors"]
    r = pm.post("/projects/MTX/dependencies", {"title": "Hidden", "other_project": "OTHER",
                                               "other_reference": "Go live"})
    assert r.status_code == 422 and "other_project" in r.json()["errors"]
    client = pmo.client
    client.login(username="pmo_manager", password=PASSWORD)
    html = client.get(f"/projects/MTX/dependencies/{dep.reference}/").content.decode()
    assert "Linked plan" in html and "live from the plan" in html


def test_the_raid_api_filters_and_shows_only_visible_projects(office: Any,
                                                              api_as: Any) -> None:
    from projectoffice.controls.registers import RISKS
    from projectoffice.registers import actions as register_actions

    register_actions.create_item(actor=office.outsider, spec=RISKS, project=office.other,
                                 data={"title": "Hidden risk", "owner": office.outsider,
                                       "inherent_probability": 5, "inherent_time": 5})
    pmo, pm, outsider = api_as(office.pmo), api_as(office.pm), api_as(office.outsider)
    every = pmo.get("/raid?limit=100").json()
    assert {i["project"] for i in every["items"]} == {"MTX", "OTHER"}
    mine = pm.get("/raid?limit=100").json()
    assert {i["project"] for i in mine["items"]} == {"MTX"} and mine["count"] < every["count"]
    theirs = outsider.get("/raid").json()
    assert [i["title"] for i in theirs["items"]] == ["Hidden risk"]
    assert theirs["items"][0]["severity"] == "critical"
    risks = pmo.get("/raid?kind=risks").json()
    assert {i["kind"] for i in risks["items"]} == {"risks"} and risks["count"] == 2
    assert pmo.get("/raid?severity=critical").json()["count"] == 1
    assert pmo.get("/raid?programme=PRG").json()["count"] == every["count"] - 1
    assert pmo.get("/raid?owner=outsider").json()["count"] == 1
    assert pmo.get("/raid?overdue=true").json()["count"] == 0
    page = pmo.get("/raid?limit=1&offset=1").json()
    assert page["count"] == every["count"] and len(page["items"]) == 1
    assert page["items"][0]["reference"] == every["items"][1]["reference"]
    assert pmo.get("/raid?kind=meetings").status_code == 422
    assert pmo.get("/raid?severity=dire").status_code == 422


def test_the_added_cost_comes_from_the_resources_of_the_edited_tasks(world: Any,
                                                                     api_as: Any) -> None:
    from decimal import Decimal

    from projectoffice.resources import actions as resource_actions

    office = world
    developer = resource_actions.create_resource(actor=office.pm, project=office.project,
                                                 name="Developer")
    resource_actions.set_rate(actor=office.pm, resource=developer,
                              effective_from=dt.date(2025, 1, 1), standard=Decimal(50))
    resource_actions.assign_resource(actor=office.pm, project=office.project,
                                     resource_id=developer.pk,
                                     task_uid=uid(office.project, "Build"), work=Decimal(80))
    pm = api_as(office.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Build"), "duration": "15d"}})
    r = pm.post(base + "/assess", {"version": r.json()["version"], "cost_impact": "500"})
    # 80 h over 10 days becomes 120 h over 15: 40 h more at 50 an hour, plus 500 other.
    impact = r.json()["impact"]
    assert impact["resource_cost"] == "2000.00" and impact["other_cost"] == "500.00"
    assert r.json()["cost_impact"] == "2500.00"
    # Re-assessing without a figure keeps the assessor's other cost.
    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert r.json()["cost_impact"] == "2500.00"


def test_figures_typed_over_the_assessment_do_not_lower_the_threshold(world: Any,
                                                                      api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    ref, v = new_change(pm)
    r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Build"), "duration": "30d"}})
    r = pm.post(f"/projects/MTX/changes/{ref}/assess", {"version": r.json()["version"]})
    assert r.json()["delay_days"] == 20
    r = pm.patch(f"/projects/MTX/changes/{ref}", {"version": r.json()["version"],
                                                  "delay_days": 0})
    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    r = move(pm, ref, "approve", r.json()["version"], "Looks small")
    assert r.status_code == 403 and "by 20 days" in r.json()["message"]


def test_the_assessment_shows_milestones_moving_in_linked_projects(world: Any,
                                                                   api_as: Any) -> None:
    office = world
    build(office.pmo, office.other, [
        {"name": "Integrate", "duration": "5d", "predecessors": "MTX:5"},
        {"name": "Their launch", "duration": "0d", "predecessors": "1"}])
    launch = PlanTask.objects.get(plan__project=office.other, name="Their launch").finish
    pmo, pm = api_as(office.pmo), api_as(office.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Test"), "duration": "8d"}})
    r = pmo.post(base + "/assess", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    moved = {(m["project"], m["name"]): m for m in r.json()["impact"]["milestones"]}
    theirs = moved[("OTHER", "Their launch")]
    assert dt.datetime.fromisoformat(theirs["before"]) == launch
    assert dt.datetime.fromisoformat(theirs["after"]) > launch and theirs["days"] > 0
    assert moved[("MTX", "Go live")]["days"] == 3
    # The OTHER plan is untouched; and the project manager, who cannot see OTHER, gets an
    # assessment without it.
    assert PlanTask.objects.get(plan__project=office.other, name="Their launch").finish == launch
    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert {m["project"] for m in r.json()["impact"]["milestones"]} == {"MTX"}


def test_risks_on_the_tasks_a_change_edits_or_moves_come_first(world: Any,
                                                               api_as: Any) -> None:
    pm = api_as(world.pm)
    general = pm.post("/projects/MTX/risks", {"title": "Key people leave",
                                              "inherent_probability": 5,
                                              "inherent_time": 5})
    on_test = pm.post("/projects/MTX/risks", {"title": "Test rig late",
                                              "task_reference": "Test"})
    on_docs = pm.post("/projects/MTX/risks", {"title": "Writer unavailable",
                                              "task_reference": "3"})
    assert {general.status_code, on_test.status_code, on_docs.status_code} == {201}, \
        on_test.content
    assert on_test.json()["task_reference"] == "Test"
    # A task that is not in the plan is refused at the field and nothing is written.
    count = Risk.objects.filter(project=world.project).count()
    bad = pm.post("/projects/MTX/risks", {"title": "Ghost", "task_reference": "Deploy"})
    assert bad.status_code == 422 and "task_reference" in bad.json()["errors"]
    assert Risk.objects.filter(project=world.project).count() == count

    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(world.project, "Build"), "duration": "12d"}})
    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    risks = r.json()["impact"]["risks"]
    # Build grows: Test (after it) moves; Docs does not; the high-scoring general risk
    # comes after the one on the moved task.
    assert risks[0]["reference"] == on_test.json()["reference"]
    assert risks[0]["affected"] == "moved" and risks[0]["task"] == "Test"
    rest = {x["reference"]: x for x in risks[1:]}
    assert rest[general.json()["reference"]]["affected"] == ""
    assert rest[on_docs.json()["reference"]]["affected"] == ""
    assert rest[on_docs.json()["reference"]]["task"] == "Docs"
    pm.client.login(username="project_manager", password=PASSWORD)
    html = pm.client.get(f"/projects/MTX/changes/{ref}/").content.decode()
    assert "which this change moved" in html


def test_a_risk_keeps_its_task_when_rows_move(world: Any, api_as: Any) -> None:
    pm = api_as(world.pm)
    r = pm.post("/projects/MTX/risks", {"title": "Test rig late", "task_reference": "4"})
    assert r.status_code == 201, r.content
    risk = Risk.objects.get(project=world.project, reference=r.json()["reference"])
    assert risk.task is not None and risk.task.name == "Test"
    plan = Plan.objects.get(project=world.project)
    plan_actions.edit_plan(actor=world.pm, project=world.project, version=plan.version,
                           edits=[{"op": "insert", "name": "Kick-off", "duration": "1d",
                                   "before": uid(world.project, "Design")}])
    # Row 4 is now Docs; editing the risk's other fields keeps it on Test.
    r = pm.patch(f"/projects/MTX/risks/{risk.reference}", {"version": r.json()["version"],
                                                          "triggers": "Rig not booked"})
    assert r.status_code == 200, r.content
    risk.refresh_from_db()
    assert risk.task is not None and risk.task.name == "Test"
    # Giving the reference again links the task it now names.
    r = pm.patch(f"/projects/MTX/risks/{risk.reference}", {"version": r.json()["version"],
                                                          "task_reference": "Docs"})
    assert r.status_code == 200, r.content
    risk.refresh_from_db()
    assert risk.task is not None and risk.task.name == "Docs"
