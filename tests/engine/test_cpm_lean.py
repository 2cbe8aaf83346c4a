"""What the master schedule relies on to stay fast: free float can be left out without
changing anything else, and a run leaves no reference cycles for the collector."""

import gc

from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Link, Project, Task

from .helpers import DAY, START

TASKS = (
    Task(1, name="Phase"),
    Task(2, duration=5 * DAY, parent=1),
    Task(3, duration=DAY, parent=1),
    Task(4, duration=DAY),
    Task(5, duration=DAY),
)
LINKS = (Link(2, 5), Link(3, 4), Link(4, 5))


def test_without_free_float_the_dates_total_float_and_critical_path_are_unchanged() -> None:
    project = Project(start=START, tasks=TASKS, links=LINKS)
    full = schedule(project)
    lean = schedule(project, free_float=False)
    assert full.task(3).free_float == 0 and full.task(4).free_float == 3 * DAY
    assert lean.task(4).free_float == 0
    leaves = [t for t in full.tasks if not t.summary]
    assert [t._replace(free_float=0) for t in leaves] == [t for t in lean.tasks
                                                          if not t.summary]
    assert full.task(1) == lean.task(1)  # a summary's free float comes from its own span
    assert (lean.start, lean.finish, lean.critical_uids) == (
        full.start, full.finish, full.critical_uids)
    assert lean.critical_uids == (2, 5)


def test_a_run_leaves_nothing_for_the_cycle_collector() -> None:
    project = Project(start=START, tasks=TASKS, links=LINKS)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = schedule(project)
        unreachable = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert result.finish > START
    assert unreachable == 0  # the scheduler and its lists were freed as the run returned
