"""Every write to project money: budget versions and their approval, purchase orders,
supplier invoices matched to orders, payments of invoices and their reversals, expenses,
forecasts entered by hand, benefit measurements and business-case cash flows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import diff, record_change, snapshot
from projectoffice.editing import check_version, create_object, lock_for_update, validate
from projectoffice.errors import Conflict, InvalidInput, NotFound
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.access import access_project, require_global
from projectoffice.portfolio.models import Project

from . import ledger
from .models import (
    Benefit,
    BenefitMeasurement,
    BudgetLine,
    BudgetStatus,
    BudgetVersion,
    CashFlowLine,
    CostCategory,
    CostSource,
    EarningRule,
    EvMethod,
    ExchangeRate,
    Expense,
    Forecast,
    Invoice,
    InvoiceStatus,
    Payment,
    PurchaseOrder,
)
from .outline import outline_of

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _money(value: Any, key: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise InvalidInput.field(key, f"{value!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput.field(key, "must be an amount of zero or more")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput.field(key, "has more than two decimals")
    return amount


@transaction.atomic
def create_budget(*, actor: User, project: Project, name: str,
                  lines: Sequence[Mapping[str, Any]]) -> BudgetVersion:
    """A new draft budget version: lines of ``task_uid`` (WBS element), ``category``,
    ``period`` (a month) and ``amount``."""
    access_project(actor, project.code, "finance.manage")
    if not lines:
        raise InvalidInput.field("lines", "give at least one budget line")
    number = (BudgetVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"]
              or 0) + 1
    budget = create_object(actor=actor, obj=BudgetVersion(project=project, number=number,
                                                          name=name.strip() or f"Budget {number}"),
                           audit_fields=("number", "name", "status"))
    rows = []
    for n, line in enumerate(lines):
        category = line.get("category", "")
        if category not in CostCategory.values:
            raise InvalidInput.field(f"lines.{n}.category",
                                     f"use one of {', '.join(CostCategory.values)}")
        period = line.get("period")
        if not isinstance(period, dt.date):
            raise InvalidInput.field(f"lines.{n}.period", "give the month as a date")
        rows.append(BudgetLine(budget=budget, task_uid=line.get("task_uid"), category=category,
                               period=period.replace(day=1),
                               amount=_money(line.get("amount"), f"lines.{n}.amount")))
    BudgetLine.objects.bulk_create(rows)
    return budget


@transaction.atomic
def approve_budget(*, actor: User, project: Project, number: int, version: int) -> BudgetVersion:
    """Approves a draft budget version; it becomes the project's budget (the latest approved
    version counts)."""
    access_project(actor, project.code, "finance.manage")
    budget = BudgetVersion.objects.filter(project=project, number=number).first()
    if budget is None:
        raise NotFound(f"No budget version {number} on {project.code}")
    budget = lock_for_update(BudgetVersion, budget.pk)
    check_version(budget, version)
    if budget.status != BudgetStatus.DRAFT:
        raise Conflict("The budget version is already approved", {"status": ["is approved"]})
    budget.status, budget.approved_by, budget.approved_at = (BudgetStatus.APPROVED, actor,
                                                             timezone.now())
    budget.version += 1
    budget.save()
    record_change(actor=actor, obj=budget, verb="approved",
                  changes={"status": [BudgetStatus.DRAFT, BudgetStatus.APPROVED]})
    return budget


@transaction.atomic
def create_order(*, actor: User, project: Project, number: str, supplier: str, amount: Decimal,
                 issued: dt.date, description: str = "", task_uid: int | None = None,
                 category: str = CostCategory.SERVICES) -> PurchaseOrder:
    access_project(actor, project.code, "finance.manage")
    if PurchaseOrder.objects.filter(project=project, number=number).exists():
        raise InvalidInput.field("number", f"{project.code} already has an order {number}")
    return create_object(actor=actor, obj=PurchaseOrder(
        project=project, number=number, supplier=supplier, amount=_money(amount, "amount"),
        issued=issued, description=description, task_uid=task_uid, category=category),
        audit_fields=("number", "supplier", "amount", "issued", "task_uid", "category"))


ORDER_TERMS = ("supplier", "description", "amount", "task_uid", "category")


def _order_of(project: Project, order_id: int) -> PurchaseOrder:
    order = PurchaseOrder.objects.filter(project=project, pk=order_id).first()
    if order is None:
        raise NotFound(f"No purchase order {order_id} on {project.code}")
    return lock_for_update(PurchaseOrder, order.pk)


@transaction.atomic
def amend_order(*, actor: User, project: Project, order_id: int, version: int | None,
                changes: Mapping[str, Any], reason: str) -> PurchaseOrder:
    """A change order: new terms for an open purchase order (its amount up or down, the
    supplier's name, description, WBS element or category), with the reason, kept in the
    audit trail.  The amount cannot fall below what the order's invoices already come to."""
    access_project(actor, project.code, "finance.manage")
    order = _order_of(project, order_id)
    check_version(order, version)
    if order.closed_on is not None:
        raise Conflict(f"Order {order.number} is closed: raise a new order instead",
                       {"order": ["is closed"]})
    unknown = sorted(set(changes) - set(ORDER_TERMS))
    if unknown:
        raise InvalidInput.field(unknown[0], "cannot be changed on an order")
    reason = reason.strip()
    if not reason:
        raise InvalidInput.field("reason", "say why the order changes")
    terms = dict(changes)
    if "amount" in terms:
        terms["amount"] = _money(terms["amount"], "amount").quantize(CENT)
        invoiced = Invoice.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or ZERO
        if terms["amount"] < invoiced:
            raise InvalidInput.field("amount", f"the invoices on {order.number} already come to "
                                               f"{invoiced:,.2f}: the order cannot be less")
    before = snapshot(order, ORDER_TERMS)
    for name, value in terms.items():
        setattr(order, name, value)
    validate(order)
    changed = diff(before, snapshot(order, ORDER_TERMS))
    if not changed:
        raise InvalidInput.field(next(iter(terms), "amount"), "is as it was: nothing changes")
    order.version += 1
    order.save()
    record_change(actor=actor, obj=order, verb="amended", changes={**changed, "reason": reason})
    return order


@transaction.atomic
def close_order(*, actor: User, project: Project, order_id: int, version: int | None,
                date: dt.date, reason: str) -> PurchaseOrder:
    """Closes an order: it takes no more invoices and what it did not invoice stops being
    committed from ``date``.  Invoices awaiting approval must be decided first."""
    access_project(actor, project.code, "finance.manage")
    order = _order_of(project, order_id)
    check_version(order, version)
    if order.closed_on is not None:
        raise Conflict(f"Order {order.number} is already closed", {"order": ["is closed"]})
    reason = reason.strip()
    if not reason:
        raise InvalidInput.field("reason", "say why the order is closed")
    if date < order.issued:
        raise InvalidInput.field("date", f"is before the order was issued "
                                         f"({order.issued:%d %b %Y})")
    invoices = list(Invoice.objects.filter(order=order))
    last = max((i.date for i in invoices), default=None)
    if last is not None and date < last:
        raise InvalidInput.field("date", f"is before the order's last invoice ({last:%d %b %Y})")
    if any(i.status == InvoiceStatus.AWAITING for i in invoices):
        raise Conflict(f"An invoice on {order.number} awaits approval: decide it first",
                       {"order": ["has an invoice awaiting approval"]})
    released = max(ZERO, order.amount - sum((i.amount for i in invoices), ZERO))
    order.closed_on, order.close_reason = date, reason[:300]
    order.version += 1
    order.save()
    record_change(actor=actor, obj=order, verb="closed", changes={
        "closed_on": [None, date.isoformat()], "reason": reason,
        "released": str(released.quantize(CENT))})
    return order


def _book_invoice(invoice: Invoice) -> None:
    order = invoice.order
    ledger.add_cost(project=order.project, day=invoice.date, amount=invoice.amount,
                    source=CostSource.INVOICE, task_uid=order.task_uid,
                    reference=f"invoice {invoice.number} on PO {order.number}")


@transaction.atomic
def record_invoice(*, actor: User, project: Project, order_number: str, number: str,
                   amount: Decimal, date: dt.date) -> Invoice:
    """A supplier invoice matched to its order.  Within what remains of the order it is booked
    as actual cost at once; above it, it waits for approval."""
    access_project(actor, project.code, "finance.manage")
    order = PurchaseOrder.objects.filter(project=project, number=order_number).first()
    if order is None:
        raise InvalidInput.field("order", f"no purchase order {order_number} on {project.code}")
    order = lock_for_update(PurchaseOrder, order.pk)
    if order.closed_on is not None:
        raise InvalidInput.field("order", f"{order_number} was closed on "
                                          f"{order.closed_on:%d %b %Y}: it takes no invoices")
    if Invoice.objects.filter(order=order, number=number).exists():
        raise InvalidInput.field("number", f"invoice {number} is already recorded on the order")
    amount = _money(amount, "amount")
    invoiced = Invoice.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or ZERO
    status = InvoiceStatus.APPROVED if invoiced + amount <= order.amount else \
        InvoiceStatus.AWAITING
    invoice = create_object(actor=actor, obj=Invoice(order=order, number=number, amount=amount,
                                                     date=date, status=status),
                            audit_fields=("number", "amount", "date", "status"))
    if status == InvoiceStatus.APPROVED:
        _book_invoice(invoice)
    return invoice


@transaction.atomic
def approve_invoice(*, actor: User, project: Project, invoice_id: int, version: int) -> Invoice:
    """Approves an invoice above its order (the project manager or the PMO)."""
    access_project(actor, project.code, "finance.approve")
    invoice = Invoice.objects.filter(order__project=project, pk=invoice_id).first()
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id} on {project.code}")
    invoice = lock_for_update(Invoice, invoice.pk)
    check_version(invoice, version)
    if invoice.status != InvoiceStatus.AWAITING:
        raise Conflict("The invoice is already approved", {"status": ["is approved"]})
    invoice.status, invoice.approved_by = InvoiceStatus.APPROVED, actor
    invoice.version += 1
    invoice.save()
    record_change(actor=actor, obj=invoice, verb="approved",
                  changes={"status": [InvoiceStatus.AWAITING, InvoiceStatus.APPROVED]})
    _book_invoice(invoice)
    return invoice


