"""Service-level clocks in working time: nights, weekends and holidays do not count."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from projectoffice.engine import calendars as cal
from projectoffice.engine import service_levels as sl

# 2026-03-06 is a Friday; 2026-03-09 a Monday.
CLOCK = cal.WorkingTime(cal.Calendar(
    uid=1, name="Office", exceptions=(cal.CalendarException(date(2026, 3, 9), date(2026, 3, 9),
                                                            name="Holiday"),)))


def test_due_skips_lunch_the_weekend_and_a_holiday() -> None:
    opened = datetime(2026, 3, 6, 15, 0)  # Friday 15:00, two working hours left that day
    # 4 working hours: 15-17 Friday, then Monday is a holiday, so 08-10 Tuesday.
    assert sl.due_at(opened, 240, CLOCK) == datetime(2026, 3, 10, 10, 0)
    # Within the morning: 1 hour from 11:30 crosses the lunch hour.
    assert sl.due_at(datetime(2026, 3, 5, 11, 30), 60, CLOCK) == datetime(2026, 3, 5, 13, 30)


def test_opened_at_night_starts_the_clock_next_morning() -> None:
    assert sl.due_at(datetime(2026, 3, 4, 22, 0), 30, CLOCK) == datetime(2026, 3, 5, 8, 30)


def test_running_at_risk_and_breached() -> None:
    opened = datetime(2026, 3, 5, 8, 0)
    running = sl.measure(opened=opened, target=240, stopped=None,
                         now=datetime(2026, 3, 5, 9, 0), clock=CLOCK)
    assert (running.state, running.used, running.remaining) == (sl.RUNNING, 60, 180)
    at_risk = sl.measure(opened=opened, target=240, stopped=None,
                         now=datetime(2026, 3, 5, 11, 30), clock=CLOCK)
    assert at_risk.state == sl.AT_RISK and at_risk.used == 210
    breached = sl.measure(opened=opened, target=240, stopped=None,
                          now=datetime(2026, 3, 5, 14, 0), clock=CLOCK)
    assert breached.state == sl.BREACHED and breached.remaining == -60
    assert breached.due == datetime(2026, 3, 5, 12, 0)


def test_the_weekend_does_not_breach_a_clock() -> None:
    opened = datetime(2026, 3, 6, 16, 0)  # Friday 16:00, target 2 working hours
    monday_night = sl.measure(opened=opened, target=120, stopped=None,
                              now=datetime(2026, 3, 9, 23, 0), clock=CLOCK)  # holiday
    assert monday_night.used == 60 and monday_night.state == sl.RUNNING


def test_stopped_clocks_are_met_or_breached() -> None:
    opened = datetime(2026, 3, 5, 8, 0)
    met = sl.measure(opened=opened, target=60, stopped=datetime(2026, 3, 5, 8, 45),
                     now=datetime(2026, 3, 20, 8, 0), clock=CLOCK)
    assert met.state == sl.MET and met.used == 45
    late = sl.measure(opened=opened, target=60, stopped=datetime(2026, 3, 5, 13, 30),
                      now=datetime(2026, 3, 20, 8, 0), clock=CLOCK)
    assert late.state == sl.BREACHED and late.used == 270


def test_a_target_must_be_positive() -> None:
    with pytest.raises(ValueError):
        sl.measure(opened=datetime(2026, 3, 5), target=0, stopped=None,
                   now=datetime(2026, 3, 5), clock=CLOCK)


def test_describe() -> None:
    assert sl.describe(200) == "3 h 20 min"
    assert sl.describe(480 * 2 + 60) == "2 d 1 h"
    assert sl.describe(-30) == "-30 min"
    assert sl.describe(0) == "0 min"
