"""Finance page: costs, earned value with the S-curve, budgets, orders and invoices,
expenses and the benefit case."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.web.forms_input import date_input, decimal_input, int_input, show_error
from projectoffice.web.shortcuts import office_view

from . import actions, charts, queries


@login_required
@office_view
def finance_page(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "finance.view")
    perms = project_permissions(request.user, project)
    raw_rate = request.GET.get("rate") or "8"
    try:
        rate = Decimal(raw_rate) / 100
    except InvalidOperation:
        rate = Decimal("0.08")
    error = ""
    try:
        ev = queries.earned_value(project)
    except OfficeError as exc:
        ev, error = None, exc.message
    return render(request, "finance/finance.html", {
        "project": project, "perms": perms, "ev": ev, "ev_error": error,
        "f": ev.figures if ev else None,
        "svg": charts.s_curve_svg(ev.curve) if ev and ev.curve else "",
        "costs": queries.cost_summary(project),
        "case": queries.business_case(project, rate), "rate_percent": rate * 100})


@login_required
@office_view
@require_POST
def finance_post(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "finance.view")
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
