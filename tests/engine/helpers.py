"""Small builders for hand-worked scheduling examples (January 2026, Monday the 5th)."""

from datetime import datetime

from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Link, Project, Task
from projectoffice.engine.schedule_result import Schedule

DAY = 480
START = datetime(2026, 1, 5, 8)


def jan(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute)


def plan(*tasks: Task, links: tuple[Link, ...] = (), **options: object) -> Schedule:
    return schedule(Project(start=START, tasks=tasks, links=links, **options))  # type: ignore[arg-type]


def dates(result: Schedule, uid: int) -> tuple[str, str]:
    task = result.task(uid)
    return (task.start.strftime("%a %d %H:%M"), task.finish.strftime("%a %d %H:%M"))


def late(result: Schedule, uid: int) -> tuple[str, str]:
    task = result.task(uid)
    return (task.late_start.strftime("%a %d %H:%M"), task.late_finish.strftime("%a %d %H:%M"))
