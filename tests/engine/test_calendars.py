"""Working-time arithmetic worked by hand on the standard week (08–12, 13–17, Mon–Fri)."""

from datetime import date, datetime

import pytest

from projectoffice.engine.calendars import (
    Calendar,
    CalendarException,
    NoWorkingTime,
    WorkingTime,
    from_minutes,
    hours,
    standard_calendar,
    to_minutes,
)


def at(day: int, hour: int, minute: int = 0) -> int:
    """An instant in January 2026 (Monday the 5th starts a working week)."""
    return to_minutes(datetime(2026, 1, day, hour, minute))


def show(instant: int) -> str:
    return from_minutes(instant).strftime("%a %d %H:%M")


STANDARD = WorkingTime(standard_calendar())


def test_adding_a_day_from_a_morning_start_finishes_that_evening() -> None:
    assert show(STANDARD.add(at(5, 8), 480)) == "Mon 05 17:00"


def test_adding_skips_the_lunch_break() -> None:
    assert show(STANDARD.add(at(5, 10), 240)) == "Mon 05 15:00"


def test_adding_over_the_weekend() -> None:
    assert show(STANDARD.add(at(9, 15), 240)) == "Mon 12 10:00"


def test_subtracting_gives_the_beginning_of_working_time() -> None:
    assert show(STANDARD.add(at(12, 11), -240)) == "Fri 09 16:00"
    # A day of work finishing Tuesday evening started Tuesday morning.
    assert show(STANDARD.start_from_finish(at(6, 17), 480)) == "Tue 06 08:00"


def test_a_finish_at_a_boundary_is_the_end_of_the_earlier_period() -> None:
    assert show(STANDARD.finish_from_start(at(5, 8), 240)) == "Mon 05 12:00"
    assert show(STANDARD.previous_finish(at(12, 8))) == "Fri 09 17:00"


def test_next_start_moves_out_of_breaks_and_weekends() -> None:
    assert show(STANDARD.next_start(at(5, 12))) == "Mon 05 13:00"
    assert show(STANDARD.next_start(at(10, 10))) == "Mon 12 08:00"
    assert show(STANDARD.next_start(at(9, 17))) == "Mon 12 08:00"


def test_work_between_is_signed() -> None:
    assert STANDARD.work_between(at(9, 15), at(12, 11)) == 300
    assert STANDARD.work_between(at(12, 11), at(9, 15)) == -300
    assert STANDARD.work_between(at(5, 8), at(12, 8)) == 2400


def test_holiday_exception_is_skipped() -> None:
    holiday = CalendarException(date(2026, 1, 9), date(2026, 1, 9), name="Holiday")
    working = WorkingTime(Calendar(2, "With holiday", exceptions=(holiday,)))
    assert show(working.add(at(8, 8), 960)) == "Mon 12 17:00"


def test_exception_with_other_hours_and_a_working_saturday() -> None:
    short_friday = CalendarException(date(2026, 1, 9), date(2026, 1, 9), (hours("08:00", "12:00"),))
    saturday = CalendarException(date(2026, 1, 10), date(2026, 1, 10), (hours("09:00", "11:00"),))
    working = WorkingTime(Calendar(2, "Odd week", exceptions=(short_friday, saturday)))
    assert show(working.add(at(9, 8), 300)) == "Sat 10 10:00"


def test_derived_calendar_inherits_base_days_and_exceptions() -> None:
    holiday = CalendarException(date(2026, 1, 6), date(2026, 1, 6))
    base = Calendar(1, "Base", exceptions=(holiday,))
    night = (hours("20:00", "24:00"),)
    derived = Calendar(2, "Nights on Monday", week=(night,) + (None,) * 6, base=base)
    working = WorkingTime(derived)
    # Monday night 4 h, Tuesday is the base's holiday, Wednesday from 08:00.
    assert show(working.add(at(5, 20), 480)) == "Wed 07 12:00"


def test_far_dates_grow_the_index() -> None:
    working = WorkingTime(standard_calendar())
    start = at(5, 8)
    ten_years = 480 * 260 * 10
    finish = working.add(start, ten_years)
    assert working.work_between(start, finish) == ten_years
    assert working.add(finish, -ten_years) == start


def test_calendar_without_work_is_refused() -> None:
    with pytest.raises(NoWorkingTime):
        WorkingTime(Calendar(9, "Never", week=((),) * 7))


def test_two_calendars_share_only_the_working_time_both_have() -> None:
    from projectoffice.engine.calendars import (
        Calendar,
        CalendarIntersection,
        WorkingPeriod,
        WorkingTime,
        to_minutes,
    )

    mornings = (WorkingPeriod(8 * 60, 12 * 60),)
    late = (WorkingPeriod(10 * 60, 12 * 60), WorkingPeriod(13 * 60, 17 * 60))
    standard = Calendar(1, "Standard")
    early = Calendar(2, "Mornings", week=(mornings,) * 5 + ((), ()), base=standard)
    midweek = Calendar(3, "Wednesday late", week=((), (), late, (), (), (), ()), base=standard)
    shared = WorkingTime(CalendarIntersection(early, midweek))
    monday = to_minutes(datetime(2026, 3, 2, 8))
    # Only Wednesday 10:00-12:00 is in both: each week gives two hours.
    assert shared.next_start(monday) == to_minutes(datetime(2026, 3, 4, 10))
    assert shared.finish_from_start(monday, 180) == to_minutes(datetime(2026, 3, 11, 11))
    assert shared.work_between(monday, to_minutes(datetime(2026, 3, 16, 8))) == 240
