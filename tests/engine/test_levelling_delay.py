"""The scheduler honours a task's levelling delay (MS Project's Leveling Delay)."""

from __future__ import annotations

import datetime as dt

import pytest

from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Link, Project, Task

DAY = 480
MONDAY = dt.datetime(2026, 1, 5, 8)


def test_delay_moves_the_task_and_its_successors_in_working_time() -> None:
    project = Project(start=MONDAY, tasks=(
        Task(uid=1, name="A", duration=2 * DAY),
        Task(uid=2, name="B", duration=DAY, levelling_delay=3 * DAY),
        Task(uid=3, name="C", duration=DAY),
    ), links=(Link(1, 3), Link(2, 3)))
    result = schedule(project)
    b, c = result.task(2), result.task(3)
    # Three working days after Monday 8:00 is Thursday 8:00; the weekend is skipped by C.
    assert b.start == dt.datetime(2026, 1, 8, 8)
    assert c.start == dt.datetime(2026, 1, 9, 8)
    assert b.total_float == 0 and b.critical
    plain = schedule(Project(start=MONDAY, tasks=(Task(uid=2, name="B", duration=DAY),)))
    assert plain.task(2).start == MONDAY


def test_delay_after_links_and_never_negative() -> None:
    project = Project(start=MONDAY, tasks=(
        Task(uid=1, name="A", duration=2 * DAY),
        Task(uid=2, name="B", duration=DAY, levelling_delay=DAY),
    ), links=(Link(1, 2),))
    assert schedule(project).task(2).start == dt.datetime(2026, 1, 8, 8)
    with pytest.raises(ValueError, match="negative levelling delay"):
        Task(uid=9, levelling_delay=-1)
