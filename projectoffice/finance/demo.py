"""Demo money for a project (timesheets/demo.demo_money books the time first): a budget,
orders with their invoices and payments (paid, part paid, unpaid, a reversal), an expense,
forecasts entered by hand with their history, benefits and the business case — all through
the actions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as registers

from . import actions
from .cashflow import planned_by_month
from .models import ActualCost, PurchaseOrder
from .queries import earned_value
from .registers import BENEFITS

TWO = Decimal("0.01")


def demo_finance(rng: random.Random, project: Project, manager: Any, accountant: Any,
                  people: dict[str, Any], start: dt.date, status: dt.date) -> None:
    months = [dt.date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 1)
              for k in range(6)]
    build = PlanTask.objects.filter(plan__project=project, summary=False,
                                    milestone=False).order_by("position").first()
    task_uid = build.uid if build else None
    budget = actions.create_budget(actor=accountant, project=project, name="Approved budget",
                                   lines=[{"task_uid": None, "category": category,
                                           "period": month,
                                           "amount": Decimal(rng.randrange(2, 9) * 1000)}
                                          for month in months
                                          for category in ("material", "services", "travel")])
    actions.approve_budget(actor=manager, project=project, number=budget.number,
                           version=budget.version)
    actions.create_budget(actor=accountant, project=project, name="Re-forecast (draft)",
                          lines=[{"task_uid": task_uid, "category": "services",
                                  "period": months[-1], "amount": Decimal(12000)}])
    issued = min(start + dt.timedelta(days=14), status)
    amount = Decimal(rng.randrange(20, 40) * 1000)
    actions.create_order(actor=accountant, project=project, number="PO-1001",
                         supplier="Northwind Consulting", amount=amount, issued=issued,
                         description="Integration specialists, fixed price", task_uid=task_uid)
    first = actions.record_invoice(actor=accountant, project=project, order_number="PO-1001",
                                   number="NW-2231",
                                   amount=(amount * Decimal("0.6")).quantize(TWO),
                                   date=min(issued + dt.timedelta(days=30), status))
    actions.record_invoice(actor=accountant, project=project, order_number="PO-1001",
                           number="NW-2290", amount=(amount * Decimal("0.5")).quantize(TWO),
                           date=status)
    actions.record_expense(actor=accountant, project=project, date=status,
                           amount=Decimal("412.60"), description="Travel to the supplier's site",
                           task_uid=task_uid)
    _demo_payments(rng, project, manager, first, start, status)
    _demo_forecasts(project, manager, accountant, status)
    invest = Decimal(rng.randrange(250, 450) * 1000)
    actions.set_cash_flows(actor=manager, project=project, flows=[
        {"period": 0, "costs": invest, "benefits": Decimal(0)},
        {"period": 1, "costs": Decimal(40000), "benefits": Decimal(120000)},
        {"period": 2, "costs": Decimal(40000), "benefits": Decimal(240000)},
        {"period": 3, "costs": Decimal(40000), "benefits": Decimal(280000)},
        {"period": 4, "costs": Decimal(40000), "benefits": Decimal(280000)}])


def _demo_payments(rng: random.Random, project: Project, manager: Any, first: Any,
                   start: dt.date, status: dt.date) -> None:
    """Northwind's first invoice paid but for a retention; a second order for hardware whose
    first invoice is paid in full (after a transfer to the wrong account was reversed) and
    whose latest invoice is unpaid.  Northwind's invoice above its order awaits approval."""
    def pay(invoice: Any, days: int, share: str, reference: str) -> Any:
        return actions.record_payment(
            actor=manager, project=project, invoice_id=invoice.pk,
            date=min(invoice.date + dt.timedelta(days=days), status),
            amount=(invoice.amount * Decimal(share)).quantize(TWO), reference=reference)

    bank = rng.randrange(40000, 90000)
    pay(first, 14, "0.5", f"BT-{bank}")
    pay(first, 40, "0.3", f"BT-{bank + 37}")  # 20 % retained until acceptance
    issued = min(start + dt.timedelta(days=21), status)
    amount = Decimal(rng.randrange(6, 15) * 1000)
    actions.create_order(actor=manager, project=project, number="PO-1002",
                         supplier="Contoso Hardware", amount=amount, issued=issued,
                         category="material", description="Test devices and racks")
    delivered = actions.record_invoice(actor=manager, project=project, order_number="PO-1002",
                                       number="CH-501",
                                       amount=(amount * Decimal("0.7")).quantize(TWO),
                                       date=min(issued + dt.timedelta(days=20), status))
    wrong = pay(delivered, 25, "1", f"BT-{bank + 52}")
    actions.reverse_payment(actor=manager, project=project, payment_id=wrong.pk,
                            date=min(wrong.date + dt.timedelta(days=3), status),
                            reason="Sent to the supplier's old bank account; returned")
    pay(delivered, 30, "1", f"BT-{bank + 58}")
    actions.record_invoice(actor=manager, project=project, order_number="PO-1002",
                           number="CH-517", amount=(amount * Decimal("0.2")).quantize(TWO),
                           date=max(issued, status - dt.timedelta(days=5)))
    # A change order adds two spare devices; the first project then closes the order, the
    # spares not being needed after all, which releases what it did not invoice.
    order = PurchaseOrder.objects.get(project=project, number="PO-1002")
    order = actions.amend_order(
        actor=manager, project=project, order_id=order.pk, version=order.version,
        changes={"amount": amount + 2000,
                 "description": "Test devices and racks, and two spare devices"},
        reason="Change order 1: two spare devices for the test lab")
    if not PurchaseOrder.objects.filter(closed_on__isnull=False).exists():
        actions.close_order(actor=manager, project=project, order_id=order.pk,
                            version=order.version, date=status,
                            reason="Delivered in full; the spare devices are not needed")