def _invoice_of(project: Project, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.filter(order__project=project, pk=invoice_id).first()
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id} on {project.code}")
    return lock_for_update(Invoice, invoice.pk)


def paid_on(invoice: Invoice) -> Decimal:
    """What has been paid of the invoice so far (payments net of their reversals)."""
    return Payment.objects.filter(invoice=invoice).aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def record_payment(*, actor: User, project: Project, invoice_id: int, date: dt.date,
                   amount: Decimal, reference: str = "") -> Payment:
    """A payment of an approved supplier invoice (the project manager or the PMO).  What is
    paid in all can never exceed the invoice; the payment cannot predate the invoice."""
    access_project(actor, project.code, "finance.approve")
    invoice = _invoice_of(project, invoice_id)
    if invoice.status != InvoiceStatus.APPROVED:
        raise Conflict(f"Invoice {invoice.number} awaits approval; only an approved invoice "
                       "can be paid", {"invoice": ["awaits approval"]})
    amount = _money(amount, "amount").quantize(CENT)
    if amount <= 0:
        raise InvalidInput.field("amount", "must be more than zero")
    if date < invoice.date:
        raise InvalidInput.field("date", f"is before the invoice's date "
                                         f"({invoice.date:%d %b %Y})")
    paid = paid_on(invoice)
    if paid + amount > invoice.amount:
        raise InvalidInput.field("amount", f"would bring the total paid to {paid + amount:,.2f}, "
                                           f"above the invoice's {invoice.amount:,.2f} "
                                           f"(outstanding {invoice.amount - paid:,.2f})")
    return create_object(actor=actor, obj=Payment(
        invoice=invoice, date=date, amount=amount, reference=reference.strip()[:100],
        recorded_by=actor, recorded_at=timezone.now()),
        audit_fields=("invoice", "date", "amount", "reference"))


