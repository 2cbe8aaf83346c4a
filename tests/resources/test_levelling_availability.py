"""Levelling honours each person's absences and their work on other projects; what it cannot
remove is shown in dates of the plan calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.people import actions as people
from projectoffice.planning import actions as plan_actions
from projectoffice.planning import workspace as wsp
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.resources import actions, levelling, usage
from tests.planning.helpers import build
from tests.resources.test_levelling import over_allocated

MONDAY = dt.date(2026, 1, 5)


def one_task(office: Any, duration: str = "5d") -> dict[str, Any]:
    """Build (5 days from Monday 5 January 2026) for Tess, a person resource."""
    build(office.pm, office.project, [{"name": "Build", "duration": duration}])
    member = office.members["team_member"]
    tess = actions.create_resource(actor=office.pm, project=office.project,
                                   name="Tess Member", user=member)
    actions.assign_resource(actor=office.pm, project=office.project, resource_id=tess.pk,
                            task_uid=1)
    return {"member": member, "tess": tess}


def preview(office: Any, **options: Any) -> levelling.Levelling:
    return levelling.compute(wsp.load(Plan.objects.get(project=office.project)), **options)


def away(office: Any, member: Any, start: dt.date, end: dt.date, half: bool = False) -> None:
    people.record_absence(actor=office.pmo, person=member, kind="leave", start=start, end=end,
                          half_day=half)


def test_an_absent_week_moves_the_task_past_it(office: Any) -> None:
    world = one_task(office)
    away(office, world["member"], MONDAY, dt.date(2026, 1, 9))
    found = preview(office)
    [build_] = found.delays
    assert (build_.name, build_.days) == ("Build", 5.0)
    assert (build_.old_start, build_.new_start) == (dt.datetime(2026, 1, 5, 8),
                                                    dt.datetime(2026, 1, 12, 8))
    assert build_.reason == "Tess Member away 5–9 Jan 2026"
    assert found.finish_after == dt.datetime(2026, 1, 16, 17)
    assert found.remaining == []
    # Applied, the task runs in the week after the absence and no day is over-allocated.
    plan = Plan.objects.get(project=office.project)
    actions.level_resources(actor=office.pm, project=office.project, version=plan.version)
    task = PlanTask.objects.get(plan=plan, uid=1)
    assert (task.start, task.finish) == (dt.datetime(2026, 1, 12, 8),
                                         dt.datetime(2026, 1, 16, 17))
    [tess] = usage.project_usage(office.project)
    assert not tess.overallocated


def test_a_half_day_leaves_half_a_day(office: Any) -> None:
    world = one_task(office, "2d")
    away(office, world["member"], dt.date(2026, 1, 6), dt.date(2026, 1, 6), half=True)
    # A whole-day task cannot fit Tuesday's half day: it starts on Wednesday.
    [build_] = preview(office).delays
    assert build_.new_start == dt.datetime(2026, 1, 7, 8)
    assert build_.reason == "Tess Member away 6 Jan 2026"
    # Her usage counts the half day as 4 hours available.
    [tess] = usage.project_usage(office.project)
    tuesday = next(d for d in tess.days if d.start == dt.date(2026, 1, 6))
    assert tuesday.capacity == Decimal("4.00") and tuesday.over


def other_project_work(office: Any, member: Any, days: str = "10d") -> None:
    """On OTHER, the same person works full time on Migrate from 5 January."""
    plan = build(office.pmo, office.other, [{"name": "Migrate", "duration": days}])
    plan_actions.set_plan_settings(actor=office.pmo, project=office.other,
                                   version=plan.version, start=dt.datetime(2026, 1, 5, 8))
    there = actions.create_resource(actor=office.pmo, project=office.other,
                                    name="Tess on Other", user=member)
    actions.assign_resource(actor=office.pmo, project=office.other, resource_id=there.pk,
                            task_uid=1)
    migrate = PlanTask.objects.get(plan__project=office.other, uid=1)
    assert migrate.start == dt.datetime(2026, 1, 5, 8)


def test_work_on_another_project_moves_the_task_after_it(office: Any) -> None:
    world = one_task(office)
    other_project_work(office, world["member"])
    migrate = PlanTask.objects.get(plan__project=office.other, uid=1)
    assert migrate.finish == dt.datetime(2026, 1, 16, 17)
    [build_] = preview(office).delays
    assert build_.new_start == dt.datetime(2026, 1, 19, 8)  # after Migrate's two weeks
    assert build_.days == 10.0
    assert build_.reason == "Tess Member busy on other projects 5–16 Jan 2026"
    # Levelled alone, the plan ignores the other project: nothing moves.
    alone = preview(office, other_projects=False)
    assert alone.delays == [] and alone.other_projects is False
    plan = Plan.objects.get(project=office.project)
    actions.level_resources(actor=office.pm, project=office.project, version=plan.version,
                            other_projects=False)
    assert PlanTask.objects.get(plan=plan, uid=1).levelling_delay == 0
    plan.refresh_from_db()
    actions.level_resources(actor=office.pm, project=office.project, version=plan.version)
    assert PlanTask.objects.get(plan=plan, uid=1).start == dt.datetime(2026, 1, 19, 8)


def test_part_time_on_another_project_leaves_the_rest(office: Any) -> None:
    world = one_task(office, "2d")
    other_project_work(office, world["member"], "3d")
    there = usage.Resource.objects.get(project=office.other)
    assignment = there.assignments.get()
    actions.update_assignment(actor=office.pmo, project=office.other,
                              assignment_id=assignment.pk, version=assignment.version,
                              units=Decimal(50))
    # 50 % elsewhere leaves 50 %: a full-time task waits for the other to finish…
    [build_] = preview(office).delays
    migrate = PlanTask.objects.get(plan__project=office.other, uid=1)
    assert build_.new_start.date() == migrate.finish.date() + dt.timedelta(days=1)
    # …and a half-time one fits beside it.
    mine = actions.Assignment.objects.get(project=office.project)
    actions.update_assignment(actor=office.pm, project=office.project, assignment_id=mine.pk,
                              version=mine.version, units=Decimal(50))
    assert preview(office).delays == []


def test_remaining_over_allocation_is_given_in_dates(office: Any, api_as: Any) -> None:
    over_allocated(office)
    plan = Plan.objects.get(project=office.project)
    # Spec and UI must start on Monday 5 January: levelling cannot separate them.
    plan = plan_actions.edit_plan(actor=office.pm, project=office.project,
                                  version=plan.version, edits=[
                                      {"uid": uid, "constraint": "MSO",
                                       "constraint_date": "2026-01-05"} for uid in (1, 2)])
    found = preview(office)
    assert found.remaining == ["Alice: 200 % of 100 % from 5 Jan 2026 to 6 Jan 2026"]
    body = api_as(office.pm).get("/projects/MTX/plan/levelling").json()
    assert body["remaining_overallocations"] == found.remaining
    assert body["other_projects"] is True
    assert [(d["name"], d["reason"]) for d in body["delays"]] == [
        ("Tests", "other tasks of this plan")]


def test_a_fixed_task_during_an_absence_is_reported_against_what_is_left(office: Any) -> None:
    world = one_task(office, "1d")
    plan = Plan.objects.get(project=office.project)
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"uid": 1, "constraint": "MSO",
                                   "constraint_date": "2026-01-07"}])
    away(office, world["member"], dt.date(2026, 1, 7), dt.date(2026, 1, 7))
    assert preview(office).remaining == [
        "Tess Member: 100 % where 0 % of 100 % is available on 7 Jan 2026"]


def test_the_level_command_through_the_api_and_page(office: Any, api_as: Any) -> None:
    from tests.finance.test_pages import login

    world = one_task(office)
    other_project_work(office, world["member"])
    pm = api_as(office.pm)
    alone = pm.get("/projects/MTX/plan/levelling?other_projects=false").json()
    assert alone["delays"] == [] and alone["other_projects"] is False
    page = login(office.pm).get("/projects/MTX/plan/levelling/").content.decode()
    assert "Take other projects' work into account" in page
    assert "Tess Member busy on other projects 5–16 Jan 2026" in page
    version = Plan.objects.get(project=office.project).version
    response = pm.post("/projects/MTX/plan/level", {"version": version,
                                                    "other_projects": False})
    assert response.status_code == 200 and response.json()["levelling_delays"] == {}
    response = pm.post("/projects/MTX/plan/level", {"version": version + 1})
    assert response.status_code == 200
    assert list(response.json()["levelling_delays"].values()) == [10 * 480]
    # The page's form keeps the option.
    web = login(office.pm)
    web.post("/projects/MTX/plan/levelling/apply/", {"version": version + 2, "what": "level",
                                               "others": "0"})
    assert PlanTask.objects.get(plan__project=office.project, uid=1).levelling_delay == 0
