"""Constraints, deadlines and calendars on tasks, worked by hand."""

from datetime import date

import pytest

from projectoffice.engine.calendars import Calendar, CalendarException, hours, standard_calendar
from projectoffice.engine.network import ConstraintType, CycleError, Link, ScheduleError, Task

from .helpers import DAY, dates, jan, late, plan

C = ConstraintType


def test_start_no_earlier_than() -> None:
    result = plan(Task(1, duration=DAY, constraint=C.SNET, constraint_date=jan(7, 8)))
    assert dates(result, 1) == ("Wed 07 08:00", "Wed 07 17:00")


def test_finish_no_earlier_than() -> None:
    result = plan(Task(1, duration=DAY, constraint=C.FNET, constraint_date=jan(8, 17)))
    assert dates(result, 1) == ("Thu 08 08:00", "Thu 08 17:00")


def test_must_start_on_overrides_logic_and_warns() -> None:
    result = plan(
        Task(1, "Design", duration=3 * DAY),
        Task(2, "Build", duration=DAY, constraint=C.MSO, constraint_date=jan(6, 8)),
        links=(Link(1, 2),),
    )
    assert dates(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")
    assert len(result.warnings) == 1 and "Build" in result.warnings[0]
    # Design must finish by Monday evening but takes until Wednesday: two days negative.
    assert result.task(1).total_float == -2 * DAY


def test_must_finish_on() -> None:
    result = plan(Task(1, duration=2 * DAY, constraint=C.MFO, constraint_date=jan(9, 17)))
    assert dates(result, 1) == ("Thu 08 08:00", "Fri 09 17:00")
    assert result.task(1).total_float == 0


def test_must_finish_on_keeps_negative_float_from_its_successors() -> None:
    result = plan(
        Task(1, duration=2 * DAY, constraint=C.MFO, constraint_date=jan(9, 17)),
        Task(2, duration=DAY, constraint=C.FNLT, constraint_date=jan(9, 17)),
        links=(Link(1, 2),),
    )
    assert dates(result, 2) == ("Fri 09 08:00", "Fri 09 17:00")
    assert result.task(1).total_float == -DAY


def test_start_no_later_than_in_conflict_gives_negative_float() -> None:
    result = plan(
        Task(1, duration=3 * DAY),
        Task(2, duration=DAY, constraint=C.SNLT, constraint_date=jan(6, 8)),
        links=(Link(1, 2),),
    )
    assert dates(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")
    assert result.task(1).total_float == -2 * DAY
    assert result.warnings


def test_start_no_later_than_without_conflict_limits_late_dates() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=DAY, constraint=C.SNLT, constraint_date=jan(7, 8)),
    )
    assert dates(result, 2) == ("Mon 05 08:00", "Mon 05 17:00")
    assert late(result, 2) == ("Wed 07 08:00", "Wed 07 17:00")
    assert result.task(2).total_float == 2 * DAY
    assert not result.warnings


def test_finish_no_later_than() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=DAY, constraint=C.FNLT, constraint_date=jan(6, 17)),
    )
    assert late(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")
    assert result.task(2).total_float == DAY


def test_as_late_as_possible_sits_on_its_late_dates() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=DAY, constraint=C.ALAP),
        Task(3, duration=DAY),
        links=(Link(2, 3),),
    )
    assert dates(result, 2) == ("Thu 08 08:00", "Thu 08 17:00")
    assert dates(result, 3) == ("Fri 09 08:00", "Fri 09 17:00")
    assert result.task(2).total_float == 0


def test_deadline_limits_late_finish_and_warns_when_missed() -> None:
    result = plan(Task(1, "Report", duration=3 * DAY, deadline=jan(6, 17)))
    assert late(result, 1)[1] == "Tue 06 17:00"
    assert result.task(1).total_float == -DAY
    assert any("deadline" in warning for warning in result.warnings)


def test_holiday_in_the_project_calendar() -> None:
    holiday = CalendarException(date(2026, 1, 7), date(2026, 1, 7), name="Holiday")
    calendar = Calendar(1, "Standard", exceptions=(holiday,))
    result = plan(Task(1, duration=3 * DAY), calendars=(calendar,))
    assert dates(result, 1) == ("Mon 05 08:00", "Thu 08 17:00")


def test_task_calendar_with_other_hours() -> None:
    mornings = Calendar(2, "Mornings", week=((hours("08:00", "12:00"),),) * 5 + ((),) * 2)
    result = plan(
        Task(1, duration=DAY),
        Task(2, duration=DAY, calendar_uid=2),
        links=(Link(1, 2),),
        calendars=(standard_calendar(), mornings),
    )
    assert dates(result, 2) == ("Tue 06 08:00", "Wed 07 12:00")


def test_a_cycle_names_its_tasks() -> None:
    with pytest.raises(CycleError) as caught:
        plan(
            Task(1, "Start"),
            Task(2, "Dig", duration=DAY),
            Task(3, "Pour", duration=DAY),
            links=(Link(1, 2), Link(2, 3), Link(3, 2)),
        )
    assert "'Dig'" in str(caught.value) and "'Pour'" in str(caught.value)
    assert "'Start'" not in str(caught.value)


def test_dangling_link_is_an_error() -> None:
    with pytest.raises(ScheduleError, match="task UID 9 not found"):
        plan(Task(1, duration=DAY), links=(Link(1, 9),))