def _demo_forecasts(project: Project, manager: Any, accountant: Any, status: dt.date) -> None:
    """The project's estimate to complete a month ago (the plan holds) and now (a little
    above the calculated EAC), and one for its last phase."""
    from django.db.models import Sum

    def actual(day: dt.date) -> Decimal:
        return ActualCost.objects.filter(project=project, date__lte=day) \
            .aggregate(s=Sum("amount"))["s"] or Decimal(0)

    ev = earned_value(project, history=False)
    if ev is not None:
        bac, eac = ev.figures["bac"], ev.figures["eac"]
    else:
        bac = eac = sum(planned_by_month(project)[0].values(), Decimal(0))
    earlier = status - dt.timedelta(days=28)
    hundred = Decimal(100)
    actions.enter_forecast(actor=accountant, project=project, as_of=earlier,
                           etc=max(Decimal(0), bac - actual(earlier)).quantize(hundred),
                           basis="Remaining budget: the plan holds")
    actions.enter_forecast(actor=manager, project=project, as_of=status,
                           etc=max(Decimal(0), (eac - actual(status)) * Decimal("1.02"))
                           .quantize(hundred),
                           basis="Integration runs late: two more weeks of the supplier's team")
    elements = [e for e in (ev.elements if ev else []) if e["level"] == 1 and e["ev"] < e["bac"]]
    if elements:
        last = elements[-1]
        actions.enter_forecast(actor=manager, project=project, task_uid=last["uid"],
                               as_of=status,
                               etc=((last["bac"] - last["ev"]) * Decimal("1.1")).quantize(hundred),
                               basis="Bottom-up estimate with the team")


def _months_back(today: dt.date, first: dt.date) -> list[dt.date]:
    """Month-end-ish days from ``first`` up to ``today``, about a month apart."""
    days, day = [], first
    while day <= today:
        days.append(day)
        day += dt.timedelta(days=30)
    return days


