"""Progress (actuals, status date) and summary tasks, worked by hand."""

from projectoffice.engine.network import Link, LinkType, Task

from .helpers import DAY, dates, jan, plan


def test_completed_task_stays_where_it_happened() -> None:
    result = plan(
        Task(
            1,
            duration=2 * DAY,
            actual_start=jan(6, 8),
            actual_finish=jan(8, 17),
            percent_complete=100,
        ),
        Task(2, duration=DAY),
        links=(Link(1, 2),),
    )
    assert dates(result, 1) == ("Tue 06 08:00", "Thu 08 17:00")
    assert dates(result, 2) == ("Fri 09 08:00", "Fri 09 17:00")
    assert not result.task(1).critical


def test_in_progress_task_continues_from_its_stop() -> None:
    result = plan(Task(1, duration=4 * DAY, actual_start=jan(5, 8), percent_complete=50))
    assert dates(result, 1) == ("Mon 05 08:00", "Thu 08 17:00")


def test_remaining_work_is_scheduled_from_the_status_date() -> None:
    result = plan(
        Task(1, duration=4 * DAY, actual_start=jan(5, 8), percent_complete=25),
        Task(2, duration=DAY),
        links=(Link(1, 2),),
        status_date=jan(8, 0),
    )
    # One day done on Monday; the other three resume Thursday, the status date.
    assert dates(result, 1) == ("Mon 05 08:00", "Mon 12 17:00")
    assert dates(result, 2) == ("Tue 13 08:00", "Tue 13 17:00")


def test_unstarted_work_does_not_start_before_the_status_date() -> None:
    result = plan(Task(1, duration=DAY), status_date=jan(7, 0))
    assert dates(result, 1) == ("Wed 07 08:00", "Wed 07 17:00")


def test_remaining_duration_overrides_percent() -> None:
    result = plan(
        Task(
            1,
            duration=2 * DAY,
            actual_start=jan(5, 8),
            actual_duration=DAY,
            remaining_duration=3 * DAY,
        )
    )
    assert dates(result, 1) == ("Mon 05 08:00", "Thu 08 17:00")


def test_summary_rolls_up_its_children() -> None:
    result = plan(
        Task(10, "Phase"),
        Task(1, duration=2 * DAY, parent=10),
        Task(2, duration=DAY, parent=10),
        Task(3, duration=5 * DAY),
        links=(Link(1, 2),),
    )
    phase = result.task(10)
    assert phase.summary
    assert dates(result, 10) == ("Mon 05 08:00", "Wed 07 17:00")
    assert phase.total_float == 2 * DAY


def test_links_on_a_summary_reach_all_its_children() -> None:
    result = plan(
        Task(1, duration=2 * DAY),
        Task(10, "Phase"),
        Task(2, duration=DAY, parent=10),
        Task(3, duration=3 * DAY, parent=10),
        Task(4, duration=DAY),
        links=(Link(1, 10), Link(10, 4)),
    )
    assert dates(result, 2)[0] == "Wed 07 08:00"
    assert dates(result, 3) == ("Wed 07 08:00", "Fri 09 17:00")
    assert dates(result, 4) == ("Mon 12 08:00", "Mon 12 17:00")


def test_start_to_start_from_a_summary_follows_its_earliest_subtask() -> None:
    result = plan(
        Task(10, "Phase"),
        Task(1, duration=2 * DAY, parent=10),
        Task(2, duration=DAY, parent=10),
        Task(3, duration=DAY),
        links=(Link(1, 2), Link(10, 3, LinkType.SS, lag=DAY)),
    )
    assert dates(result, 3) == ("Tue 06 08:00", "Tue 06 17:00")
