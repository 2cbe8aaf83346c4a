"""The resource-constrained project scheduling problem (RCPSP): data, bounds, checks.

A problem is a set of activities with integer durations, finish-to-start precedence with
zero lag and constant demands on renewable resources of constant capacity. This is the
model of the PSPLIB benchmark and the core that plan levelling reduces to.
See docs/levelling.md.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass


class InvalidProblemError(ValueError):
    """The problem cannot be scheduled: bad sizes, a cycle, or a demand above capacity."""


@dataclass(frozen=True)
class RcpspProblem:
    """Activities 0..n-1; ``successors[j]`` must start after ``j`` finishes."""

    durations: tuple[int, ...]
    demands: tuple[tuple[int, ...], ...]  # demands[j][r]
    capacities: tuple[int, ...]
    successors: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        return len(self.durations)

    @property
    def resource_count(self) -> int:
        return len(self.capacities)


@dataclass(frozen=True)
class Network:
    """Derived facts that every algorithm needs, computed once per problem."""

    predecessors: tuple[tuple[int, ...], ...]
    topological_order: tuple[int, ...]
    rank: tuple[int, ...]  # position of each activity in topological_order
    earliest_start: tuple[int, ...]
    tail: tuple[int, ...]  # longest path from an activity's start to the project end
    critical_path_length: int


def validate(problem: RcpspProblem) -> None:
    """Raise InvalidProblemError when the problem has no feasible schedule or is malformed."""
    n = problem.size
    if len(problem.demands) != n or len(problem.successors) != n:
        raise InvalidProblemError("durations, demands and successors differ in length")
    for j in range(n):
        if problem.durations[j] < 0:
            raise InvalidProblemError(f"activity {j} has a negative duration")
        if len(problem.demands[j]) != problem.resource_count:
            raise InvalidProblemError(f"activity {j} has demands for the wrong resource count")
        for r, q in enumerate(problem.demands[j]):
            if q < 0:
                raise InvalidProblemError(f"activity {j} has a negative demand")
            if q > problem.capacities[r] and problem.durations[j] > 0:
                raise InvalidProblemError(
                    f"activity {j} needs {q} of resource {r}, capacity {problem.capacities[r]}"
                )
        for s in problem.successors[j]:
            if not 0 <= s < n or s == j:
                raise InvalidProblemError(f"activity {j} has an invalid successor {s}")
    analyse(problem)  # raises on cycles


def analyse(problem: RcpspProblem) -> Network:
    """Topological order, earliest starts and tails (critical-path values) ignoring resources."""
    n = problem.size
    preds: list[list[int]] = [[] for _ in range(n)]
    for j, succs in enumerate(problem.successors):
        for s in succs:
            preds[s].append(j)
    indegree = [len(p) for p in preds]
    # Kahn's algorithm, lowest index first, so the order is deterministic and equals file
    # order on PSPLIB data (successors are numbered higher there).
    ready = [j for j in range(n) if indegree[j] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        j = heapq.heappop(ready)
        order.append(j)
        for s in problem.successors[j]:
            indegree[s] -= 1
            if indegree[s] == 0:
                heapq.heappush(ready, s)
    if len(order) != n:
        raise InvalidProblemError("the precedence relations contain a cycle")
    rank = [0] * n
    for position, j in enumerate(order):
        rank[j] = position
    es = [0] * n
    for j in order:
        finish = es[j] + problem.durations[j]
        for s in problem.successors[j]:
            if es[s] < finish:
                es[s] = finish
    tail = [0] * n
    for j in reversed(order):
        longest = max((tail[s] for s in problem.successors[j]), default=0)
        tail[j] = longest + problem.durations[j]
    cpl = max((es[j] + problem.durations[j] for j in range(n)), default=0)
    return Network(
        predecessors=tuple(tuple(p) for p in preds),
        topological_order=tuple(order),
        rank=tuple(rank),
        earliest_start=tuple(es),
        tail=tuple(tail),
        critical_path_length=cpl,
    )


def resource_lower_bound(problem: RcpspProblem) -> int:
    """No schedule is shorter than any resource's total work divided by its capacity."""
    bound = 0
    for r, cap in enumerate(problem.capacities):
        work = sum(problem.durations[j] * problem.demands[j][r] for j in range(problem.size))
        if cap > 0:
            bound = max(bound, -(-work // cap))
    return bound


def makespan(problem: RcpspProblem, starts: tuple[int, ...] | list[int]) -> int:
    return max((starts[j] + problem.durations[j] for j in range(problem.size)), default=0)


def schedule_violations(problem: RcpspProblem, starts: tuple[int, ...] | list[int]) -> list[str]:
    """Every broken precedence or capacity, checked directly from the definition.

    Deliberately independent of the schedule-generation code so that tests can use it as an
    oracle: it walks time slot by slot instead of using any profile structure.
    """
    problems: list[str] = []
    n = problem.size
    if len(starts) != n:
        return [f"{len(starts)} start times for {n} activities"]
    for j in range(n):
        if starts[j] < 0:
            problems.append(f"activity {j} starts before time 0")
        for s in problem.successors[j]:
            if starts[s] < starts[j] + problem.durations[j]:
                problems.append(f"activity {s} starts before its predecessor {j} finishes")
    usage: dict[tuple[int, int], int] = {}
    for j in range(n):
        for t in range(starts[j], starts[j] + problem.durations[j]):
            for r, q in enumerate(problem.demands[j]):
                if q:
                    usage[(r, t)] = usage.get((r, t), 0) + q
    for (r, t), used in sorted(usage.items()):
        if used > problem.capacities[r]:
            problems.append(f"resource {r} over capacity at time {t}: {used}")
    return problems
