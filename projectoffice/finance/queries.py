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
from projectoffice.errors import InvalidInput
from projectoffice.planning.models import Baseline, Plan, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment
from projectoffice.resources.queries import planned_cost

from . import ledger
from .models import (
    ActualCost,
    Benefit,
    BudgetLine,
    BudgetStatus,
    BudgetVersion,
    CashFlowLine,
    CostCategory,
    CostSource,
    Expense,
    Invoice,
    InvoiceStatus,
    PurchaseOrder,
)

ZERO = Decimal(0)
PROJECT_NODE = "project"


def cost_summary(project: Project) -> dict[str, Any]:
    by_source = {row["source"]: row["s"] for row in ActualCost.objects.filter(project=project)
                 .values("source").annotate(s=Sum("amount"))}
    budget = (BudgetVersion.objects.filter(project=project, status=BudgetStatus.APPROVED)
              .order_by("-number").first())
    orders = list(PurchaseOrder.objects.filter(project=project).prefetch_related("invoices"))
    committed = sum((o.amount for o in orders), ZERO)
    invoiced = sum((i.amount for o in orders for i in o.invoices.all()
                    if i.status == InvoiceStatus.APPROVED), ZERO)
    return {
        "actual": sum(by_source.values(), ZERO),
        "by_source": [(CostSource(s).label, by_source.get(s, ZERO)) for s in CostSource.values],
        "budget": budget,
        "budget_total": (budget.lines.aggregate(s=Sum("amount"))["s"] or ZERO) if budget
        else ZERO,
        "budgets": list(BudgetVersion.objects.filter(project=project)
                        .annotate(total=Sum("lines__amount"))),
        "orders": orders, "committed": committed, "open_commitments": committed - invoiced,
        "awaiting_invoices": list(Invoice.objects.filter(order__project=project,
                                                         status=InvoiceStatus.AWAITING)
                                  .select_related("order")),
        "expenses": list(Expense.objects.filter(project=project)),
    }


@dataclass
class EarnedValue:
    status_date: dt.date
    currency: str
    figures: dict[str, Any]
    curve: SCurve | None
    tasks: list[dict[str, Any]] = field(default_factory=list)
    unallocated_ac: Decimal = ZERO


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


def _task_budgets(project: Project, tasks: dict[int, Any]) -> dict[int, Decimal]:
    """The cost-loaded baseline: assignment costs (work × rate at the baseline start, plus
    cost per use) and the approved budget's non-labour lines of each WBS element."""
    budgets: dict[int, Decimal] = {}
    for a in Assignment.objects.filter(project=project).select_related("resource") \
            .prefetch_related("resource__rates"):
        base = tasks.get(a.task_uid)
        if base is None or base.start is None:
            continue
        budgets[a.task_uid] = budgets.get(a.task_uid, ZERO) + planned_cost(
            a, list(a.resource.rates.all()), base.start.date())
    budget = (BudgetVersion.objects.filter(project=project, status=BudgetStatus.APPROVED)
              .order_by("-number").first())
    if budget is not None:
        for line in BudgetLine.objects.filter(budget=budget, task_uid__in=list(tasks)).exclude(
                category=CostCategory.LABOUR):
            assert line.task_uid is not None
            budgets[line.task_uid] = budgets.get(line.task_uid, ZERO) + line.amount
    return {uid: amount for uid, amount in budgets.items() if amount > 0}


def earned_value(project: Project, status_date: dt.date | None = None) -> EarnedValue | None:
    """EVM at the status date (the plan's, else ``status_date``) against baseline 0 (else the
    lowest saved).  EV by physical % complete.  The S-curve's past EV is rebuilt at each week's
    end from actual work against planned work (the % complete the timesheets gave then);
    tasks not tracked by work show their current progress only at the status date.  Returns
    None while there is no baseline with cost."""
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        return None
    baseline = Baseline.objects.filter(plan=plan).order_by("number").first()
    status = plan.status_date or status_date
    if baseline is None or status is None:
        return None
    base_tasks = {t.uid: t for t in baseline.tasks.all()}
    current = {t.uid: t for t in PlanTask.objects.filter(plan=plan)}
    leaves = {uid: t for uid, t in base_tasks.items()
              if uid in current and not current[uid].summary and t.start and t.finish}
    budgets = _task_budgets(project, leaves)
    if not budgets:
        return None
    currency = project.currency
    first = min(leaves[uid].start.date() for uid in budgets)
    last = max([leaves[uid].finish.date() for uid in budgets] + [status])
    grid = _weekly_grid(min(first, status), last)
    nodes = [evm.Node(PROJECT_NODE, None, evm.NodeKind.PROJECT, project.name)]
    tasks = [evm.Task(str(uid), PROJECT_NODE, Money(budgets[uid], currency),
                      start=leaves[uid].start.date(),
                      finish=leaves[uid].finish.date())
             for uid in sorted(budgets)]
    try:
        prepared = evm.prepare_baseline(grid, nodes, tasks, currency=currency)
    except EngineInput as exc:
        raise InvalidInput.field(exc.field, exc.message) from exc
    uids = sorted(budgets)
    planned = ledger.planned_work(project, uids)
    costs = list(ActualCost.objects.filter(project=project, date__lte=status)
                 .values_list("task_uid", "date", "amount", "hours", "source"))

    def statuses(at: dt.date, final: bool) -> list[evm.TaskStatus]:
        out = []
        for uid in uids:
            ac = sum((a for t, d, a, _, _ in costs if t == uid and d <= at), ZERO)
            if final or planned.get(uid, ZERO) <= 0:
                pct = Decimal(str(current[uid].percent_complete)) if final else ZERO
            else:
                done = sum((h for t, d, _, h, s in costs if t == uid and d <= at
                            and s in (CostSource.TIME, CostSource.ADJUSTMENT)), ZERO)
                pct = ledger.percent_from_work(done, planned[uid])
            out.append(evm.TaskStatus(str(uid), Money(ac, currency), percent_complete=pct))
        return out

    history = [evm.analyse_status(prepared, statuses(end, False), end)
               for end in grid.ends if end < status]
    now = evm.analyse_status(prepared, statuses(status, True), status)
    history.append(now)
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
    rows = []
    for uid in uids:
        perf = now.task(str(uid))
        rows.append({"uid": uid, "name": current[uid].name, "bac": perf.bac.amount,
                     "pv": perf.pv.amount, "ev": perf.ev.amount, "ac": perf.ac.amount,
                     "cpi": perf.cpi, "spi": perf.spi,
                     "percent_complete": current[uid].percent_complete})
    unallocated = sum((a for t, _, a, _, _ in costs if t is None or t not in budgets), ZERO)
    return EarnedValue(status, currency, figures, s_curve(history, PROJECT_NODE), rows,
                       unallocated)


def business_case(project: Project, rate: Decimal) -> dict[str, Any]:
    flows = list(CashFlowLine.objects.filter(project=project))
    benefits = list(Benefit.objects.filter(project=project).select_related("owner"))
    result: dict[str, Any] = {"flows": flows, "benefits": benefits, "rate": rate}
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