@transaction.atomic
def reverse_payment(*, actor: User, project: Project, payment_id: int, date: dt.date,
                    reason: str) -> Payment:
    """Cancels a payment by a reversal: a negative payment of the same amount naming the
    original, with the reason.  A payment is reversed at most once; a reversal itself is not
    reversed (record the payment again instead)."""
    access_project(actor, project.code, "finance.approve")
    original = Payment.objects.filter(invoice__order__project=project, pk=payment_id).first()
    if original is None:
        raise NotFound(f"No payment {payment_id} on {project.code}")
    _invoice_of(project, original.invoice_id)  # serialises payments of the invoice
    original = lock_for_update(Payment, original.pk)
    if original.reverses_id is not None:
        raise Conflict("A reversal cannot be reversed; record the payment again",
                       {"payment": ["is a reversal"]})
    if Payment.objects.filter(reverses=original).exists():
        raise Conflict("The payment is already reversed", {"payment": ["is already reversed"]})
    reason = reason.strip()
    if not reason:
        raise InvalidInput.field("reason", "say why the payment is reversed")
    if date < original.date:
        raise InvalidInput.field("date", f"is before the payment's date "
                                         f"({original.date:%d %b %Y})")
    return create_object(actor=actor, obj=Payment(
        invoice=original.invoice, date=date, amount=-original.amount,
        reference=f"reversal of {original.reference or f'payment {original.pk}'}"[:100],
        reverses=original, reason=reason[:300], recorded_by=actor,
        recorded_at=timezone.now()),
        audit_fields=("invoice", "date", "amount", "reverses", "reason"))


