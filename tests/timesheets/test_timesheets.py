"""Timesheets from draft to approved: actual work, cost and progress move on the task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import Conflict, InvalidInput
from projectoffice.finance.models import ActualCost
from projectoffice.planning.models import PlanTask
from projectoffice.timesheets import actions
from projectoffice.timesheets.models import TimeLine, Timesheet
from tests.timesheets.helpers import MONDAY, cost_loaded, week


def test_draft_to_approved_moves_work_cost_and_progress(office: Any) -> None:
    world = cost_loaded(office)
    member, design = world["member"], world["design"]
    sheet = actions.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                   version=None, lines=[
                                       {"assignment_id": design.pk, "hours": week(8, 8, 8, 4)},
                                       {"time_code": "training", "hours": week(0, 0, 0, 4)}])
    sheet = actions.submit_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                     version=sheet.version)
    assert not ActualCost.objects.exists()
    actions.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                             version=sheet.version, approve=True)
    costs = ActualCost.objects.filter(task_uid=1)
    # Mon–Wed at 50.00, Thursday (8 January) at the new rate of 60.00.
    assert sum(c.hours for c in costs) == Decimal(28)
    assert sum(c.amount for c in costs) == Decimal("1440.00")  # 24 × 50 + 4 × 60
    task = PlanTask.objects.get(plan__project=office.project, uid=1)
    assert task.percent_complete == 70.0  # 28 of 40 hours
    assert task.actual_start is not None and task.actual_start.date() == MONDAY
    # The week is locked now.
    with pytest.raises(Conflict):
        actions.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                               version=sheet.version + 1, lines=[])
    # A correction after locking is an adjustment entry.
    actions.adjust_time(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                        assignment_id=design.pk, date=dt.date(2026, 1, 8),
                        hours=Decimal(4), reason="Forgot the afternoon")
    task.refresh_from_db()
    assert task.percent_complete == 80.0
    assert sum(c.amount for c in ActualCost.objects.filter(task_uid=1)) == Decimal("1680.00")


def test_reject_needs_a_comment_and_returns_to_the_person(office: Any) -> None:
    world = cost_loaded(office)
    member = world["member"]
    sheet = actions.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                   version=None, lines=[{"assignment_id": world["design"].pk,
                                                         "hours": week(8)}])
    sheet = actions.submit_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                     version=sheet.version)
    with pytest.raises(InvalidInput) as exc:
        actions.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                                 version=sheet.version, approve=False)
    assert "comment" in exc.value.errors
    sheet = actions.decide_timesheet(actor=office.pm, project=office.project,
                                     timesheet_id=sheet.pk, version=sheet.version,
                                     approve=False, comment="Monday was a holiday")
    assert sheet.status == "rejected" and sheet.comment == "Monday was a holiday"
    sheet = actions.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                   version=sheet.version, lines=[])
    assert not ActualCost.objects.exists()


@pytest.mark.parametrize(("lines", "key"), [
    ([{"assignment_id": "design", "hours": week(-1)}], "lines.0.hours.0"),
    ([{"assignment_id": "design", "hours": week(25)}], "lines.0.hours.0"),
    ([{"assignment_id": "design", "hours": week(16)},
      {"time_code": "admin", "hours": week(9)}], "hours.0"),
    ([{"assignment_id": "other", "hours": week(1)}], "lines.0.assignment_id"),
    ([{"time_code": "golf", "hours": week(1)}], "lines.0.time_code"),
])
def test_bad_time_is_refused_and_nothing_written(office: Any, lines: list[dict[str, Any]],
                                                  key: str) -> None:
    world = cost_loaded(office)
    from projectoffice.resources import actions as res

    other = res.create_resource(actor=office.pm, project=office.project, name="Someone else",
                                user=office.members["planner"])
    other_assignment = res.assign_resource(actor=office.pm, project=office.project,
                                           resource_id=other.pk, task_uid=1, work=Decimal(8))
    ids = {"design": world["design"].pk, "other": other_assignment.pk}
    for line in lines:
        if "assignment_id" in line:
            line["assignment_id"] = ids[line["assignment_id"]]
    with pytest.raises(InvalidInput) as exc:
        actions.save_timesheet(actor=world["member"], project=office.project,
                               week_start=MONDAY, version=None, lines=lines)
    assert key in exc.value.errors
    assert not Timesheet.objects.exists() and not TimeLine.objects.exists()
