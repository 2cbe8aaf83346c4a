"""Actual cost from approved time: overtime at the overtime rate, cost per use once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import InvalidInput
from projectoffice.finance.models import ActualCost
from projectoffice.resources import actions as res
from projectoffice.resources.queries import planned_cost, resources_view
from projectoffice.timesheets import actions as ts
from projectoffice.timesheets.models import TimeLine
from projectoffice.timesheets.queries import week_grid
from tests.timesheets.helpers import MONDAY, cost_loaded, week


def approve_week(office: Any, member: Any, monday: dt.date, lines: list[dict[str, Any]]) -> None:
    sheet = ts.save_timesheet(actor=member, project=office.project, week_start=monday,
                              version=None, lines=lines)
    sheet = ts.submit_timesheet(actor=member, project=office.project, week_start=monday,
                                version=sheet.version)
    ts.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                        version=sheet.version, approve=True)


def test_overtime_rate_and_cost_per_use_once(office: Any) -> None:
    world = cost_loaded(office)
    person, design, member = world["person"], world["design"], world["member"]
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal(50), overtime=Decimal(75), cost_per_use=Decimal(25))
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2026, 1, 8),
                 standard=Decimal(60), overtime=Decimal(90), cost_per_use=Decimal(25))
    approve_week(office, member, MONDAY, [
        {"assignment_id": design.pk, "hours": week(8, 8)},
        {"assignment_id": design.pk, "overtime": True, "hours": week(2)}])
    costs = {c.reference: c for c in ActualCost.objects.all()}
    assert sorted((c.hours, c.amount) for c in ActualCost.objects.all()) == [
        (Decimal(0), Decimal(25)), (Decimal(2), Decimal(150)),
        (Decimal(8), Decimal(400)), (Decimal(8), Decimal(400))]
    assert costs[f"cost per use of assignment {design.pk}"].date == MONDAY
    assert TimeLine.objects.filter(overtime=True).count() == 1
    # The next week: overtime at the new overtime rate; no second cost per use.
    approve_week(office, member, dt.date(2026, 1, 12), [
        {"assignment_id": design.pk, "overtime": True, "hours": week(1)}])
    assert ActualCost.objects.filter(reference__startswith="cost per use").count() == 1
    assert ActualCost.objects.filter(date=dt.date(2026, 1, 12)).get().amount == Decimal(90)
    total = sum((c.amount for c in ActualCost.objects.all()), Decimal(0))
    assert total == Decimal(25 + 150 + 800 + 90)
    # Planned cost: work × standard rate plus the cost per use, once per assignment.
    rates = list(person.rates.all())
    assert planned_cost(design, rates, MONDAY) == Decimal(40 * 50 + 25)
    # Build starts on 12 January, under the rate of 60.00 from the 8th.
    assert resources_view(office.project)["total"] == Decimal(40 * 50 + 25 + 80 * 60 + 25)


def test_overtime_lines_in_the_grid(office: Any) -> None:
    world = cost_loaded(office)
    design, member = world["design"], world["member"]
    ts.save_timesheet(actor=member, project=office.project, week_start=MONDAY, version=None,
                      lines=[{"assignment_id": design.pk, "overtime": True, "hours": week(3)}])
    grid = week_grid(office.project, member, MONDAY)
    overtime = [r for r in grid["rows"] if r["overtime"]]
    assert [r["label"] for r in overtime] == ["Design · overtime", "Build · overtime"]
    assert overtime[0]["hours"][0] == "3"
    assert grid["rows"][0]["hours"][0] == "0"  # the regular line stays empty
    with pytest.raises(InvalidInput) as exc:
        ts.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                          version=2, lines=[{"time_code": "training", "overtime": True,
                                             "hours": week(1)}])
    assert "lines.0.overtime" in exc.value.errors


def test_overtime_through_the_page(office: Any) -> None:
    from tests.finance.test_pages import login

    world = cost_loaded(office)
    member = login(world["member"])
    page = member.get("/projects/MTX/timesheets/?week=2026-01-05").content.decode()
    assert "Design · overtime" in page
    grid = week_grid(office.project, world["member"], MONDAY)
    row = next(n for n, r in enumerate(grid["rows"]) if r["overtime"])
    member.post("/projects/MTX/timesheets/save/", {"week": "2026-01-05", "version": "",
                                                  f"h-{row}-0": "2", "h-0-0": "8"})
    lines = {line.overtime: line.hours[0] for line in TimeLine.objects.all()}
    assert lines == {False: "8", True: "2"}
