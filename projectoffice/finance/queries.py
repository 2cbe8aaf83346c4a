"""Reads of project money: the cost summary, earned value at the status date (with the
S-curve) and the benefit case — computed by the pure engines in projectoffice/engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from projectoffice.engine import evm
from projectoffice.engine import finance as fin
from projectoffice.engine.errors import InvalidInput as EngineInput
from projectoffice.engine.money import Money
from projectoffice.engine.periods import PeriodGrid
from projectoffice.engine.scurve import SCurve, s_curve
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.planning.models import Baseline, BaselineTask, Plan, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment, Rate
from projectoffice.resources.queries import planned_cost

from . import ledger, memo
from .models import (
    ActualCost,
    BudgetLine,
    BudgetStatus,
    BudgetVersion,
    CashFlowLine,
    CostCategory,
    CostSource,
    EarningRule,
    EvMethod,
    Expense,
    Forecast,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentStatus,
    PurchaseOrder,
)
from .outline import Outline, outline_of

ZERO = Decimal(0)
NOTHING = Decimal("0.00")  # an amount of money that is nil, shown to the cent
PROJECT_NODE = "project"


def cost_summary(project: Project) -> dict[str, Any]:
    by_source = {row["source"]: row["s"] for row in ActualCost.objects.filter(project=project)
                 .values("source").annotate(s=Sum("amount"))}
    budget = (BudgetVersion.objects.filter(project=project, status=BudgetStatus.APPROVED)
              .order_by("-number").first())
    orders = order_rows(project)
    committed = sum((o.amount for o in orders), ZERO)
    return {
        "actual": sum(by_source.values(), ZERO),
        "by_source": [(CostSource(s).label, by_source.get(s, ZERO)) for s in CostSource.values],
        "budget": budget,
        "budget_total": (budget.lines.aggregate(s=Sum("amount"))["s"] or ZERO) if budget
        else ZERO,
        "budgets": list(BudgetVersion.objects.filter(project=project)
                        .annotate(total=Sum("lines__amount"))),
        "orders": orders, "committed": committed,
        "open_commitments": sum((o.remaining for o in orders), ZERO),
        "paid": sum((o.paid for o in orders), ZERO),
        "payments": _payments(project),
        "awaiting_invoices": list(Invoice.objects.filter(order__project=project,
                                                         status=InvoiceStatus.AWAITING)
                                  .select_related("order")),
        "expenses": list(Expense.objects.filter(project=project)),
    }


def _payments(project: Project) -> list[Payment]:
    """The project's payments, latest first, each knowing whether it has been reversed."""
    payments = list(Payment.objects.filter(invoice__order__project=project)
                    .select_related("invoice__order", "recorded_by")
                    .order_by("-date", "-pk"))
    reversed_ids = {p.reverses_id for p in payments if p.reverses_id}
    for p in payments:
        p.reversed = p.pk in reversed_ids
    return payments


def payment_status(amount: Decimal, paid: Decimal) -> PaymentStatus:
    if paid <= 0:
        return PaymentStatus.UNPAID
    return PaymentStatus.PAID if paid >= amount else PaymentStatus.PART_PAID


def order_rows(project: Project) -> list[PurchaseOrder]:
    """The project's orders with their invoices and payments, each order carrying
    ``invoiced`` (approved invoices), ``paid`` and ``remaining`` (the commitment not yet
    invoiced, never below zero) and each invoice ``paid``, ``outstanding`` and
    ``payment_status`` (an invoice awaiting approval is not payable: outstanding 0)."""
    orders = list(PurchaseOrder.objects.filter(project=project)
                  .prefetch_related("invoices__payments"))
    for order in orders:
        invoiced = paid = ZERO
        for invoice in order.invoices.all():
            invoice.paid = sum((p.amount for p in invoice.payments.all()), ZERO)
            approved = invoice.status == InvoiceStatus.APPROVED
            invoice.outstanding = invoice.amount - invoice.paid if approved else ZERO
            invoice.payment_status = payment_status(invoice.amount, invoice.paid)
            invoice.payment_label = PaymentStatus(invoice.payment_status).label
            reversed_ids = {p.reverses_id for p in invoice.payments.all()}
            invoice.reversible = [p for p in invoice.payments.all()
                                  if p.reverses_id is None and p.pk not in reversed_ids]
            invoiced += invoice.amount if approved else ZERO
            paid += invoice.paid
        order.invoiced, order.paid = invoiced, paid
        # A closed order commits nothing more: what it did not invoice was released.
        order.remaining = max(ZERO, order.amount - invoiced) if order.closed_on is None \
            else NOTHING
    return orders


