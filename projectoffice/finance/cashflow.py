"""A project's cash flow by calendar month: planned cost, actual cost, cash out and the
commitments still open at each month's end, with cumulative figures (docs/time-and-money.md,
"Cash flow by month")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add
from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.planning.models import Baseline, BaselineTask, Plan, PlanTask
from projectoffice.portfolio.health import finish_from
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment, Rate
from projectoffice.resources.queries import planned_cost

from . import memo
from .models import (
    ActualCost,
    BudgetLine,
    BudgetStatus,
    BudgetVersion,
    CostCategory,
    CostSource,
    InvoiceStatus,
    Payment,
    PurchaseOrder,
)
from .rollup import Rates, default_currency

ZERO = Decimal(0)
CENT = Decimal("0.01")
MAX_MONTHS = 240
CASH_SOURCES = (CostSource.TIME, CostSource.ADJUSTMENT, CostSource.EXPENSE)


def parse_month(raw: str | None, name: str) -> dt.date | None:
    """``YYYY-MM`` → the month's first day; empty → None; anything else is refused naming
    the parameter."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        return dt.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise InvalidInput.field(name, f"{text!r} is not a month: write it as YYYY-MM, "
                                       "e.g. 2026-03") from None


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def spread_by_month(amount: Decimal, first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    """``amount`` spread evenly over the calendar days from ``first`` to ``last``, summed by
    month, to the cent; the last month takes the rounding so the parts add up exactly."""
    last = max(first, last)
    days = (last - first).days + 1
    parts: dict[dt.date, Decimal] = {}
    month = first.replace(day=1)
    while month <= last:
        lo, hi = max(first, month), min(last, month_end(month))
        parts[month] = (amount * ((hi - lo).days + 1) / days).quantize(CENT)
        month = next_month(month)
    parts[last.replace(day=1)] += amount - sum(parts.values(), ZERO)
    return parts


@dataclass
class MonthRow:
    month: dt.date
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    cash_out: Decimal = ZERO
    open_commitments: Decimal = ZERO
    cum_planned: Decimal = ZERO
    cum_actual: Decimal = ZERO
    cum_cash_out: Decimal = ZERO

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass
class CashFlow:
    currency: str
    rows: list[MonthRow] = field(default_factory=list)
    planned_source: str = ""

    @property
    def totals(self) -> dict[str, Decimal]:
        return {name: sum((getattr(r, name) for r in self.rows), ZERO)
                for name in ("planned", "actual", "cash_out")}


@dataclass
class _Sources:
    """What a project's cash flow reads, fetched for many projects at once by
    ``_load_sources`` (a fixed number of queries, whatever the number of projects)."""

    plan_finish: dt.datetime | None = None
    baseline_tasks: list[tuple[int, dt.datetime | None, dt.datetime | None]] = \
        field(default_factory=list)
    summaries: set[int] = field(default_factory=set)
    assignments: list[Any] = field(default_factory=list)  # rows read like Assignment
    budget_lines: list[tuple[str, dt.date, Decimal]] | None = None  # None: no approved budget
    costs: list[tuple[dt.date, Decimal, str]] = field(default_factory=list)
    payments: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    orders: list[PurchaseOrder] = field(default_factory=list)


def _load_sources(projects: list[Project]) -> tuple[dict[int, _Sources], dict[int, list[Any]]]:
    """Each project's cash-flow inputs by project pk, and the rates of the resources their
    assignments use."""
    ids = [p.pk for p in projects]
    out = {pk: _Sources() for pk in ids}
    rates: dict[int, list[Any]] = {}
    if not ids:
        return out, rates
    plan_of: dict[int, int] = {}
    for plan_id, project_id, finish in Plan.objects.filter(project_id__in=ids).values_list(
            "pk", "project_id", "finish"):
        plan_of[plan_id] = project_id
        out[project_id].plan_finish = finish
    lowest: dict[int, int] = {}  # baseline pk → project pk: each plan's lowest number
    seen_plans: set[int] = set()
    for pk, plan_id in (Baseline.objects.filter(plan_id__in=list(plan_of))
                        .order_by("plan_id", "number").values_list("pk", "plan_id")):
        if plan_id not in seen_plans:
            seen_plans.add(plan_id)
            lowest[pk] = plan_of[plan_id]
    for plan_id, uid in PlanTask.objects.filter(plan_id__in=list(plan_of), summary=True) \
            .values_list("plan_id", "uid"):
        out[plan_of[plan_id]].summaries.add(uid)
    for baseline_id, uid, start, finish in BaselineTask.objects.filter(
            baseline_id__in=list(lowest)).values_list("baseline_id", "uid", "start", "finish"):
        out[lowest[baseline_id]].baseline_tasks.append((uid, start, finish))
    # Rows read like Assignment and Rate: only the columns the planned cost needs.
    for a in Assignment.objects.filter(project_id__in=ids).values_list(
            "project_id", "task_uid", "resource_id", "work", named=True):
        out[a.project_id].assignments.append(a)
        rates.setdefault(a.resource_id, [])
    for rate in Rate.objects.filter(resource_id__in=list(rates)).values_list(
            "resource_id", "effective_from", "standard", "cost_per_use", named=True):
        rates[rate.resource_id].append(rate)
    approved: dict[int, int] = {}  # project pk → its approved budget of the highest number
    for pk, project_id in (BudgetVersion.objects.filter(project_id__in=ids,
                                                        status=BudgetStatus.APPROVED)
                           .order_by("number").values_list("pk", "project_id")):
        approved[project_id] = pk
    for project_id in approved:
        out[project_id].budget_lines = []
    project_of_budget = {pk: project_id for project_id, pk in approved.items()}
    for budget_id, category, period, amount in BudgetLine.objects.filter(
            budget_id__in=list(project_of_budget)).values_list("budget_id", "category",
                                                               "period", "amount"):
        lines = out[project_of_budget[budget_id]].budget_lines
        assert lines is not None
        lines.append((category, period, amount))
    for project_id, day, amount, kind in ActualCost.objects.filter(
            project_id__in=ids).values_list("project_id", "date", "amount", "source"):
        out[project_id].costs.append((day, amount, kind))
    for project_id, day, amount in Payment.objects.filter(
            invoice__order__project_id__in=ids).values_list("invoice__order__project_id",
                                                            "date", "amount"):
        out[project_id].payments.append((day, amount))
    for order in PurchaseOrder.objects.filter(project_id__in=ids).prefetch_related("invoices"):
        out[order.project_id].orders.append(order)
    return out, rates


def _planned(src: _Sources, rates: dict[int, list[Any]]) -> tuple[dict[dt.date, Decimal], str]:
    months: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    tasks = {uid: (start, finish) for uid, start, finish in src.baseline_tasks
             if uid not in src.summaries and start and finish}
    resource_cost = False
    for a in src.assignments:
        if a.task_uid not in tasks:
            continue
        start, finish = tasks[a.task_uid]
        assert start is not None and finish is not None
        cost = planned_cost(a, rates.get(a.resource_id, []), start.date())
        if cost <= 0:
            continue
        resource_cost = True
        for month, part in spread_by_month(cost, start.date(), finish.date()).items():
            months[month] += part
    if src.budget_lines is not None:
        for category, period, amount in src.budget_lines:
            if resource_cost and category == CostCategory.LABOUR:
                continue
            months[period.replace(day=1)] += amount
    if resource_cost:
        source = "baseline resource cost and the approved budget's non-labour lines"
    elif src.budget_lines is not None:
        source = "the approved budget's lines"
    else:
        source = "nothing yet: no baseline with cost and no approved budget"
    return dict(months), source


def planned_by_month(project: Project) -> tuple[dict[dt.date, Decimal], str]:
    """Planned cost by month: the baseline's resource cost (as for PV: work × the rate at the
    baseline start, plus cost per use) spread by calendar day over each task's baseline dates,
    and the approved budget's other lines in their month.  Labour budget lines count only when
    the baseline carries no resource cost."""
    sources, rates = _load_sources([project])
    return _planned(sources[project.pk], rates)


def project_cash_flow(project: Project, first: dt.date | None = None,
                      last: dt.date | None = None) -> CashFlow:
    """The months from ``first`` to ``last`` (first days of months; by default the span of
    the project and of its money).  Cumulative figures count everything before ``first``."""
    if first and last and last < first:
        raise InvalidInput.field("to", "is before the first month")
    sources, rates = _load_sources([project])
    return _cash_flow(project, sources[project.pk], rates, first, last)


@dataclass(frozen=True)
class KeptFlow:
    """A project's cash flow as a roll-up reads it: from the ``first`` month on (None: no
    months), one list of cents per month for each of planned, actual, cash out and open
    commitments.  Kept as plain integers because a roll-up reads a thousand projects of a
    hundred months and more each: decimals tagged one by one cost it most of its time."""

    currency: str
    first: dt.date | None
    columns: tuple[list[int], list[int], list[int], list[int]]

    @property
    def months(self) -> int:
        return len(self.columns[0])


def project_cash_flows(projects: list[Project]) -> dict[int, KeptFlow]:
    """``project_cash_flow`` (every month) of each project by pk, kept under the project's
    data version (memo.py): only the projects whose data changed since are computed, their
    inputs read in a fixed number of queries."""
    return memo.memoised("cash", "", projects, _compute_cash_flows, _flow_to_json,
                         _flow_from_json)


def _compute_cash_flows(projects: list[Project]) -> dict[int, KeptFlow]:
    sources, rates = _load_sources(projects)
    return {p.pk: _kept(_cash_flow(p, sources[p.pk], rates, None, None)) for p in projects}


ROW_FIELDS = ("month", "planned", "actual", "cash_out", "open_commitments", "cum_planned",
              "cum_actual", "cum_cash_out")
KEPT_FIELDS = ("planned", "actual", "cash_out", "open_commitments")


def _cents(value: Decimal) -> int:
    return int(value.scaleb(2))  # the months' figures are quantized to the cent


def _kept(flow: CashFlow) -> KeptFlow:
    cols = tuple([_cents(getattr(r, name)) for r in flow.rows] for name in KEPT_FIELDS)
    return KeptFlow(flow.currency, flow.rows[0].month if flow.rows else None,
                    (cols[0], cols[1], cols[2], cols[3]))


def _flow_to_json(flow: KeptFlow) -> Any:
    return {"currency": flow.currency,
            "first": flow.first.isoformat() if flow.first else None,
            "cents": list(flow.columns)}


def _flow_from_json(data: Any) -> KeptFlow:
    first, cols = data["first"], data["cents"]
    return KeptFlow(data["currency"], dt.date.fromisoformat(first) if first else None,
                    (cols[0], cols[1], cols[2], cols[3]))


def month_index(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def month_of_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _cash_flow(project: Project, src: _Sources, rates: dict[int, list[Any]],
               first: dt.date | None, last: dt.date | None) -> CashFlow:
    planned, source = _planned(src, rates)
    actual: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    cash: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for day, amount, kind in src.costs:
        actual[day.replace(day=1)] += amount
        if kind in CASH_SOURCES:
            cash[day.replace(day=1)] += amount
    for day, amount in src.payments:
        cash[day.replace(day=1)] += amount
    orders = src.orders
    seen = [*planned, *actual, *cash, *(o.issued.replace(day=1) for o in orders)]
    # The months run to the plan's finish, and to the target finish when it is later.
    ends = (project.start_date, project.finish_date,
            finish_from(src.plan_finish, project.finish_date).date)
    seen += [d.replace(day=1) for d in ends if d]
    if not seen and not (first and last):
        return CashFlow(project.currency, [], source)
    start = min([*seen, *([first] if first else [])])
    end = max([*seen, *([last] if last else [])])
    if first is not None and last is not None:
        count = (last.year - first.year) * 12 + last.month - first.month + 1
        if count > MAX_MONTHS:
            raise InvalidInput.field("to", f"ask for at most {MAX_MONTHS} months at a time")
    rows: list[MonthRow] = []
    month = start
    totals = [ZERO, ZERO, ZERO]
    while month <= end:
        totals = [totals[0] + planned.get(month, ZERO), totals[1] + actual.get(month, ZERO),
                  totals[2] + cash.get(month, ZERO)]
        close = month_end(month)
        open_ = ZERO
        for order in orders:
            if order.issued > close or not order.open_at(close):
                continue
            invoiced = sum((i.amount for i in order.invoices.all()
                            if i.status == InvoiceStatus.APPROVED and i.date <= close), ZERO)
            open_ += max(ZERO, order.amount - invoiced)
        rows.append(MonthRow(month, *(v.quantize(CENT) for v in (
            planned.get(month, ZERO), actual.get(month, ZERO), cash.get(month, ZERO), open_,
            *totals))))
        month = next_month(month)
    rows = [r for r in rows if (first is None or r.month >= first)
            and (last is None or r.month <= last)]
    if first is None and last is None and len(rows) > MAX_MONTHS:
        rows = rows[-MAX_MONTHS:]
    return CashFlow(project.currency, rows, source)


CSV_HEADERS = ("Month", "Planned", "Actual cost", "Cash out", "Open commitments",
               "Cumulative planned", "Cumulative actual cost", "Cumulative cash out")


def csv_rows(flow: CashFlow) -> list[tuple[str, ...]]:
    return [(r.label, *(str(getattr(r, name)) for name in (
        "planned", "actual", "cash_out", "open_commitments", "cum_planned", "cum_actual",
        "cum_cash_out"))) for r in flow.rows]


@dataclass
class ProjectCash:
    """One project's part of a cash-flow roll-up, in the roll-up's currency: its sums over
    the months shown, its open commitments at the last of them, and its actual cost less its
    planned cost over the months shown up to the roll-up's day (above plan when positive)."""

    project: Project
    planned: Decimal
    actual: Decimal
    cash_out: Decimal
    open_commitments: Decimal
    over_plan: Decimal


@dataclass
class CashFlowRollup:
    currency: str
    day: dt.date
    rows: list[MonthRow] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    rates: dict[str, Decimal] = field(default_factory=dict)
    by_project: list[ProjectCash] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {name: sum((getattr(r, name) for r in self.rows), ZERO)
                for name in ("planned", "actual", "cash_out")}


def _converter(rate: Decimal) -> Any:
    """cents → cents at ``rate``, rounded half to even as ``(amount * rate).quantize(CENT)``
    rounds, in integers (a roll-up converts a few hundred thousand of them)."""
    if rate == 1:
        return None
    num, den = rate.as_integer_ratio()

    def convert(cents: int) -> int:
        q, r = divmod(cents * num, den)
        return q + 1 if 2 * r > den or (2 * r == den and q & 1) else q

    return convert


def rollup_cash_flow(projects: list[Project], day: dt.date, currency: str | None = None,
                     first: dt.date | None = None,
                     last: dt.date | None = None) -> CashFlowRollup:
    """The monthly cash flows of ``projects`` summed in ``currency`` (default: the one most
    of them use), each converted at the exchange rate in force on ``day`` (one rate for every
    month, as for the earned value roll-up).  A project's open commitments carry on after its
    last month.  Raises MissingRate naming the first pair without a rate.  Sums in cents:
    each project's month converted to the cent, then added."""
    if first and last and last < first:
        raise InvalidInput.field("to", "is before the first month")
    target = (currency or default_currency(projects)).upper()
    result = CashFlowRollup(target, day)
    flows: list[tuple[Project, Any, KeptFlow]] = []
    every = project_cash_flows(projects)
    rates = Rates((p.currency for p in projects), target)
    for project in sorted(projects, key=lambda p: p.code):
        flow = every[project.pk]
        if flow.first is None:
            continue
        rate = rates.on(project.currency, day)
        if project.currency != target:
            result.rates[f"{project.currency}→{target}"] = rate
        flows.append((project, _converter(rate), flow))
        result.projects.append(project)
    if not flows:
        return result
    start = min([month_index(f.first) for _, _, f in flows if f.first]
                + ([month_index(first)] if first else []))
    end = max([month_index(f.first) + f.months - 1 for _, _, f in flows if f.first]
              + ([month_index(last)] if last else []))
    if first and last and (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        raise InvalidInput.field("to", f"ask for at most {MAX_MONTHS} months at a time")
    count = end - start + 1
    lo = month_index(first) - start if first else 0  # the months shown: lo to hi
    hi = month_index(last) - start if last else count - 1
    now = min(hi, month_index(day) - start)  # the months shown up to the day's
    sums = [[0] * count for _ in KEPT_FIELDS]
    carried = [0] * (count + 1)  # open commitments after a project's last month, by change
    for project, convert, flow in flows:
        assert flow.first is not None
        offset = month_index(flow.first) - start
        own = [0, 0, 0, 0, 0]
        for k, column in enumerate(flow.columns):
            values = column if convert is None else [convert(v) if v else 0 for v in column]
            total = sums[k]
            total[offset:offset + len(values)] = map(add, total[offset:offset + len(values)],
                                                     values)
            if k < 3:
                own[k] = sum(values[max(0, lo - offset):max(0, hi - offset + 1)])
                if k < 2:  # actual less planned, to date
                    to_date = sum(values[max(0, lo - offset):max(0, now - offset + 1)])
                    own[4] += to_date if k == 1 else -to_date
            else:
                final = values[-1] if values else 0
                after = offset + len(values)
                carried[min(after, count)] += final
                carried[count] -= final
                shown = hi - offset
                own[3] = (values[shown] if 0 <= shown < len(values)
                          else final if shown >= len(values) else 0)
        result.by_project.append(ProjectCash(project, *(Decimal(v).scaleb(-2) for v in own)))
    cum = [0, 0, 0]
    tail = 0
    for n in range(count):
        tail += carried[n]
        planned, actual, cash_out = sums[0][n], sums[1][n], sums[2][n]
        cum = [cum[0] + planned, cum[1] + actual, cum[2] + cash_out]
        if lo <= n <= hi:
            result.rows.append(MonthRow(month_of_index(start + n), *(
                Decimal(v).scaleb(-2) for v in (planned, actual, cash_out,
                                                 sums[3][n] + tail, *cum))))
    return result
