"""REST operations on project money: summary, earned value, budgets, orders, invoices and
their payments, expenses, forecasts entered by hand, the cash flow by month, benefit
measurements, the business case and the benefits roll-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, username
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions, benefits, cashflow, queries, rollup
from .models import Benefit, BenefitMeasurement, ExchangeRate
from .registers import BENEFITS
from .views import rollup_scope

router = Router(tags=["finance"])

Category = Literal["labour", "material", "services", "travel", "other"]
Amount = Field(ge=0, max_digits=14, decimal_places=2)



class BudgetLineIn(StrictIn):
    task_uid: int | None = None
    category: Category
    period: dt.date
    amount: Decimal = Amount


class BudgetIn(StrictIn):
    name: str = Field("", max_length=100)
    lines: list[BudgetLineIn]


class VersionIn(StrictIn):
    version: int


class OrderIn(StrictIn):
    number: str = Field(min_length=1, max_length=40)
    supplier: str = Field(min_length=1, max_length=150)
    amount: Decimal = Amount
    issued: dt.date
    description: str = Field("", max_length=500)
    task_uid: int | None = None
    category: Category = "services"


class InvoiceIn(StrictIn):
    order_number: str = Field(max_length=40)
    number: str = Field(min_length=1, max_length=40)
    amount: Decimal = Amount
    date: dt.date


class ExpenseIn(StrictIn):
    date: dt.date
    amount: Decimal = Amount
    description: str = Field(min_length=1, max_length=300)
    category: Category = "travel"
    task_uid: int | None = None


class MeasurementIn(StrictIn):
    measured_on: dt.date
    value: Decimal | str = Field(description="the measure's value that day (a number)")
    note: str = Field("", max_length=500)


class FlowIn(StrictIn):
    period: int = Field(ge=0, le=100)
    costs: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    benefits: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)


class EvMethodIn(StrictIn):
    task_uid: int | None = Field(None, description="omit for the project default")
    method: Literal["physical_percent", "0/100", "50/50", "weighted_milestones"]
    milestone_weights: dict[str, Decimal] | None = Field(
        None, description="weighted milestones: milestone task UID → % of the budget")


class FlowsIn(StrictIn):
    flows: list[FlowIn]


def earned_value_out(project: Any, status_date: dt.date | None = None) -> dict[str, Any]:
    ev = queries.earned_value(project, status_date)
    if ev is None:
        return {"status_date": None, "currency": project.currency, "figures": None,
                "tasks": [], "elements": [], "s_curve": []}
    curve = ev.curve.points if ev.curve else ()
    return {"status_date": ev.status_date, "currency": ev.currency, "figures": ev.figures,
            "tasks": ev.tasks, "elements": ev.elements, "unallocated_ac": ev.unallocated_ac,
            "s_curve": [{"date": p.day, "pv": p.pv.amount,
                         "ev": p.ev.amount if p.ev else None,
                         "ac": p.ac.amount if p.ac else None,
                         "forecast_ev": p.forecast_ev.amount if p.forecast_ev else None,
                         "forecast_ac": p.forecast_ac.amount if p.forecast_ac else None}
                        for p in curve]}


@router.get("/projects/{code}/finance", response=dict[str, Any])
@project_operation("cost.view")
def summary(request: AuthedRequest, project: Project) -> dict[str, Any]:
    s = queries.cost_summary(project)
    return {"currency": project.currency, "actual": s["actual"],
            "actual_by_source": dict(s["by_source"]), "budget": s["budget_total"],
            "committed": s["committed"], "open_commitments": s["open_commitments"],
            "budgets": [{"number": b.number, "name": b.name, "status": b.status,
                         "version": b.version, "total": b.total or 0} for b in s["budgets"]],
            "paid": s["paid"],
            "orders": [{"id": o.pk, "version": o.version, "number": o.number,
                        "supplier": o.supplier, "amount": o.amount,
                        "closed_on": o.closed_on, "close_reason": o.close_reason,
                        "invoiced": o.invoiced, "paid": o.paid, "remaining": o.remaining,
                        "invoices": [{"id": i.pk, "number": i.number, "amount": i.amount,
                                      "date": i.date, "status": i.status, "version": i.version,
                                      "paid": i.paid, "outstanding": i.outstanding,
                                      "payment_status": i.payment_status}
                                     for i in o.invoices.all()]} for o in s["orders"]],
            "expenses": [{"date": e.date, "amount": e.amount, "description": e.description}
                         for e in s["expenses"]]}


@router.get("/projects/{code}/earned-value", response=dict[str, Any])
@project_operation("cost.view")
def earned_value(request: AuthedRequest, project: Project,
                 status_date: dt.date | None = None) -> dict[str, Any]:
    return earned_value_out(project, status_date)


@router.post("/projects/{code}/budgets", response={201: dict[str, Any]})
@project_operation("finance.manage")
def create_budget(request: AuthedRequest, project: Project, payload: BudgetIn) -> Any:
    b = actions.create_budget(actor=request.user, project=project, name=payload.name,
                              lines=[line.dict() for line in payload.lines])
    return Status(201, {"number": b.number, "name": b.name, "status": b.status,
                        "version": b.version})


@router.post("/projects/{code}/budgets/{number}/approve", response=dict[str, Any])
@project_operation("finance.manage")
def approve_budget(request: AuthedRequest, project: Project, number: int,
                   payload: VersionIn) -> dict[str, Any]:
    b = actions.approve_budget(actor=request.user, project=project, number=number,
                               version=payload.version)
    return {"number": b.number, "status": b.status, "version": b.version}


@router.post("/projects/{code}/orders", response={201: dict[str, Any]})
@project_operation("finance.manage")
def create_order(request: AuthedRequest, project: Project, payload: OrderIn) -> Any:
    o = actions.create_order(actor=request.user, project=project, **payload.dict())
    return Status(201, {"number": o.number, "supplier": o.supplier, "amount": o.amount})


class OrderAmendIn(StrictIn):
    version: int
    reason: str = Field(min_length=1, max_length=300)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    supplier: str | None = Field(None, min_length=1, max_length=150)
    description: str | None = Field(None, max_length=500)
    task_uid: int | None = None
    category: Category | None = None


class OrderCloseIn(StrictIn):
    version: int
    reason: str = Field(min_length=1, max_length=300)
    date: dt.date | None = Field(None, description="default: today")


def _order_out(o: Any) -> dict[str, Any]:
    return {"id": o.pk, "number": o.number, "supplier": o.supplier, "amount": o.amount,
            "description": o.description, "task_uid": o.task_uid, "category": o.category,
            "closed_on": o.closed_on, "close_reason": o.close_reason, "version": o.version}


@router.patch("/projects/{code}/orders/{order_id}", response=dict[str, Any])
@project_operation("finance.manage")
def amend_order(request: AuthedRequest, project: Project, order_id: int,
                payload: OrderAmendIn) -> dict[str, Any]:
    """A change order: new terms with the reason (the amount not below what is invoiced)."""
    changes = payload.dict(exclude_unset=True, exclude={"version", "reason"})
    o = actions.amend_order(actor=request.user, project=project, order_id=order_id,
                            version=payload.version, changes=changes, reason=payload.reason)
    return _order_out(o)


@router.post("/projects/{code}/orders/{order_id}/close", response=dict[str, Any])
@project_operation("finance.manage")
def close_order(request: AuthedRequest, project: Project, order_id: int,
                payload: OrderCloseIn) -> dict[str, Any]:
    """Closes an order: no more invoices; what it did not invoice is no longer committed."""
    o = actions.close_order(actor=request.user, project=project, order_id=order_id,
                            version=payload.version,
                            date=payload.date or timezone.localdate(), reason=payload.reason)
    return _order_out(o)


@router.post("/projects/{code}/invoices", response={201: dict[str, Any]})
@project_operation("finance.manage")
def record_invoice(request: AuthedRequest, project: Project, payload: InvoiceIn) -> Any:
    i = actions.record_invoice(actor=request.user, project=project, **payload.dict())
    return Status(201, {"id": i.pk, "number": i.number, "amount": i.amount,
                        "status": i.status, "version": i.version})


@router.post("/projects/{code}/invoices/{invoice_id}/approve", response=dict[str, Any])
@project_operation("finance.approve")
def approve_invoice(request: AuthedRequest, project: Project, invoice_id: int,
                    payload: VersionIn) -> dict[str, Any]:
    i = actions.approve_invoice(actor=request.user, project=project, invoice_id=invoice_id,
                                version=payload.version)
    return {"id": i.pk, "status": i.status, "version": i.version}


class PaymentIn(StrictIn):
    date: dt.date
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    reference: str = Field("", max_length=100, description="e.g. the bank transfer number")


class ReversalIn(StrictIn):
    reason: str = Field(min_length=1, max_length=300)
    date: dt.date | None = Field(None, description="default: today")


def _payments_out(project: Any, invoice_id: int) -> dict[str, Any]:
    invoice, payments = queries.invoice_payments(project, invoice_id)
    return {"invoice_id": invoice.pk, "number": invoice.number,
            "order_number": invoice.order.number, "supplier": invoice.order.supplier,
            "amount": invoice.amount, "date": invoice.date, "status": invoice.status,
            "paid": invoice.paid, "outstanding": invoice.outstanding,
            "payment_status": invoice.payment_status, "currency": project.currency,
            "payments": [queries.payment_out(p) for p in payments]}


@router.get("/projects/{code}/invoices/{invoice_id}/payments", response=dict[str, Any])
@project_operation("cost.view")
def invoice_payments(request: AuthedRequest, project: Project, invoice_id: int) -> dict[str, Any]:
    return _payments_out(project, invoice_id)


@router.post("/projects/{code}/invoices/{invoice_id}/payments", response={201: dict[str, Any]})
@project_operation("finance.approve")
def record_payment(request: AuthedRequest, project: Project, invoice_id: int,
                   payload: PaymentIn) -> Any:
    p = actions.record_payment(actor=request.user, project=project, invoice_id=invoice_id,
                               **payload.dict())
    return Status(201, {**queries.payment_out(p), "invoice": _payments_out(project, invoice_id)})


@router.post("/projects/{code}/payments/{payment_id}/reverse", response={201: dict[str, Any]})
@project_operation("finance.approve")
def reverse_payment(request: AuthedRequest, project: Project, payment_id: int,
                    payload: ReversalIn) -> Any:
    p = actions.reverse_payment(actor=request.user, project=project, payment_id=payment_id,
                                reason=payload.reason,
                                date=payload.date or timezone.localdate())
    return Status(201, {**queries.payment_out(p),
                        "invoice": _payments_out(project, p.invoice_id)})


class ForecastIn(StrictIn):
    etc: Decimal = Field(description="estimate to complete, zero or more", max_digits=14,
                         decimal_places=2)
    as_of: dt.date
    task_uid: int | None = Field(None, description="a WBS element; omit for the project")
    basis: str = Field("", max_length=500)


def _forecasts_out(project: Any) -> dict[str, Any]:
    ev = queries.earned_value(project, history=False)
    data = queries.forecasts(project, ev)
    keys = ("id", "task_uid", "element", "as_of", "etc", "ac", "eac", "bac", "vac", "basis",
            "entered_by", "entered_at")
    return {"currency": project.currency,
            "calculated_eac": ev.figures["eac"] if ev else None,
            "latest": [{k: r[k] for k in keys} for r in data["latest"]],
            "history": [{k: r[k] for k in keys} for r in data["history"]]}


@router.get("/projects/{code}/forecasts", response=dict[str, Any])
@project_operation("cost.view")
def forecasts(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return _forecasts_out(project)


@router.post("/projects/{code}/forecasts", response={201: dict[str, Any]})
@project_operation("finance.manage")
def enter_forecast(request: AuthedRequest, project: Project, payload: ForecastIn) -> Any:
    f = actions.enter_forecast(actor=request.user, project=project, **payload.dict())
    return Status(201, {"id": f.pk, **_forecasts_out(project)})


class MonthsQuery(Schema):
    first: str | None = Field(None, alias="from", description="first month, YYYY-MM")
    last: str | None = Field(None, alias="to", description="last month, YYYY-MM")


@router.get("/projects/{code}/cash-flow", response=dict[str, Any],
            summary="The project's cash flow by calendar month")
@project_operation("cost.view")
def cash_flow(request: AuthedRequest, project: Project,
              months: Query[MonthsQuery]) -> dict[str, Any]:
    flow = cashflow.project_cash_flow(project, cashflow.parse_month(months.first, "from"),
                                      cashflow.parse_month(months.last, "to"))
    return {"currency": flow.currency, "planned_source": flow.planned_source,
            "totals": flow.totals,
            "months": [{"month": r.label, "planned": r.planned, "actual": r.actual,
                        "cash_out": r.cash_out, "open_commitments": r.open_commitments,
                        "cum_planned": r.cum_planned, "cum_actual": r.cum_actual,
                        "cum_cash_out": r.cum_cash_out} for r in flow.rows]}


@router.get("/cash-flow", response=dict[str, Any],
            summary="The monthly cash flow of the projects one sees, in one currency")
@office_operation("authenticated")
def cash_flow_rollup(request: AuthedRequest, months: Query[MonthsQuery],
                     programme: str | None = None, portfolio: int | None = None,
                     currency: str | None = None,
                     date: dt.date | None = None) -> dict[str, Any]:
    title, projects = rollup_scope(request.user, programme, portfolio)
    result = cashflow.rollup_cash_flow(
        projects, date or timezone.localdate(), currency,
        cashflow.parse_month(months.first, "from"), cashflow.parse_month(months.last, "to"))
    return {"scope": title, "currency": result.currency, "rates_on": result.day,
            "rates": result.rates, "projects": [p.code for p in result.projects],
            "totals": result.totals,
            "months": [{"month": r.label, "planned": r.planned, "actual": r.actual,
                        "cash_out": r.cash_out, "open_commitments": r.open_commitments,
                        "cum_planned": r.cum_planned, "cum_actual": r.cum_actual,
                        "cum_cash_out": r.cum_cash_out} for r in result.rows]}


@router.post("/projects/{code}/expenses", response={201: dict[str, Any]})
@project_operation("finance.manage")
def record_expense(request: AuthedRequest, project: Project, payload: ExpenseIn) -> Any:
    e = actions.record_expense(actor=request.user, project=project, **payload.dict())
    return Status(201, {"id": e.pk, "amount": e.amount})


@router.get("/projects/{code}/business-case", response=dict[str, Any])
@project_operation("cost.view")
def business_case(request: AuthedRequest, project: Project,
                  rate: Decimal = Decimal("0.08")) -> dict[str, Any]:
    case = queries.business_case(project, rate)
    return {"rate": rate, "currency": project.currency,
            "benefits": [realisation_out(s) for s in benefits.project_benefits(project)],
            "cash_flows": [{"period": f.period, "costs": f.costs, "benefits": f.benefits}
                           for f in case["flows"]],
            **{k: case.get(k) for k in ("npv", "irr", "payback", "discounted_payback", "roi")}}


def _benefit(request: AuthedRequest, project: Project, ref: str) -> Benefit:
    item = get_item(BENEFITS, project, ref)
    if not isinstance(item, Benefit):
        raise NotFound(f"No benefit {ref!r} in {project.code}")
    return item


def measurement_out(m: BenefitMeasurement) -> dict[str, Any]:
    return {"id": m.pk, "measured_on": m.measured_on, "value": m.value, "note": m.note,
            "recorded_by": username(m.recorded_by), "recorded_at": m.recorded_at}


def realisation_out(state: benefits.BenefitState) -> dict[str, Any]:
    b = state.benefit
    return {"reference": b.reference, "title": b.title, "type": b.benefit_type,
            "status": b.status, "tracking": state.status,
            "tracking_label": state.status_label,
            "percent_realised": None if state.percent is None
            else state.percent.quantize(Decimal("0.1")),
            "planned_percent": None if state.planned_percent is None
            else state.planned_percent.quantize(Decimal("0.1")),
            "annual_value": b.annual_value, "realised_value": state.realised_value,
            "baseline_value": b.baseline_value, "target_value": b.target_value,
            "realisation_start": b.realisation_start, "full_realisation": b.full_realisation}


@router.get("/projects/{code}/benefits/{ref}/measurements", response=dict[str, Any],
            summary="A benefit's measurements and where it stands against its trajectory")
@project_operation("benefit.view")
def benefit_measurements(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
    item = _benefit(request, project, ref)
    state = benefits.state_of(item, list(item.measurements.all()))
    return {**realisation_out(state), "currency": item.project.currency,
            "measurements": [measurement_out(m) for m in state.measurements]}


@router.post("/projects/{code}/benefits/{ref}/measurements", response={201: dict[str, Any]},
             summary="Record a measurement")
@project_operation("benefit.change")
def record_measurement(request: AuthedRequest, project: Project, ref: str,
                       payload: MeasurementIn) -> Any:
    item = _benefit(request, project, ref)
    reading = actions.record_measurement(actor=request.user, benefit=item,
                                         measured_on=payload.measured_on, value=payload.value,
                                         note=payload.note)
    return Status(201, measurement_out(reading))


@router.post("/projects/{code}/cash-flows", response=dict[str, Any])
@project_operation("finance.manage")
def set_cash_flows(request: AuthedRequest, project: Project, payload: FlowsIn) -> dict[str, Any]:
    rows = actions.set_cash_flows(actor=request.user, project=project,
                                  flows=[f.dict() for f in payload.flows])
    return {"cash_flows": [{"period": r.period, "costs": r.costs, "benefits": r.benefits}
                           for r in rows]}


@router.get("/projects/{code}/ev-methods", response=dict[str, Any])
@project_operation("cost.view")
def ev_methods(request: AuthedRequest, project: Project) -> dict[str, Any]:
    rules = queries.earning_rules(project)
    return {"default": rules["default"],
            "tasks": [{k: r[k] for k in ("task_uid", "name", "method", "milestone_weights")}
                      for r in rules["tasks"]]}


@router.post("/projects/{code}/ev-methods", response=dict[str, Any])
@project_operation("finance.manage")
def set_ev_method(request: AuthedRequest, project: Project, payload: EvMethodIn) -> dict[str, Any]:
    actions.set_ev_method(actor=request.user, project=project, **payload.dict())
    return ev_methods(request, project.code)


class ExchangeRateIn(StrictIn):
    from_currency: str = Field(min_length=3, max_length=3)
    to_currency: str = Field(min_length=3, max_length=3)
    rate: Decimal = Field(gt=0, max_digits=18, decimal_places=8)
    effective_from: dt.date


def _rate_out(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "from_currency": r.from_currency, "to_currency": r.to_currency,
            "rate": r.rate, "effective_from": r.effective_from}


@router.get("/exchange-rates", response=list[dict[str, Any]])
@office_operation("authenticated")
def exchange_rates(request: AuthedRequest) -> list[dict[str, Any]]:
    return [_rate_out(r) for r in ExchangeRate.objects.all()]


@router.post("/exchange-rates", response={201: dict[str, Any]})
@office_operation("portfolio.manage")
def set_exchange_rate(request: AuthedRequest, payload: ExchangeRateIn) -> Any:
    rate = actions.set_exchange_rate(actor=request.user, **payload.dict())
    return Status(201, _rate_out(rate))


@router.get("/earned-value", response=dict[str, Any],
            summary="Earned value of the projects one sees, by programme or portfolio")
@office_operation("authenticated")
def earned_value_rollup(request: AuthedRequest, status_date: dt.date | None = None,
                        programme: str | None = None, portfolio: int | None = None,
                        currency: str | None = None) -> dict[str, Any]:
    title, projects = rollup_scope(request.user, programme, portfolio)
    result = rollup.rollup(projects, status_date or timezone.localdate(), currency)
    return {"scope": title, "status_date": result.status_date, "currency": result.currency,
            "rates": result.rates, "totals": result.totals,
            "projects": [{"code": r["code"], "name": r["name"], "programme": r["programme"],
                          "currency": r["currency"], "figures": r["figures"],
                          "error": r.get("error")} for r in result.rows]}


@router.get("/benefits", response=dict[str, Any],
            summary="Benefits of the projects one sees, by programme or portfolio")
@office_operation("authenticated")
def benefits_rollup(request: AuthedRequest, programme: str | None = None,
                    portfolio: int | None = None, currency: str | None = None,
                    date: dt.date | None = None) -> dict[str, Any]:
    title, projects = rollup_scope(request.user, programme, portfolio)
    result = benefits.rollup(projects, date or timezone.localdate(), currency)
    return {"scope": title, "date": result.on, "currency": result.currency,
            "rates": result.rates, "totals": result.totals,
            "projects": [{k: r[k] for k in ("code", "name", "programme", "currency",
                                             "benefits", "planned", "realised", "percent",
                                             "by_status")} for r in result.rows]}