@transaction.atomic
def enter_forecast(*, actor: User, project: Project, etc: Decimal, as_of: dt.date,
                   task_uid: int | None = None, basis: str = "") -> Forecast:
    """An estimate to complete entered by hand for the project (``task_uid`` None) or a WBS
    element (a task of the plan, usually a summary task), as of a date.  Entries are kept;
    the latest of each element counts."""
    access_project(actor, project.code, "finance.manage")
    etc = _money(etc, "etc").quantize(CENT)
    if task_uid is not None and not PlanTask.objects.filter(plan__project=project,
                                                            uid=task_uid).exists():
        raise InvalidInput.field("task_uid", f"the plan has no task {task_uid}")
    return create_object(actor=actor, obj=Forecast(
        project=project, task_uid=task_uid, as_of=as_of, etc=etc, basis=basis.strip()[:500],
        entered_by=actor, entered_at=timezone.now()),
        audit_fields=("task_uid", "as_of", "etc", "basis"))


@transaction.atomic
def record_expense(*, actor: User, project: Project, date: dt.date, amount: Decimal,
                   description: str, category: str = CostCategory.TRAVEL,
                   task_uid: int | None = None) -> Expense:
    access_project(actor, project.code, "finance.manage")
    expense = create_object(actor=actor, obj=Expense(
        project=project, date=date, amount=_money(amount, "amount"), description=description,
        category=category, task_uid=task_uid, claimant=actor),
        audit_fields=("date", "amount", "description", "category", "task_uid"))
    ledger.add_cost(project=project, day=date, amount=expense.amount, source=CostSource.EXPENSE,
                    task_uid=task_uid, reference=description)
    return expense


