"""Task types on stored plans: assignment edits move the task's duration, plan edits move
the assignments' work or units, effort-driven tasks share their work."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.resources import actions
from projectoffice.resources.models import Assignment
from tests.planning.helpers import build


def setup(office: Any, task_type: str, effort_driven: bool = False) -> dict[str, Any]:
    plan = build(office.pm, office.project, [
        {"name": "Write", "duration": "5d", "task_type": task_type,
         "effort_driven": effort_driven},
        {"name": "Ship", "duration": "1d", "predecessors": "1"}])
    ann = actions.create_resource(actor=office.pm, project=office.project, name="Ann")
    a = actions.assign_resource(actor=office.pm, project=office.project,
                                resource_id=ann.pk, task_uid=1)
    return {"plan": plan, "ann": ann, "a": a}


def task(office: Any, uid: int = 1) -> PlanTask:
    return PlanTask.objects.get(plan__project=office.project, uid=uid)


def fresh(pk: int) -> Assignment:
    return Assignment.objects.get(pk=pk)


def edit_duration(office: Any, text: str) -> None:
    plan = Plan.objects.get(project=office.project)
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"op": "update", "uid": 1, "duration": text}])


def test_new_assignment_takes_duration_times_units(office: Any) -> None:
    world = setup(office, "fixed_units")
    assert world["a"].work == Decimal(40)
    assert task(office).task_type == "fixed_units" and not task(office).effort_driven


def test_fixed_units(office: Any) -> None:
    world = setup(office, "fixed_units")
    a = world["a"]
    updated = actions.update_assignment(actor=office.pm, project=office.project,
                                        assignment_id=a.pk, version=a.version,
                                        work=Decimal(80))
    assert (updated.units, updated.work) == (Decimal(100), Decimal(80))
    assert task(office).duration == 10 * 480  # the duration followed the work
    assert task(office, 2).start.day == 19  # and the successor moved
    edit_duration(office, "2d")
    assert fresh(a.pk).work == Decimal(16)  # work follows a new duration


def test_fixed_work(office: Any) -> None:
    world = setup(office, "fixed_work")
    a = world["a"]
    edit_duration(office, "10d")
    assert (fresh(a.pk).units, fresh(a.pk).work) == (Decimal(50), Decimal(40))
    a = fresh(a.pk)
    actions.update_assignment(actor=office.pm, project=office.project, assignment_id=a.pk,
                              version=a.version, units=Decimal(100))
    assert task(office).duration == 5 * 480


def test_fixed_duration(office: Any) -> None:
    world = setup(office, "fixed_duration")
    a = world["a"]
    actions.update_assignment(actor=office.pm, project=office.project, assignment_id=a.pk,
                              version=a.version, work=Decimal(20))
    assert (fresh(a.pk).units, task(office).duration) == (Decimal(50), 5 * 480)
    a = fresh(a.pk)
    actions.update_assignment(actor=office.pm, project=office.project, assignment_id=a.pk,
                              version=a.version, units=Decimal(100))
    assert fresh(a.pk).work == Decimal(40)
    edit_duration(office, "10d")
    assert fresh(a.pk).work == Decimal(80)


def test_effort_driven_adds_a_resource(office: Any) -> None:
    world = setup(office, "fixed_units", effort_driven=True)
    bo = actions.create_resource(actor=office.pm, project=office.project, name="Bo")
    b = actions.assign_resource(actor=office.pm, project=office.project, resource_id=bo.pk,
                                task_uid=1)
    assert b.work == Decimal(20) and fresh(world["a"].pk).work == Decimal(20)
    assert task(office).duration == 5 * 480 / 2


def test_task_type_through_the_api(office: Any, api_as: Any) -> None:
    setup(office, "fixed_units")
    pm = api_as(office.pm)
    version = Plan.objects.get(project=office.project).version
    answer = pm.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"uid": 1, "task_type": "fixed_work", "effort_driven": True}]})
    assert answer.status_code == 200, answer.content
    row = answer.json()["tasks"][0]
    assert (row["task_type"], row["effort_driven"]) == ("fixed_work", True)
    bad = pm.post("/projects/MTX/plan/edits", {"version": version + 1, "edits": [
        {"uid": 1, "task_type": "fixed_everything"}]})
    assert bad.status_code == 422


def test_task_type_and_assignment_change_through_the_page(office: Any) -> None:
    from tests.finance.test_pages import login

    world = setup(office, "fixed_units")
    pm = login(office.pm)
    page = pm.get("/projects/MTX/resources/").content.decode()
    assert "Fixed units" in page and "Change an assignment" in page
    plan = Plan.objects.get(project=office.project)
    pm.post("/projects/MTX/resources/edit/", {
        "what": "task_type", "version": plan.version, "task_uid": 1,
        "task_type": "fixed_duration", "effort_driven": "on"})
    assert (task(office).task_type, task(office).effort_driven) == ("fixed_duration", True)
    a = fresh(world["a"].pk)
    pm.post("/projects/MTX/resources/edit/", {
        "what": "change", "assignment": f"{a.pk}:{a.version}", "field": "work", "value": "20"})
    assert (fresh(a.pk).units, task(office).duration) == (Decimal(50), 5 * 480)
    stale = pm.post("/projects/MTX/resources/edit/", {
        "what": "change", "assignment": f"{a.pk}:{a.version}", "field": "units",
        "value": "100"}, follow=True)
    assert fresh(a.pk).units == Decimal(50)  # the page's version was stale: nothing written
    assert stale.status_code == 200
    assert "effort-driven" in pm.get("/projects/MTX/resources/").content.decode()
