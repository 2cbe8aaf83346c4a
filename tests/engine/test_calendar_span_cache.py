"""Indexes of equal calendars over the same span share their working periods, so a plan
scheduled again does not rebuild its calendars; a different calendar gets its own."""

from __future__ import annotations

from datetime import date, datetime

from projectoffice.engine import calendars as cal


def _holidays(*days: date) -> cal.Calendar:
    return cal.Calendar(uid=1, name="Office", exceptions=tuple(
        cal.CalendarException(day, day, name="Holiday") for day in days))


def test_equal_calendars_share_the_built_span() -> None:
    monday = cal.to_minutes(datetime(2026, 12, 28, 8, 0))
    first = cal.WorkingTime(_holidays(date(2026, 12, 28)))
    second = cal.WorkingTime(_holidays(date(2026, 12, 28)))  # equal, not the same object
    other = cal.WorkingTime(_holidays(date(2026, 12, 29)))
    starts = [w.next_start(monday) for w in (first, second, other)]
    assert starts[0] == starts[1] == cal.to_minutes(datetime(2026, 12, 29, 8, 0))
    assert starts[2] == monday  # Monday works in the other calendar
    assert first._starts is second._starts
    assert other._starts is not first._starts
    # The shared lists are only read: a later answer is unchanged.
    assert second.work_between(monday, cal.to_minutes(datetime(2026, 12, 30, 17, 0))) == 960
    assert first.next_start(monday) == starts[0]
