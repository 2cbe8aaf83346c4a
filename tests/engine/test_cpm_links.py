"""Each link type and lag kind, worked by hand on the standard calendar."""

from projectoffice.engine.network import LagKind, Link, LinkType, Task

from .helpers import DAY, dates, late, plan


def test_finish_to_start_successor_starts_with_the_next_working_time() -> None:
    result = plan(Task(1, duration=5 * DAY), Task(2, duration=2 * DAY), links=(Link(1, 2),))
    assert dates(result, 1) == ("Mon 05 08:00", "Fri 09 17:00")
    assert dates(result, 2) == ("Mon 12 08:00", "Tue 13 17:00")
    assert result.finish.isoformat() == "2026-01-13T17:00:00"


def test_milestone_sits_at_the_end_of_its_predecessor() -> None:
    result = plan(Task(1, duration=5 * DAY), Task(2, milestone=True), links=(Link(1, 2),))
    assert dates(result, 2) == ("Fri 09 17:00", "Fri 09 17:00")


def test_working_lag_and_lead() -> None:
    lagged = plan(Task(1, duration=DAY), Task(2, duration=DAY), links=(Link(1, 2, lag=DAY),))
    assert dates(lagged, 2) == ("Wed 07 08:00", "Wed 07 17:00")
    led = plan(Task(1, duration=2 * DAY), Task(2, duration=DAY), links=(Link(1, 2, lag=-240),))
    assert dates(led, 2) == ("Tue 06 13:00", "Wed 07 12:00")


def test_start_to_start_with_lag() -> None:
    result = plan(
        Task(1, duration=3 * DAY),
        Task(2, duration=DAY),
        links=(Link(1, 2, LinkType.SS, lag=DAY),),
    )
    assert dates(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")
    # Task 2 may slip until it finishes with task 1, on Wednesday: one day of float.
    assert result.task(2).total_float == DAY


def test_finish_to_finish() -> None:
    result = plan(
        Task(1, duration=3 * DAY), Task(2, duration=DAY), links=(Link(1, 2, LinkType.FF),)
    )
    assert dates(result, 2) == ("Wed 07 08:00", "Wed 07 17:00")


def test_finish_to_finish_never_pulls_before_the_project_start() -> None:
    result = plan(
        Task(1, duration=DAY), Task(2, duration=3 * DAY), links=(Link(1, 2, LinkType.FF),)
    )
    assert dates(result, 2) == ("Mon 05 08:00", "Wed 07 17:00")


def test_start_to_finish() -> None:
    result = plan(
        Task(1, duration=DAY, constraint_date=None),
        Task(2, duration=DAY),
        Task(3, duration=2 * DAY),
        links=(Link(3, 1), Link(1, 2, LinkType.SF)),
    )
    # Task 1 starts Wednesday; task 2 must finish by then, and may run before it.
    assert dates(result, 1) == ("Wed 07 08:00", "Wed 07 17:00")
    assert dates(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")


def test_elapsed_lag_runs_through_the_weekend() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=DAY),
        links=(Link(1, 2, lag=1440, lag_kind=LagKind.ELAPSED),),
    )
    # Friday 17:00 + 24 h is Saturday 17:00; the next working time is Monday.
    assert dates(result, 2) == ("Mon 12 08:00", "Mon 12 17:00")


def test_elapsed_lag_is_not_working_time() -> None:
    result = plan(
        Task(1, duration=DAY),
        Task(2, duration=DAY),
        links=(Link(1, 2, lag=14 * 60, lag_kind=LagKind.ELAPSED),),
    )
    # Monday 17:00 + 14 h = Tuesday 07:00, so Tuesday 08:00.
    assert dates(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")


def test_percent_lag_is_a_share_of_the_predecessor_duration() -> None:
    result = plan(
        Task(1, duration=2 * DAY),
        Task(2, duration=DAY),
        links=(Link(1, 2, lag=50, lag_kind=LagKind.PERCENT),),
    )
    assert dates(result, 2) == ("Thu 08 08:00", "Thu 08 17:00")


def test_float_on_a_parallel_path() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=2 * DAY),
        Task(3, duration=DAY),
        links=(Link(1, 3), Link(2, 3)),
    )
    short = result.task(2)
    assert short.total_float == 3 * DAY
    assert short.free_float == 3 * DAY
    assert not short.critical
    assert late(result, 2) == ("Thu 08 08:00", "Fri 09 17:00")
    assert result.critical_uids == (1, 3)


def test_free_float_is_smaller_than_total_float_when_a_successor_has_float() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=DAY),
        Task(3, duration=DAY),
        Task(4, duration=DAY),
        links=(Link(1, 4), Link(2, 3), Link(3, 4)),
    )
    assert result.task(2).total_float == 3 * DAY
    assert result.task(2).free_float == 0
    assert result.task(3).free_float == 3 * DAY


def test_critical_threshold() -> None:
    result = plan(
        Task(1, duration=5 * DAY),
        Task(2, duration=4 * DAY),
        links=(),
        critical_threshold=DAY,
    )
    assert result.task(2).critical