def demo_benefits(rng: random.Random, project: Project, manager: Any, accountant: Any,
                  people: dict[str, Any], today: dt.date) -> None:
    """Three or four benefits of different types: one on track, one behind its trajectory,
    one realised (and on some projects a qualitative one), each measured monthly."""
    owner = people.get("exec") or manager
    go_live = (PlanTask.objects.filter(plan__project=project, milestone=True)
               .order_by("position").values_list("uid", flat=True).last())
    day = dt.timedelta(days=1)
    # (title, type, measure, unit, baseline, target, start ago, full ahead, annual value,
    #  how the readings go: "on", "behind" or "done", description)
    plans: list[tuple[Any, ...]] = [
        ("Lower operating cost", "cash_releasing", "Cost per transaction", project.currency,
         Decimal("4.20"), Decimal("3.10"), 180, 180, 180000, "on",
         "Self-service and automated matching take manual handling out of each "
         "transaction; the saving is released from the operations budget."),
        ("Faster month-end close", "non_cash_releasing", "Working days to close the month",
         "days", Decimal(8), Decimal(4), 210, 90, 60000, "behind",
         "Finance staff time freed for analysis instead of reconciliations."),
        ("Fewer customer complaints", "quantitative", "Complaints a month", "complaints",
         Decimal(120), Decimal(80), 300, -30, 0, "done",
         "Clearer statements and faster answers should cut complaints by a third."),
    ]
    if rng.random() < 0.5:
        plans.append(("Better informed decisions", "qualitative", "Board survey", "", None,
                      None, 0, 240, 0, "", "Managers say the new reports let them decide "
                                           "without asking for extra analysis."))
    for (title, kind, measure, unit, baseline, target, ago, ahead, value, course,
         text) in plans:
        begins = today - ago * day
        based = begins - 60 * day
        item: Any = registers.create_item(
            actor=manager, spec=BENEFITS, project=project, today=based, data={
                "title": title, "description": text, "owner": owner, "benefit_type": kind,
                "measure": measure, "unit": unit, "baseline_value": baseline,
                "baseline_date": based if baseline is not None else None,
                "target_value": target,
                "realisation_start": begins if baseline is not None else None,
                "full_realisation": today + ahead * day, "due_date": today + ahead * day,
                "annual_value": Decimal(value),
                "milestone_uid": go_live if course == "on" else None})
        if baseline is None or target is None:
            continue
        item = registers.transition_item(actor=manager, item=item, transition="plan",
                                         version=item.version, today=based)
        item = registers.transition_item(actor=manager, item=item, transition="start",
                                         version=item.version, today=begins)
        full = today + ahead * day
        for n, when in enumerate(_months_back(today, begins + 20 * day)):
            share = Decimal((when - begins).days) / Decimal(max((full - begins).days, 1))
            share = min(share, Decimal(1))
            if course == "behind":
                share = share * Decimal("0.45")
            elif course == "done":
                share = min(Decimal("1.05"), share * Decimal("1.1"))
            noise = Decimal(rng.randrange(-3, 4)) / 100
            reading = baseline + (target - baseline) * (share + noise if share else share)
            actions.record_measurement(
                actor=accountant, benefit=item, measured_on=when,
                value=reading.quantize(Decimal("0.01")), today=today,
                note="Quarterly review figure" if n % 3 == 2 else "")
        if course == "done":
            registers.transition_item(actor=manager, item=item, transition="realise",
                                      version=item.version, today=today)


def demo_ev_methods(project: Project, accountant: Any) -> None:
    """Earned value methods other than physical % complete: the first phase with milestones
    earns by weighted milestones, the last work task of another phase by 50/50."""
    tasks = list(PlanTask.objects.filter(plan__project=project).order_by("position"))
    phases: list[tuple[PlanTask, list[PlanTask]]] = []
    for task in tasks:
        if task.outline_level == 1:
            phases.append((task, []))
        elif phases:
            phases[-1][1].append(task)
    weighted = None
    # A later phase: the first one is often all the work done so far.
    for phase, below in phases[1:] + phases[:1]:
        milestones = [t for t in below if t.milestone]
        if phase.summary and milestones and any(not t.milestone for t in below):
            share = 100 // len(milestones)
            weights = {str(m.uid): share for m in milestones}
            weights[str(milestones[-1].uid)] += 100 - share * len(milestones)
            actions.set_ev_method(actor=accountant, project=project, task_uid=phase.uid,
                                  method="weighted_milestones", milestone_weights=weights)
            weighted = phase
            break
    for phase, below in reversed(phases):
        work = [t for t in below if not t.summary and not t.milestone]
        if phase != weighted and work:
            actions.set_ev_method(actor=accountant, project=project, task_uid=work[-1].uid,
                                  method="50/50")
            break


def demo_exchange_rates(pmo: Any, today: dt.date) -> None:
    """The rates the PMO keeps for roll-ups over projects in euros and dollars."""
    for pair, rates in ((("EUR", "GBP"), (("0.8600", 400), ("0.8450", 90))),
                        (("USD", "GBP"), (("0.7900", 400), ("0.7750", 90)))):
        for rate, days_ago in rates:
            actions.set_exchange_rate(actor=pmo, from_currency=pair[0], to_currency=pair[1],
                                      rate=Decimal(rate),
                                      effective_from=today - dt.timedelta(days=days_ago))