def _measured_value(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        raise InvalidInput.field("value", f"{value!r} is not a number") from None
    if not number.is_finite():
        raise InvalidInput.field("value", "must be a finite number")
    if abs(number) >= Decimal("1e12") or number != number.quantize(Decimal("0.0001")):
        raise InvalidInput.field("value", "at most 12 digits before the point and 4 after")
    return number


@transaction.atomic
def record_measurement(*, actor: User, benefit: Benefit, measured_on: dt.date | None,
                       value: Any, note: str = "",
                       today: dt.date | None = None) -> BenefitMeasurement:
    """A reading of the benefit's measure on a day (``benefit.change``).  It needs the
    baseline and target (the percentage realised is measured between them), falls on or
    after the baseline date and not in the future, and the benefit must still be open."""
    access_project(actor, benefit.project.code, "benefit.change")
    locked = lock_for_update(Benefit, benefit.pk)
    if locked.is_closed:
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}: reopen it to "
                       "record a measurement")
    if locked.baseline_value is None:
        raise InvalidInput.field("baseline_value", "set the baseline before measuring")
    if locked.target_value is None:
        raise InvalidInput.field("target_value", "set the target before measuring")
    if measured_on is None:
        raise InvalidInput.field("measured_on", "give the day of the measurement")
    number = _measured_value(value)
    today = today or timezone.localdate()
    if locked.baseline_date and measured_on < locked.baseline_date:
        raise InvalidInput.field("measured_on", f"is before the baseline date "
                                                f"({locked.baseline_date:%d %b %Y})")
    if measured_on > today:
        raise InvalidInput.field("measured_on", "is in the future")
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput.field("note", "is longer than 500 characters")
    reading = BenefitMeasurement.objects.create(benefit=locked, measured_on=measured_on,
                                                value=number, note=note, recorded_by=actor)
    record_change(actor=actor, obj=locked, verb="measured",
                  changes={"measurement": [None, f"{measured_on.isoformat()}: {number}"
                                                 + (f" ({note})" if note else "")]})
    return reading


@transaction.atomic
def set_cash_flows(*, actor: User, project: Project,
                   flows: Sequence[Mapping[str, Any]]) -> list[CashFlowLine]:
    """Replaces the business case's cash flows: ``period`` (0 = now), ``costs``,
    ``benefits``."""
    access_project(actor, project.code, "finance.manage")
    rows: dict[int, CashFlowLine] = {}
    for n, flow in enumerate(flows):
        period = flow.get("period")
        if not isinstance(period, int) or not 0 <= period <= 100:
            raise InvalidInput.field(f"flows.{n}.period", "must be a period from 0 to 100")
        if period in rows:
            raise InvalidInput.field(f"flows.{n}.period", "appears twice")
        rows[period] = CashFlowLine(project=project, period=period,
                                    costs=_money(flow.get("costs", 0), f"flows.{n}.costs"),
                                    benefits=_money(flow.get("benefits", 0),
                                                    f"flows.{n}.benefits"))
    before = {str(c.period): [str(c.costs), str(c.benefits)]
              for c in CashFlowLine.objects.filter(project=project)}
    CashFlowLine.objects.filter(project=project).delete()
    for row in rows.values():
        validate(row, exclude=["project"])
    created = CashFlowLine.objects.bulk_create(sorted(rows.values(), key=lambda r: r.period))
    record_change(actor=actor, obj=project, verb="cash flows set", changes={
        "cash_flows": [before, {str(c.period): [str(c.costs), str(c.benefits)]
                                for c in created}]})
    return created


def _weights(raw: Mapping[Any, Any] | None, milestones: list[int]) -> dict[str, str]:
    if not milestones:
        raise InvalidInput.field("method", "weighted milestones need milestone tasks below "
                                           "the element; this task has none")
    weights: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in (raw or {}).items():
        uid = int(key) if str(key).isdigit() else None
        if uid not in milestones:
            errors.setdefault("milestone_weights", []).append(
                f"{key} is not a milestone below this task (milestones: "
                f"{', '.join(map(str, milestones))})")
            continue
        try:
            weight = Decimal(str(value))
        except ArithmeticError:
            errors.setdefault("milestone_weights", []).append(f"{value!r} is not a percentage")
            continue
        if not weight.is_finite() or weight < 0:
            errors.setdefault("milestone_weights", []).append(
                f"milestone {uid}: weight must be zero or more")
            continue
        weights[str(uid)] = str(weight)
    if errors:
        raise InvalidInput("; ".join(errors["milestone_weights"]), errors)
    total = sum((Decimal(w) for w in weights.values()), ZERO)
    if total != 100:
        raise InvalidInput.field("milestone_weights",
                                 f"weights must sum to 100 %, they sum to {total} %")
    return weights


