"""Earned value and earned schedule, per task and rolled up through any hierarchy.

Formulas, conventions and the worked examples that the tests reproduce are in
``docs/earned-value.md``. In short:

* Planned value is time-phased from the cost-loaded baseline: a task's budget is spread
  linearly over the calendar days from its baseline start to finish, or taken from explicit
  per-period amounts. Periods are the caller's (``PeriodGrid``).
* Earned value comes from the task's method: physical % complete, 0/100, 50/50 or weighted
  milestones.
* A node of the hierarchy (WBS element, project, programme, portfolio) sums PV, EV, AC and BAC
  of everything below it and then recomputes the indices; earned schedule is interpolated on
  the node's own summed PV curve (Lipke).

Amounts are integers of minor units (cents) inside the engine. A portfolio is 200,000 tasks by
52 periods; Decimal arithmetic in that inner loop costs several seconds, integer arithmetic a
fraction of one, and integers are exact. ``Money`` is used at the edges: inputs are converted
once and results are presented as ``Money`` again.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import accumulate
from operator import add

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput
from projectoffice.engine.money import Money, minor_units, round_div
from projectoffice.engine.periods import PeriodGrid

__all__ = [
    "Analysis",
    "EarnedValueMethod",
    "Milestone",
    "Node",
    "NodeKind",
    "Performance",
    "Task",
    "TaskStatus",
    "analyse",
]

_HUNDRED = Decimal(100)


class EarnedValueMethod(enum.Enum):
    """How a task claims earned value (the PMI Practice Standard's discrete methods)."""

    PHYSICAL_PERCENT = "physical_percent"
    ZERO_HUNDRED = "0/100"
    FIFTY_FIFTY = "50/50"
    WEIGHTED_MILESTONES = "weighted_milestones"


class NodeKind(enum.Enum):
    WBS = "wbs"
    PROJECT = "project"
    PROGRAMME = "programme"
    PORTFOLIO = "portfolio"


@dataclass(frozen=True, slots=True)
class Milestone:
    """A weighted milestone of a task; ``weight`` is a percentage of the task's budget."""

    name: str
    weight: Decimal


@dataclass(frozen=True, slots=True)
class Node:
    """An element of the hierarchy that tasks roll up into; ``parent`` is None at the top."""

    id: str
    parent: str | None
    kind: NodeKind = NodeKind.WBS
    name: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """A cost-loaded baseline task (a work package, in EVM terms).

    Give either ``start`` and ``finish`` (inclusive baseline dates; the budget is spread
    linearly over those calendar days) or ``period_amounts`` (one planned amount per period
    of the grid, summing to the budget), for instance a resource-loaded spread from the
    scheduler.
    """

    id: str
    parent: str
    budget: Money
    start: date | None = None
    finish: date | None = None
    period_amounts: tuple[Money, ...] | None = None
    method: EarnedValueMethod = EarnedValueMethod.PHYSICAL_PERCENT
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """A task's progress and cumulative actual cost at the status date.

    Only the fields of the task's method apply: ``percent_complete`` (0-100) for physical %
    complete, ``started``/``finished`` for 0/100 and 50/50, ``milestones_done`` for weighted
    milestones. ``estimate_to_complete`` is the bottom-up ETC, when someone has made one.
    """

    task_id: str
    actual_cost: Money
    percent_complete: Decimal = Decimal(0)
    started: bool = False
    finished: bool = False
    milestones_done: tuple[str, ...] = ()
    estimate_to_complete: Money | None = None


def _ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


@dataclass(frozen=True, slots=True)
class Performance:
    """Earned value measures of one task or node at the status date.

    Stored as integer minor units; the properties present them as ``Money`` (rounded to the
    cent where a division is involved) and indices as unrounded ``Decimal``. Indices whose
    denominator is zero are None rather than infinite: "not yet measurable".
    Time figures (``at``, ``es``, ``planned_duration``) are in periods, counted from the start
    of the first period in which this task or node has planned value.
    """

    currency: str
    bac_minor: int
    pv_minor: int
    ev_minor: int
    ac_minor: int
    etc_bottom_up_minor: int | None = None
    new_estimate_minor: int | None = None
    at: Decimal | None = None
    es: Decimal | None = None
    planned_duration: int | None = None
    origin: int = 0

    def _money(self, minor: int) -> Money:
        return Money.from_minor(minor, self.currency)

    @property
    def bac(self) -> Money:
        return self._money(self.bac_minor)

    @property
    def pv(self) -> Money:
        return self._money(self.pv_minor)

    @property
    def ev(self) -> Money:
        return self._money(self.ev_minor)

    @property
    def ac(self) -> Money:
        return self._money(self.ac_minor)

    @property
    def sv(self) -> Money:
        return self._money(self.ev_minor - self.pv_minor)

    @property
    def cv(self) -> Money:
        return self._money(self.ev_minor - self.ac_minor)

    @property
    def spi(self) -> Decimal | None:
        return _ratio(self.ev_minor, self.pv_minor)

    @property
    def cpi(self) -> Decimal | None:
        return _ratio(self.ev_minor, self.ac_minor)

    @property
    def percent_complete(self) -> Decimal | None:
        ratio = _ratio(self.ev_minor * 100, self.bac_minor)
        return ratio

    # Estimates at completion: the four standard formulas plus a manager's new estimate.
    @property
    def eac_remaining_at_budget(self) -> Money:
        """AC + (BAC - EV): the remaining work will cost what was budgeted."""
        return self._money(self.ac_minor + self.bac_minor - self.ev_minor)

    @property
    def eac_cpi(self) -> Money | None:
        """BAC / CPI: the remaining work at the cost efficiency so far."""
        if self.ev_minor == 0:
            return None
        return self._money(round_div(self.bac_minor * self.ac_minor, self.ev_minor))

    @property
    def eac_cpi_spi(self) -> Money | None:
        """AC + (BAC - EV) / (CPI x SPI): cost and schedule efficiency both weigh on the rest."""
        if self.ev_minor == 0 or self.pv_minor == 0:
            return None
        remaining = round_div(
            (self.bac_minor - self.ev_minor) * self.ac_minor * self.pv_minor,
            self.ev_minor * self.ev_minor,
        )
        return self._money(self.ac_minor + remaining)

    @property
    def eac_bottom_up(self) -> Money | None:
        """AC + bottom-up ETC, when at least one task below has a fresh estimate."""
        if self.etc_bottom_up_minor is None:
            return None
        return self._money(self.ac_minor + self.etc_bottom_up_minor)

    @property
    def eac_new_estimate(self) -> Money | None:
        if self.new_estimate_minor is None:
            return None
        return self._money(self.new_estimate_minor)

    @property
    def eac_basis(self) -> str:
        """Which estimate ``eac`` uses: an explicit estimate beats a formula."""
        if self.new_estimate_minor is not None:
            return "new_estimate"
        if self.etc_bottom_up_minor is not None:
            return "bottom_up"
        if self.ev_minor != 0:
            return "cpi"
        return "remaining_at_budget"

    @property
    def eac(self) -> Money:
        basis = self.eac_basis
        chosen = {
            "new_estimate": self.eac_new_estimate,
            "bottom_up": self.eac_bottom_up,
            "cpi": self.eac_cpi,
        }.get(basis)
        return chosen if chosen is not None else self.eac_remaining_at_budget

    @property
    def etc(self) -> Money:
        return self.eac - self.ac

    @property
    def vac(self) -> Money:
        return self.bac - self.eac

    @property
    def tcpi_bac(self) -> Decimal | None:
        """Efficiency needed on the remaining work to finish at BAC."""
        return _ratio(self.bac_minor - self.ev_minor, self.bac_minor - self.ac_minor)

    @property
    def tcpi_eac(self) -> Decimal | None:
        """Efficiency needed on the remaining work to finish at ``eac``."""
        return _ratio(self.bac_minor - self.ev_minor, self.eac.to_minor() - self.ac_minor)

    # Earned schedule (Lipke): time-based schedule measures.
    @property
    def sv_t(self) -> Decimal | None:
        if self.es is None or self.at is None:
            return None
        return self.es - self.at

    @property
    def spi_t(self) -> Decimal | None:
        if self.es is None or self.at is None or self.at <= 0:
            return None
        return self.es / self.at

    @property
    def ieac_t(self) -> Decimal | None:
        """Forecast duration PD / SPI(t), in periods from this element's start."""
        spi_t = self.spi_t
        if spi_t is None or spi_t == 0 or self.planned_duration is None:
            return None
        return Decimal(self.planned_duration) / spi_t


def _field(kind: str, ident: str, name: str) -> str:
    return f"{kind}[{ident}].{name}"


def _minor(amount: Money, currency: str, kind: str, ident: str, name: str) -> int:
    """Minor units of an input amount; the field name is only formatted for an error."""
    if amount.currency != currency:
        raise CurrencyMismatch(
            _field(kind, ident, name),
            f"is in {amount.currency} but this analysis is in {currency}; "
            "convert at a stated rate before the analysis",
        )
    numerator, denominator = amount.amount.as_integer_ratio()
    scale: int = 10 ** minor_units(currency)
    if denominator == 1:
        return numerator * scale
    return round_div(numerator * scale, denominator)


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
class _Totals:
    """Running sums of one node; its PV curve is ``partial`` plus accumulated ``completed``."""

    partial: list[int]
    completed: list[int]
    bac: int = 0
    pv: int = 0
    ev: int = 0
    ac: int = 0
    etc: int = 0
    etc_given: bool = False

    def cumulative(self) -> list[int]:
        return list(map(add, self.partial, accumulate(self.completed)))

    def add(self, other: _Totals, curve: list[int]) -> None:
        self.partial = list(map(add, self.partial, curve))
        self.bac += other.bac
        self.pv += other.pv
        self.ev += other.ev
        self.ac += other.ac
        self.etc += other.etc
        self.etc_given = self.etc_given or other.etc_given


@dataclass(frozen=True, slots=True)
class _StatusPoint:
    """Where the status date falls: period ``index``, ``elapsed`` of its ``days`` days."""

    index: int
    elapsed: int
    days: int
    position: Decimal

    def pv_from(self, before: int, after: int) -> int:
        """Planned value at the status date given cumulative PV at the period's two ends."""
        if self.elapsed == self.days:
            return after
        # Inside a period, planned value accrues linearly over the period's days.
        return before + round_div((after - before) * self.elapsed, self.days)


def _earned_schedule(
    cumulative: Sequence[int], bac: int, ev: int, position: Decimal
) -> tuple[Decimal | None, Decimal | None, int | None, int]:
    """Lipke's ES on a cumulative PV curve; returns (AT, ES, PD, origin), time in periods.

    ``cumulative[k]`` is planned value at the end of period ``k``; time is measured from
    the start of the first period with planned value (``origin``), so a project that starts
    in week 10 of a portfolio's grid has its own clock.
    """
    if bac == 0:
        return None, None, None, 0
    origin = bisect_right(cumulative, 0)
    at = position - origin
    planned_duration = bisect_left(cumulative, bac) + 1 - origin
    if ev >= bac:
        return at, Decimal(planned_duration), planned_duration, origin
    # C = number of whole periods whose cumulative PV has been earned.
    whole = bisect_right(cumulative, ev)
    earned_before = cumulative[whole - 1] if whole > 0 else 0
    planned_next = cumulative[whole]
    fraction = Decimal(ev - earned_before) / Decimal(planned_next - earned_before)
    return at, whole - origin + fraction, planned_duration, origin


def _check_milestones(task: Task) -> frozenset[str]:
    if not task.milestones:
        raise InvalidInput(
            _field("task", task.id, "milestones"),
            "the weighted-milestones method needs at least one milestone",
        )
    names = [m.name for m in task.milestones]
    if len(set(names)) != len(names):
        raise InvalidInput(_field("task", task.id, "milestones"), "milestone names repeat")
    total = Decimal(0)
    for milestone in task.milestones:
        if milestone.weight < 0:
            raise InvalidInput(
                _field("task", task.id, "milestones"),
                f"milestone {milestone.name!r} has a negative weight",
            )
        total += milestone.weight
    if total != _HUNDRED:
        raise InvalidInput(
            _field("task", task.id, "milestones"),
            f"milestone weights must sum to 100 %, they sum to {total} %",
        )
    return frozenset(names)


def _earned(
    task: Task,
    bac: int,
    status: TaskStatus | None,
    checked: dict[tuple[Milestone, ...], frozenset[str]],
) -> int:
    """Earned value in minor units of one task by its method; validates the fit.

    ``checked`` remembers milestone sets already validated: many tasks share a template.
    """
    method = task.method
    if method is EarnedValueMethod.WEIGHTED_MILESTONES:
        names = checked.get(task.milestones) or _check_milestones(task)
        checked[task.milestones] = names
    elif task.milestones:
        raise InvalidInput(
            _field("task", task.id, "milestones"),
            f"milestones only apply to the weighted-milestones method, not {method.value}",
        )
    if status is None:
        return 0
    if method is EarnedValueMethod.PHYSICAL_PERCENT:
        percent = status.percent_complete
        if not 0 <= percent <= _HUNDRED:
            raise InvalidInput(
                _field("status", task.id, "percent_complete"),
                f"must be between 0 and 100, got {percent}",
            )
        numerator, denominator = percent.as_integer_ratio()
        return round_div(bac * numerator, denominator * 100)
    if status.percent_complete:
        raise InvalidInput(
            _field("status", task.id, "percent_complete"),
            f"does not apply to a task measured by the {method.value} method",
        )
    if method is EarnedValueMethod.WEIGHTED_MILESTONES:
        weight = Decimal(0)
        by_name = {m.name: m.weight for m in task.milestones}
        for name in status.milestones_done:
            if name not in names:
                raise InvalidInput(
                    _field("status", task.id, "milestones_done"),
                    f"{name!r} is not a milestone of this task",
                )
            weight += by_name[name]
        numerator, denominator = weight.as_integer_ratio()
        return round_div(bac * numerator, denominator * 100)
    if status.milestones_done:
        raise InvalidInput(
            _field("status", task.id, "milestones_done"),
            f"does not apply to a task measured by the {method.value} method",
        )
    if status.finished:
        return bac
    if method is EarnedValueMethod.FIFTY_FIFTY and status.started:
        return round_div(bac, 2)
    return 0


def _node_order(nodes: Iterable[Node]) -> list[Node]:
    """Nodes deepest first, so that each is complete before it is added to its parent."""
    by_id: dict[str, Node] = {}
    for node in nodes:
        if node.id in by_id:
            raise InvalidInput(_field("node", node.id, "id"), "node ids must be unique")
        by_id[node.id] = node
    depth: dict[str, int] = {}
    for node in by_id.values():
        chain: list[str] = []
        current: str | None = node.id
        while current is not None and current not in depth:
            if current in chain:
                raise InvalidInput(_field("node", current, "parent"), "the hierarchy has a cycle")
            chain.append(current)
            parent = by_id[current].parent
            if parent is not None and parent not in by_id:
                raise InvalidInput(
                    _field("node", current, "parent"), f"unknown parent node {parent!r}"
                )
            current = parent
        base = -1 if current is None else depth[current]
        for offset, ident in enumerate(reversed(chain), start=1):
            depth[ident] = base + offset
    return sorted(by_id.values(), key=lambda n: depth[n.id], reverse=True)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of ``analyse``: performance per node and per task, and PV curves."""

    grid: PeriodGrid
    status_date: date
    currency: str
    nodes: Mapping[str, Performance]
    node_pv_curves: Mapping[str, tuple[int, ...]]
    _task_measures: Mapping[str, tuple[int, int, int, int, int | None]] = field(repr=False)
    _tasks: Mapping[str, Task] = field(repr=False)

    def node(self, node_id: str) -> Performance:
        return self.nodes[node_id]

    def pv_curve(self, node_id: str) -> tuple[Money, ...]:
        """Cumulative planned value at each period end."""
        return tuple(Money.from_minor(v, self.currency) for v in self.node_pv_curves[node_id])

    def task(self, task_id: str) -> Performance:
        """One task's performance, including earned schedule on its own PV curve."""
        bac, pv, ev, ac, etc = self._task_measures[task_id]
        cumulative = _task_cumulative(self._tasks[task_id], self.grid, self.currency)
        at, es, planned_duration, origin = _earned_schedule(
            cumulative, bac, ev, self.grid.position(self.status_date)
        )
        return Performance(
            self.currency, bac, pv, ev, ac, etc, None, at, es, planned_duration, origin
        )

    @property
    def task_ids(self) -> Iterable[str]:
        return self._task_measures.keys()


def _ordinal_ends(grid: PeriodGrid) -> list[int]:
    return [end.toordinal() for end in grid.ends]


def _explicit_spread(
    task: Task, budget: int, grid: PeriodGrid, currency: str
) -> tuple[int, list[int], int]:
    """A task's own per-period amounts, in the shape ``_linear_spread`` returns."""
    assert task.period_amounts is not None
    name = _field("task", task.id, "period_amounts")
    if task.start is not None or task.finish is not None:
        raise InvalidInput(name, "give either baseline dates or per-period amounts, not both")
    if len(task.period_amounts) != grid.count:
        raise InvalidInput(
            name, f"needs one amount per period ({grid.count}), got {len(task.period_amounts)}"
        )
    amounts = [_minor(a, currency, "task", task.id, "period_amounts") for a in task.period_amounts]
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
            _field("task", task.id, "start"),
            "a task needs baseline start and finish dates or per-period amounts",
        )
    first_day, last_day = task.start.toordinal(), task.finish.toordinal()
    # Ordinal comparisons first: this runs once per task, and the grid lookup costs more.
    if first_day < grid.start.toordinal():
        grid.index_of(task.start, _field("task", task.id, "start"))
    if last_day > ends[-1]:
        grid.index_of(task.finish, _field("task", task.id, "finish"))
    if last_day < first_day:
        raise InvalidInput(_field("task", task.id, "finish"), "is before the baseline start")
    return _linear_spread(budget, first_day, last_day, ends)


