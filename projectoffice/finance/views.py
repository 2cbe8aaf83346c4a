"""Finance page: costs, earned value with the S-curve, forecasts entered by hand, budgets,
orders, invoices and payments, expenses and the benefit case; the cash flow by month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from projectoffice.errors import NotFound, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.planning.progress import project_finish
from projectoffice.portfolio.access import (
    access_project,
    is_pmo_manager,
    object_operation,
    project_operation,
    project_permissions,
    require_global,
    visible_projects,
)
from projectoffice.portfolio.models import Portfolio, Programme, Project
from projectoffice.registers import views as register_views
from projectoffice.registers.queries import get_item
from projectoffice.web import numbers, paging
from projectoffice.web.forms_input import date_input, decimal_input, int_input, show_error
from projectoffice.web.shortcuts import errors_to_form, office_view

from . import actions, benefits, cashflow, charts, forms, queries, rollup
from .models import Benefit, CashFlowLine, ExchangeRate
from .registers import BENEFITS


@login_required
@office_view
@project_operation("cost.view")
def finance_page(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    raw_rate = request.GET.get("rate") or "8"
    try:
        rate = Decimal(raw_rate) / 100
    except InvalidOperation:
        rate = Decimal("0.08")
    error = ""
    raw_day = request.GET.get("status_date") or ""
    try:
        chosen: dt.date | None = dt.date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        chosen = None
    try:
        ev = queries.earned_value(project, chosen)
    except OfficeError as exc:
        ev, error = None, exc.message
    return render(request, "finance/finance.html", {
        "project": project, "perms": perms, "ev": ev, "ev_error": error,
        "f": ev.figures if ev else None, "forecasts": queries.forecasts(project, ev),
        "svg": charts.s_curve_svg(ev.curve) if ev and ev.curve else "",
        "costs": queries.cost_summary(project), "rules": queries.earning_rules(project),
        "case": queries.business_case(project, rate), "rate_percent": rate * 100,
        "chosen_date": chosen, "finish": project_finish(project),
        **_benefit_context(project)})


def _benefit_context(project: Any) -> dict[str, Any]:
    states = benefits.project_benefits(project)
    return {"benefit_states": states,
            "benefit_summary": benefits.summarise(states, timezone.localdate())}


@login_required
@office_view
@require_POST
@project_operation("cost.view")
def finance_post(request: AuthedRequest, project: Project) -> HttpResponse:
    form = request.POST
    try:
        what = form.get("what")
        if what == "approve_invoice":
            actions.approve_invoice(actor=request.user, project=project,
                                    invoice_id=int_input(form.get("invoice"), "invoice"),
                                    version=int_input(form.get("version"), "version"))
        elif what == "approve_budget":
            actions.approve_budget(actor=request.user, project=project,
                                   number=int_input(form.get("number"), "number"),
                                   version=int_input(form.get("version"), "version"))
        elif what == "expense":
            actions.record_expense(actor=request.user, project=project,
                                   date=date_input(form.get("date", ""), "date"),
                                   amount=decimal_input(form.get("amount", ""), "amount"),
                                   description=form.get("description", "").strip())
        messages.success(request, "Saved.")
    except OfficeError as exc:
        show_error(request, exc)
    return redirect("finance", code=project.code)


# ---- entry pages: one form per kind of money record ----------------------------------------

KINDS: dict[str, tuple[str, str]] = {
    "budget": ("New budget version", "A draft budget by WBS element, cost category and month; "
               "it counts once approved."),
    "order": ("New purchase order", "A commitment to a supplier."),
    "order-change": ("Amend a purchase order", "A change order: new terms for an open "
                     "order, with the reason; its history keeps every change."),
    "order-close": ("Close a purchase order", "A closed order takes no more invoices, and "
                    "what it did not invoice is no longer committed."),
    "invoice": ("Record a supplier invoice", "Matched to its purchase order."),
    "payment": ("Record payment", "Cash paid to the supplier against an approved invoice; "
                "an invoice may be paid in several payments, never more than its amount."),
    "reversal": ("Reverse a payment", "A payment is never deleted: the reversal is a "
                 "negative payment naming the original, with the reason."),
    "forecast": ("Enter a forecast", "Your estimate to complete for the project or a WBS "
                 "element; each entry is kept and the latest of each element counts."),
    "expense": ("Record an expense", "Booked as actual cost at once."),
    "ev-method": ("Earned value method", "How a task, or a WBS element taken as one work "
                  "package, earns its value: physical % complete, 0/100, 50/50 or weighted "
                  "milestones (milestone tasks below the element)."),
    "cash-flows": ("Business-case cash flows", "Costs and benefits by year; year 0 is now "
                   "and is not discounted. Saving replaces every year."),
}
SAVED = {"payment": "Payment recorded.", "reversal": "Payment reversed.",
         "order-change": "Order amended.", "order-close": "Order closed.",
         "forecast": "Forecast saved."}
BUDGET_ROWS = 6
FLOW_ROWS = 8


def _rows(form_class: type, data: Any, count: int, prefix: str,
          initial: list[dict[str, Any]] | None = None, **kwargs: Any) -> list[Any]:
    initial = initial or []
    return [form_class(data, prefix=f"{prefix}-{n}", initial=initial[n] if n < len(initial)
                       else None, **kwargs) for n in range(count)]


def _filled(row: Any) -> bool:
    return any((row.data.get(row.add_prefix(name)) or "").strip()
               for name in row.fields if name != "category")


@login_required
@office_view
@object_operation("finance.manage or finance.approve")  # approve: payments, reversals
def finance_new(request: AuthedRequest, code: str, kind: str) -> HttpResponse:
    """The entry form for one kind of money record; errors come back at the field."""
    perm = "finance.approve" if kind in ("payment", "reversal") else "finance.manage"
    project = access_project(request.user, code, perm)
    if kind not in KINDS:
        raise Http404(f"No {kind} form")
    data = request.POST if request.method == "POST" else None
    rows: list[Any] = []
    head: Any
    if kind == "budget":
        head = forms.BudgetForm(data, project=project)
        rows = _rows(forms.BudgetLineForm, data, BUDGET_ROWS, "lines", project=project)
    elif kind == "cash-flows":
        head = forms.BudgetForm(data, project=project)  # no fields of its own but the errors
        head.fields.pop("name")
        existing = [{"period": c.period, "costs": c.costs, "benefits": c.benefits}
                    for c in CashFlowLine.objects.filter(project=project)]
        count = max(FLOW_ROWS, len(existing) + 2)
        if not existing:
            existing = [{"period": n} for n in range(6)]
        rows = _rows(forms.CashFlowForm, data, count, "flows", initial=existing)
    else:
        head = {"order": forms.OrderForm, "invoice": forms.InvoiceForm,
                "expense": forms.ExpenseForm,
                "ev-method": forms.EvMethodForm, "payment": forms.PaymentForm,
                "reversal": forms.ReversalForm, "forecast": forms.ForecastForm,
                "order-change": forms.OrderAmendForm, "order-close": forms.OrderCloseForm}[kind](
            data, project=project, initial=dict(request.GET.items()))
    if data is not None:
        used = [r for r in rows if _filled(r)]
        if head.is_valid() and all(r.is_valid() for r in used):
            try:
                _save(request, project, kind, head, used)
                messages.success(request, SAVED.get(kind) or
                                 f"{KINDS[kind][0].split(' ', 1)[1].capitalize()} saved.")
                anchor = {"cash-flows": "#benefits",
                          "ev-method": "#ev-methods", "payment": "#payments",
                          "reversal": "#payments", "forecast": "#forecasts"}.get(kind, "")
                return redirect(f"/projects/{project.code}/finance/{anchor}")
            except OfficeError as exc:
                forms.errors_to_rows(used, head, exc, "lines" if kind == "budget" else "flows")
        status = 422
    else:
        status = 200
    title, help_text = KINDS[kind]
    return render(request, "finance/entry.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "kind": kind, "title": title, "help": help_text, "form": head, "rows": rows},
        status=status)


def _save(request: AuthedRequest, project: Any, kind: str, head: Any, rows: list[Any]) -> None:
    actor, d = request.user, head.cleaned_data
    if kind == "budget":
        actions.create_budget(actor=actor, project=project, name=d["name"], lines=[
            {"task_uid": r.chosen_task(), "category": r.cleaned_data["category"],
             "period": r.cleaned_data["period"], "amount": r.cleaned_data["amount"]}
            for r in rows])
    elif kind == "cash-flows":
        actions.set_cash_flows(actor=actor, project=project, flows=[
            {"period": r.cleaned_data["period"] if r.cleaned_data["period"] is not None
             else -1, "costs": r.cleaned_data["costs"] or 0,
             "benefits": r.cleaned_data["benefits"] or 0} for r in rows])
    elif kind == "order":
        actions.create_order(actor=actor, project=project, number=d["number"].strip(),
                             supplier=d["supplier"].strip(), amount=d["amount"],
                             issued=d["issued"], description=d["description"],
                             task_uid=head.chosen_task(), category=d["category"])
    elif kind == "order-change":
        actions.amend_order(actor=actor, project=project, order_id=int(d["order"]),
                            version=d["version"], reason=d["reason"], changes={
                                "amount": d["amount"], "supplier": d["supplier"].strip(),
                                "description": d["description"]})
    elif kind == "order-close":
        actions.close_order(actor=actor, project=project, order_id=int(d["order"]),
                            version=d["version"], date=d["date"], reason=d["reason"])
    elif kind == "invoice":
        actions.record_invoice(actor=actor, project=project, order_number=d["order"],
                               number=d["number"].strip(), amount=d["amount"], date=d["date"])
    elif kind == "expense":
        actions.record_expense(actor=actor, project=project, date=d["date"], amount=d["amount"],
                               description=d["description"].strip(), category=d["category"],
                               task_uid=head.chosen_task())
    elif kind == "payment":
        actions.record_payment(actor=actor, project=project, invoice_id=int(d["invoice"]),
                               date=d["date"], amount=d["amount"], reference=d["reference"])
    elif kind == "reversal":
        actions.reverse_payment(actor=actor, project=project, payment_id=int(d["payment"]),
                                date=d["date"], reason=d["reason"])
    elif kind == "forecast":
        actions.enter_forecast(actor=actor, project=project, etc=d["etc"], as_of=d["as_of"],
                               task_uid=head.chosen_task(), basis=d["basis"])
    elif kind == "ev-method":
        actions.set_ev_method(actor=actor, project=project, task_uid=head.chosen_task(),
                              method=d["method"], milestone_weights=d["milestone_weights"])


# ---- cash flow by month -----------------------------------------------------------------------

def _flow(request: AuthedRequest, project: Any) -> tuple[cashflow.CashFlow | None, str]:
    try:
        return cashflow.project_cash_flow(
            project, cashflow.parse_month(request.GET.get("from"), "from"),
            cashflow.parse_month(request.GET.get("to"), "to")), ""
    except OfficeError as exc:
        return None, exc.message


@login_required
@office_view
@project_operation("cost.view")
def cash_flow_page(request: AuthedRequest, project: Project) -> HttpResponse:
    flow, error = _flow(request, project)
    return render(request, "finance/cash_flow.html", {
        "project": project, "perms": project_permissions(request.user, project), "flow": flow,
        "error": error, "svg": charts.cash_flow_svg(flow) if flow else "",
        "first": request.GET.get("from", ""), "last": request.GET.get("to", ""),
        "shown_first": request.GET.get("from") or (flow.rows[0].label if flow and flow.rows
                                                   else ""),
        "shown_last": request.GET.get("to") or (flow.rows[-1].label if flow and flow.rows
                                                else ""),
        "query": request.GET.urlencode()}, status=422 if error else 200)


@login_required
@office_view
@project_operation("cost.view")
def cash_flow_csv(request: AuthedRequest, project: Project) -> HttpResponse:
    import csv
    import io

    flow, error = _flow(request, project)
    if flow is None:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(cashflow.CSV_HEADERS)
    writer.writerows(cashflow.csv_rows(flow))
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="{project.code}-cash-flow-'
                                       f'{project.currency}.csv"')
    return response


@login_required
@office_view
def cash_flow_rollup_page(request: AuthedRequest) -> HttpResponse:
    """The monthly cash flow of the projects one sees (or a programme's, a portfolio's),
    converted into one currency."""
    programme = request.GET.get("programme") or None
    raw_folio = request.GET.get("portfolio") or ""
    portfolio = int(raw_folio) if raw_folio.isdigit() else None
    title, projects = rollup_scope(request.user, programme, portfolio)
    day = _day(request.GET.get("date"))
    currency = (request.GET.get("currency") or "").strip().upper() or None
    result, error = None, ""
    try:
        result = cashflow.rollup_cash_flow(
            projects, day, currency, cashflow.parse_month(request.GET.get("from"), "from"),
            cashflow.parse_month(request.GET.get("to"), "to"))
    except OfficeError as exc:
        error = exc.message
    currencies = sorted({p.currency for p in projects}
                        | set(ExchangeRate.objects.values_list("to_currency", flat=True)))
    pager = paging.page_of(
        sorted(result.by_project, key=lambda c: (-c.over_plan, c.project.code)) if result
        else [], request.GET.get("page"), PROJECTS_PER_PAGE, paging.filters_query((
            ("programme", programme), ("portfolio", portfolio),
            ("from", request.GET.get("from")), ("to", request.GET.get("to")),
            ("date", request.GET.get("date")), ("currency", currency))))
    return render(request, "finance/cash_flow_rollup.html", {
        "pager": pager, "by_project": [cash_cells(c) for c in pager.rows],
        "by_project_total": cash_tds([sum((getattr(c, name) for c in result.by_project), ZERO)
                                      for name in CASH_FIGURES])
        if result and result.by_project else "",
        "title": title, "result": result, "flow": result, "error": error, "day": day,
        "currency": currency or rollup.default_currency(projects), "currencies": currencies,
        "programmes": Programme.objects.order_by("code"),
        "portfolios": Portfolio.objects.order_by("name"), "programme": programme or "",
        "portfolio": portfolio, "svg": charts.cash_flow_svg(result) if result else "",
        "first": request.GET.get("from", ""), "last": request.GET.get("to", "")},
        status=422 if error else 200)


CASH_FIGURES = ("planned", "actual", "cash_out", "open_commitments", "over_plan")


def cash_tds(values: list[Decimal]) -> SafeString:
    """The cash-flow roll-up's figures of a project (or the total) as cells, written out
    once; actual cost above plan is marked."""
    return mark_safe("".join(
        f'<td class="num{" overdue" if name == "over_plan" and value > 0 else ""}">'
        f"{numbers.amount(value)}</td>" for name, value in zip(CASH_FIGURES, values,
                                                               strict=True)))


def cash_cells(part: cashflow.ProjectCash) -> dict[str, Any]:
    return {"project": part.project,
            "cells": cash_tds([getattr(part, name) for name in CASH_FIGURES])}


# ---- earned value across projects, exchange rates ------------------------------------------

def rollup_scope(user: Any, programme: str | None = None,
                 portfolio: int | None = None) -> tuple[str, list[Any]]:
    """(title, the visible projects) of a programme, a portfolio or everything."""
    # A roll-up reads a thousand projects: their programme's code, never their portfolio, and
    # none of the long text or timestamps.
    projects = visible_projects(user).select_related("programme").defer(
        "description", "rag_reason", "customer", "created_at", "updated_at")
    if programme:
        found = Programme.objects.filter(code=programme).first()
        if found is None:
            raise NotFound(f"No programme {programme!r}")
        return f"Programme {found.code} · {found.name}", list(projects.filter(programme=found))
    if portfolio is not None:
        folio = Portfolio.objects.filter(pk=portfolio).first()
        if folio is None:
            raise NotFound(f"No portfolio {portfolio}")
        return f"Portfolio · {folio.name}", list(projects.filter(portfolio=folio))
    return "All projects", list(projects)


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


ZERO = Decimal(0)
EV_ORDERS = {"attention": "Worst SPI or CPI first", "code": "Project code"}
EV_NEGATIVE_MARKED = ("sv", "cv", "vac")


def attention_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The roll-up's projects, those needing attention first: the worse of SPI and CPI,
    lowest first (a project behind schedule or over budget, whichever is worse); then the
    projects whose figures cannot be computed (someone must put their data right); then
    those without earned value yet (no cost-loaded baseline), by code."""

    def key(row: dict[str, Any]) -> tuple[int, Decimal, str]:
        f = row["figures"]
        if f is not None:
            indices = [i for i in (f["spi"], f["cpi"]) if i is not None]
            if indices:
                return 0, min(indices), row["code"]
            return 1, ZERO, row["code"]
        return (2 if row.get("error") else 3), ZERO, row["code"]

    return sorted(rows, key=key)



