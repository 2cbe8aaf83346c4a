"""Random plans for comparing against an outside scheduler.

Each plan mixes all four link types, working/elapsed/percent lags (leads too), two calendars
with holidays, constraints, deadlines, milestones, elapsed durations and summaries.  A few
shapes are kept out because MS Project and MPXJ are known to disagree on them (see
docs/scheduling.md): must-start/finish-on dates only on tasks without successors, and
elapsed-duration tasks only without predecessors.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from projectoffice.engine.calendars import Calendar, CalendarException, hours
from projectoffice.engine.network import (
    ConstraintType,
    DurationUnit,
    LagKind,
    Link,
    LinkType,
    Project,
    Task,
)

START = datetime(2026, 1, 5, 8)
SHIFT = (hours("07:00", "11:00"), hours("11:30", "15:30"))


def calendars(rng: random.Random) -> tuple[Calendar, ...]:
    def holidays(count: int) -> tuple[CalendarException, ...]:
        days = sorted({date(2026, 1, 5) + timedelta(days=rng.randrange(120)) for _ in range(count)})
        return tuple(CalendarException(day, day, name="Holiday") for day in days)

    standard = Calendar(1, "Standard", exceptions=holidays(6))
    # Tuesday to Saturday on a shifted day, with a short Friday and its own closures.
    week = ((), SHIFT, SHIFT, SHIFT, (hours("07:00", "11:00"),), SHIFT, ())
    shifted = Calendar(2, "Shifted", week=week, exceptions=holidays(4))
    return standard, shifted


def random_plan(seed: int, size: int = 40, progress: bool = False) -> Project:
    rng = random.Random(seed)
    tasks: list[Task] = []
    leaves: list[int] = []
    summaries: list[int] = []
    uid = 0
    parent: int | None = None
    for _ in range(size):
        uid += 1
        roll = rng.random()
        if roll < 0.1 and parent is None:
            tasks.append(Task(uid, f"Phase {uid}", display_unit=DurationUnit.HOURS))
            summaries.append(uid)
            parent = uid
            continue
        if parent is not None and rng.random() < 0.2:
            parent = None
        leaves.append(uid)
        tasks.append(Task(uid, f"Task {uid}", parent=parent, display_unit=DurationUnit.HOURS))
    # Durations, calendars and milestones.
    by_uid = {task.uid: task for task in tasks}
    elapsed_uids: set[int] = set()
    for uid in leaves:
        roll = rng.random()
        if roll < 0.12:
            by_uid[uid] = _with(by_uid[uid], milestone=True, duration=0)
        elif roll < 0.2:
            by_uid[uid] = _with(by_uid[uid], elapsed=True, duration=rng.choice([720, 1440, 2880]))
            elapsed_uids.add(uid)
        else:
            by_uid[uid] = _with(
                by_uid[uid],
                duration=rng.choice([60, 240, 480, 960, 1440, 2400]) + rng.choice([0, 0, 90]),
            )
        if rng.random() < 0.25:
            by_uid[uid] = _with(by_uid[uid], calendar_uid=2)
    # Links: from earlier leaves to later ones, so the plan has no cycle.
    links: list[Link] = []
    has_predecessor: set[int] = set()
    has_successor: set[int] = set()
    for position, uid in enumerate(leaves):
        if uid in elapsed_uids or position == 0:
            continue
        for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
            predecessor = leaves[rng.randrange(max(0, position - 8), position)]
            if any(x.predecessor == predecessor and x.successor == uid for x in links):
                continue
            link_type = rng.choice([LinkType.FS] * 5 + [LinkType.SS, LinkType.FF, LinkType.SF])
            kind = rng.choice([LagKind.WORKING] * 4 + [LagKind.ELAPSED, LagKind.PERCENT])
            if rng.random() < 0.5:
                lag: float = 0
            elif kind is LagKind.PERCENT:
                lag = rng.choice([-50, 25, 50, 100])
            elif kind is LagKind.ELAPSED:
                lag = rng.choice([-1440, 720, 1440, 2880])
            else:
                lag = rng.choice([-480, -120, 120, 480, 960])
            links.append(Link(predecessor, uid, link_type, lag, kind))
            has_predecessor.add(uid)
            has_successor.add(predecessor)
    # A few links on summaries (finish-to-start, as plans usually have them).
    for summary in summaries:
        later = [
            uid
            for uid in leaves
            if uid > summary + 6 and by_uid[uid].parent != summary and uid not in elapsed_uids
        ]
        if later and rng.random() < 0.5:
            target = rng.choice(later)
            links.append(Link(summary, target))
            has_predecessor.add(target)
    # Constraints and deadlines.
    for uid in leaves:
        if rng.random() < 0.15:
            kind = rng.choice(list(ConstraintType))
            must = kind in (ConstraintType.MSO, ConstraintType.MFO)
            if must and (uid in has_successor or by_uid[uid].parent is not None):
                kind = ConstraintType.SNET
            day = date(2026, 1, 5) + timedelta(days=rng.randrange(40))
            if kind is ConstraintType.ALAP and uid in elapsed_uids:
                kind = ConstraintType.ASAP  # MPXJ snaps elapsed late dates; MS Project does not
            if kind in (ConstraintType.ASAP, ConstraintType.ALAP):
                by_uid[uid] = _with(by_uid[uid], constraint=kind)
            else:
                at_hour = (
                    8
                    if kind in (ConstraintType.SNET, ConstraintType.SNLT, ConstraintType.MSO)
                    else 17
                )
                moment = datetime(day.year, day.month, day.day, at_hour)
                by_uid[uid] = _with(by_uid[uid], constraint=kind, constraint_date=moment)
        if rng.random() < 0.05:
            day = date(2026, 1, 5) + timedelta(days=rng.randrange(10, 60))
            by_uid[uid] = _with(by_uid[uid], deadline=datetime(day.year, day.month, day.day, 17))
    if progress:
        _add_progress(rng, by_uid, leaves[: len(leaves) // 4], has_predecessor)
    return Project(
        start=START,
        tasks=tuple(by_uid[task.uid] for task in tasks),
        links=tuple(links),
        calendars=calendars(rng),
        calendar_uid=1,
    )


def _with(task: Task, **changes: object) -> Task:
    return replace(task, **changes)  # type: ignore[arg-type]


def _add_progress(
    rng: random.Random, by_uid: dict[int, Task], early: list[int], has_predecessor: set[int]
) -> None:
    """Actuals on a few early tasks: some finished, some under way."""
    for uid in early:
        task = by_uid[uid]
        if uid in has_predecessor or task.elapsed or task.constraint is not ConstraintType.ASAP:
            continue
        started = datetime(2026, 1, 5 + rng.choice([0, 1, 2]), 8)
        if rng.random() < 0.5:
            days = max(task.duration // 480, 0)
            finished = started + timedelta(days=days, hours=9)
            if task.duration == 0:
                finished = started
            by_uid[uid] = _with(
                task, actual_start=started, actual_finish=finished, percent_complete=100
            )
        elif task.duration > 0:
            by_uid[uid] = _with(task, actual_start=started, percent_complete=rng.choice([25, 50]))
