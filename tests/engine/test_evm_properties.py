"""Invariants of the earned value engine over generated plans and progress."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.evm import (
    EarnedValueMethod,
    Milestone,
    Node,
    NodeKind,
    Task,
    TaskStatus,
    analyse,
)

from .evm_fixtures import months, usd

GRID = months(12)
MILESTONES = (Milestone("a", Decimal(25)), Milestone("b", Decimal("37.5")),
              Milestone("c", Decimal("37.5")))


@st.composite
def task_and_status(draw: st.DrawFn, ident: str, parent: str) -> tuple[Task, TaskStatus]:
    start = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
    finish = start + timedelta(days=draw(st.integers(0, 364 - (start - date(2025, 1, 1)).days)))
    budget = usd(str(Decimal(draw(st.integers(0, 10**9))) / 100))
    method = draw(st.sampled_from(list(EarnedValueMethod)))
    weighted = method is EarnedValueMethod.WEIGHTED_MILESTONES
    task = Task(ident, parent, budget, start, finish, method=method,
                milestones=MILESTONES if weighted else ())
    actual = usd(str(Decimal(draw(st.integers(0, 10**9))) / 100))
    if method is EarnedValueMethod.PHYSICAL_PERCENT:
        percent = Decimal(draw(st.integers(0, 10_000))) / 100
        status = TaskStatus(ident, actual, percent_complete=percent)
    elif weighted:
        done = tuple(draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True)))
        status = TaskStatus(ident, actual, milestones_done=done)
    else:
        started = draw(st.booleans())
        status = TaskStatus(ident, actual, started=started,
                            finished=started and draw(st.booleans()))
    return task, status


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[list[Node], list[Task], list[TaskStatus], date]:
    project_count = draw(st.integers(1, 3))
    nodes = [Node("PF", None, NodeKind.PORTFOLIO)]
    tasks, statuses = [], []
    for p in range(project_count):
        nodes.append(Node(f"P{p}", "PF", NodeKind.PROJECT))
        for t in range(draw(st.integers(1, 4))):
            task, status = draw(task_and_status(f"P{p}.T{t}", f"P{p}"))
            tasks.append(task)
            statuses.append(status)
    status_date = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    return nodes, tasks, statuses, status_date


@settings(max_examples=80, deadline=None)
@given(portfolios())
def test_invariants(portfolio: tuple[list[Node], list[Task], list[TaskStatus], date]) -> None:
    nodes, tasks, statuses, status_date = portfolio
    result = analyse(GRID, nodes, tasks, statuses, status_date, currency="USD")
    for ident in result.task_ids:
        task = result.task(ident)
        assert 0 <= task.ev_minor <= task.bac_minor
        assert 0 <= task.pv_minor <= task.bac_minor
    for node in nodes:
        p = result.node(node.id)
        curve = result.node_pv_curves[node.id]
        assert all(a <= b for a, b in pairwise(curve))
        assert curve[-1] == p.bac_minor
        assert p.ev_minor <= p.bac_minor
        if p.es is not None:
            assert p.planned_duration is not None
            assert 0 <= p.es <= p.planned_duration
            if p.at is not None and p.at > 0:
                assert p.spi_t == p.es / p.at
    # Roll-up is a sum: the portfolio equals the sum of its tasks.
    top = result.node("PF")
    measures = [result.task(i) for i in result.task_ids]
    assert top.bac_minor == sum(m.bac_minor for m in measures)
    assert top.pv_minor == sum(m.pv_minor for m in measures)
    assert top.ev_minor == sum(m.ev_minor for m in measures)
    assert top.ac_minor == sum(m.ac_minor for m in measures)


@settings(max_examples=60, deadline=None)
@given(task_and_status("T", "P"), st.integers(0, 364))
def test_roll_up_of_one_equals_itself(pair: tuple[Task, TaskStatus], day: int) -> None:
    task, status = pair
    status_date = date(2025, 1, 1) + timedelta(days=day)
    result = analyse(GRID, [Node("P", None)], [task], [status], status_date, currency="USD")
    alone, rolled = result.task("T"), result.node("P")
    assert alone == rolled


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**10), st.integers(0, 200), st.integers(0, 364))
def test_linear_spread_never_loses_a_cent(budget: int, start: int, length: int) -> None:
    first = date(2025, 1, 1) + timedelta(days=start)
    last = min(first + timedelta(days=length), date(2025, 12, 31))
    task = Task("T", "P", usd(str(Decimal(budget) / 100)), first, last)
    result = analyse(GRID, [Node("P", None)], [task], [], date(2025, 12, 31), currency="USD")
    curve = result.node_pv_curves["P"]
    assert curve[-1] == budget
    increments = [b - a for a, b in zip((0, *curve), curve, strict=False)]
    assert min(increments) >= 0


@settings(max_examples=40, deadline=None)
@given(portfolios(), st.randoms(use_true_random=False))
def test_task_order_does_not_matter(
    portfolio: tuple[list[Node], list[Task], list[TaskStatus], date], rng: random.Random
) -> None:
    nodes, tasks, statuses, status_date = portfolio
    shuffled = list(tasks)
    rng.shuffle(shuffled)
    first = analyse(GRID, nodes, tasks, statuses, status_date, currency="USD")
    second = analyse(GRID, nodes, shuffled, statuses, status_date, currency="USD")
    assert first.nodes == second.nodes
    assert all(first.task(t.id) == second.task(t.id) for t in tasks)
