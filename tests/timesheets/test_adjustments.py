"""Adjustments of locked time at the standard or the overtime rate of the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.finance.models import ActualCost, CostSource
from projectoffice.timesheets import actions as ts
from projectoffice.timesheets.models import TimeAdjustment, Timesheet
from tests.timesheets.helpers import MONDAY, cost_loaded, week

TUESDAY, THURSDAY = dt.date(2026, 1, 6), dt.date(2026, 1, 8)


def approved_week(office: Any) -> tuple[dict[str, Any], Timesheet]:
    """Design: 8 regular hours on Tuesday and Thursday, 2 overtime hours on Thursday."""
    world = cost_loaded(office)
    member, design = world["member"], world["design"]
    sheet = ts.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                              version=None, lines=[
                                  {"assignment_id": design.pk, "hours": week(0, 8, 0, 8)},
                                  {"assignment_id": design.pk, "overtime": True,
                                   "hours": week(0, 0, 0, 2)}])
    sheet = ts.submit_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                version=sheet.version)
    sheet = ts.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                                version=sheet.version, approve=True)
    return world, sheet


def adjustment_costs() -> list[tuple[dt.date, Decimal, Decimal, str]]:
    return sorted((c.date, c.hours, c.amount, c.reference) for c in
                  ActualCost.objects.filter(source=CostSource.ADJUSTMENT))


def test_overtime_adjustment_costs_the_overtime_rate_of_the_day(office: Any) -> None:
    world, sheet = approved_week(office)
    design = world["design"]
    # Tuesday 6 January: overtime 75.00 an hour; Thursday 8 January: 90.00 (standard 60.00).
    ts.adjust_time(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                   assignment_id=design.pk, date=TUESDAY, hours=Decimal("1.5"),
                   reason="Late release night", overtime=True)
    ts.adjust_time(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                   assignment_id=design.pk, date=THURSDAY, hours=Decimal(-2),
                   reason="Overtime booked twice", overtime=True)
    ts.adjust_time(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                   assignment_id=design.pk, date=THURSDAY, hours=Decimal(1),
                   reason="Forgot an hour")
    ref = f"timesheet {sheet.pk}"
    assert adjustment_costs() == [
        (TUESDAY, Decimal("1.50"), Decimal("112.50"), f"{ref} overtime"),  # 1.5 × 75
        (THURSDAY, Decimal("-2.00"), Decimal("-180.00"), f"{ref} overtime"),  # -2 × 90
        (THURSDAY, Decimal("1.00"), Decimal("60.00"), ref),  # 1 × 60
    ]
    assert [(a.date, a.hours, a.overtime) for a in TimeAdjustment.objects.order_by("pk")] == [
        (TUESDAY, Decimal("1.50"), True), (THURSDAY, Decimal("-2.00"), True),
        (THURSDAY, Decimal("1.00"), False)]
    # Approved: 8 × 50 + 8 × 60 + 2 × 90 = 1060.00; adjustments: 112.50 - 180 + 60.
    total = sum((c.amount for c in ActualCost.objects.all()), Decimal(0))
    assert total == Decimal("1060.00") + Decimal("-7.50")


def test_negative_adjustment_cannot_take_a_kind_of_hours_below_zero(
        office: Any, api_as: Any) -> None:
    world, sheet = approved_week(office)
    design = world["design"]
    path = f"/projects/MTX/timesheets/{sheet.pk}/adjustments"
    before = ActualCost.objects.count()
    cases = [
        # Tuesday has 8 regular hours and no overtime.
        {"date": "2026-01-06", "hours": "-1", "overtime": True},
        # Thursday has 2 overtime hours: 3 cannot be taken off them…
        {"date": "2026-01-08", "hours": "-3", "overtime": True},
        # …nor 9 regular hours off its 8.
        {"date": "2026-01-08", "hours": "-9"},
    ]
    pm = api_as(office.pm)
    for case in cases:
        response = pm.post(path, {"assignment_id": design.pk, "reason": "Check"} | case)
        assert response.status_code == 422, case
        assert "hours" in response.json()["errors"], case
    assert not TimeAdjustment.objects.exists()
    assert ActualCost.objects.count() == before
    # Within what was approved of each kind, both go through.
    ok = pm.post(path, {"assignment_id": design.pk, "date": "2026-01-08", "hours": "-2",
                        "overtime": True, "reason": "Overtime was not agreed"})
    assert ok.status_code == 201 and ok.json()["overtime"] is True
    assert ok.json()["hours"] in ("-2.00", "-2")
    response = pm.post(path, {"assignment_id": design.pk, "date": "2026-01-08",
                              "hours": "-0.5", "overtime": True, "reason": "Again"})
    assert response.status_code == 422 and "hours" in response.json()["errors"]
    assert adjustment_costs() == [
        (THURSDAY, Decimal("-2.00"), Decimal("-180.00"), f"timesheet {sheet.pk} overtime")]


def test_overtime_adjustment_through_the_page(office: Any) -> None:
    from tests.finance.test_pages import login

    world, sheet = approved_week(office)
    pm = login(office.pm)
    page = pm.get("/projects/MTX/timesheets/?week=2026-01-05").content.decode()
    assert 'name="overtime"' in page
    pm.post(f"/projects/MTX/timesheets/{sheet.pk}/adjust/", {
        "assignment": world["design"].pk, "date": "2026-01-06", "hours": "2",
        "reason": "Weekend deployment", "overtime": "1"})
    adjustment = TimeAdjustment.objects.get()
    assert adjustment.overtime and adjustment.hours == Decimal(2)
    page = pm.get("/projects/MTX/timesheets/?week=2026-01-05").content.decode()
    assert "+2.00 h</strong> <span class=\"badge amber\">overtime</span> · Weekend deployment" \
        in page
    assert adjustment_costs() == [
        (TUESDAY, Decimal("2.00"), Decimal("150.00"), f"timesheet {sheet.pk} overtime")]