def invoice_payments(project: Project, invoice_id: int) -> tuple[Invoice, list[Payment]]:
    invoice = Invoice.objects.filter(order__project=project, pk=invoice_id) \
        .select_related("order").first()
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id} on {project.code}")
    payments = list(invoice.payments.select_related("recorded_by"))
    invoice.paid = sum((p.amount for p in payments), ZERO)
    invoice.outstanding = invoice.amount - invoice.paid \
        if invoice.status == InvoiceStatus.APPROVED else ZERO
    invoice.payment_status = payment_status(invoice.amount, invoice.paid)
    return invoice, payments


def payment_out(p: Payment) -> dict[str, Any]:
    return {"id": p.pk, "invoice_id": p.invoice_id, "date": p.date, "amount": p.amount,
            "reference": p.reference, "reverses": p.reverses_id, "reason": p.reason,
            "recorded_by": p.recorded_by.username if p.recorded_by else None,
            "recorded_at": p.recorded_at}


def forecasts(project: Project, ev: EarnedValue | None) -> dict[str, Any]:
    """The forecasts entered by hand: the latest of the project and of each WBS element,
    with EAC = AC up to the forecast's date + the entered ETC and VAC = BAC − EAC (BAC from
    the earned value analysis, when there is one), and every entry as history."""
    entries = list(Forecast.objects.filter(project=project).select_related("entered_by")
                   .order_by("task_uid", "-as_of", "-entered_at", "-pk"))
    if not entries:
        return {"latest": [], "history": []}
    outline = outline_of(PlanTask.objects.filter(plan__project=project))
    costs = list(ActualCost.objects.filter(project=project).values_list("task_uid", "date",
                                                                        "amount"))
    bac: dict[int | None, Decimal] = {}
    if ev is not None:
        bac[None] = ev.figures["bac"]
        bac.update({t["uid"]: t["bac"] for t in ev.tasks})
        bac.update({e["uid"]: e["bac"] for e in ev.elements})
    latest: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    seen: set[int | None] = set()
    for entry in entries:
        uid = entry.task_uid
        members = None if uid is None else {uid, *outline.descendants(uid)} \
            if uid in outline.tasks else {uid}
        ac = sum((a for t, d, a in costs if d <= entry.as_of
                  and (members is None or t in members)), ZERO)
        row = {"id": entry.pk, "task_uid": uid,
               "element": "Project" if uid is None else
               f"{uid} · {outline.tasks[uid].name}" if uid in outline.tasks else f"{uid}",
               "as_of": entry.as_of, "etc": entry.etc, "ac": ac, "eac": ac + entry.etc,
               "bac": bac.get(uid), "basis": entry.basis,
               "entered_by": entry.entered_by.username if entry.entered_by else None,
               "entered_by_name": str(entry.entered_by) if entry.entered_by else "–",
               "entered_at": entry.entered_at, "latest": uid not in seen}
        row["vac"] = row["bac"] - row["eac"] if row["bac"] is not None else None
        if uid not in seen:
            seen.add(uid)
            latest.append(row)
        history.append(row)
    latest.sort(key=lambda r: (r["task_uid"] is not None, r["task_uid"] or 0))
    history.sort(key=lambda r: (r["as_of"], r["entered_at"], r["id"]), reverse=True)
    return {"latest": latest, "history": history}