def _task_budget(task: Task, currency: str) -> int:
    budget = _minor(task.budget, currency, "task", task.id, "budget")
    if budget < 0:
        raise InvalidInput(_field("task", task.id, "budget"), "must not be negative")
    return budget


def _task_cumulative(task: Task, grid: PeriodGrid, currency: str) -> list[int]:
    budget = _task_budget(task, currency)
    first, cumulative, full = _spread(task, budget, grid, _ordinal_ends(grid), currency)
    return [0] * first + cumulative + [budget] * (grid.count - full)


def _status_measures(
    task: Task, status: TaskStatus, currency: str
) -> tuple[int, int | None]:
    """(actual cost, bottom-up ETC or None) of one task, in minor units."""
    actual = _minor(status.actual_cost, currency, "status", task.id, "actual_cost")
    if actual < 0:
        raise InvalidInput(_field("status", task.id, "actual_cost"), "must not be negative")
    if status.estimate_to_complete is None:
        return actual, None
    etc = _minor(status.estimate_to_complete, currency, "status", task.id, "estimate_to_complete")
    if etc < 0:
        raise InvalidInput(
            _field("status", task.id, "estimate_to_complete"), "must not be negative"
        )
    return actual, etc


def analyse(
    grid: PeriodGrid,
    nodes: Iterable[Node],
    tasks: Iterable[Task],
    statuses: Iterable[TaskStatus],
    status_date: date,
    *,
    currency: str,
    new_estimates: Mapping[str, Money] | None = None,
) -> Analysis:
    """Earned value and earned schedule of every task and node at ``status_date``.

    All amounts must be in ``currency`` (convert beforehand, at a stated rate). Tasks
    without a status have earned and spent nothing. ``new_estimates`` are managers'
    estimates at completion by node id. See docs/earned-value.md.
    """
    ends = _ordinal_ends(grid)
    count = grid.count
    position = grid.position(status_date)
    index = grid.index_of(status_date, "status_date")
    point = _StatusPoint(
        index,
        (status_date - grid.period_start(index)).days + 1,
        grid.period_days(index),
        position,
    )

    ordered = _node_order(nodes)
    totals = {node.id: _Totals([0] * count, [0] * (count + 1)) for node in ordered}

    status_by_task: dict[str, TaskStatus] = {}
    for given in statuses:
        if given.task_id in status_by_task:
            raise InvalidInput(_field("status", given.task_id, "task_id"), "appears twice")
        status_by_task[given.task_id] = given

    measures: dict[str, tuple[int, int, int, int, int | None]] = {}
    checked_milestones: dict[tuple[Milestone, ...], frozenset[str]] = {}
    task_by_id: dict[str, Task] = {}
    # The hot loop: one pass per task, integers only. The common cases (amounts in whole
    # cents, a linear spread, physical % complete) are inlined; anything else, including every
    # error, goes through the general helpers, which validate and explain.
    scale: int = 10 ** minor_units(currency)
    grid_first, grid_last = grid.start.toordinal(), ends[-1]
    physical = EarnedValueMethod.PHYSICAL_PERCENT
    for task in tasks:
        if task.id in task_by_id:
            raise InvalidInput(_field("task", task.id, "id"), "task ids must be unique")
        task_by_id[task.id] = task
        node_totals = totals.get(task.parent)
        if node_totals is None:
            raise InvalidInput(_field("task", task.id, "parent"), f"unknown node {task.parent!r}")
        numerator, denominator = task.budget.amount.as_integer_ratio()
        if task.budget.currency == currency and numerator >= 0 and scale % denominator == 0:
            budget = numerator * (scale // denominator)
        else:
            budget = _task_budget(task, currency)

        start, finish = task.start, task.finish
        first_day = start.toordinal() if start is not None else 0
        last_day = finish.toordinal() if finish is not None else 0
        if (
            task.period_amounts is None
            and start is not None
            and finish is not None
            and grid_first <= first_day <= last_day <= grid_last
        ):
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
            partial = node_totals.partial
            partial[first:full] = map(add, partial[first:full], cumulative)
        node_totals.completed[full] += budget

        # Planned value at the status date, from the task's cumulative curve.
        if index < first:
            planned = 0
        elif index > full:
            planned = budget
        else:
            after = budget if index == full else cumulative[index - first]
            before = 0 if index == first else cumulative[index - first - 1]
            planned = point.pv_from(before, after)

        status = status_by_task.get(task.id)
        if status is None:
            earned = _earned(task, budget, status, checked_milestones)
            actual, etc = 0, None
        else:
            percent = status.percent_complete
            if (
                task.method is physical
                and not task.milestones
                and not status.milestones_done
                and 0 <= percent <= _HUNDRED
            ):
                numerator, denominator = percent.as_integer_ratio()
                earned = (budget * numerator * 2 + denominator * 100) // (denominator * 200)
            else:
                earned = _earned(task, budget, status, checked_milestones)
            cost = status.actual_cost
            numerator, denominator = cost.amount.as_integer_ratio()
            if (
                cost.currency == currency
                and numerator >= 0
                and scale % denominator == 0
                and status.estimate_to_complete is None
            ):
                actual, etc = numerator * (scale // denominator), None
            else:
                actual, etc = _status_measures(task, status, currency)
        measures[task.id] = (budget, planned, earned, actual, etc)
        node_totals.bac += budget
        node_totals.pv += planned
        node_totals.ev += earned
        node_totals.ac += actual
        if etc is None:
            # Without a fresh estimate the remaining work is assumed to cost its budget.
            node_totals.etc += budget - earned
        else:
            node_totals.etc += etc
            node_totals.etc_given = True

    unknown = set(status_by_task) - set(task_by_id)
    if unknown:
        raise InvalidInput(_field("status", min(unknown), "task_id"), "no such task")

    estimates = dict(new_estimates or {})
    for node_id in estimates:
        if node_id not in totals:
            raise InvalidInput(_field("new_estimates", node_id, "node"), "no such node")

    results: dict[str, Performance] = {}
    curves: dict[str, tuple[int, ...]] = {}
    for node in ordered:
        node_totals = totals[node.id]
        curve = node_totals.cumulative()
        if node.parent is not None:
            totals[node.parent].add(node_totals, curve)
        at, es, planned_duration, origin = _earned_schedule(
            curve, node_totals.bac, node_totals.ev, position
        )
        estimate = estimates.get(node.id)
        results[node.id] = Performance(
            currency=currency,
            bac_minor=node_totals.bac,
            pv_minor=node_totals.pv,
            ev_minor=node_totals.ev,
            ac_minor=node_totals.ac,
            etc_bottom_up_minor=node_totals.etc if node_totals.etc_given else None,
            new_estimate_minor=(
                None
                if estimate is None
                else _minor(estimate, currency, "new_estimates", node.id, "amount")
            ),
            at=at,
            es=es,
            planned_duration=planned_duration,
            origin=origin,
        )
        curves[node.id] = tuple(curve)
    return Analysis(grid, status_date, currency, results, curves, measures, task_by_id)
