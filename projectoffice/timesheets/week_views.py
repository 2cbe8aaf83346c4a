"""Pages of the week across projects: the person's week (save, submit, add a task), and one
project's part for its approver."""

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

from projectoffice.errors import NotFound, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project
from projectoffice.web.forms_input import int_input
from projectoffice.web.shortcuts import office_view

from . import actions, week_queries
from .models import Timesheet
from .queries import monday_of
from .views import approver_projects, week_of_request

MAX_ROWS = 1000  # a week's form never has this many rows; the loop stops there




def _cell(value: Any) -> str:
    """An hours cell as typed, shown back as the person wrote it ("" stays blank)."""
    return str(value).strip() if value not in (None, "") else "0"


def _figure(hours: Decimal, zero: str = "") -> str:
    """Hours as people write them: 8, 7.5, 0.25 (the cells are drawn in Python: a 40-row
    week has 280 of them, and the template filters would double the page's time)."""
    return format(hours.normalize(), "f") if hours else zero


def _refusal(away: week_queries.AbsentDay | None, day: dt.date) -> str:
    return away.refusal(day) if away is not None and away.whole else ""


def _posted_rows(request: AuthedRequest) -> list[str]:
    keys = []
    for n in range(MAX_ROWS):
        key = request.POST.get(f"r-{n}")
        if key is None:
            break
        keys.append(key)
    return keys


def _render_week(request: AuthedRequest, week_start: dt.date, *, keys: list[str] | None = None,
                 typed: dict[str, dict[str, Any]] | None = None, error: str = "",
                 errors: dict[str, list[str]] | None = None, status: int = 200) -> HttpResponse:
    extra = keys or [k for k in request.GET.getlist("add") if k]
    week = week_queries.person_week(request.user, week_start, extra=extra)
    by_key = {row["key"]: row for row in week["rows"]}
    day_names = [f"{d:%A}" for d in week["days"]]
    if keys is not None:  # the rows in the order they were sent, with what was typed
        ordered = [by_key[k] for k in dict.fromkeys(keys) if k in by_key]
        ordered += [r for r in week["rows"] if r["key"] not in set(keys)]
        week["rows"] = ordered
    for n, row in enumerate(week["rows"]):
        row["n"] = n
        entered = (typed or {}).get(row["key"])
        if entered and row["editable"]:
            row["hours"], row["note"] = entered["hours"], entered["note"]
            if entered.get("project"):
                row["project"] = entered["project"]
        row["cells"] = [{"d": d, "hours": "" if h == "0" else h,
                         "planned": _figure(row["planned"][d]), "day": day_names[d],
                         "away": week["absent"][d],
                         "refuse": _refusal(week["absent"][d], week["days"][d]),
                         "errors": (errors or {}).get(f"row.{n}.hours.{d}", [])}
                        for d, h in enumerate(row["hours"])]
        row["errors"] = [m for k, ms in (errors or {}).items()
                         if (k.startswith(f"row.{n}.") and ".hours." not in k) or k == f"row.{n}"
                         for m in ms]
        try:
            row["total"] = _figure(sum((Decimal(h) for h in row["hours"]), Decimal(0)), "0")
        except InvalidOperation:
            row["total"] = ""
    cell_errors = [(row, m) for row in week["rows"] for c in row["cells"] for m in c["errors"]]

    approves = approver_projects(request.user)
    return render(request, "timesheets/week.html", {
        "week": week, "error": error, "cell_errors": cell_errors,
        "day_errors": [m for k, ms in (errors or {}).items() if k.startswith("hours.")
                       for m in ms],
        "this_week": monday_of(timezone.localdate()),
        "to_approve": week_queries.parts_to_approve(request.user, approves)[:20]
        if approves else []}, status=status)


@login_required
@office_view
def week_page(request: AuthedRequest) -> HttpResponse:
    """One page for the person's week across every project: save, then submit."""
    return _render_week(request, week_of_request(request))


