"""Population-based search over activity lists: a genetic algorithm with justification.

The representation, crossover and mutation are Hartmann's (1998) activity-list GA; every
child is decoded with the serial scheme or, for about half of them, with the parallel scheme
(list positions as priorities; on large instances its non-delay schedules are often better
for the same effort, as in Hartmann's self-adapting GA), then improved by forward-backward
justification, and the justified order is written back into the child (Valls, Ballestín
and Quintanilla 2008 show this "Lamarckian" step is what makes list GAs competitive).
Defaults were tuned on PSPLIB samples at a fixed number of schedules.
See docs/levelling.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from projectoffice.engine import priority
from projectoffice.engine.sgs import ScheduleBuilder


@dataclass(frozen=True)
class SearchLimits:
    deadline: float  # a time.perf_counter() value
    max_schedules: int | None = None
    target: int = 0  # stop as soon as a schedule this short is found (a lower bound)


class _Individual:
    __slots__ = ("key", "makespan", "order", "starts")

    def __init__(self, order: list[int], starts: list[int], makespan: int) -> None:
        self.order = order
        self.starts = starts
        self.makespan = makespan
        # A hash, not the tuple: long runs see tens of thousands of schedules.
        self.key = hash(tuple(starts))


def genetic_search(
    builder: ScheduleBuilder,
    limits: SearchLimits,
    rng: random.Random,
    *,
    population_size: int = 20,
    mutation_rate: float = 0.02,
    insertion_rate: float = 0.5,
    on_improvement: Callable[[list[int], int], None] | None = None,
    seeds: Sequence[Sequence[int]] = (),
    parallel_share: float = 0.5,
    justify_rounds: int = 1,
    stale_limit: int = 30,
) -> tuple[list[int], int]:
    """Best start times and makespan found before the limits run out; ``seeds`` are
    schedules (start times) found elsewhere that join the first population."""
    problem = builder.problem
    network = builder.network
    successor_sets = [frozenset(s) for s in problem.successors]
    best: _Individual | None = None

    def out_of_budget() -> bool:
        if best is not None and best.makespan <= limits.target:
            return True
        if limits.max_schedules is not None and builder.schedules_built >= limits.max_schedules:
            return True
        return time.perf_counter() >= limits.deadline

    def evaluate(order: list[int]) -> _Individual:
        nonlocal best
        if parallel_share and rng.random() < parallel_share:
            position = [0] * len(order)
            for i, j in enumerate(order):
                position[j] = i
            starts = builder.parallel(position)
        else:
            starts = builder.serial(order)
        starts, order = builder.improve(starts, rounds=justify_rounds)
        individual = _Individual(order, starts, builder.last_makespan)
        if best is None or individual.makespan < best.makespan:
            best = individual
            if on_improvement is not None:
                on_improvement(list(starts), individual.makespan)
        return individual

    # Seed with the classic rules (deterministic) and biased samples around LFT.
    lft = priority.latest_finish(problem, network)
    population: list[_Individual] = []
    seen: set[int] = set()
    first_lists = [builder.list_from_starts(s) for s in seeds] + [
        priority.activity_list(problem, network, rule(problem, network))
        for rule in priority.RULES.values()
    ]
    for order in first_lists:
        if out_of_budget() and best is not None:
            break
        individual = evaluate(order)
        if individual.key not in seen:
            seen.add(individual.key)
            population.append(individual)
    attempts = 0
    while (len(population) < population_size and not out_of_budget()
           and attempts < 4 * population_size):
        attempts += 1
        keys = priority.biased_keys(lft, rng, spread=0.3)
        individual = evaluate(priority.activity_list(problem, network, keys))
        if individual.key not in seen:
            seen.add(individual.key)
            population.append(individual)

    stale_generations = 0
    while not out_of_budget() and len(population) >= 2:
        children: list[_Individual] = []
        rng.shuffle(population)
        for index in range(0, len(population) - 1, 2):
            if out_of_budget():
                break
            mother, father = population[index], population[index + 1]
            for first, second in ((mother, father), (father, mother)):
                order = _two_point_crossover(first.order, second.order, rng)
                _mutate(order, successor_sets, mutation_rate, rng)
                if rng.random() < insertion_rate:
                    _shift(order, problem.successors, network.predecessors, rng)
                child = evaluate(order)
                if child.key not in seen:
                    seen.add(child.key)
                    children.append(child)
        previous_best = min(i.makespan for i in population)
        merged = population + children
        # Shuffle before the stable sort so equal makespans are kept at random: it keeps
        # diversity among the many ties that plateaus produce.
        rng.shuffle(merged)
        merged.sort(key=lambda i: i.makespan)
        population = merged[:population_size]
        if population[0].makespan < previous_best:
            stale_generations = 0
        else:
            stale_generations += 1
        if stale_generations >= stale_limit:
            # Restart most of the population around LFT, keeping the elite.
            stale_generations = 0
            elite = population[: max(2, population_size // 5)]
            population = elite
            while len(population) < population_size and not out_of_budget():
                keys = priority.biased_keys(lft, rng, spread=0.5)
                population.append(evaluate(priority.activity_list(problem, network, keys)))
    assert best is not None
    return best.starts, best.makespan


def _two_point_crossover(mother: list[int], father: list[int], rng: random.Random) -> list[int]:
    """Hartmann's two-point crossover; both parents are precedence-feasible, so is the child."""
    n = len(mother)
    q1, q2 = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
    child = mother[:q1]
    taken = set(child)
    for j in father:
        if len(child) >= q2:
            break
        if j not in taken:
            child.append(j)
            taken.add(j)
    for j in mother:
        if j not in taken:
            child.append(j)
            taken.add(j)
    return child


def _mutate(
    order: list[int], successor_sets: list[frozenset[int]], rate: float, rng: random.Random
) -> None:
    """Swap neighbours that are not related by precedence, each with probability ``rate``."""
    for i in range(len(order) - 1):
        if rng.random() < rate and order[i + 1] not in successor_sets[order[i]]:
            order[i], order[i + 1] = order[i + 1], order[i]


def _shift(
    order: list[int],
    successors: tuple[tuple[int, ...], ...],
    predecessors: tuple[tuple[int, ...], ...],
    rng: random.Random,
) -> None:
    """Move one activity to a random position between its last predecessor and first
    successor in the list: a larger step than neighbour swaps, still precedence-feasible."""
    position = {j: i for i, j in enumerate(order)}
    i = rng.randrange(len(order))
    j = order[i]
    low = max((position[p] for p in predecessors[j]), default=-1) + 1
    high = min((position[s] for s in successors[j]), default=len(order))
    target = rng.randrange(low, high)  # index among the list without j
    del order[i]
    if target > i:
        target -= 1
    order.insert(target, j)