def ev_cells(figures: dict[str, Any]) -> SafeString:
    """A project's nine figures as table cells, written out once here rather than through
    two template filters per cell (a page of a hundred projects has nine hundred)."""
    out = []
    for name in ("pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "vac"):
        value = figures[name]
        text = numbers.ratio(value) if name in ("spi", "cpi") else numbers.amount(value)
        marked = " overdue" if name in EV_NEGATIVE_MARKED and value < 0 else ""
        attr = " data-ev" if name == "ev" else ""
        out.append(f'<td class="num{marked}"{attr}>{text}</td>')
    return mark_safe("".join(out))  # figures formatted from decimals: digits, signs, commas


PROJECTS_PER_PAGE = 100


@login_required
@office_view
def rollup_page(request: AuthedRequest, code: str | None = None,
                pid: int | None = None) -> HttpResponse:
    """Earned value across the projects one sees (or a programme's, a portfolio's): the
    totals of them all and a page of projects at a time, worst first."""
    programme = code or request.GET.get("programme") or None
    raw_folio = request.GET.get("portfolio") or ""
    portfolio = pid if pid is not None else (int(raw_folio) if raw_folio.isdigit() else None)
    title, projects = rollup_scope(request.user, programme, portfolio)
    day = _day(request.GET.get("status_date"))
    currency = (request.GET.get("currency") or "").strip().upper() or None
    order = request.GET.get("order") if request.GET.get("order") in EV_ORDERS else "attention"
    result, error = None, ""
    try:
        result = rollup.rollup(projects, day, currency)
    except OfficeError as exc:
        error = exc.message
    rows = result.rows if result else []
    pager = paging.page_of(
        attention_order(rows) if order == "attention" else rows, request.GET.get("page"),
        PROJECTS_PER_PAGE, paging.filters_query((
            ("programme", request.GET.get("programme")),
            ("portfolio", request.GET.get("portfolio")),
            ("status_date", request.GET.get("status_date")), ("currency", currency),
            ("order", "" if order == "attention" else order))))
    shown = [{**r, "cells": ev_cells(r["figures"]) if r["figures"] else ""}
             for r in pager.rows]
    currencies = sorted({p.currency for p in projects}
                        | set(ExchangeRate.objects.values_list("to_currency", flat=True)))
    return render(request, "finance/rollup.html", {
        "title": title, "result": result, "error": error, "status_date": day,
        "rows": shown, "pager": pager, "order": order, "orders": EV_ORDERS,
        "order_note": ", worst SPI or CPI first" if order == "attention" else ", by code",
        "currency": currency or rollup.default_currency(projects), "currencies": currencies,
        "programmes": Programme.objects.order_by("code"),
        "portfolios": Portfolio.objects.order_by("name"), "programme": programme or "",
        "portfolio": portfolio})


@login_required
@office_view
def exchange_rates_page(request: AuthedRequest) -> HttpResponse:
    can_edit = is_pmo_manager(request.user)
    form = forms.ExchangeRateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        require_global(request.user, "portfolio.manage")
        if form.is_valid():
            try:
                rate = actions.set_exchange_rate(actor=request.user, **form.cleaned_data)
                messages.success(request, f"Saved: {rate}.")
                return redirect("exchange-rates")
            except OfficeError as exc:
                errors_to_form(form, exc)
        status = 422
    return render(request, "finance/exchange_rates.html", {
        "rates": ExchangeRate.objects.select_related("set_by"), "form": form,
        "can_edit": can_edit}, status=status)


# ---- benefits: measurements and the roll-up -----------------------------------------------

@login_required
@office_view
@require_POST
@project_operation("benefit.view")
def benefit_measure(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    """Records a measurement from the benefit's page; refusals come back at the field."""
    item = get_item(BENEFITS, project, ref)
    if not isinstance(item, Benefit):
        raise Http404(f"No benefit {ref} in {project.code}")
    form = forms.MeasurementForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.record_measurement(actor=request.user, benefit=item,
                                       measured_on=d["measured_on"], value=d["value"],
                                       note=d["note"])
            messages.success(request, f"Measurement recorded on {item.reference}.")
            return redirect(register_views.item_url(item))
        except OfficeError as exc:
            errors_to_form(form, exc)
    context = register_views._detail_context(request, BENEFITS, project, item)
    return render(request, "registers/detail.html", {**context, "measure_form": form},
                  status=422)


COUNT_WORDS = {"on_track": "on track", "not_measured": "not measured",
               "not_started": "not started", "not_realised": "not realised"}
COUNT_TONES = {"behind": "danger", "on_track": "success", "realised": "success"}


def benefit_counts(counts: dict[str, int]) -> SafeString:
    """A project's benefits by status as badges (finance/_benefit_status_counts.html, once
    per row of a page of a hundred, written out here)."""
    badges = "".join(
        f'<span class="badge {COUNT_TONES.get(key, "muted")}" data-count="{key}">{n} '
        f'{COUNT_WORDS.get(key, key)}</span> ' for key, n in counts.items() if n)
    return mark_safe(badges if counts else "–")  # status keys and counts only


def benefit_cells(row: dict[str, Any]) -> SafeString:
    """A project's figures of the benefits roll-up, written out once."""
    return mark_safe(
        f'<td class="num" data-planned>{numbers.amount(row["planned"])}</td>'
        f'<td class="num" data-realised>{numbers.amount(row["realised"])}</td>'
        f'<td class="num">{numbers.percent(row["percent"])}</td>'
        f'<td class="benefit-status-counts">{benefit_counts(row["by_status"])}</td>')


@login_required
@office_view
def benefits_rollup_page(request: AuthedRequest) -> HttpResponse:
    programme = request.GET.get("programme") or None
    raw_folio = request.GET.get("portfolio") or ""
    portfolio = int(raw_folio) if raw_folio.isdigit() else None
    title, projects = rollup_scope(request.user, programme, portfolio)
    day = _day(request.GET.get("date"))
    currency = (request.GET.get("currency") or "").strip().upper() or None
    result, error = None, ""
    try:
        result = benefits.rollup(projects, day, currency)
    except OfficeError as exc:
        error = exc.message
    currencies = sorted({p.currency for p in projects}
                        | set(ExchangeRate.objects.values_list("to_currency", flat=True))
                        | ({currency} if currency else set()))
    # A page of projects at a time (the totals are the whole scope's).
    pager = paging.page_of(result.rows if result else [], request.GET.get("page"),
                           PROJECTS_PER_PAGE, paging.filters_query((
                               ("programme", programme), ("portfolio", portfolio),
                               ("date", request.GET.get("date")), ("currency", currency))))
    return render(request, "finance/benefits_rollup.html", {
        "rows": [{**r, "cells": benefit_cells(r)} for r in pager.rows], "pager": pager,
        "title": title, "result": result, "error": error, "day": day,
        "currency": currency or rollup.default_currency(projects), "currencies": currencies,
        "programmes": Programme.objects.order_by("code"),
        "portfolios": Portfolio.objects.order_by("name"), "programme": programme or "",
        "portfolio": portfolio, "labels": benefits.STATUS_LABELS})