@dataclass
class EarnedValue:
    status_date: dt.date
    currency: str
    figures: dict[str, Any]
    curve: SCurve | None
    tasks: list[dict[str, Any]] = field(default_factory=list)
    unallocated_ac: Decimal = ZERO
    elements: list[dict[str, Any]] = field(default_factory=list)


def _weekly_grid(first: dt.date, last: dt.date) -> PeriodGrid:
    start = first - dt.timedelta(days=first.weekday())
    ends = []
    end = start + dt.timedelta(days=6)
    while True:
        ends.append(end)
        if end >= last:
            break
        end += dt.timedelta(days=7)
    return PeriodGrid(start, tuple(ends))


def _task_budgets(src: _Sources, tasks: dict[int, Any]) -> dict[int, Decimal]:
    """The cost-loaded baseline: assignment costs (work × rate at the baseline start, plus
    cost per use) and the approved budget's non-labour lines of each WBS element."""
    budgets: dict[int, Decimal] = {}
    for a in src.assignments:
        base = tasks.get(a.task_uid)
        if base is None or base.start is None:
            continue
        budgets[a.task_uid] = budgets.get(a.task_uid, ZERO) + planned_cost(
            a, src.rates.get(a.resource_id, []), base.start.date())
    for line in src.budget_lines:
        if line.task_uid in tasks and line.category != CostCategory.LABOUR:
            budgets[line.task_uid] = budgets.get(line.task_uid, ZERO) + line.amount
    return {uid: amount for uid, amount in budgets.items() if amount > 0}


@dataclass
class _Sources:
    """Everything earned value reads of one project, fetched for many projects at once by
    ``_load_sources`` (a fixed number of queries, whatever the number of projects)."""

    plan: Plan
    baseline: Baseline | None = None
    base_tasks: dict[int, Any] = field(default_factory=dict)
    current: dict[int, Any] = field(default_factory=dict)  # PlanTask-like rows
    # Rows read like the models (Assignment, Rate, BudgetLine, EarningRule): only the
    # columns earned value reads, without making a model instance of each.
    assignments: list[Any] = field(default_factory=list)
    rates: dict[int, list[Any]] = field(default_factory=dict)  # by resource
    budget_lines: list[Any] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    planned_work: dict[int, Decimal] = field(default_factory=dict)
    costs: list[tuple[Any, ...]] = field(default_factory=list)


