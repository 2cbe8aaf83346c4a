"""Plan levelling: resolve resource over-allocations by delaying (or splitting) tasks.

Works like Microsoft Project's "Level Resources": tasks are taken in a levelling order
(ID only, standard, or priority then standard), each is kept at its earliest start if its
resources have room and otherwise delayed to the first time they do; priority 1000 tasks
are never delayed; "within available float" never delays a task past its late start.
Time is in integer units from the project start (working days or minutes), so the full
calendar scheduler can feed it; resource calendars become periods of changed capacity.
Algorithms, options and examples: docs/levelling.md.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from itertools import pairwise

from projectoffice.engine.unit_network import Link, earliest_start_from, passes, topological_order

NEVER_LEVEL = 1000
DEFAULT_PRIORITY = 500


class LevellingOrder(Enum):
    ID = "id"  # the order tasks are given in
    STANDARD = "standard"  # least total float first, then earliest start
    PRIORITY_STANDARD = "priority_standard"  # highest priority first, then standard


@dataclass(frozen=True)
class Assignment:
    resource: str
    units: int = 100  # percent of one full-time resource


@dataclass(frozen=True)
class LevelTask:
    id: str
    duration: int
    assignments: tuple[Assignment, ...] = ()
    priority: int = DEFAULT_PRIORITY  # 0..1000; 1000 is never delayed
    release: int = 0  # earliest start from constraints ("start no earlier than")
    levelling_delay: int = 0  # from a previous levelling; kept unless cleared


@dataclass(frozen=True)
class CapacityPeriod:
    """Capacity other than the maximum in [start, finish): holidays (0), part time…"""

    start: int
    finish: int
    units: int


@dataclass(frozen=True)
class LevelResource:
    """A resource with its maximum units and periods of other capacity; where periods
    overlap, the first one given applies."""

    id: str
    max_units: int = 100
    periods: tuple[CapacityPeriod, ...] = ()

    def capacity(self, t: int) -> int:
        """Units available in time unit ``t``: a bisection over the periods, so that a
        resource with a calendar of hundreds of periods costs no more than one without."""
        starts, finishes, units = self._timeline
        i = bisect_right(starts, t) - 1
        if i >= 0 and t < finishes[i]:
            return units[i]
        return self.max_units

    @cached_property
    def _timeline(self) -> tuple[list[int], list[int], list[int]]:
        """The periods as sorted, non-overlapping runs (first given wins where they
        overlap); empty periods are dropped."""
        periods = [p for p in self.periods if p.finish > p.start]
        ordered = sorted(periods, key=lambda p: p.start)
        if all(a.finish <= b.start for a, b in pairwise(ordered)):
            return ([p.start for p in ordered], [p.finish for p in ordered],
                    [p.units for p in ordered])
        # Overlapping periods: cut at every boundary and keep the first period covering each
        # piece (rare: calendars produce disjoint periods).
        bounds = sorted({b for p in periods for b in (p.start, p.finish)})
        runs: list[tuple[int, int, int]] = []
        for lo, hi in pairwise(bounds):
            cover = next((p for p in periods if p.start <= lo < p.finish), None)
            if cover is None:
                continue
            if runs and runs[-1][1] == lo and runs[-1][2] == cover.units:
                runs[-1] = (runs[-1][0], hi, cover.units)
            else:
                runs.append((lo, hi, cover.units))
        return [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]


@dataclass(frozen=True)
class LevellingOptions:
    order: LevellingOrder = LevellingOrder.STANDARD
    within_float: bool = False  # "level only within available slack"
    allow_splitting: bool = False  # "levelling can create splits in remaining work"
    clear_previous: bool = True  # "clear levelling values before levelling"


@dataclass(frozen=True)
class LevelledTask:
    id: str
    start: int
    finish: int
    levelling_delay: int  # start minus the start its links and release allow
    segments: tuple[tuple[int, int], ...]  # work periods; more than one when split
    total_float: int
    critical: bool


@dataclass(frozen=True)
class OverAllocation:
    resource: str
    start: int
    finish: int
    peak_units: int
    max_units: int
    available: int | None = None  # the least capacity in the run, when below max_units


@dataclass(frozen=True)
class LevellingResult:
    tasks: Mapping[str, LevelledTask]
    finish: int
    finish_before: int  # project finish before levelling
    overallocations: tuple[OverAllocation, ...]
    critical_path: tuple[str, ...] = field(default=())


class LevellingError(ValueError):
    """Inputs that cannot be levelled: unknown resources, negative durations…"""


def level_plan(
    tasks: Sequence[LevelTask],
    links: Sequence[Link],
    resources: Sequence[LevelResource],
    options: LevellingOptions | None = None,
) -> LevellingResult:
    """Delay (or split) lower-priority work until no resource exceeds its units.

    Deterministic: equal inputs give equal results. Tasks that cannot be resolved (priority
    1000, float exhausted under ``within_float``, demand above a resource's maximum) stay
    at their earliest start and their over-allocation is reported. See docs/levelling.md.
    """
    options = options or LevellingOptions()
    by_id = {t.id: t for t in tasks}
    pool = {r.id: r for r in resources}
    _check(tasks, pool)
    ids = [t.id for t in tasks]
    durations = {t.id: t.duration for t in tasks}
    kept = {t.id: 0 if options.clear_previous else t.levelling_delay for t in tasks}
    release = {t.id: t.release for t in tasks}
    before = passes(ids, links, durations, release, kept)
    into: dict[str, list[Link]] = {t: [] for t in ids}
    for link in links:
        into[link.successor].append(link)

    usage = _Usage(pool)
    start: dict[str, int] = {}
    finish: dict[str, int] = {}
    segments: dict[str, tuple[tuple[int, int], ...]] = {}
    delay: dict[str, int] = {}
    floats = {t: before.total_float(t) for t in ids}
    for task_id in _levelling_sequence(tasks, links, floats, before.early_start, options.order):
        task = by_id[task_id]
        allowed = max(0, task.release)
        for link in into[task_id]:
            p = link.predecessor
            allowed = max(allowed, earliest_start_from(link, start[p], finish[p], task.duration))
        earliest = allowed + kept[task_id]
        pieces = _place(task, earliest, usage, options, latest=before.late_start[task_id])
        for piece_start, piece_finish in pieces:
            usage.add(task, piece_start, piece_finish)
        start[task_id] = pieces[0][0] if pieces else earliest
        finish[task_id] = pieces[-1][1] if pieces else earliest
        segments[task_id] = tuple(pieces) if pieces else ((earliest, earliest),)
        delay[task_id] = start[task_id] - allowed

    # Dates after levelling: each task's delay acts as a release, spans replace durations,
    # so the pass reproduces the levelled starts and gives the new float and critical path.
    spans = {t: finish[t] - start[t] for t in ids}
    after = passes(ids, links, spans, dict(start))
    levelled = {
        t: LevelledTask(
            id=t,
            start=start[t],
            finish=finish[t],
            levelling_delay=delay[t],
            segments=segments[t],
            total_float=after.total_float(t),
            critical=after.total_float(t) <= 0,
        )
        for t in ids
    }
    return LevellingResult(
        tasks=levelled,
        finish=max(finish.values(), default=0),
        finish_before=before.finish,
        overallocations=usage.overallocations(),
        critical_path=tuple(t for t in topological_order(ids, links) if levelled[t].critical),
    )


def _check(tasks: Sequence[LevelTask], pool: Mapping[str, LevelResource]) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise LevellingError(f"task {task.id} appears twice")
        seen.add(task.id)
        if task.duration < 0:
            raise LevellingError(f"task {task.id} has a negative duration")
        for a in task.assignments:
            if a.resource not in pool:
                raise LevellingError(f"task {task.id} uses unknown resource {a.resource}")
            if a.units <= 0:
                raise LevellingError(f"task {task.id} assigns {a.resource} at {a.units} %")


def _levelling_sequence(
    tasks: Sequence[LevelTask],
    links: Sequence[Link],
    total_float: Mapping[str, int],
    early_start: Mapping[str, int],
    order: LevellingOrder,
) -> list[str]:
    """Tasks in the order they claim resources: always a task whose predecessors are
    placed, chosen by the levelling order. Tasks never to be levelled go first among
    the ready ones so that others move around them."""
    index = {t.id: i for i, t in enumerate(tasks)}

    def key(task: LevelTask) -> tuple[int, ...]:
        fixed = 0 if task.priority >= NEVER_LEVEL else 1
        if order is LevellingOrder.ID:
            return (fixed, index[task.id])
        standard = (total_float[task.id], early_start[task.id], index[task.id])
        if order is LevellingOrder.PRIORITY_STANDARD:
            return (fixed, -task.priority, *standard)
        return (fixed, *standard)

    topo = topological_order([t.id for t in tasks], links)
    waiting = {t: 0 for t in topo}
    after: dict[str, list[str]] = {t: [] for t in topo}
    for link in links:
        waiting[link.successor] += 1
        after[link.predecessor].append(link.successor)
    by_id = {t.id: t for t in tasks}
    ready = [(key(by_id[t]), t) for t in topo if waiting[t] == 0]
    heapq.heapify(ready)
    sequence: list[str] = []
    while ready:
        _, chosen = heapq.heappop(ready)
        sequence.append(chosen)
        for nxt in after[chosen]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, (key(by_id[nxt]), nxt))
    return sequence


class _Usage:
    """Units in use per resource and time unit; grows as tasks are placed."""

    def __init__(self, pool: Mapping[str, LevelResource]) -> None:
        self.pool = pool
        self.used: dict[str, dict[int, int]] = {r: {} for r in pool}
        self.busy_until = max((p.finish for r in pool.values() for p in r.periods), default=0)

    def room(self, resource: str, t: int) -> int:
        return self.pool[resource].capacity(t) - self.used[resource].get(t, 0)

    def fits(self, task: LevelTask, t: int) -> bool:
        return all(self.room(a.resource, t) >= a.units for a in task.assignments)

    def add(self, task: LevelTask, start: int, finish: int) -> None:
        if task.assignments:
            self.busy_until = max(self.busy_until, finish)
        for a in task.assignments:
            used = self.used[a.resource]
            for t in range(start, finish):
                used[t] = used.get(t, 0) + a.units

    def quiet_after(self) -> int:
        """After this time nothing is in use and every resource has its maximum."""
        return self.busy_until

    def overallocations(self) -> tuple[OverAllocation, ...]:
        found: list[OverAllocation] = []
        for resource, used in self.used.items():
            run: list[int] = []
            for t in sorted(used):
                over = used[t] > self.pool[resource].capacity(t)
                if over and run and t == run[-1] + 1:
                    run.append(t)
                    continue
                if run:
                    found.append(self._report(resource, run))
                run = [t] if over else []
            if run:
                found.append(self._report(resource, run))
        return tuple(found)

    def _report(self, resource: str, run: list[int]) -> OverAllocation:
        pool = self.pool[resource]
        least = min(pool.capacity(t) for t in run)
        return OverAllocation(
            resource=resource,
            start=run[0],
            finish=run[-1] + 1,
            peak_units=max(self.used[resource][t] for t in run),
            max_units=pool.max_units,
            available=least if least < pool.max_units else None,
        )


def _place(
    task: LevelTask,
    earliest: int,
    usage: _Usage,
    options: LevellingOptions,
    *,
    latest: int,
) -> list[tuple[int, int]]:
    """Work periods for one task: at ``earliest`` when it fits or cannot be levelled,
    otherwise the first contiguous window (or, with splitting, the first free units)."""
    if task.duration == 0:
        return [(earliest, earliest)]
    unmoved = [(earliest, earliest + task.duration)]
    if task.priority >= NEVER_LEVEL or not task.assignments:
        return unmoved
    if any(a.units > usage.pool[a.resource].max_units for a in task.assignments):
        return unmoved  # no delay can help; the over-allocation is reported
    # Beyond this time the task fits anywhere, so every search below ends.
    limit = max(earliest, usage.quiet_after())
    if options.allow_splitting:
        pieces: list[tuple[int, int]] = []
        worked = 0
        t = earliest
        while worked < task.duration:
            if t >= limit or usage.fits(task, t):
                if pieces and pieces[-1][1] == t:
                    pieces[-1] = (pieces[-1][0], t + 1)
                else:
                    pieces.append((t, t + 1))
                worked += 1
            t += 1
        placed = pieces
    else:
        t = earliest
        while t < limit:
            blocked = next((u for u in range(t + task.duration - 1, t - 1, -1)
                            if not usage.fits(task, u)), None)
            if blocked is None:
                break
            t = blocked + 1
        placed = [(t, t + task.duration)]
    if options.within_float and placed[-1][1] - task.duration > latest:
        return unmoved  # would use more than the task's float: leave the conflict
    return placed
