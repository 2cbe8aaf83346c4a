"""The performance measurement baseline: tasks spread over the periods, curves rolled up.

Built once per baseline and reused at every status date. Spreading rules are in
docs/earned-value.md ("Inputs and conventions"); why amounts are integer minor units and
why per-task figures are columns of integers is in docs/performance.md.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import accumulate
from operator import attrgetter, gt
from typing import Any

import numpy as np
import numpy.typing as npt

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


def _node_order(nodes: Iterable[Node]) -> tuple[list[Node], dict[str, int]]:
    """Nodes deepest first (so that each is complete before it is added to its parent),
    and each node's depth (0 at the top)."""
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
    return sorted(by_id.values(), key=lambda n: depth[n.id], reverse=True), depth


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
    task_list: list[Task], ordered: Sequence[Node], ranks: list[int], columns: list[list[int]]
) -> tuple[list[Task], dict[str, tuple[int, int]]]:
    """Reorder the task columns (in place) so each node's tasks are contiguous.

    ``ranks`` are the tasks' nodes as positions in ``ordered``. Inputs usually list tasks
    node by node already; then nothing moves.
    """
    rank = np.array(ranks, dtype=np.int64)
    changes = int(np.count_nonzero(rank[1:] != rank[:-1]))
    if changes + 1 > len(np.unique(rank)):
        order = np.argsort(rank, kind="stable")
        rank = rank[order]
        positions: list[int] = order.tolist()
        task_list = list(map(task_list.__getitem__, positions))
        for column in columns:
            column[:] = map(column.__getitem__, positions)
    bounds: list[int] = (np.flatnonzero(rank[1:] != rank[:-1]) + 1).tolist()
    starts = [0, *bounds]
    stops = [*bounds, len(task_list)]
    return task_list, {
        ordered[ranks_at].id: (start, stop)
        for ranks_at, start, stop in zip(rank[starts].tolist(), starts, stops, strict=True)
    } if task_list else {}


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


@dataclass(frozen=True, slots=True)
class _Entries:
    """The spread of all tasks as arrays: ``amount[k]`` is task ``owner[k]``'s cumulative
    planned amount at the end of period ``period[k]``; ``budget`` and ``full`` are by task."""

    owner: npt.NDArray[np.int64]
    period: npt.NDArray[np.int64]
    amount: npt.NDArray[Any]
    budget: npt.NDArray[Any]
    full: npt.NDArray[np.int64]


def _roll_up(
    ordered: Sequence[Node],
    depth: Mapping[str, int],
    count: int,
    ranks: list[int],
    entries: _Entries,
) -> tuple[dict[str, tuple[int, ...]], dict[str, int]]:
    """Each node's cumulative PV curve and budget: its own tasks' plus its children's.

    A node's own curve is the sum of its tasks' cumulative amounts in the periods they are
    under way, plus, from the period where each completes, its whole budget (a difference
    array, accumulated once). ``ordered`` is deepest first, so the nodes of one depth form
    a block, and each block is added to the parents at once.
    """
    dtype = entries.amount.dtype
    width = len(ordered)
    rank = np.array(ranks, dtype=np.int64)
    cells = rank[entries.owner] * count + entries.period
    if dtype == np.int64 and int(entries.budget.sum()) * count < _FLOAT_EXACT:
        # A bin count sums in floating point, exactly while every sum stays below 2**53:
        # no cumulative amount exceeds its task's budget, so no bin exceeds budgets * count.
        partial = np.rint(
            np.bincount(cells, weights=entries.amount.astype(np.float64), minlength=width * count)
        ).astype(np.int64)
    else:
        partial = np.zeros(width * count, dtype=dtype)
        np.add.at(partial, cells, entries.amount)
    completed = np.zeros(width * (count + 1), dtype=dtype)
    np.add.at(completed, rank * (count + 1) + entries.full, entries.budget)
    curves = (
        partial.reshape(width, count)
        + np.cumsum(completed.reshape(width, count + 1), axis=1)[:, :count]
    )
    budgets = np.zeros(width, dtype=dtype)
    np.add.at(budgets, rank, entries.budget)
    node_rank = {node.id: position for position, node in enumerate(ordered)}
    parents = np.array(
        [-1 if node.parent is None else node_rank[node.parent] for node in ordered],
        dtype=np.int64,
    )
    depths = [depth[node.id] for node in ordered]
    start = 0
    while start < width and depths[start] > 0:
        stop = start
        while stop < width and depths[stop] == depths[start]:
            stop += 1
        np.add.at(curves, parents[start:stop], curves[start:stop])
        np.add.at(budgets, parents[start:stop], budgets[start:stop])
        start = stop
    ids = [node.id for node in ordered]
    return (
        dict(zip(ids, map(tuple, curves.tolist()), strict=True)),
        dict(zip(ids, budgets.tolist(), strict=True)),
    )


