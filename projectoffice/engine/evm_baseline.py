"""The performance measurement baseline: tasks spread over the periods, curves rolled up.

Built once per baseline and reused at every status date. Spreading rules are in
docs/earned-value.md ("Inputs and conventions"); why amounts are integer minor units and
why per-task figures are columns of integers is in docs/performance.md.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from operator import add

from projectoffice.engine.errors import InvalidInput
from projectoffice.engine.evm_inputs import EarnedValueMethod, Milestone, Node, Task
from projectoffice.engine.evm_methods import earned_value, field_name, to_minor
from projectoffice.engine.money import Money, minor_units
from projectoffice.engine.periods import PeriodGrid

__all__ = ["Baseline", "prepare_baseline"]


def _linear_spread(
    budget: int, first: int, last: int, ends: Sequence[int]
) -> tuple[int, list[int], int]:
    """``budget`` spread evenly over days ``first..last``: (first period, cumulative, full).

    ``cumulative`` holds the planned amount at the end of each period from the first one up
    to, not including, the period ``full`` in which the whole budget is reached. Rounding the
    cumulative figure (not each period's increment) means no cent is lost or invented.
    """
    start_index = bisect_left(ends, first)
    finish_index = bisect_left(ends, last)
    days = last - first + 1
    twice_budget, twice_days = 2 * budget, 2 * days
    offset = 1 - first
    cumulative = [
        (twice_budget * (end + offset) + days) // twice_days
        for end in ends[start_index:finish_index]
    ]
    return start_index, cumulative, finish_index


@dataclass(slots=True)
class _Curve:
    """A node's PV curve while the baseline is built: ``partial`` plus accumulated ``completed``.

    A task adds its cumulative amounts only for the periods in which it is under way, and
    its whole budget once, at the period where it completes; the running sum of
    ``completed`` carries it forward. That keeps the per-task work to the periods it spans.
    """

    partial: list[int]
    completed: list[int]
    budget: int = 0

    def cumulative(self) -> list[int]:
        return list(map(add, self.partial, accumulate(self.completed)))


def _node_order(nodes: Iterable[Node]) -> list[Node]:
    """Nodes deepest first, so that each is complete before it is added to its parent."""
    by_id: dict[str, Node] = {}
    for node in nodes:
        if node.id in by_id:
            raise InvalidInput(field_name("node", node.id, "id"), "node ids must be unique")
        by_id[node.id] = node
    depth: dict[str, int] = {}
    for node in by_id.values():
        chain: list[str] = []
        current: str | None = node.id
        while current is not None and current not in depth:
            if current in chain:
                raise InvalidInput(
                    field_name("node", current, "parent"), "the hierarchy has a cycle"
                )
            chain.append(current)
            parent = by_id[current].parent
            if parent is not None and parent not in by_id:
                raise InvalidInput(
                    field_name("node", current, "parent"), f"unknown parent node {parent!r}"
                )
            current = parent
        base = -1 if current is None else depth[current]
        for offset, ident in enumerate(reversed(chain), start=1):
            depth[ident] = base + offset
    return sorted(by_id.values(), key=lambda n: depth[n.id], reverse=True)


def _ordinal_ends(grid: PeriodGrid) -> list[int]:
    return [end.toordinal() for end in grid.ends]


def _explicit_spread(
    task: Task, budget: int, grid: PeriodGrid, currency: str
) -> tuple[int, list[int], int]:
    """A task's own per-period amounts, in the shape ``_linear_spread`` returns."""
    assert task.period_amounts is not None
    name = field_name("task", task.id, "period_amounts")
    if task.start is not None or task.finish is not None:
        raise InvalidInput(name, "give either baseline dates or per-period amounts, not both")
    if len(task.period_amounts) != grid.count:
        raise InvalidInput(
            name, f"needs one amount per period ({grid.count}), got {len(task.period_amounts)}"
        )
    amounts = [
        to_minor(a, currency, "task", task.id, "period_amounts") for a in task.period_amounts
    ]
    if any(a < 0 for a in amounts):
        raise InvalidInput(name, "amounts must not be negative")
    if sum(amounts) != budget:
        raise InvalidInput(
            name,
            f"amounts sum to {Money.from_minor(sum(amounts), currency)}, "
            f"not the budget {task.budget}",
        )
    cumulative = list(accumulate(amounts))
    start_index = bisect_right(cumulative, 0)
    full_index = bisect_left(cumulative, budget)
    return start_index, cumulative[start_index:full_index], full_index


def _spread(
    task: Task, budget: int, grid: PeriodGrid, ends: Sequence[int], currency: str
) -> tuple[int, list[int], int]:
    """(first period, cumulative amounts before the full budget, first full period)."""
    if task.period_amounts is not None:
        return _explicit_spread(task, budget, grid, currency)
    if task.start is None or task.finish is None:
        raise InvalidInput(
            field_name("task", task.id, "start"),
            "a task needs baseline start and finish dates or per-period amounts",
        )
    first_day, last_day = task.start.toordinal(), task.finish.toordinal()
    # Ordinal comparisons first: this runs once per task, and the grid lookup costs more.
    if first_day < grid.start.toordinal():
        grid.index_of(task.start, field_name("task", task.id, "start"))
    if last_day > ends[-1]:
        grid.index_of(task.finish, field_name("task", task.id, "finish"))
    if last_day < first_day:
        raise InvalidInput(field_name("task", task.id, "finish"), "is before the baseline start")
    return _linear_spread(budget, first_day, last_day, ends)


def _task_budget(task: Task, currency: str) -> int:
    budget = to_minor(task.budget, currency, "task", task.id, "budget")
    if budget < 0:
        raise InvalidInput(field_name("task", task.id, "budget"), "must not be negative")
    return budget


@dataclass(frozen=True, slots=True)
class _TaskColumns:
    """Per-task baseline figures as parallel columns of integers, in task order.

    Columns rather than an object or tuple per task: a portfolio has 200,000 tasks, and
    every container that outlives the loop makes Python's cyclic garbage collector walk
    the whole heap again; plain integers in a few lists do not. Task ``i``'s cumulative
    planned amounts, from period ``first[i]`` up to (not including) ``full[i]``, where the
    whole budget is reached, are ``flat[offset[i] : offset[i] + full[i] - first[i]]``.
    """

    tasks: tuple[Task, ...]
    index: Mapping[str, int]
    budget: list[int]
    first: list[int]
    full: list[int]
    offset: list[int]
    flat: list[int]
    # The tasks of each node are contiguous, at positions ``node_ranges[node_id]`` (start,
    # stop), so that a node's sums are one C-level ``sum`` over a slice of a column.
    node_ranges: Mapping[str, tuple[int, int]]


def _group_by_node(
    task_list: list[Task], node_rank: Mapping[str, int], columns: list[list[int]]
) -> tuple[list[Task], dict[str, tuple[int, int]]]:
    """Reorder the task columns (in place) so each node's tasks are contiguous.

    Inputs usually list tasks node by node already; then nothing moves.
    """
    ranks = [node_rank[task.parent] for task in task_list]
    changes = sum(1 for before, after in pairwise(ranks) if before != after)
    if changes + 1 > len(set(ranks)):
        order = sorted(range(len(ranks)), key=ranks.__getitem__)
        task_list = [task_list[i] for i in order]
        for column in columns:
            column[:] = [column[i] for i in order]
    ranges: dict[str, tuple[int, int]] = {}
    start = 0
    for position in range(1, len(task_list) + 1):
        if position == len(task_list) or task_list[position].parent != task_list[start].parent:
            ranges[task_list[start].parent] = (start, position)
            start = position
    return task_list, ranges


@dataclass(frozen=True, slots=True)
class Baseline:
    """The time-phased, rolled-up performance measurement baseline (PMB).

    Built once by ``prepare_baseline`` and reused at every status date: the baseline only
    changes through change control, while progress is measured every period.
    """

    grid: PeriodGrid
    currency: str
    nodes: tuple[Node, ...]  # deepest first
    node_pv_curves: Mapping[str, tuple[int, ...]]
    node_budgets: Mapping[str, int]
    columns: _TaskColumns = field(repr=False)

    def pv_curve(self, node_id: str) -> tuple[Money, ...]:
        """Cumulative planned value of a node at each period end."""
        return tuple(Money.from_minor(v, self.currency) for v in self.node_pv_curves[node_id])

    def task_pv_curve(self, task_id: str) -> tuple[int, ...]:
        """Cumulative planned value of one task at each period end, in minor units."""
        c = self.columns
        i = c.index[task_id]
        first, full, offset = c.first[i], c.full[i], c.offset[i]
        cumulative = c.flat[offset : offset + max(full - first, 0)]
        width = self.grid.count
        return tuple(([0] * first + cumulative + [c.budget[i]] * (width - full))[:width])


def prepare_baseline(
    grid: PeriodGrid, nodes: Iterable[Node], tasks: Iterable[Task], *, currency: str
) -> Baseline:
    """Validate the baseline, spread every task over the periods and roll the curves up.

    See docs/earned-value.md ("Inputs and conventions") for the spreading rules.
    """
    ends = _ordinal_ends(grid)
    count = grid.count
    ordered = _node_order(nodes)
    curves = {node.id: _Curve([0] * count, [0] * (count + 1)) for node in ordered}
    index: dict[str, int] = {}
    task_list: list[Task] = []
    budgets: list[int] = []
    firsts: list[int] = []
    fulls: list[int] = []
    offsets: list[int] = []
    flat: list[int] = []
    checked_milestones: dict[int, tuple[tuple[Milestone, ...], frozenset[str]]] = {}
    scale: int = 10 ** minor_units(currency)
    grid_first, grid_last = grid.start.toordinal(), ends[-1]
    weighted = EarnedValueMethod.WEIGHTED_MILESTONES  # enum attribute lookups are slow
    # The hot loop: the common case (whole cents, a linear spread) is inlined; anything else,
    # including every error, goes through the general functions, which validate and explain.
    for task in tasks:
        if task.id in index:
            raise InvalidInput(field_name("task", task.id, "id"), "task ids must be unique")
        curve = curves.get(task.parent)
        if curve is None:
            raise InvalidInput(
                field_name("task", task.id, "parent"), f"unknown node {task.parent!r}"
            )
        numerator, denominator = task.budget.amount.as_integer_ratio()
        if task.budget.currency == currency and numerator >= 0 and scale % denominator == 0:
            budget = numerator * (scale // denominator)
        else:
            budget = _task_budget(task, currency)
        if task.milestones or task.method is weighted:
            earned_value(task, budget, None, checked_milestones)  # validates the milestone plan
        start, finish = task.start, task.finish
        first_day = start.toordinal() if start is not None else 0
        last_day = finish.toordinal() if finish is not None else 0
        if (
            task.period_amounts is None
            and start is not None
            and finish is not None
            and grid_first <= first_day <= last_day <= grid_last
        ):
            # _linear_spread, inlined: a function call per task is a tenth of the loop.
            first = bisect_left(ends, first_day)
            full = bisect_left(ends, last_day)
            days = last_day - first_day + 1
            twice_budget, twice_days, offset = 2 * budget, 2 * days, 1 - first_day
            cumulative = [
                (twice_budget * (end + offset) + days) // twice_days for end in ends[first:full]
            ]
        else:
            first, cumulative, full = _spread(task, budget, grid, ends, currency)
        if cumulative:
            partial = curve.partial
            partial[first:full] = map(add, partial[first:full], cumulative)
        curve.completed[full] += budget
        curve.budget += budget
        index[task.id] = len(task_list)
        task_list.append(task)
        budgets.append(budget)
        firsts.append(first)
        fulls.append(full)
        offsets.append(len(flat))
        flat += cumulative

    node_curves: dict[str, tuple[int, ...]] = {}
    node_budget: dict[str, int] = {}
    for node in ordered:
        own = curves[node.id]
        cumulative = own.cumulative()
        if node.parent is not None:
            parent = curves[node.parent]
            parent.partial = list(map(add, parent.partial, cumulative))
            parent.budget += own.budget
        node_curves[node.id] = tuple(cumulative)
        node_budget[node.id] = own.budget
    node_rank = {node.id: rank for rank, node in enumerate(ordered)}
    grouped, ranges = _group_by_node(task_list, node_rank, [budgets, firsts, fulls, offsets])
    if grouped is not task_list:
        index = {task.id: position for position, task in enumerate(grouped)}
    columns = _TaskColumns(
        tuple(grouped), index, budgets, firsts, fulls, offsets, flat, ranges
    )
    return Baseline(grid, currency, tuple(ordered), node_curves, node_budget, columns)
