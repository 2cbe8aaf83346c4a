"""The baseline's array arithmetic against a task-by-task reference, and its edge paths."""

from __future__ import annotations

import gc
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.errors import InvalidInput
from projectoffice.engine.evm import Node, NodeKind, Task, prepare_baseline
from projectoffice.engine.evm_baseline import _linear_spread
from projectoffice.engine.periods import PeriodGrid

from .evm_fixtures import months, usd

GRID = months(12)
DAY0 = date(2025, 1, 1)
NODES = [
    Node("PF", None, NodeKind.PORTFOLIO),
    Node("P0", "PF", NodeKind.PROJECT),
    Node("P1", "PF", NodeKind.PROJECT),
    Node("P0.a", "P0"),
    Node("P0.b", "P0"),
]
PARENTS = ["P0.a", "P0.b", "P1", "P0", "PF"]


def reference_curve(task: Task, grid: PeriodGrid) -> list[int]:
    """One task's cumulative planned value per period, worked out on its own."""
    budget = task.budget.to_minor()
    if task.period_amounts is not None:
        return list(accumulate(amount.to_minor() for amount in task.period_amounts))
    assert task.start is not None and task.finish is not None
    ends = [end.toordinal() for end in grid.ends]
    first, cumulative, full = _linear_spread(
        budget, task.start.toordinal(), task.finish.toordinal(), ends
    )
    return ([0] * first + cumulative + [budget] * (grid.count - full))[: grid.count]


@st.composite
def task_lists(draw: st.DrawFn) -> list[Task]:
    # Budgets up to 10**17 cents push the sums past what int64 arrays may hold, so both
    # the int64 path and the exact Python-int path are exercised.
    huge = draw(st.booleans())
    tasks = []
    for number in range(draw(st.integers(0, 12))):
        parent = draw(st.sampled_from(PARENTS))
        cents = draw(st.integers(0, 10**17 if huge else 10**9))
        if draw(st.integers(0, 4)) == 0:
            shares = draw(st.lists(st.integers(0, 100), min_size=12, max_size=12))
            amounts = [cents * share // max(sum(shares), 1) for share in shares]
            amounts[-1] += cents - sum(amounts)
            task = Task(f"T{number}", parent, usd(str(Decimal(cents) / 100)),
                        period_amounts=tuple(usd(str(Decimal(a) / 100)) for a in amounts))
        else:
            start = DAY0 + timedelta(days=draw(st.integers(0, 364)))
            finish = start + timedelta(days=draw(st.integers(0, 364 - (start - DAY0).days)))
            task = Task(f"T{number}", parent, usd(str(Decimal(cents) / 100)), start, finish)
        tasks.append(task)
    return tasks


@settings(max_examples=150, deadline=None)
@given(task_lists())
def test_curves_match_the_task_by_task_reference(tasks: list[Task]) -> None:
    baseline = prepare_baseline(GRID, NODES, tasks, currency="USD")
    curves = {task.id: reference_curve(task, GRID) for task in tasks}
    for task in tasks:
        assert list(baseline.task_pv_curve(task.id)) == curves[task.id]

    def under(node: str, ancestor: str) -> bool:
        parents = {n.id: n.parent for n in NODES}
        current: str | None = node
        while current is not None:
            if current == ancestor:
                return True
            current = parents[current]
        return False

    for node in NODES:
        own = [task for task in tasks if under(task.parent, node.id)]
        expected = [sum(curves[t.id][p] for t in own) for p in range(GRID.count)]
        assert list(baseline.node_pv_curves[node.id]) == expected
        assert baseline.node_budgets[node.id] == sum(t.budget.to_minor() for t in own)
        assert all(type(v) is int for v in baseline.node_pv_curves[node.id])
    # Each node's tasks are contiguous in the columns, whatever order they came in.
    columns = baseline.columns
    for node_id, (start, stop) in columns.node_ranges.items():
        assert {t.parent for t in columns.tasks[start:stop]} == {node_id}
    assert sorted(columns.index) == sorted(t.id for t in tasks)
    assert all(columns.tasks[i].id == ident for ident, i in columns.index.items())


def linear(ident: str, parent: str = "P0.a", cents: str = "100") -> Task:
    return Task(ident, parent, usd(cents), date(2025, 1, 5), date(2025, 3, 5))


def field_of(tasks: list[Task]) -> str:
    with pytest.raises(InvalidInput) as exc:
        prepare_baseline(GRID, NODES, tasks, currency="USD")
    return exc.value.field


def test_the_first_problem_in_task_order_is_reported() -> None:
    repeat = [linear("A"), linear("B"), linear("A")]
    assert field_of(repeat) == "task[A].id"
    assert field_of([*repeat, linear("C", parent="nowhere")]) == "task[A].id"
    assert field_of([linear("C", parent="nowhere"), *repeat]) == "task[C].parent"
    negative = linear("D", cents="-1")
    assert field_of([linear("A"), negative, linear("A")]) == "task[D].budget"


def test_budgets_in_fractions_of_a_cent_take_the_task_by_task_path() -> None:
    tasks = [linear("A", cents="0.005"), linear("B", cents="2.50")]
    baseline = prepare_baseline(GRID, NODES, tasks, currency="USD")
    assert baseline.node_budgets["P0.a"] == 1 + 250
    assert baseline.task_pv_curve("A")[-1] == 1


def test_the_collector_is_paused_only_while_building() -> None:
    tasks = [linear("A"), linear("B", parent="P1")]
    assert gc.isenabled()
    prepare_baseline(GRID, NODES, tasks, currency="USD")
    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        prepare_baseline(GRID, NODES, [*tasks, linear("A")], currency="USD")
    assert gc.isenabled()
    gc.disable()
    try:
        prepare_baseline(GRID, NODES, tasks, currency="USD")
        assert not gc.isenabled()
    finally:
        gc.enable()