@login_required
@office_view
@require_POST
def week_post(request: AuthedRequest) -> HttpResponse:
    """Saves the week (and with ``submit`` submits every part with hours); refused input
    comes back in the grid with the messages at the cells, nothing written."""
    week_start = week_of_request(request)
    form = request.POST
    keys = _posted_rows(request)
    typed: dict[str, dict[str, Any]] = {}
    lines: list[dict[str, Any]] = []
    origin: list[int] = []  # the form row of each line sent
    locked = {p["code"] for p in week_queries.person_week(request.user, week_start)["parts"]
              if not p["editable"]}
    for n, key in enumerate(keys):
        hours = [_cell(form.get(f"h-{n}-{d}")) for d in range(7)]
        note = form.get(f"note-{n}", "")
        project = form.get(f"p-{n}", "")
        typed[key] = {"hours": hours, "note": note, "project": project}
        line: dict[str, Any] = {"hours": hours, "note": note}
        if key.startswith("a") and key.rstrip("o")[1:].isdigit():
            line["assignment_id"] = int(key.rstrip("o")[1:])
            line["overtime"] = key.endswith("o")
            if form.get(f"locked-{n}"):
                continue  # a submitted or approved part: its inputs are not sent
        elif key.startswith("c"):
            line["time_code"] = key[1:].split("-", 1)[0]
            line["project"] = project or key.split("-", 1)[-1]
            if line["project"] in locked:
                continue
        else:
            continue
        lines.append(line)
        origin.append(n)
    versions = {name[2:]: int(value) for name in form
                if name.startswith("v-") and (value := form.get(name, "")).isdigit()}
    try:
        with transaction.atomic():
            actions.save_week(actor=request.user, week_start=week_start, versions=versions,
                              lines=lines)
            submitted = actions.submit_week(actor=request.user, week_start=week_start) \
                if form.get("submit") else []
    except OfficeError as exc:
        errors: dict[str, list[str]] = {}
        for key, msgs in exc.errors.items():
            bits = key.split(".")
            if bits[0] == "lines" and len(bits) > 1 and bits[1].isdigit():
                key = ".".join(["row", str(origin[int(bits[1])]), *bits[2:]])
            errors.setdefault(key, []).extend(msgs)
        return _render_week(request, week_start, keys=keys, typed=typed, error=exc.message,
                            errors=errors, status=exc.status)
    if form.get("submit"):
        codes = ", ".join(s.project.code for s in submitted)
        messages.success(request, f"Week submitted for approval: {codes}." if submitted
                         else "Week saved; no part had hours left to submit.")
    else:
        messages.success(request, "Week saved.")
    return redirect(f"/timesheets/week/?week={week_start.isoformat()}")


@login_required
@office_view
def week_tasks(request: AuthedRequest) -> HttpResponse:
    """Search among one's own assignments, to add one outside the week (an HTMX fragment)."""
    week_start = week_of_request(request)
    q = request.GET.get("q", "").strip()
    found = week_queries.find_assignments(request.user, week_start, q) if q else []
    return render(request, "timesheets/_task_results.html", {
        "found": found, "q": q, "week_start": week_start})


def _part(request: AuthedRequest, timesheet_id: int) -> tuple[Timesheet, Any]:
    sheet = Timesheet.objects.filter(pk=timesheet_id).select_related(
        "project", "person", "decided_by").first()
    if sheet is None:
        raise NotFound(f"No timesheet part {timesheet_id}")
    project = access_project(request.user, sheet.project.code, "timesheet.approve")
    return sheet, project


@login_required
@office_view
def part_page(request: AuthedRequest, timesheet_id: int) -> HttpResponse:
    """One project's part of a person's week with its lines, for the approver."""
    sheet, project = _part(request, timesheet_id)
    return render(request, "timesheets/part.html", {
        "part": week_queries.part_lines(sheet, request.user), "project": project,
        "waiting": [s for s in week_queries.parts_to_approve(request.user, [project])
                    if s.pk != sheet.pk][:20]})


@login_required
@office_view
@require_POST
def part_decide(request: AuthedRequest, timesheet_id: int) -> HttpResponse:
    sheet, project = _part(request, timesheet_id)
    approve = request.POST.get("decision") == "approve"
    try:
        actions.decide_part(actor=request.user, timesheet_id=sheet.pk,
                            version=int_input(request.POST.get("version"), "version"),
                            approve=approve, comment=request.POST.get("comment", ""))
    except OfficeError as exc:
        sheet.refresh_from_db()
        return render(request, "timesheets/part.html", {
            "part": week_queries.part_lines(sheet, request.user), "project": project,
            "error": exc.message, "errors": exc.errors,
            "comment": request.POST.get("comment", ""), "waiting": []}, status=exc.status)
    messages.success(request, f"{sheet.person}'s {project.code} time for the week of "
                              f"{sheet.week_start:%d %b} " + ("approved." if approve
                                                              else "rejected."))
    return redirect(f"/timesheets/parts/{sheet.pk}/")