def _load_sources(projects: list[Project]) -> dict[int, _Sources]:
    """The inputs of earned value for every project that has a plan, by project pk."""
    ids = [p.pk for p in projects]
    out = {plan.project_id: _Sources(plan) for plan in Plan.objects.filter(project_id__in=ids)
           .only("pk", "project_id", "status_date")}  # not its undo state
    if not out:
        return out
    by_plan = {s.plan.pk: s for s in out.values()}
    for b in Baseline.objects.filter(plan_id__in=list(by_plan)).order_by("number").only(
            "pk", "plan_id", "number"):
        if by_plan[b.plan_id].baseline is None:
            by_plan[b.plan_id].baseline = b
    lowest = {s.baseline.pk: s for s in out.values() if s.baseline is not None}
    # Only the columns earned value reads: a portfolio's plans are tens of thousands of rows.
    # Rows, not model instances (read like them): a portfolio's plans are tens of thousands
    # of tasks, and only these columns are read.
    for bt in BaselineTask.objects.filter(baseline_id__in=list(lowest)).values_list(
            "baseline_id", "uid", "start", "finish", named=True):
        lowest[bt.baseline_id].base_tasks[bt.uid] = bt
    for t in PlanTask.objects.filter(plan_id__in=list(by_plan)).values_list(
            "plan_id", "uid", "position", "outline_level", "name", "summary",
            "percent_complete", "actual_start", "actual_finish", named=True):
        by_plan[t.plan_id].current[t.uid] = t
    rates: dict[int, list[Any]] = {}
    for a in Assignment.objects.filter(project_id__in=list(out)).values_list(
            "project_id", "task_uid", "resource_id", "work", named=True):
        out[a.project_id].assignments.append(a)
        rates.setdefault(a.resource_id, [])
    for rate in Rate.objects.filter(resource_id__in=list(rates)).values_list(
            "resource_id", "effective_from", "standard", "cost_per_use", named=True):
        rates[rate.resource_id].append(rate)
    for src in out.values():
        src.rates = rates
    approved: dict[int, BudgetVersion] = {}
    for v in BudgetVersion.objects.filter(project_id__in=list(out),
                                          status=BudgetStatus.APPROVED).order_by("number"):
        approved[v.project_id] = v  # the highest number wins
    project_of_budget = {v.pk: pid for pid, v in approved.items()}
    for line in BudgetLine.objects.filter(budget_id__in=list(project_of_budget),
                                          task_uid__isnull=False).values_list(
            "budget_id", "task_uid", "category", "amount", named=True):
        out[project_of_budget[line.budget_id]].budget_lines.append(line)
    for rule in EarningRule.objects.filter(project_id__in=list(out)).values_list(
            "project_id", "task_uid", "method", "milestone_weights", named=True):
        out[rule.project_id].rules.append(rule)
    for row in (Assignment.objects.filter(project_id__in=list(out),
                                          resource__kind__in=ledger.WORK_KINDS)
                .values("project_id", "task_uid").annotate(total=Sum("work"))):
        out[row["project_id"]].planned_work[row["task_uid"]] = row["total"] or ZERO
    for cost in ActualCost.objects.filter(project_id__in=list(out)).values_list(
            "project_id", "task_uid", "date", "amount", "hours", "source"):
        out[cost[0]].costs.append(cost[1:])
    return out


@dataclass
class Unit:
    """What earns value: a leaf task, or a WBS element whose tasks earn as one package."""

    uid: int
    members: list[int]
    method: str
    milestones: tuple[int, ...] = ()
    weights: dict[str, str] = field(default_factory=dict)


def _units(src: _Sources, outline: Outline, budgets: dict[int, Decimal]) -> list[Unit]:
    rules = {r.task_uid: r for r in src.rules}
    default = rules[None].method if None in rules else EvMethod.PHYSICAL_PERCENT
    units: list[Unit] = []
    covered: set[int] = set()
    for uid, rule in rules.items():
        task = outline.tasks.get(uid) if uid is not None else None
        if uid is None or task is None or not task.summary:
            continue
        members = [d for d in outline.descendants(uid) if d in budgets]
        if not members:
            continue
        covered.update(members)
        milestones = tuple(int(m) for m in rule.milestone_weights)
        units.append(Unit(uid, members, rule.method, milestones, dict(rule.milestone_weights)))
    for uid in budgets:
        if uid in covered:
            continue
        own = rules.get(uid)
        method = own.method if own else default
        if method == EvMethod.WEIGHTED_MILESTONES:  # a leaf cannot; the rule checks it
            method = EvMethod.PHYSICAL_PERCENT
        units.append(Unit(uid, [uid], method))
    return sorted(units, key=lambda u: outline.tasks[u.uid].position)


def _wbs_nodes(project: Project, outline: Outline,
               units: list[Unit]) -> tuple[list[evm.Node], dict[int, str]]:
    """The project node, a node per summary task (WBS element) with cost-loaded work below
    it, and the node each unit rolls up into."""
    packages = {u.uid for u in units if outline.tasks[u.uid].summary}
    parent_of: dict[int, str] = {}
    used: set[int] = set()
    for unit in units:
        above = [a for a in outline.ancestors(unit.uid) if a not in packages]
        parent_of[unit.uid] = f"wbs-{above[0]}" if above else PROJECT_NODE
        used.update(above)
    nodes = [evm.Node(PROJECT_NODE, None, evm.NodeKind.PROJECT, project.name)]
    for uid in sorted(used, key=lambda u: outline.tasks[u].position):
        parents = outline.ancestors(uid)
        nodes.append(evm.Node(f"wbs-{uid}", f"wbs-{parents[0]}" if parents else PROJECT_NODE,
                              evm.NodeKind.WBS, outline.tasks[uid].name))
    return nodes, parent_of


