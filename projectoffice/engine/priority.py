"""Priority rules and the activity lists they induce.

Rules return one number per activity, lower meaning "schedule earlier". ``activity_list``
turns any such keys into a precedence-feasible list by repeatedly taking the eligible
activity with the lowest key, which is how the serial scheme consumes a rule.
See docs/levelling.md.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence

from projectoffice.engine.rcpsp import Network, RcpspProblem


def latest_finish(problem: RcpspProblem, network: Network) -> list[int]:
    """LFT: latest finish in the resource-free schedule of critical-path length."""
    return [network.critical_path_length - network.tail[j] + problem.durations[j]
            for j in range(problem.size)]


def latest_start(problem: RcpspProblem, network: Network) -> list[int]:
    return [network.critical_path_length - network.tail[j] for j in range(problem.size)]


def most_total_successors(problem: RcpspProblem, network: Network) -> list[int]:
    """MTS, negated so that lower is earlier."""
    n = problem.size
    reach: list[set[int]] = [set() for _ in range(n)]
    for j in reversed(network.topological_order):
        for s in problem.successors[j]:
            reach[j].add(s)
            reach[j] |= reach[s]
    return [-len(reach[j]) for j in range(n)]


def greatest_rank_positional_weight(problem: RcpspProblem, network: Network) -> list[int]:
    """GRPW (own duration plus direct successors' durations), negated."""
    return [-(problem.durations[j] + sum(problem.durations[s] for s in problem.successors[j]))
            for j in range(problem.size)]


RULES = {
    "lft": latest_finish,
    "lst": latest_start,
    "mts": most_total_successors,
    "grpw": greatest_rank_positional_weight,
}


def activity_list(
    problem: RcpspProblem, network: Network, keys: Sequence[float]
) -> list[int]:
    """Precedence-feasible list: always the eligible activity with the lowest key
    (topological rank breaks ties, so the result is deterministic)."""
    preds_left = [len(p) for p in network.predecessors]
    rank = network.rank
    heap = [(keys[j], rank[j], j) for j in range(problem.size) if preds_left[j] == 0]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        _, _, j = heapq.heappop(heap)
        order.append(j)
        for s in problem.successors[j]:
            preds_left[s] -= 1
            if preds_left[s] == 0:
                heapq.heappush(heap, (keys[s], rank[s], s))
    return order


def biased_keys(base: Sequence[float], rng: random.Random, spread: float) -> list[float]:
    """Keys perturbed multiplicatively: a cheap stand-in for regret-based biased sampling
    that keeps the rule's ordering most of the time and explores near it."""
    scale = max(1.0, max((abs(b) for b in base), default=1.0))
    return [b + rng.uniform(0.0, spread) * scale for b in base]