# Amounts stay in int64 arrays while no product or sum can overflow: twice the sum of all
# budgets times the days of the grid stays below 2**62 (for a one-year grid, budgets up to
# 6 * 10**15 minor units in all); beyond that the same code runs on Python ints.
_INT64_LIMIT = 2**62
_FLOAT_EXACT = 2**53


def _spread_columns(
    ends: Sequence[int],
    count: int,
    budgets: list[int],
    first_days: list[int],
    last_days: list[int],
    explicit: list[tuple[int, int, list[int], int]],
    span: int,
) -> tuple[list[int], list[int], list[int], list[int], _Entries]:
    """The linear spread of every task at once: (first, full, offset, flat, entries).

    Task ``i`` spans the days ``first_days[i]..last_days[i]``, except the tasks listed in
    ``explicit`` as (position, first period, cumulative amounts, full period), whose spread
    was worked out one by one. ``entries`` are flat's amounts with the task and the period
    each belongs to, for the roll-up. The arithmetic is ``_linear_spread``'s, on arrays.
    """
    total_budget = sum(budgets)
    dtype: Any = np.int64 if 2 * total_budget * (span + 1) < _INT64_LIMIT else object
    end_days = np.array(ends, dtype=np.int64)
    starts = np.array(first_days, dtype=np.int64)
    finishes = np.array(last_days, dtype=np.int64)
    first = np.searchsorted(end_days, starts, side="left")
    full = np.searchsorted(end_days, finishes, side="left")
    if explicit:
        positions = np.array([item[0] for item in explicit], dtype=np.int64)
        first[positions] = [item[1] for item in explicit]
        full[positions] = [item[3] for item in explicit]
    lengths = full - first
    if explicit:
        lengths[positions] = 0
    offsets = np.cumsum(lengths) - lengths
    size = int(lengths.sum())
    owner = np.repeat(np.arange(len(budgets), dtype=np.int64), lengths)
    period = first[owner] + np.arange(size, dtype=np.int64) - offsets[owner]
    days = finishes - starts + 1
    budget = np.array(budgets, dtype=dtype)
    amounts = (2 * budget[owner] * (end_days[period] + 1 - starts[owner]) + days[owner]) // (
        2 * days[owner]
    )
    flat: list[int] = amounts.tolist()
    offset_list: list[int] = offsets.tolist()
    if explicit:
        extra_owner: list[int] = []
        extra_period: list[int] = []
        extra_amounts: list[int] = []
        for position, start, cumulative, _ in explicit:
            offset_list[position] = len(flat)
            flat += cumulative
            extra_owner += [position] * len(cumulative)
            extra_period += range(start, start + len(cumulative))
            extra_amounts += cumulative
        owner = np.concatenate((owner, np.array(extra_owner, dtype=np.int64)))
        period = np.concatenate((period, np.array(extra_period, dtype=np.int64)))
        amounts = np.concatenate((amounts, np.array(extra_amounts, dtype=dtype)))
    entries = _Entries(owner, period, amounts, budget, full)
    return first.tolist(), full.tolist(), offset_list, flat, entries


_Gathered = tuple[list[int], list[int], list[int], list[int], list[tuple[int, int, list[int], int]]]