@transaction.atomic
def set_ev_method(*, actor: User, project: Project, task_uid: int | None, method: str,
                  milestone_weights: Mapping[Any, Any] | None = None) -> EarningRule | None:
    """Sets the earned value method of the project (``task_uid`` None: the default for every
    task) or of one plan task.  On a summary task, the tasks below earn as one package by the
    element's method.  A task override equal to the default is removed (returns None)."""
    access_project(actor, project.code, "finance.manage")
    if method not in EvMethod.values:
        raise InvalidInput.field("method", f"use one of {', '.join(EvMethod.values)}")
    weights: dict[str, str] = {}
    if task_uid is None:
        if method == EvMethod.WEIGHTED_MILESTONES:
            raise InvalidInput.field("method", "weighted milestones are set per task, not as "
                                               "the project default")
    else:
        outline = outline_of(PlanTask.objects.filter(plan__project=project))
        task = outline.tasks.get(task_uid)
        if task is None:
            raise InvalidInput.field("task_uid", f"the plan has no task {task_uid}")
        if task.milestone and method != EvMethod.PHYSICAL_PERCENT:
            raise InvalidInput.field("task_uid", "a milestone carries no budget of its own; "
                                                 "set the method on its task or element")
        taken = [uid for uid in outline.ancestors(task_uid) + outline.descendants(task_uid)
                 if EarningRule.objects.filter(project=project, task_uid=uid).exists()]
        if taken:
            raise InvalidInput.field("task_uid", f"task {taken[0]} above or below already has "
                                                 "its own method; remove it first")
        if method == EvMethod.WEIGHTED_MILESTONES:
            milestones = [uid for uid in outline.descendants(task_uid)
                          if outline.tasks[uid].milestone]
            weights = _weights(milestone_weights, milestones)
        elif milestone_weights:
            raise InvalidInput.field("milestone_weights",
                                     "only the weighted-milestones method takes weights")
    rule = EarningRule.objects.select_for_update().filter(project=project,
                                                          task_uid=task_uid).first()
    before = [rule.method, rule.milestone_weights] if rule else None
    default = EarningRule.objects.filter(project=project, task_uid__isnull=True).first()
    default_method = default.method if default else EvMethod.PHYSICAL_PERCENT
    label = "default" if task_uid is None else f"task {task_uid}"
    if task_uid is not None and method == default_method and not weights:
        if rule is not None:
            rule.delete()
            record_change(actor=actor, obj=project, verb="earned value method set",
                          changes={f"ev_method.{label}": [before, None]})
        return None
    if rule is None:
        rule = EarningRule(project=project, task_uid=task_uid)
    rule.method, rule.milestone_weights = method, weights
    validate(rule, exclude=["project"])
    rule.save()
    record_change(actor=actor, obj=project, verb="earned value method set",
                  changes={f"ev_method.{label}": [before, [method, weights]]})
    return rule


