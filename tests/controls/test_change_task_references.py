"""A change request names tasks by UID: rows inserted or moved in the plan after it was
drafted never re-point its edits, and a task deleted since gives an error naming it."""

from __future__ import annotations

from typing import Any

import pytest

from projectoffice.controls.models import ChangeRequest
from projectoffice.controls.registers import RISKS
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import PlanLink, PlanTask
from projectoffice.registers import actions as register_actions
from tests.controls.test_change_impact import PLAN, new_change, uid
from tests.planning.helpers import build


@pytest.fixture
def world(office: Any) -> Any:
    build(office.pm, office.project, PLAN)
    return office


def insert_rows_above(office: Any, name: str, count: int = 2) -> None:
    """Inserts `count` new tasks above `name` in the real plan."""
    plan = office.project.plan
    for n in range(count):
        plan.refresh_from_db()
        plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                               edits=[{"op": "insert", "name": f"Inserted {n}", "duration": "1d",
                                       "before": uid(office.project, name)}])


def the_change(office: Any) -> ChangeRequest:
    return ChangeRequest.objects.get(project=office.project, title="Harden the build")


def predecessors_of(project: Any, name: str) -> set[str]:
    return set(PlanLink.objects.filter(plan__project=project, successor__name=name)
               .values_list("predecessor__name", flat=True))


def apply_through_the_workflow(pm: Any, base: str, version: int) -> None:
    for transition in ("submit", "assess", "approve", "apply"):
        r = pm.post(base + "/transitions", {"transition": transition, "version": version,
                                            "comment": "ok"})
        assert r.status_code == 200, (transition, r.content)
        version = r.json()["version"]


def test_typed_rows_are_kept_as_the_tasks_they_named(world: Any, api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    # "Go live" after row 1 (Design) and row 3 (Docs), as typed in the plan editor's notation.
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Go live"), "predecessors": "1, 3FS+2d"}})
    assert r.status_code == 200, r.content
    stored = the_change(office).plan_edits[0]
    assert [link["task"] for link in stored["predecessors"]] == [
        uid(office.project, "Design"), uid(office.project, "Docs")]
    assert "1 Design FS; 3 Docs FS+2d" in r.json()["plan_edits"][0]["text"]

    # Two rows go in above Design: rows 1 and 3 now hold other tasks.
    insert_rows_above(office, "Design")
    assert PlanTask.objects.get(plan__project=office.project, position=1).name == "Inserted 0"

    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    assert "3 Design FS; 5 Docs FS+2d" in r.json()["plan_edits"][0]["text"]
    apply_through_the_workflow(pm, base, r.json()["version"])
    assert predecessors_of(office.project, "Go live") == {"Design", "Docs"}


def test_a_task_the_change_inserts_is_linked_even_after_the_plan_grows(
        world: Any, api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    test_uid = uid(office.project, "Test")
    new_uid = office.project.plan.next_uid  # the UID the what-if gives the inserted task
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "insert", "name": "Security review", "duration": "2d", "before": test_uid}})
    r = pm.post(base + "/edits", {"version": r.json()["version"], "edit": {
        "op": "link", "uid": test_uid, "predecessor": new_uid}})
    assert r.status_code == 200, r.content
    # The plan gains a task of its own: the UID the change first saw now belongs to it.
    insert_rows_above(office, "Docs", count=1)
    assert PlanTask.objects.get(plan__project=office.project, uid=new_uid).name == "Inserted 0"
    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    apply_through_the_workflow(pm, base, r.json()["version"])
    assert predecessors_of(office.project, "Test") == {"Build", "Security review"}
    assert not PlanLink.objects.filter(plan__project=office.project, predecessor__uid=new_uid,
                                       successor__uid=test_uid).exists()


def test_a_task_deleted_since_the_change_was_drafted_is_named(world: Any, api_as: Any) -> None:
    office = world
    pm = api_as(office.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(office.project, "Go live"), "predecessors": "3"}})
    assert r.status_code == 200, r.content
    plan = office.project.plan
    plan.refresh_from_db()
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"op": "delete", "uid": uid(office.project, "Docs")}])
    version = r.json()["version"]
    r = pm.post(base + "/assess", {"version": version})
    assert r.status_code == 422, r.content
    assert "“Docs”" in r.json()["message"] and "deleted" in r.json()["message"]
    assert "plan_edits" in r.json()["errors"]
    assert the_change(office).impact is None
    page = pm.get(base + "/impact")
    assert "“Docs” (deleted from the plan)" in page.json()["plan_edits"][0]["text"]
    # Adding another edit is refused the same way until the stale one is removed.
    r = pm.post(base + "/edits", {"version": version, "edit": {
        "op": "update", "uid": uid(office.project, "Build"), "duration": "12d"}})
    assert r.status_code == 422 and "“Docs”" in r.json()["message"]


def test_a_typed_row_that_does_not_exist_is_refused(world: Any, api_as: Any) -> None:
    pm = api_as(world.pm)
    ref, v = new_change(pm)
    r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(world.project, "Go live"), "predecessors": "40"}})
    assert r.status_code == 422
    assert r.json()["errors"]["edit.predecessors"] == ["there is no row 40 in this plan"]
    r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": {
        "op": "update", "uid": uid(world.project, "Go live"), "predecessors": "two"}})
    assert r.status_code == 422 and "edit.predecessors" in r.json()["errors"]
    # The anchored form, sent as the API keeps it, is checked as strictly.
    for links in ([7], [{"task": "Design"}], [{"task": 999}], [{"new": 3}]):
        r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": {
            "op": "update", "uid": uid(world.project, "Go live"), "predecessors": links}})
        assert r.status_code == 422, (links, r.content)
        assert "edit.predecessors" in r.json()["errors"], r.json()


def test_a_risk_keeps_its_task_when_rows_move_and_is_not_re_pointed_when_it_goes(
        world: Any) -> None:
    office = world
    risk = register_actions.create_item(
        actor=office.pm, spec=RISKS, project=office.project,
        data={"title": "Docs may slip", "owner": office.pm, "task_reference": "3"})
    assert risk.task.name == "Docs"
    insert_rows_above(office, "Design")
    risk = register_actions.update_item(actor=office.pm, item=risk, version=risk.version,
                                        changes={"title": "Docs may slip badly"})
    assert risk.task.name == "Docs"
    plan = office.project.plan
    plan.refresh_from_db()
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"op": "delete", "uid": uid(office.project, "Docs")}])
    risk.refresh_from_db()
    risk = register_actions.update_item(actor=office.pm, item=risk, version=risk.version,
                                        changes={"title": "Docs gone"})
    # Row 3 now holds another task: the risk is not silently moved onto it.
    assert risk.task is None