def earned_value(project: Project, status_date: dt.date | None = None,
                 history: bool = True) -> EarnedValue | None:
    """EVM at ``status_date`` (else the plan's status date) against baseline 0 (else the
    lowest saved).  Each task earns by its method (``EarningRule``: the project default,
    per-task overrides; a WBS element with a method earns for the tasks below it as one
    package spread over their baseline dates).  Progress at the plan's status date (or later)
    is the plan's; at an earlier date and in the S-curve's past it is rebuilt from actual
    work against planned work and from actual start and finish dates.  Returns None while
    there is no baseline with cost."""
    src = _load_sources([project]).get(project.pk)
    return None if src is None else _earned_value(project, src, status_date, history)


def earned_value_many(projects: list[Project], status_date: dt.date | None = None,
                      errors: dict[int, str] | None = None, *,
                      detail: bool = True) -> dict[int, EarnedValue | None]:
    """``earned_value`` without history for many projects, their inputs read in a fixed
    number of queries; a project whose figures cannot be computed maps to None (and its
    message to ``errors``, when given).  Without ``detail``, the project's figures only (no
    task rows or WBS elements)."""
    sources = _load_sources(projects)
    out: dict[int, EarnedValue | None] = {}
    for project in projects:
        src = sources.get(project.pk)
        try:
            out[project.pk] = (None if src is None
                               else _earned_value(project, src, status_date, False, detail))
        except InvalidInput as exc:
            out[project.pk] = None
            if errors is not None:
                errors[project.pk] = exc.message
    return out


def earned_value_figures(projects: list[Project], status_date: dt.date | None = None,
                         errors: dict[int, str] | None = None) -> dict[int, EarnedValue | None]:
    """The project figures of ``earned_value_many`` (no task rows, elements or S-curve) for
    each project, kept under the project's data version (memo.py): only the projects whose
    data changed since their figures were kept are computed."""

    def compute(missing: list[Project]) -> dict[int, EarnedValue | str | None]:
        failed: dict[int, str] = {}
        got = earned_value_many(missing, status_date, failed, detail=False)
        return {pk: failed[pk] if pk in failed else
                None if ev is None else EarnedValue(ev.status_date, ev.currency, ev.figures, None)
                for pk, ev in got.items()}

    kept = memo.memoised("ev", status_date.isoformat() if status_date else "", projects,
                         compute, _ev_to_json, _ev_from_json)
    out: dict[int, EarnedValue | None] = {}
    for pk, value in kept.items():
        if isinstance(value, str):
            out[pk] = None
            if errors is not None:
                errors[pk] = value
        else:
            out[pk] = value
    return out


def _ev_to_json(value: EarnedValue | str | None) -> Any:
    if value is None or isinstance(value, str):
        return value  # no earned value yet; the message of figures that cannot be computed
    return {"status_date": memo.to_json(value.status_date), "currency": value.currency,
            "figures": memo.to_json(value.figures)}


def _ev_from_json(data: Any) -> EarnedValue | str | None:
    if data is None or isinstance(data, str):
        return data
    return EarnedValue(memo.from_json(data["status_date"]), data["currency"],
                       memo.from_json(data["figures"]), None)