@transaction.atomic
def set_exchange_rate(*, actor: User, from_currency: str, to_currency: str, rate: Decimal,
                      effective_from: dt.date) -> ExchangeRate:
    """Sets the rate of a currency pair from a date (replacing a rate of the same day).  Only
    a PMO manager keeps the rates."""
    require_global(actor, "portfolio.manage")
    pair = []
    for key, code in (("from_currency", from_currency), ("to_currency", to_currency)):
        code = code.strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise InvalidInput.field(key, "give a three-letter ISO 4217 code, e.g. EUR")
        pair.append(code)
    if pair[0] == pair[1]:
        raise InvalidInput.field("to_currency", "must differ from the from currency")
    try:
        value = Decimal(str(rate))
    except ArithmeticError:
        raise InvalidInput.field("rate", f"{rate!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput.field("rate", "must be more than zero")
    if value != value.quantize(Decimal("0.00000001")):
        raise InvalidInput.field("rate", "use at most eight decimals")
    existing = (ExchangeRate.objects.select_for_update()
                .filter(from_currency=pair[0], to_currency=pair[1],
                        effective_from=effective_from).first())
    if existing is not None:
        before = str(existing.rate)
        existing.rate, existing.set_by = value, actor
        validate(existing)
        existing.save()
        record_change(actor=actor, obj=existing, verb="changed",
                      changes={"rate": [before, str(value)]})
        return existing
    return create_object(actor=actor, obj=ExchangeRate(
        from_currency=pair[0], to_currency=pair[1], rate=value, effective_from=effective_from,
        set_by=actor), audit_fields=("from_currency", "to_currency", "rate", "effective_from"))


# ---------------------------------------------------------------------------------------------
# Budget changes made by an approved change request.


def current_budget(project: Project) -> BudgetVersion | None:
    """The project's budget: its latest approved version."""
    return (BudgetVersion.objects.filter(project=project, status=BudgetStatus.APPROVED)
            .order_by("-number").first())


def month_of(value: Any) -> dt.date | None:
    """A month given as "2026-05" (or a date in it) → its first day; None if not a month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text).replace(day=1)
    except ValueError:
        return None


def revised_lines(lines: Sequence[BudgetLine],
                  edits: Sequence[Mapping[str, Any]], field: str = "amount"
                  ) -> list[tuple[int | None, str, dt.date, Decimal]]:
    """The budget lines (WBS element, category, month, amount) after adding each edit's
    amount to the line it names (a line that does not exist yet is added).  Raises
    InvalidInput on ``field`` when a line would fall below zero."""
    totals: dict[tuple[int | None, str, dt.date], Decimal] = {}
    for line in lines:
        key = (line.task_uid, line.category, line.period)
        totals[key] = totals.get(key, ZERO) + line.amount
    for edit in edits:
        period = month_of(edit.get("period"))
        assert period is not None
        key = (edit.get("wbs"), str(edit.get("category")), period)
        amount = totals.get(key, ZERO) + Decimal(str(edit.get("amount")))
        if amount < 0:
            raise InvalidInput.field(field, f"would bring the {key[1]} line of "
                                     f"{period:%b %Y} below zero ({amount})")
        totals[key] = amount
    return [(uid, category, period, amount)
            for (uid, category, period), amount in totals.items()]


@transaction.atomic
def revise_budget(*, actor: User, project: Project, base: BudgetVersion,
                  edits: Sequence[Mapping[str, Any]], name: str,
                  source: str) -> BudgetVersion:
    """A new budget version copied from the approved ``base`` with the edits applied
    (``wbs``, ``category``, ``period``, ``amount`` added to the line), approved at once: the
    approval of ``source`` (a change request's reference) is its authority, recorded in the
    audit trail."""
    access_project(actor, project.code, "finance.manage")
    if base.status != BudgetStatus.APPROVED:
        raise Conflict(f"Budget version {base.number} is not approved",
                       {"budget": ["is not approved"]})
    rows = revised_lines(list(base.lines.all()), edits)
    number = (BudgetVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"]
              or 0) + 1
    budget = BudgetVersion(project=project, number=number, name=name[:100],
                           status=BudgetStatus.APPROVED, approved_by=actor,
                           approved_at=timezone.now())
    validate(budget)
    budget.save()
    BudgetLine.objects.bulk_create(
        BudgetLine(budget=budget, task_uid=uid, category=category, period=period,
                   amount=amount)
        for uid, category, period, amount in sorted(
            rows, key=lambda r: (r[2], r[0] or 0, r[1])))
    before = sum((line.amount for line in base.lines.all()), ZERO)
    after = sum((r[3] for r in rows), ZERO)
    record_change(actor=actor, obj=budget, verb="created", changes={
        "number": [None, number], "name": [None, budget.name],
        "status": [None, BudgetStatus.APPROVED], "copied_from": [None, base.number],
        "total": [str(before), str(after)], "source": [None, source]})
    return budget
