"""Optimising mode: the heuristic search and CP-SAT working together under one time budget.

See docs/levelling.md for the algorithm, options and measured figures.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from projectoffice.engine import priority
from projectoffice.engine.rcpsp import (
    RcpspProblem,
    analyse,
    resource_lower_bound,
    schedule_violations,
    validate,
)
from projectoffice.engine.rcpsp_cpsat import solve_with_cpsat
from projectoffice.engine.rcpsp_search import SearchLimits, genetic_search
from projectoffice.engine.sgs import ScheduleBuilder

# CP-SAT overshoots its time limit by a few milliseconds while it shuts down, and the
# final feasibility check takes a few more.
_CPSAT_MARGIN = 0.02


@dataclass(frozen=True)
class OptimiseOptions:
    time_limit: float = 1.0  # seconds for the whole call, model building included
    seed: int = 0
    # The genetic search runs until this part of the budget is used; CP-SAT gets the
    # rest, starting from the best schedule so far. 0 gives (almost) pure CP-SAT, and
    # use_cpsat=False the pure heuristic.
    heuristic_share: float = 0.9
    # Part of the budget for a first CP-SAT run before the search (see docs/levelling.md).
    probe_share: float = 0.1
    use_cpsat: bool = True
    cpsat_workers: int = 1
    population_size: int = 20
    # Stops the heuristic after this many schedules whatever the clock says; with CP-SAT
    # off this makes the result independent of machine speed (reproducible).
    max_schedules: int | None = None


@dataclass(frozen=True)
class Improvement:
    """Sent to the progress callback each time a shorter schedule is found."""

    makespan: int
    lower_bound: int
    elapsed: float
    source: str  # "heuristic" or "cp-sat"


@dataclass(frozen=True)
class OptimiseResult:
    starts: tuple[int, ...]
    makespan: int
    lower_bound: int  # proven: no feasible schedule is shorter
    optimal: bool
    critical_path_length: int
    schedules_built: int  # by the schedule-generation schemes
    elapsed: float


def optimise_schedule(
    problem: RcpspProblem,
    options: OptimiseOptions | None = None,
    progress: Callable[[Improvement], None] | None = None,
) -> OptimiseResult:
    """Shortest schedule found for ``problem`` within ``options.time_limit`` seconds.

    Returns the best start times, a proven lower bound and whether they meet. Algorithms,
    options and benchmark figures: docs/levelling.md.
    """
    options = options or OptimiseOptions()
    begin = time.perf_counter()
    validate(problem)
    network = analyse(problem)
    lower = max(network.critical_path_length, resource_lower_bound(problem))
    builder = ScheduleBuilder(problem, network)
    rng = random.Random(options.seed)
    best_starts: list[int] = []
    best_makespan = -1

    def note(starts: list[int], makespan: int, source: str) -> None:
        nonlocal best_starts, best_makespan
        if best_makespan < 0 or makespan < best_makespan:
            best_starts, best_makespan = starts, makespan
            if progress is not None:
                progress(Improvement(makespan, lower, time.perf_counter() - begin, source))

    def run_cpsat(deadline: float) -> None:
        nonlocal lower
        outcome = solve_with_cpsat(
            problem,
            network,
            deadline=deadline,
            upper_bound=best_makespan,
            lower_bound=lower,
            hint=best_starts,
            seed=options.seed,
            workers=options.cpsat_workers,
            on_solution=lambda s, m: note(s, m, "cp-sat"),
        )
        if outcome.starts is not None and outcome.makespan is not None:
            note(list(outcome.starts), outcome.makespan, "cp-sat")
        lower = max(lower, min(outcome.lower_bound, best_makespan))

    # 1. One LFT schedule, justified: a first incumbent in a millisecond.
    first = builder.serial(
        priority.activity_list(problem, network, priority.latest_finish(problem, network))
    )
    first, _ = builder.improve(first)
    note(first, builder.makespan(first), "heuristic")
    # 2. A short CP-SAT probe: it proves most small or loose instances optimal at once,
    #    and its bound tells the search when to stop.
    limit = options.time_limit
    if options.use_cpsat and best_makespan > lower and options.probe_share > 0:
        run_cpsat(begin + limit * options.probe_share)
    # 3. The genetic search, seeded with the incumbent.
    share = options.heuristic_share if options.use_cpsat else 1.0
    if best_makespan > lower:
        genetic_search(
            builder,
            SearchLimits(
                deadline=begin + limit * share,
                max_schedules=options.max_schedules,
                target=lower,
            ),
            rng,
            population_size=options.population_size,
            on_improvement=lambda s, m: note(s, m, "heuristic"),
            seeds=[best_starts],
        )
    # 4. CP-SAT with what is left, from the best schedule so far.
    end = begin + limit - _CPSAT_MARGIN
    if options.use_cpsat and best_makespan > lower and end - time.perf_counter() > 0.01:
        run_cpsat(end)
    optimal = best_makespan <= lower
    if optimal:
        lower = best_makespan
    # A last independent check: a wrong schedule must never leave the engine.
    broken = schedule_violations(problem, best_starts)
    if broken:
        raise AssertionError(f"internal error, infeasible schedule: {broken[:3]}")
    return OptimiseResult(
        starts=tuple(best_starts),
        makespan=best_makespan,
        lower_bound=lower,
        optimal=optimal,
        critical_path_length=network.critical_path_length,
        schedules_built=builder.schedules_built,
        elapsed=time.perf_counter() - begin,
    )