def _earned_value(project: Project, src: _Sources, status_date: dt.date | None,
                  history: bool, detail: bool = True) -> EarnedValue | None:
    plan, baseline = src.plan, src.baseline
    status = status_date or plan.status_date
    if baseline is None or status is None:
        return None
    current_is_final = plan.status_date is None or status >= plan.status_date
    base_tasks = src.base_tasks
    current = src.current
    outline = outline_of(current.values())
    leaves = {uid: t for uid, t in base_tasks.items()
              if uid in current and not current[uid].summary and t.start and t.finish}
    budgets = _task_budgets(src, leaves)
    if not budgets:
        return None
    units = _units(src, outline, budgets)
    currency = project.currency
    first = min(leaves[uid].start.date() for uid in budgets)
    last = max([leaves[uid].finish.date() for uid in budgets] + [status])
    grid = _weekly_grid(min(first, status), last)
    nodes, parent_of = _wbs_nodes(project, outline, units)
    tasks = []
    for unit in units:
        tasks.append(evm.Task(
            str(unit.uid), parent_of[unit.uid],
            Money(sum((budgets[m] for m in unit.members), ZERO), currency),
            start=min(leaves[m].start.date() for m in unit.members),
            finish=max(leaves[m].finish.date() for m in unit.members),
            method=evm.EarnedValueMethod(unit.method),
            milestones=tuple(evm.Milestone(str(m), Decimal(unit.weights[str(m)]))
                             for m in unit.milestones)))
    try:
        prepared = evm.prepare_baseline(grid, nodes, tasks, currency=currency)
    except EngineInput as exc:
        raise InvalidInput.field(exc.field, exc.message) from exc
    planned = src.planned_work
    costs = [c for c in src.costs if c[1] <= status]

    def finished_by(uid: int, at: dt.date, final: bool) -> bool:
        task = current[uid]
        if task.actual_finish is not None:
            return bool(task.actual_finish.date() <= at)
        return final and task.percent_complete >= 100

    costs_of: dict[Any, list[tuple[Any, ...]]] = {}
    for t, d, a, h, s in costs:  # by task: each unit reads only its own (sums are exact)
        costs_of.setdefault(t, []).append((d, a, h, s))

    def unit_status(unit: Unit, at: dt.date, final: bool) -> evm.TaskStatus:
        mine = [c for m in unit.members for c in costs_of.get(m, ()) if c[0] <= at]
        ac = Money(sum((a for _, a, _, _ in mine), ZERO), currency)
        task = current[unit.uid]
        if unit.method == EvMethod.PHYSICAL_PERCENT:
            work = sum((planned.get(m, ZERO) for m in unit.members), ZERO)
            if final or work <= 0:
                pct = Decimal(str(task.percent_complete)) if final else ZERO
            else:
                done = sum((h for _, _, h, s in mine
                            if s in (CostSource.TIME, CostSource.ADJUSTMENT)), ZERO)
                pct = ledger.percent_from_work(done, work)
            return evm.TaskStatus(str(unit.uid), ac, percent_complete=pct)
        if unit.method == EvMethod.WEIGHTED_MILESTONES:
            done_ms = tuple(str(m) for m in unit.milestones if finished_by(m, at, final))
            return evm.TaskStatus(str(unit.uid), ac, milestones_done=done_ms)
        started = bool(mine) or (task.actual_start is not None
                                 and task.actual_start.date() <= at) \
            or (final and task.percent_complete > 0)
        return evm.TaskStatus(str(unit.uid), ac, started=started,
                              finished=finished_by(unit.uid, at, final))

    def statuses(at: dt.date, final: bool) -> list[evm.TaskStatus]:
        return [unit_status(unit, at, final) for unit in units]

    try:
        past = [evm.analyse_status(prepared, statuses(end, False), end)
                for end in grid.ends if end < status] if history else []
        now = evm.analyse_status(prepared, statuses(status, current_is_final), status)
    except EngineInput as exc:
        raise InvalidInput.field(exc.field, exc.message) from exc
    past.append(now)
    node = now.node(PROJECT_NODE)

    def amount(m: Money | None) -> Decimal | None:
        return None if m is None else m.amount

    figures = {
        "bac": node.bac.amount, "pv": node.pv.amount, "ev": node.ev.amount,
        "ac": node.ac.amount, "sv": node.sv.amount, "cv": node.cv.amount, "spi": node.spi,
        "cpi": node.cpi, "eac": node.eac.amount, "eac_basis": node.eac_basis,
        "eac_remaining_at_budget": node.eac_remaining_at_budget.amount,
        "eac_cpi": amount(node.eac_cpi), "eac_cpi_spi": amount(node.eac_cpi_spi),
        "etc": node.etc.amount, "vac": node.vac.amount, "tcpi_bac": node.tcpi_bac,
        "tcpi_eac": node.tcpi_eac, "es": node.es, "at": node.at, "sv_t": node.sv_t,
        "spi_t": node.spi_t, "ieac_t": node.ieac_t,
        "earned_schedule_date": now.earned_schedule_date(PROJECT_NODE),
        "forecast_finish": now.forecast_finish(PROJECT_NODE),
    }
    if not detail:
        return EarnedValue(status, currency, figures, None)
    rows = []
    for unit in units:
        perf = now.task(str(unit.uid))
        rows.append({"uid": unit.uid, "name": current[unit.uid].name, "bac": perf.bac.amount,
                     "pv": perf.pv.amount, "ev": perf.ev.amount, "ac": perf.ac.amount,
                     "cpi": perf.cpi, "spi": perf.spi, "method": unit.method,
                     "method_label": EvMethod(unit.method).label,
                     "package": unit.members if len(unit.members) > 1
                     or unit.members != [unit.uid] else [],
                     "percent_complete": current[unit.uid].percent_complete})
    unallocated = sum((a for t, _, a, _, _ in costs if t is None or t not in budgets), ZERO)
    elements = []
    for node_ in nodes[1:]:
        perf = now.node(node_.id)
        elements.append({"uid": int(node_.id[4:]), "name": node_.name,
                         "level": outline.tasks[int(node_.id[4:])].outline_level,
                         **_measures(perf)})
    return EarnedValue(status, currency, figures,
                       s_curve(past, PROJECT_NODE) if history else None, rows, unallocated,
                       elements)


