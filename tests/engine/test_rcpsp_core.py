import itertools
import random

import pytest
from hypothesis import given, settings

from projectoffice.engine import priority
from projectoffice.engine.rcpsp import (
    InvalidProblemError,
    RcpspProblem,
    analyse,
    makespan,
    resource_lower_bound,
    schedule_violations,
    validate,
)
from projectoffice.engine.sgs import ScheduleBuilder
from tests.engine.rcpsp_strategies import problems

# Two activities that cannot overlap (3 + 2 > 4 units), then a third after the first.
SMALL = RcpspProblem(
    durations=(0, 3, 2, 4, 0),
    demands=((0,), (3,), (2,), (1,), (0,)),
    capacities=(4,),
    successors=((1, 2), (3,), (4,), (4,), ()),
)


def test_analyse_gives_critical_path_and_tails() -> None:
    network = analyse(SMALL)
    assert network.critical_path_length == 7
    assert network.earliest_start == (0, 0, 0, 3, 7)
    assert network.tail[0] == 7
    assert resource_lower_bound(SMALL) == 5  # (9 + 4 + 4) / 4 rounded up


def test_validate_rejects_cycles_and_excess_demand() -> None:
    cyclic = RcpspProblem((1, 1), ((0,), (0,)), (1,), ((1,), (0,)))
    with pytest.raises(InvalidProblemError, match="cycle"):
        validate(cyclic)
    too_big = RcpspProblem((1,), ((5,),), (4,), ((),))
    with pytest.raises(InvalidProblemError, match="needs 5"):
        validate(too_big)


def test_violations_catch_precedence_and_capacity() -> None:
    assert schedule_violations(SMALL, (0, 0, 3, 3, 7)) == []
    broken = schedule_violations(SMALL, (0, 0, 0, 3, 7))
    assert any("over capacity" in b for b in broken)
    broken = schedule_violations(SMALL, (0, 0, 3, 2, 7))
    assert any("before its predecessor 1" in b for b in broken)


def test_serial_scheme_resolves_the_conflict() -> None:
    builder = ScheduleBuilder(SMALL)
    starts = builder.serial([0, 1, 2, 3, 4])
    assert starts == [0, 0, 3, 3, 7]
    assert schedule_violations(SMALL, starts) == []


def _random_list(problem: RcpspProblem, seed: int) -> list[int]:
    network = analyse(problem)
    rng = random.Random(seed)
    return priority.activity_list(problem, network, [rng.random() for _ in range(problem.size)])


@settings(max_examples=150, deadline=None)
@given(problems())
def test_every_scheme_returns_feasible_schedules(problem: RcpspProblem) -> None:
    network = analyse(problem)
    builder = ScheduleBuilder(problem, network)
    for seed in range(3):
        order = _random_list(problem, seed)
        forward = builder.serial(order)
        assert schedule_violations(problem, forward) == []
        improved, improved_order = builder.improve(forward)
        assert schedule_violations(problem, improved) == []
        assert makespan(problem, improved) <= makespan(problem, forward)
        assert builder.serial(improved_order) == improved
    for rule in priority.RULES.values():
        parallel = builder.parallel(rule(problem, network))
        assert schedule_violations(problem, parallel) == []
    assert makespan(problem, builder.serial(_random_list(problem, 9))) >= max(
        network.critical_path_length, resource_lower_bound(problem)
    )


def test_rule_lists_are_precedence_feasible() -> None:
    network = analyse(SMALL)
    for rule in priority.RULES.values():
        order = priority.activity_list(SMALL, network, rule(SMALL, network))
        position = {j: i for i, j in enumerate(order)}
        for j, succs in enumerate(SMALL.successors):
            assert all(position[j] < position[s] for s in succs)


def brute_force_optimum(problem: RcpspProblem) -> int:
    """Shortest schedule over every precedence-feasible list: the serial scheme reaches
    every active schedule, and some optimal schedule is active."""
    builder = ScheduleBuilder(problem)
    best = None
    preds = analyse(problem).predecessors
    for order in itertools.permutations(range(problem.size)):
        position = {j: i for i, j in enumerate(order)}
        if all(position[p] < position[j] for j in range(problem.size) for p in preds[j]):
            value = makespan(problem, builder.serial(order))
            best = value if best is None else min(best, value)
    assert best is not None
    return best
