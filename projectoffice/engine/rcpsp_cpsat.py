"""The RCPSP as a CP-SAT model: interval variables, cumulative constraints, makespan.

Start domains are cut to [earliest start, upper bound - tail] from the critical path and
the best known schedule, which is also given as a solution hint: CP-SAT then searches
only for strictly better schedules and spends its time on bounds.
See docs/levelling.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from projectoffice.engine.rcpsp import Network, RcpspProblem


@dataclass(frozen=True)
class CpSatOutcome:
    starts: tuple[int, ...] | None  # None when CP-SAT found nothing better than the hint
    makespan: int | None
    lower_bound: int
    optimal: bool


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, starts: Sequence[cp_model.IntVar], report: Callable[[list[int], int], None]
    ) -> None:
        super().__init__()
        self._starts = starts
        self._report = report

    def on_solution_callback(self) -> None:
        values = [int(self.Value(s)) for s in self._starts]
        self._report(values, int(self.ObjectiveValue()))


def solve_with_cpsat(
    problem: RcpspProblem,
    network: Network,
    *,
    deadline: float,
    upper_bound: int,
    lower_bound: int,
    hint: Sequence[int] | None = None,
    seed: int = 0,
    workers: int = 1,
    on_solution: Callable[[list[int], int], None] | None = None,
    interleave: bool = False,
) -> CpSatOutcome:
    """Minimise the makespan within ``upper_bound`` (inclusive); ``lower_bound`` is already
    proven by the caller and lets the solver stop as soon as it is reached. ``deadline`` is
    a time.perf_counter() value: building the model counts against it."""
    n = problem.size
    model = cp_model.CpModel()
    starts = []
    intervals = []
    for j in range(n):
        latest = upper_bound - network.tail[j]
        start = model.new_int_var(network.earliest_start[j], latest, f"s{j}")
        starts.append(start)
        intervals.append(model.new_fixed_size_interval_var(start, problem.durations[j], f"i{j}"))
    for j in range(n):
        for s in problem.successors[j]:
            model.add(starts[s] >= starts[j] + problem.durations[j])
    for r, capacity in enumerate(problem.capacities):
        used = [(intervals[j], problem.demands[j][r]) for j in range(n)
                if problem.demands[j][r] > 0 and problem.durations[j] > 0]
        if used and sum(q for _, q in used) > capacity:
            model.add_cumulative([i for i, _ in used], [q for _, q in used], capacity)
    span = model.new_int_var(lower_bound, upper_bound, "makespan")
    for j in range(n):
        if not problem.successors[j]:
            model.add(span >= starts[j] + problem.durations[j])
    model.minimize(span)
    if hint is not None:
        for j in range(n):
            model.add_hint(starts[j], hint[j])
        model.add_hint(span, max(hint[j] + problem.durations[j] for j in range(n)))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.005, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if interleave:
        solver.parameters.interleave_search = True
    callback = _Progress(starts, on_solution) if on_solution is not None else None
    status = solver.solve(model, callback)
    bound = max(lower_bound, round(solver.best_objective_bound))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = tuple(int(solver.value(s)) for s in starts)
        value = int(solver.objective_value)
        return CpSatOutcome(values, value, value if status == cp_model.OPTIMAL else bound,
                            status == cp_model.OPTIMAL)
    if status == cp_model.INFEASIBLE:
        # Nothing within the upper bound except what the caller already holds: that bound
        # is the optimum only if the caller's bound was inclusive of its incumbent.
        return CpSatOutcome(None, None, upper_bound + 1, False)
    return CpSatOutcome(None, None, bound, False)