def _measures(perf: Any) -> dict[str, Any]:
    return {"bac": perf.bac.amount, "pv": perf.pv.amount, "ev": perf.ev.amount,
            "ac": perf.ac.amount, "sv": perf.sv.amount, "cv": perf.cv.amount,
            "spi": perf.spi, "cpi": perf.cpi, "eac": perf.eac.amount, "vac": perf.vac.amount}


def business_case(project: Project, rate: Decimal) -> dict[str, Any]:
    flows = list(CashFlowLine.objects.filter(project=project))
    result: dict[str, Any] = {"flows": flows, "rate": rate}
    if not flows:
        return result
    currency = project.currency
    cash = [fin.CashFlow(f.period, Money(f.costs, currency), Money(f.benefits, currency))
            for f in flows]
    net = fin.net_cash_flows(cash)
    result.update(net=[n.amount for n in net], npv=fin.npv(net, rate).rounded().amount,
                  payback=fin.payback_period(net),
                  discounted_payback=fin.discounted_payback_period(net, rate), roi=fin.roi(cash))
    try:
        result["irr"] = fin.irr(net)
    except EngineInput:
        result["irr"] = None
    return result


def earning_rules(project: Project) -> dict[str, Any]:
    """The project's default earned value method and its per-task overrides."""
    rules = list(EarningRule.objects.filter(project=project))
    names = dict(PlanTask.objects.filter(plan__project=project).values_list("uid", "name"))
    default = next((r.method for r in rules if r.task_uid is None), EvMethod.PHYSICAL_PERCENT)
    return {"default": default, "default_label": EvMethod(default).label,
            "tasks": [{"task_uid": r.task_uid, "name": names.get(r.task_uid or 0, "(removed)"),
                       "method": r.method, "method_label": EvMethod(r.method).label,
                       "milestone_weights": r.milestone_weights}
                      for r in rules if r.task_uid is not None]}
