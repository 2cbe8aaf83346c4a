"""Manually scheduled and inactive tasks, worked by hand (January 2026, Monday the 5th)."""

from projectoffice.engine.network import ConstraintType, Link, Task

from .helpers import DAY, dates, jan, late, plan


def test_a_manual_task_stays_where_the_user_put_it_and_is_flagged_when_its_links_disagree() -> None:
    result = plan(
        Task(1, "Dig", duration=2 * DAY),
        Task(2, "Pour", duration=DAY, manual=True, manual_start=jan(5, 8)),
        Task(3, "Cure", duration=DAY),
        links=(Link(1, 2), Link(2, 3)),
    )
    # Dig finishes Tuesday, but Pour stays on Monday where it was put ...
    assert dates(result, 2) == ("Mon 05 08:00", "Mon 05 17:00")
    # ... and still drives its automatic successor from there.
    assert dates(result, 3) == ("Tue 06 08:00", "Tue 06 17:00")
    assert result.violated == (2,)


def test_a_manual_task_after_its_predecessors_is_not_flagged() -> None:
    result = plan(
        Task(1, "Dig", duration=DAY),
        Task(2, "Pour", duration=DAY, manual=True, manual_start=jan(8, 8)),
        links=(Link(1, 2),),
    )
    assert dates(result, 2) == ("Thu 08 08:00", "Thu 08 17:00")
    assert result.violated == ()
    # Dig may slip to Wednesday without moving Pour: two days of float.
    assert result.task(1).total_float == 2 * DAY
    assert not result.task(1).critical


def test_a_manual_task_ignores_its_constraint_and_keeps_a_given_finish() -> None:
    result = plan(
        Task(
            1,
            "Review",
            duration=DAY,
            manual=True,
            manual_start=jan(6, 8),
            manual_finish=jan(7, 12),
            constraint=ConstraintType.MSO,
            constraint_date=jan(9, 8),
        ),
    )
    assert dates(result, 1) == ("Tue 06 08:00", "Wed 07 12:00")


def test_zero_float_manual_task_is_critical_unless_its_dates_were_typed_as_text() -> None:
    typed = plan(Task(1, "A", duration=DAY, manual=True, manual_start=jan(5, 8), manual_text=True))
    given = plan(Task(1, "A", duration=DAY, manual=True, manual_start=jan(5, 8)))
    assert typed.task(1).total_float == given.task(1).total_float == 0
    assert not typed.task(1).critical
    assert given.task(1).critical


def test_a_manual_task_without_a_start_is_scheduled_as_automatic() -> None:
    result = plan(
        Task(1, "Dig", duration=DAY),
        Task(2, "Pour", duration=DAY, manual=True),
        links=(Link(1, 2),),
    )
    assert dates(result, 2) == ("Tue 06 08:00", "Tue 06 17:00")


def test_an_inactive_task_drives_nothing_and_does_not_set_the_project_finish() -> None:
    result = plan(
        Task(10, "Phase"),
        Task(1, "Old design", duration=5 * DAY, active=False, parent=10),
        Task(2, "Build", duration=DAY, parent=10),
        Task(3, "Test", duration=DAY),
        links=(Link(1, 3), Link(2, 3)),
    )
    assert dates(result, 3) == ("Tue 06 08:00", "Tue 06 17:00")
    assert result.finish == jan(6, 17)
    assert not result.task(1).critical
    # The summary spans its active subtask only.
    assert dates(result, 10) == ("Mon 05 08:00", "Mon 05 17:00")
    # Build is still on the critical path: the inactive link does not count.
    assert result.task(2).critical
    assert late(result, 2) == ("Mon 05 08:00", "Mon 05 17:00")


def test_a_summarys_own_start_no_earlier_than_holds_its_subtasks_back() -> None:
    result = plan(
        Task(10, "Phase", constraint=ConstraintType.SNET, constraint_date=jan(7, 8)),
        Task(1, "Design", duration=DAY, parent=10),
        Task(2, "Build", duration=DAY, parent=10),
        Task(3, "Other", duration=DAY),
        links=(Link(1, 2),),
    )
    assert dates(result, 1) == ("Wed 07 08:00", "Wed 07 17:00")
    assert dates(result, 2) == ("Thu 08 08:00", "Thu 08 17:00")
    assert dates(result, 10) == ("Wed 07 08:00", "Thu 08 17:00")
    assert dates(result, 3) == ("Mon 05 08:00", "Mon 05 17:00")


def test_a_summarys_own_finish_no_later_than_caps_its_subtasks_late_finish() -> None:
    result = plan(
        Task(10, "Phase", constraint=ConstraintType.FNLT, constraint_date=jan(6, 17)),
        Task(1, "Design", duration=DAY, parent=10),
        Task(3, "Long", duration=5 * DAY),
    )
    assert late(result, 1) == ("Tue 06 08:00", "Tue 06 17:00")
    assert result.task(1).total_float == DAY
