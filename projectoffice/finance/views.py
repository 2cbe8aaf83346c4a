"""Pages: resources, my timesheet and approvals, and the project's finance (costs, earned
value with the S-curve, budgets, orders and invoices, the benefit case)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.apischema import user_by_username
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.resources import actions as resource_actions
from projectoffice.resources import queries as resource_queries
from projectoffice.resources.models import Resource, ResourceKind
from projectoffice.timesheets import actions as time_actions
from projectoffice.timesheets import queries as time_queries
from projectoffice.web.shortcuts import office_view

from . import actions, charts, queries


def _decimal(value: str, name: str) -> Decimal:
    try:
        return Decimal(value.strip() or "0")
    except InvalidOperation:
        raise InvalidInput.field(name, f"{value!r} is not a number") from None


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field(name, "write the date as YYYY-MM-DD") from None


def _int(value: str | None, name: str) -> int:
    if not value or not value.strip().isdigit():
        raise InvalidInput.field(name, "choose one")
    return int(value)


def _error(request: AuthedRequest, exc: OfficeError) -> None:
    messages.error(request, exc.message)


@login_required
@office_view
def resources_page(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "resource.view")
    perms = project_permissions(request.user, project)
    return render(request, "finance/resources.html", {
        "project": project, "perms": perms, "kinds": ResourceKind.choices,
        "members": [m.user for m in project.memberships.select_related("user")],
        **resource_queries.resources_view(project)})


@login_required
@office_view
@require_POST
def resources_post(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "resource.manage")
    form = request.POST
    try:
        what = form.get("what")
        if what == "resource":
            resource_actions.create_resource(
                actor=request.user, project=project, name=form.get("name", ""),
                kind=form.get("kind", "person"), unit=form.get("unit") or "hour",
                user=user_by_username(form.get("user") or None, "user"))
        elif what == "rate":
            resource = Resource.objects.filter(project=project,
                                               pk=_int(form.get("resource"), "resource")).first()
            if resource is None:
                raise InvalidInput.field("resource", "choose a resource")
            resource_actions.set_rate(
                actor=request.user, resource=resource,
                effective_from=_date(form.get("effective_from", ""), "effective_from"),
                standard=_decimal(form.get("standard", ""), "standard"),
                overtime=_decimal(form.get("overtime", ""), "overtime"),
                cost_per_use=_decimal(form.get("cost_per_use", ""), "cost_per_use"))
        elif what == "assignment":
            resource_actions.assign_resource(
                actor=request.user, project=project,
                resource_id=_int(form.get("resource"), "resource"),
                task_uid=_int(form.get("task_uid"), "task_uid"),
                units=_decimal(form.get("units", "") or "100", "units"),
                work=_decimal(form.get("work", ""), "work"))
        messages.success(request, "Saved.")
    except OfficeError as exc:
        _error(request, exc)
    return redirect("resources", code=project.code)


def _week(request: AuthedRequest) -> dt.date:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    return time_queries.monday_of(day)


def _timesheet_response(request: AuthedRequest, project: Any, week: dt.date,
                        attempted: list[list[str]] | None = None, error: str = "",
                        status: int = 200) -> HttpResponse:
    perms = project_permissions(request.user, project)
    grid = time_queries.week_grid(project, request.user, week)
    rows = []
    for n, row in enumerate(grid["rows"]):
        hours = attempted[n] if attempted else row["hours"]
        rows.append({**row, "cells": list(zip(grid["days"], hours, strict=True))})
    return render(request, "finance/timesheet.html", {
        "project": project, "perms": perms, "grid": grid, "rows": rows, "error": error,
        "to_approve": time_queries.to_approve(project) if "timesheet.approve" in perms
        else []}, status=status)


@login_required
@office_view
def timesheet_page(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "timesheet.enter")
    return _timesheet_response(request, project, _week(request))


@login_required
@office_view
@require_POST
def timesheet_post(request: AuthedRequest, code: str) -> HttpResponse:
    """Saves (and with ``submit`` submits) the week; refused input comes back in the grid
    with the message, nothing written."""
    project = access_project(request.user, code, "timesheet.enter")
    week = _week(request)
    form = request.POST
    raw_version = form.get("version") or ""
    version = int(raw_version) if raw_version.isdigit() else None
    grid = time_queries.week_grid(project, request.user, week)
    attempted = [[form.get(f"h-{n}-{d}", "0").strip() or "0" for d in range(7)]
                 for n in range(len(grid["rows"]))]
    lines = []
    for row, hours in zip(grid["rows"], attempted, strict=True):
        line: dict[str, Any] = {"hours": hours}
        if row["assignment_id"]:
            line["assignment_id"] = row["assignment_id"]
        else:
            line["time_code"] = row["time_code"]
        lines.append(line)
    try:
        with transaction.atomic():
            sheet = time_actions.save_timesheet(actor=request.user, project=project,
                                                week_start=week, version=version, lines=lines)
            if form.get("submit"):
                time_actions.submit_timesheet(actor=request.user, project=project,
                                              week_start=week, version=sheet.version)
    except OfficeError as exc:
        return _timesheet_response(request, project, week, attempted, exc.message, 422)
    messages.success(request, "Timesheet submitted for approval." if form.get("submit")
                     else "Timesheet saved.")
    return redirect(f"/projects/{project.code}/timesheets/?week={week.isoformat()}")


@login_required
@office_view
@require_POST
def timesheet_decide(request: AuthedRequest, code: str, timesheet_id: int) -> HttpResponse:
    project = access_project(request.user, code, "timesheet.approve")
    try:
        time_actions.decide_timesheet(
            actor=request.user, project=project, timesheet_id=timesheet_id,
            version=_int(request.POST.get("version"), "version"),
            approve=request.POST.get("decision") == "approve",
            comment=request.POST.get("comment", ""))
        messages.success(request, "Timesheet " + ("approved." if request.POST.get("decision")
                                                  == "approve" else "rejected."))
    except OfficeError as exc:
        _error(request, exc)
    return redirect("timesheets", code=project.code)


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
                                    invoice_id=_int(form.get("invoice"), "invoice"),
                                    version=_int(form.get("version"), "version"))
        elif what == "approve_budget":
            actions.approve_budget(actor=request.user, project=project,
                                   number=_int(form.get("number"), "number"),
                                   version=_int(form.get("version"), "version"))
        elif what == "expense":
            actions.record_expense(actor=request.user, project=project,
                                   date=_date(form.get("date", ""), "date"),
                                   amount=_decimal(form.get("amount", ""), "amount"),
                                   description=form.get("description", "").strip())
        messages.success(request, "Saved.")
    except OfficeError as exc:
        _error(request, exc)
    return redirect("finance", code=project.code)
