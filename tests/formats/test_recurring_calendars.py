"""Recurring calendar exceptions and alternate work weeks: read, written, honoured."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.engine.calendars import (
    STANDARD_DAY,
    STANDARD_WEEK,
    Calendar,
    CalendarException,
    Recurrence,
    RecurrenceKind,
    WorkWeek,
    hours,
)
from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Project, Task
from projectoffice.formats.mspdi import MspdiPlan, read_mspdi, write_mspdi

NS = "{http://schemas.microsoft.com/project}"
FILES = [f"calendar-recurring-exceptions-project{v}-mspdi.xml" for v in (2007, 2010, 2013)]


@pytest.mark.parametrize("name", FILES)
def test_each_recurring_exception_falls_on_the_days_ms_project_saved(name: str) -> None:
    path = default_corpus() / name
    if not path.is_file():
        pytest.skip("corpus absent")
    saved: dict[str, tuple[int, date]] = {}
    for element in ET.parse(path).getroot().iter(NS + "Exception"):
        last = element.find(f"{NS}TimePeriod/{NS}ToDate")
        assert last is not None and last.text
        saved[element.findtext(NS + "Name") or ""] = (
            int(element.findtext(NS + "Occurrences") or 0),
            date.fromisoformat(last.text[:10]),
        )
    calendar = read_mspdi(str(path)).project.calendars[0]
    recurring = [e for e in calendar.exceptions if e.recurrence is not None]
    assert len(recurring) >= 20
    for exception in calendar.exceptions:
        days = (
            exception.recurrence.days(exception.start, exception.finish)
            if exception.recurrence
            else [exception.start, exception.finish]
        )
        occurrences, last = saved[exception.name]
        # MS Project saves the last day it falls on as the range's end, and how many days.
        assert days[-1] == last, exception.name
        if exception.recurrence:
            assert len(days) == occurrences, exception.name


def test_monthly_and_yearly_rules() -> None:
    second_tuesday = Recurrence(RecurrenceKind.MONTHLY, 1, weekday=1, position=2)
    assert second_tuesday.days(date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10)]
    last_friday = Recurrence(RecurrenceKind.YEARLY, weekday=4, position=5, month=5)
    assert last_friday.days(date(2026, 1, 1), date(2027, 12, 31)) == [
        date(2026, 5, 29), date(2027, 5, 28)]
    the_31st = Recurrence(RecurrenceKind.MONTHLY, 2, day=31, occurrences=3)
    assert the_31st.days(date(2026, 1, 1), date(2030, 1, 1)) == [
        date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]


def test_a_recurring_holiday_and_a_work_week_move_the_dates_and_survive_a_round_trip() -> None:
    calendar = Calendar(
        1,
        "Standard",
        STANDARD_WEEK,
        exceptions=(
            # Every Monday off in January 2026.
            CalendarException(
                date(2026, 1, 1), date(2026, 1, 31), (), "Mondays",
                Recurrence(RecurrenceKind.WEEKLY, 1, weekdays=(0,)),
            ),
        ),
        work_weeks=(
            # Short days (08:00-12:00) the week of the 19th.
            WorkWeek(date(2026, 1, 19), date(2026, 1, 25),
                     ((hours("08:00", "12:00"),),) * 5 + ((), ()), "Short week"),
        ),
    )
    project = Project(
        start=datetime(2026, 1, 5, 8),
        tasks=(Task(1, "Work", duration=15 * 480),),
        calendars=(calendar,),
    )
    result = schedule(project)
    task = result.task(1)
    # Mondays 5, 12, 19, 26 are off; the week of the 19th gives 4 x 4h = 2 days.
    # Tue 6 .. Fri 9 (4d), Tue 13 .. Fri 16 (4d), 20..23 (2d), Tue 27 .. Fri 30 (4d), Mon 2 Feb.
    assert task.start == datetime(2026, 1, 6, 8)
    assert task.finish == datetime(2026, 2, 2, 17)
    again = read_mspdi(write_mspdi(MspdiPlan(project), result)).project
    assert again.calendars[0].exceptions == calendar.exceptions
    assert again.calendars[0].work_weeks[0].week[:5] == ((hours("08:00", "12:00"),),) * 5
    assert schedule(again).task(1).finish == task.finish
    assert STANDARD_DAY  # the default week outside the work week is untouched
