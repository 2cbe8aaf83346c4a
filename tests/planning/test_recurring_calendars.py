"""Recurring calendar exceptions and alternate work weeks in a stored plan."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.engine.calendars import RecurrenceKind
from projectoffice.formats.mspdi import read_mspdi
from projectoffice.planning import actions
from projectoffice.planning.exchange import export_mspdi, import_mspdi
from projectoffice.planning.models import Plan, PlanCalendar
from projectoffice.planning.notation import format_recurrence, parse_recurrence

from .helpers import SIMPLE, build, task
from .test_calendars import client_for

STANDARD = {f"day{d}": "08:00-12:00, 13:00-17:00" for d in range(5)} | {"day5": "", "day6": ""}


def test_the_page_notation_reads_and_writes_each_kind() -> None:
    for text in ("daily 3", "weekly 2 Mon Thu", "monthly 1 day 15", "monthly 2 last Fri",
                 "yearly May 15", "yearly Nov 4th Thu times 3"):
        assert format_recurrence(parse_recurrence(text)) == text
    for bad in ("fortnightly", "weekly 1 Funday", "yearly Maybe 3", "monthly 1 5th Tue"):
        with pytest.raises(ValueError):
            parse_recurrence(bad)


def test_a_recurring_holiday_entered_on_the_calendar_page_moves_the_plan(office) -> None:
    build(office.pm, office.project, SIMPLE)
    planner = client_for(office.members["planner"])
    plan = Plan.objects.get()
    assert task(office.project, 1).finish == dt.datetime(2026, 1, 9, 17)
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "1", "version": plan.version, "name": "Standard", **STANDARD,
        "exceptions": "2026-01-01, 2026-03-31, Mondays off | weekly 1 Mon"})
    assert r.status_code == 302, r.content.decode()[:2000]
    stored = PlanCalendar.objects.get(plan=plan, uid=1).exceptions[0]
    assert stored["recurrence"]["kind"] == "weekly" and stored["recurrence"]["weekdays"] == [0]
    # Design (5d from Monday 5 January) now starts on Tuesday and ends on Monday 12th's
    # successor day: Tue 6 .. Fri 9 (4d) and Tue 13.
    design = task(office.project, 1)
    assert (design.start, design.finish) == (dt.datetime(2026, 1, 6, 8),
                                             dt.datetime(2026, 1, 13, 17))
    page = planner.get("/projects/MTX/plan/calendar/?uid=1").content.decode()
    assert "2026-01-01, 2026-03-31, Mondays off | weekly 1 Mon" in page
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "1", "version": Plan.objects.get().version, "name": "Standard", **STANDARD,
        "exceptions": "2026-01-01, 2026-03-31, Odd | weekly 1 Someday"})
    assert r.status_code == 200 and "line 1" in r.content.decode()


def test_working_hours_of_an_exception_survive_the_calendar_page(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    actions.save_calendar(
        actor=office.pm, project=office.project, version=plan.version, uid=1,
        name="Standard", week=[[[480, 720], [780, 1020]]] * 5 + [[], []],
        exceptions=[{"start": "2026-01-10", "finish": "2026-01-10", "name": "Saturday push",
                     "periods": [[480, 720]]}])
    planner = client_for(office.members["planner"])
    page = planner.get("/projects/MTX/plan/calendar/?uid=1").content.decode()
    line = "2026-01-10, 2026-01-10, Saturday push @ 08:00-12:00"
    assert line in page
    # Saving the page as shown keeps the hours; new hours are read from the line.
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "1", "version": Plan.objects.get().version, "name": "Standard", **STANDARD,
        "exceptions": f"{line}\n2026-01-17, 2026-01-17, Second push @ 09:00-11:00, 12:00-13:00"})
    assert r.status_code == 302, r.content.decode()[:2000]
    stored = PlanCalendar.objects.get(plan=plan, uid=1).exceptions
    assert [e["periods"] for e in stored] == [[[480, 720]], [[540, 660], [720, 780]]]
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "1", "version": Plan.objects.get().version, "name": "Standard", **STANDARD,
        "exceptions": "2026-01-10, 2026-01-10, Push @ morning"})
    assert r.status_code == 200 and "write working hours after @" in r.content.decode()


def test_work_weeks_are_saved_and_honoured(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    half_days = [[[480, 720]]] * 5 + [[], []]
    actions.save_calendar(
        actor=office.pm, project=office.project, version=plan.version, uid=1,
        name="Standard", week=[[[480, 720], [780, 1020]]] * 5 + [[], []], exceptions=[],
        work_weeks=[{"start": "2026-01-05", "finish": "2026-01-09", "name": "Half days",
                     "week": half_days}])
    # Five days of work: 20 hours in the half-day week, then Mon 12, Tue 13, Wed 14 morning.
    assert task(office.project, 1).finish == dt.datetime(2026, 1, 14, 12)
    again = read_mspdi(export_mspdi(office.project)).project.calendars
    assert again[0].work_weeks[0].name == "Half days"


def test_an_imported_file_keeps_its_recurring_exceptions(office) -> None:
    path = default_corpus() / "calendar-recurring-exceptions-project2013-mspdi.xml"
    if not path.is_file():
        pytest.skip("corpus absent")
    import_mspdi(actor=office.pm, project=office.project, data=path.read_bytes())
    stored = PlanCalendar.objects.get(plan__project=office.project, uid=1).exceptions
    assert sum(1 for e in stored if e.get("recurrence")) >= 20
    calendar = read_mspdi(export_mspdi(office.project)).project.calendars[0]
    original = read_mspdi(str(path)).project.calendars[0]
    assert calendar.exceptions == original.exceptions
    assert any(e.recurrence and e.recurrence.kind is RecurrenceKind.YEARLY
               for e in calendar.exceptions)
