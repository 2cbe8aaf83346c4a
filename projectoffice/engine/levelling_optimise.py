"""Optimising mode for plans: level a plan for the shortest finish via the RCPSP solver.

Where ``level_plan`` follows MS Project's rules (priorities, order, float), this mode asks
for the shortest levelled schedule: the plan becomes an RCPSP instance and goes to
``optimise_schedule`` (genetic search and CP-SAT). The RCPSP has finish-to-start links,
constant capacities and nothing pinned, so the plan must fit that: FS links with lags of
zero or more (a lag becomes a resource-free activity of that length), releases (a
resource-free activity from the start), no capacity periods and no priority-1000 tasks.
See docs/levelling.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from projectoffice.engine.levelling import (
    NEVER_LEVEL,
    LevelledTask,
    LevellingError,
    LevellingResult,
    LevelResource,
    LevelTask,
)
from projectoffice.engine.rcpsp import RcpspProblem
from projectoffice.engine.rcpsp_solve import Improvement, OptimiseOptions, optimise_schedule
from projectoffice.engine.unit_network import Link, LinkType, passes, topological_order


def optimise_plan(
    tasks: Sequence[LevelTask],
    links: Sequence[Link],
    resources: Sequence[LevelResource],
    options: OptimiseOptions | None = None,
    progress: Callable[[Improvement], None] | None = None,
) -> LevellingResult:
    """The shortest levelled schedule found within ``options.time_limit``; no resource is
    over-allocated in the result. Raises LevellingError for what the RCPSP cannot express.
    See docs/levelling.md."""
    pool = {r.id: r for r in resources}
    for resource in resources:
        if resource.periods:
            raise LevellingError(f"resource {resource.id} has capacity periods")
    for link in links:
        if link.type is not LinkType.FS or link.lag < 0:
            raise LevellingError("the optimising mode takes FS links with lags of 0 or more")
    ids = [t.id for t in tasks]
    topological_order(ids, links)  # unknown tasks and cycles fail here, with a clear message
    index = {task_id: i for i, task_id in enumerate(ids)}
    names = list(pool)
    durations: list[int] = []
    demands: list[tuple[int, ...]] = []
    successors: list[list[int]] = []

    def add(duration: int, demand: tuple[int, ...]) -> int:
        durations.append(duration)
        demands.append(demand)
        successors.append([])
        return len(durations) - 1

    for task in tasks:
        if task.priority >= NEVER_LEVEL:
            raise LevellingError(f"task {task.id} has priority {NEVER_LEVEL}")
        need = {a.resource: 0 for a in task.assignments}
        for a in task.assignments:
            if a.resource not in pool:
                raise LevellingError(f"task {task.id} uses unknown resource {a.resource}")
            need[a.resource] += a.units
        add(task.duration, tuple(need.get(name, 0) if task.duration else 0 for name in names))
    blank = tuple(0 for _ in names)
    for task in tasks:
        if task.release > 0:
            # A resource-free activity of the release's length, first in the project.
            successors[add(task.release, blank)].append(index[task.id])
    for link in links:
        before, after = index[link.predecessor], index[link.successor]
        if link.lag:
            gap = add(link.lag, blank)
            successors[before].append(gap)
            successors[gap].append(after)
        else:
            successors[before].append(after)
    problem = RcpspProblem(
        durations=tuple(durations),
        demands=tuple(demands),
        capacities=tuple(pool[name].max_units for name in names),
        successors=tuple(tuple(s) for s in successors),
    )
    result = optimise_schedule(problem, options, progress)

    start = {t.id: result.starts[index[t.id]] for t in tasks}
    duration_of = {t.id: t.duration for t in tasks}
    release = {t.id: t.release for t in tasks}
    unlevelled = passes(ids, links, duration_of, release)
    into: dict[str, list[Link]] = {t: [] for t in ids}
    for link in links:
        into[link.successor].append(link)
    after_pass = passes(ids, links, duration_of, start)
    levelled = {}
    for task in tasks:
        allowed = max([task.release] + [start[k.predecessor] + duration_of[k.predecessor] + k.lag
                                        for k in into[task.id]])
        total_float = after_pass.total_float(task.id)
        levelled[task.id] = LevelledTask(
            id=task.id,
            start=start[task.id],
            finish=start[task.id] + task.duration,
            levelling_delay=start[task.id] - allowed,
            segments=((start[task.id], start[task.id] + task.duration),),
            total_float=total_float,
            critical=total_float <= 0,
        )
    return LevellingResult(
        tasks=levelled,
        finish=max((t.finish for t in levelled.values()), default=0),
        finish_before=unlevelled.finish,
        overallocations=(),
        critical_path=tuple(t for t in topological_order(ids, links) if levelled[t].critical),
    )
