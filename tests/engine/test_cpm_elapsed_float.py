"""Float of elapsed tasks and across elapsed lags, in elapsed time as MS Project reports it.

The corpus of real MS Project files has no task or lag with an elapsed format (its elapsed
``DurationFormat`` values all belong to custom Duration fields), so these cases are worked by
hand.  The week: Monday 5 January 2026, 08:00–12:00 and 13:00–17:00, weekends off.
"""

from projectoffice.engine.network import LagKind, Link, Task

from .helpers import DAY, jan, plan

EDAY = 1440


def test_an_elapsed_task_reports_its_float_in_elapsed_minutes() -> None:
    # A: 10 working days, Mon 5 08:00 -> Fri 16 17:00 (the project finish).
    # B: 3 edays, Mon 5 08:00 -> Thu 8 08:00; nothing follows it, so its late finish is the
    # project finish, Fri 16 17:00, not moved to the end of working time (it runs round the
    # clock).  Its float is Thu 8 08:00 -> Fri 16 17:00: 8 days 9 hours of elapsed time
    # (12,060 minutes), where working time would count only 7 days (3,360 minutes).
    result = plan(Task(1, "A", duration=10 * DAY), Task(2, "B", duration=3 * EDAY, elapsed=True))
    b = result.task(2)
    assert (b.start, b.finish) == (jan(5, 8), jan(8, 8))
    assert (b.late_start, b.late_finish) == (jan(13, 17), jan(16, 17))
    assert b.total_float == 8 * EDAY + 9 * 60
    assert b.free_float == b.total_float  # no successor: its total float
    assert not b.critical


def test_an_elapsed_task_measures_free_float_to_its_successor_in_elapsed_time() -> None:
    # B: 2 edays, Mon 5 08:00 -> Wed 7 08:00, then D (1 day).  C (5 days) holds D until
    # Mon 12 08:00, so B may finish as late as Mon 12 08:00: 5 edays of free and total float.
    result = plan(
        Task(2, "B", duration=2 * EDAY, elapsed=True),
        Task(3, "C", duration=5 * DAY),
        Task(4, "D", duration=DAY),
        links=(Link(2, 4), Link(3, 4)),
    )
    assert result.task(4).start == jan(12, 8)
    b = result.task(2)
    assert b.late_finish == jan(12, 8)
    assert b.free_float == 5 * EDAY
    assert b.total_float == 5 * EDAY


def test_free_float_across_an_elapsed_lag_takes_the_lag_off_in_elapsed_time() -> None:
    # A (1 day, Mon 5 08:00 -> 17:00) is followed by S two edays later; C (5 days) holds S
    # until Mon 12 08:00.  A may finish as late as Mon 12 08:00 - 48 h = Sat 10 08:00, i.e. at
    # the end of Friday's work: four working days (1,920 minutes) of free float in A's own
    # (working) time.  Subtracting the lag's 2,880 elapsed minutes from the 1,920 working
    # minutes between A and S, as MPXJ does, would give none.
    result = plan(
        Task(1, "A", duration=DAY),
        Task(3, "C", duration=5 * DAY),
        Task(4, "S", duration=DAY),
        links=(Link(1, 4, lag=2 * EDAY, lag_kind=LagKind.ELAPSED), Link(3, 4)),
    )
    assert result.task(4).start == jan(12, 8)
    a = result.task(1)
    assert a.free_float == 4 * DAY
    assert a.late_finish == jan(9, 17)
    assert a.total_float == 4 * DAY


def test_an_elapsed_lag_that_ends_in_the_night_leaves_the_evening_as_free_float() -> None:
    # A: half a day, Mon 5 08:00 -> 12:00, then S 12 ehours later: Tue 6 00:00, so S starts
    # Tue 08:00.  A could finish at Mon 20:00 and still let S start then: the afternoon's four
    # working hours are free float (MPXJ's working-time-minus-lag rule gives none).
    result = plan(
        Task(1, "A", duration=DAY // 2),
        Task(4, "S", duration=DAY),
        links=(Link(1, 4, lag=12 * 60, lag_kind=LagKind.ELAPSED),),
    )
    assert result.task(4).start == jan(6, 8)
    a = result.task(1)
    assert a.free_float == 240
    assert a.total_float == 240
