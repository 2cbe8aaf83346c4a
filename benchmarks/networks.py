"""Large plans for benchmarks: layered networks with mixed links, like real schedules."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from projectoffice.engine.calendars import Calendar, CalendarException, hours
from projectoffice.engine.network import ConstraintType, LagKind, Link, LinkType, Project, Task


def big_plan(size: int, seed: int = 1) -> Project:
    """``size`` tasks in phases of 50, about 1.5 links per task, a few constraints."""
    rng = random.Random(seed)
    tasks: list[Task] = []
    links: list[Link] = []
    leaves: list[int] = []
    uid = 0
    while uid < size:
        uid += 1
        phase = uid
        tasks.append(Task(phase, f"Phase {phase}"))
        for _ in range(min(49, size - uid)):
            uid += 1
            roll = rng.random()
            duration = 0 if roll < 0.05 else rng.choice([240, 480, 960, 1440, 2400])
            constraint = ConstraintType.ASAP
            constraint_date = None
            if roll > 0.98:
                constraint = ConstraintType.SNET
                day = date(2026, 1, 5) + timedelta(days=rng.randrange(400))
                constraint_date = datetime(day.year, day.month, day.day, 8)
            tasks.append(
                Task(
                    uid,
                    f"Task {uid}",
                    duration=duration,
                    milestone=duration == 0,
                    parent=phase,
                    calendar_uid=2 if roll > 0.9 else None,
                    constraint=constraint,
                    constraint_date=constraint_date,
                )
            )
            if leaves:
                for _ in range(rng.choice([1, 1, 2, 2, 2])):
                    predecessor = leaves[rng.randrange(max(0, len(leaves) - 60), len(leaves))]
                    link_type = rng.choice([LinkType.FS] * 7 + [LinkType.SS, LinkType.FF])
                    lag = rng.choice([0, 0, 0, 480, -240])
                    links.append(Link(predecessor, uid, link_type, lag, LagKind.WORKING))
            leaves.append(uid)
    holidays = tuple(
        CalendarException(day, day, name="Holiday")
        for day in (date(2026 + y, m, d) for y in range(30) for m, d in ((1, 1), (5, 1), (12, 25)))
    )
    shift = (hours("06:00", "10:00"), hours("10:30", "14:30"))
    return Project(
        start=datetime(2026, 1, 5, 8),
        tasks=tuple(tasks),
        links=tuple(links),
        calendars=(
            Calendar(1, "Standard", exceptions=holidays),
            Calendar(2, "Early shift", week=(shift,) * 6 + ((),), exceptions=holidays),
        ),
    )