def _gather_common(
    task_list: list[Task],
    node_rank: Mapping[str, int],
    currency: str,
    grid_first: int,
    grid_last: int,
) -> _Gathered | None:
    """The tasks' (node rank, budget, first day, last day) columns, column by column.

    Only for the common case, checked in bulk: known nodes, whole minor units
    of the currency, linear spreads inside the grid, valid milestone plans (ids are checked
    for uniqueness when the index is built). It returns None as soon as anything else turns
    up; ``_gather_checked`` then goes task by task.
    """
    count = len(task_list)
    ranks = [node_rank.get(parent, -1) for parent in map(attrgetter("parent"), task_list)]
    if -1 in ranks:
        return None
    if set(map(attrgetter("budget.currency"), task_list)) - {currency}:
        return None
    if list(map(attrgetter("period_amounts"), task_list)).count(None) != count:
        return None
    scale: int = 10 ** minor_units(currency)
    # -1 stands for a budget that is not whole minor units, so one test covers both cases.
    budgets = [
        numerator * (scale // denominator) if scale % denominator == 0 else -1
        for numerator, denominator in map(
            Decimal.as_integer_ratio, map(attrgetter("budget.amount"), task_list)
        )
    ]
    if budgets and min(budgets) < 0:
        return None
    try:
        first_days = list(map(date.toordinal, map(attrgetter("start"), task_list)))
        last_days = list(map(date.toordinal, map(attrgetter("finish"), task_list)))
    except TypeError:  # a date is missing
        return None
    if first_days and (
        min(first_days) < grid_first
        or max(last_days) > grid_last
        or any(map(gt, first_days, last_days))
    ):
        return None
    weighted = EarnedValueMethod.WEIGHTED_MILESTONES
    plans: dict[int, int] = {}
    for position, task in enumerate(task_list):
        if task.method is weighted:
            plans.setdefault(id(task.milestones), position)
        elif task.milestones:
            return None
    checked: dict[int, tuple[tuple[Milestone, ...], frozenset[str]]] = {}
    try:
        for position in plans.values():
            earned_value(task_list[position], budgets[position], None, checked)
    except InvalidInput:
        return None
    return ranks, budgets, first_days, last_days, []


def _gather_checked(
    task_list: list[Task],
    node_rank: Mapping[str, int],
    grid: PeriodGrid,
    ends: Sequence[int],
    currency: str,
) -> _Gathered:
    """``_gather_common``'s columns, task by task, for any input: the first error in task
    order is the one raised, and tasks with their own per-period amounts (or anything
    else the bulk checks do not cover) are spread one by one, into ``explicit``."""
    seen: set[str] = set()
    ranks: list[int] = []
    budgets: list[int] = []
    first_days: list[int] = []
    last_days: list[int] = []
    explicit: list[tuple[int, int, list[int], int]] = []
    checked_milestones: dict[int, tuple[tuple[Milestone, ...], frozenset[str]]] = {}
    grid_first, grid_last = grid.start.toordinal(), ends[-1]
    for position, task in enumerate(task_list):
        if task.id in seen:
            raise InvalidInput(field_name("task", task.id, "id"), "task ids must be unique")
        seen.add(task.id)
        rank = node_rank.get(task.parent)
        if rank is None:
            raise InvalidInput(
                field_name("task", task.id, "parent"), f"unknown node {task.parent!r}"
            )
        budget = _task_budget(task, currency)
        if task.milestones or task.method is EarnedValueMethod.WEIGHTED_MILESTONES:
            earned_value(task, budget, None, checked_milestones)  # validates the milestone plan
        ranks.append(rank)
        budgets.append(budget)
        start, finish = task.start, task.finish
        if task.period_amounts is None and start is not None and finish is not None:
            first_day, last_day = start.toordinal(), finish.toordinal()
            if grid_first <= first_day <= last_day <= grid_last:
                first_days.append(first_day)
                last_days.append(last_day)
                continue
        first, cumulative, full = _spread(task, budget, grid, ends, currency)
        explicit.append((position, first, cumulative, full))
        first_days.append(grid_first)
        last_days.append(grid_first)
    return ranks, budgets, first_days, last_days, explicit


def prepare_baseline(
    grid: PeriodGrid, nodes: Iterable[Node], tasks: Iterable[Task], *, currency: str
) -> Baseline:
    """Validate the baseline, spread every task over the periods and roll the curves up.

    See docs/earned-value.md ("Inputs and conventions") for the spreading rules. Python
    touches each task once, to validate it and read its figures into plain columns (in
    bulk when the whole input is of the common kind); the spread and the roll-up are
    array arithmetic (docs/performance.md, "Earned value").
    """
    with collector_paused():
        return _prepare(grid, nodes, tasks, currency)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a portfolio is processed.

    Building a baseline or analysing a status date creates hundreds of thousands of
    objects and no cycles; each collection the allocations trigger would walk the tasks
    already on the heap again, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _prepare(
    grid: PeriodGrid, nodes: Iterable[Node], tasks: Iterable[Task], currency: str
) -> Baseline:
    ends = _ordinal_ends(grid)
    count = grid.count
    ordered, depth = _node_order(nodes)
    node_rank = {node.id: rank for rank, node in enumerate(ordered)}
    task_list = list(tasks)
    gathered = _gather_common(task_list, node_rank, currency, grid.start.toordinal(), ends[-1])
    if gathered is None:
        gathered = _gather_checked(task_list, node_rank, grid, ends, currency)
    ranks, budgets, first_days, last_days, explicit = gathered
    firsts, fulls, offsets, flat, entries = _spread_columns(
        ends, count, budgets, first_days, last_days, explicit, ends[-1] - grid.start.toordinal() + 1
    )
    node_curves, node_budget = _roll_up(ordered, depth, count, ranks, entries)
    grouped, ranges = _group_by_node(task_list, ordered, ranks, [budgets, firsts, fulls, offsets])
    index = dict(zip(map(attrgetter("id"), grouped), range(len(grouped)), strict=True))
    if len(index) != len(grouped):
        # Ids repeat. The bulk checks found nothing else, so this reports the first repeat.
        _gather_checked(task_list, node_rank, grid, ends, currency)
    columns = _TaskColumns(tuple(grouped), index, budgets, firsts, fulls, offsets, flat, ranges)
    return Baseline(grid, currency, tuple(ordered), node_curves, node_budget, columns)
