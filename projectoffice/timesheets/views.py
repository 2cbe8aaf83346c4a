"""Timesheet page: the person's week (prefilled with their assignments and time codes), and
the project manager's approvals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    project_operation,
    project_permissions,
    projects_with,
)
from projectoffice.portfolio.models import Project
from projectoffice.web import paging
from projectoffice.web.forms_input import date_input, decimal_input, int_input, show_error
from projectoffice.web.shortcuts import office_view

from . import actions as time_actions
from . import queries as time_queries


def week_of_request(request: AuthedRequest) -> dt.date:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    return time_queries.monday_of(day)


def grid_rows_html(rows: list[dict[str, Any]], hours: list[list[Any]], days: list[dt.date],
                   editable: bool) -> SafeString:
    """The week grid's rows: a task or time code and seven inputs each.  Written out here
    rather than in the template because a week of 200 assignments has 2,800 inputs, which
    the template language would take several times longer to draw."""
    day_names = [f"{d:%A}" for d in days]
    disabled = "" if editable else "disabled"
    out = []
    for n, (row, values) in enumerate(zip(rows, hours, strict=True)):
        label = escape(row["label"])
        ref = f'<span class="ref">{row["task_uid"]}</span> ' if row["task_uid"] else ""
        cls = ' class="overtime"' if row["overtime"] else ""
        cells = "".join(
            f'<td class="num"><input class="hours" name="h-{n}-{k}" value="{escape(str(h))}" '
            f'size="4" inputmode="decimal" aria-label="{label} {day_names[k]}" {disabled}>'
            f"</td>" for k, h in enumerate(values))
        out.append(f"<tr{cls}><td>{ref}{label}</td>\n    {cells}</tr>")
    return mark_safe("".join(out))  # every value above is escaped


def _timesheet_response(request: AuthedRequest, project: Any, week: dt.date,
                        attempted: list[list[str]] | None = None, error: str = "",
                        status: int = 200,
                        import_errors: list[tuple[str, list[str]]] | None = None
                        ) -> HttpResponse:
    perms = project_permissions(request.user, project)
    grid = time_queries.week_grid(project, request.user, week)
    hours = attempted or [row["hours"] for row in grid["rows"]]
    return render(request, "timesheets/timesheet.html", {
        "project": project, "perms": perms, "grid": grid, "error": error,
        "grid_rows": grid_rows_html(grid["rows"], hours, grid["days"], grid["editable"]),
        "import_errors": import_errors or [],
        "to_approve": time_queries.to_approve(project) if "timesheet.approve" in perms
        else [],
        "approved": time_queries.recently_approved(project) if "timesheet.approve" in perms
        else []}, status=status)


@login_required
@office_view
@project_operation("timesheet.enter")
def timesheet_page(request: AuthedRequest, project: Project) -> HttpResponse:
    return _timesheet_response(request, project, week_of_request(request))


@login_required
@office_view
@require_POST
@project_operation("timesheet.enter")
def timesheet_post(request: AuthedRequest, project: Project) -> HttpResponse:
    """Saves (and with ``submit`` submits) the week; refused input comes back in the grid
    with the message, nothing written."""
    week = week_of_request(request)
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
            if row["overtime"]:
                line["overtime"] = True
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
@project_operation("timesheet.approve")
def timesheet_decide(request: AuthedRequest, project: Project, timesheet_id: int) -> HttpResponse:
    try:
        time_actions.decide_timesheet(
            actor=request.user, project=project, timesheet_id=timesheet_id,
            version=int_input(request.POST.get("version"), "version"),
            approve=request.POST.get("decision") == "approve",
            comment=request.POST.get("comment", ""))
        messages.success(request, "Timesheet " + ("approved." if request.POST.get("decision")
                                                  == "approve" else "rejected."))
    except OfficeError as exc:
        show_error(request, exc)
    return redirect("timesheets", code=project.code)


@login_required
@office_view
@require_POST
@project_operation("timesheet.approve")
def timesheet_adjust(request: AuthedRequest, project: Project, timesheet_id: int) -> HttpResponse:
    form = request.POST
    try:
        time_actions.adjust_time(
            actor=request.user, project=project, timesheet_id=timesheet_id,
            assignment_id=int_input(form.get("assignment"), "assignment"),
            date=date_input(form.get("date", ""), "date"),
            hours=decimal_input(form.get("hours", ""), "hours"),
            reason=form.get("reason", ""), overtime=form.get("overtime") == "1")
        messages.success(request, "Adjustment booked.")
    except OfficeError as exc:
        show_error(request, exc)
    return redirect("timesheets", code=project.code)


@login_required
@office_view
@require_POST
@project_operation("timesheet.enter")
def timesheet_import(request: AuthedRequest, project: Project) -> HttpResponse:
    """Imports one's own time from CSV/XLSX; all or nothing, errors listed by row."""
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput.field("file", "choose a CSV or XLSX file")
        sheets = time_actions.import_timesheet_lines(actor=request.user, project=project,
                                                     data=upload.read(), filename=upload.name
                                                     or "")
    except OfficeError as exc:
        errors = list(exc.errors.items()) or [("file", [exc.message])]
        return _timesheet_response(request, project, week_of_request(request), status=422,
                                   import_errors=errors)
    weeks = sorted(s.week_start for s in sheets)
    messages.success(request, f"Imported time into {len(sheets)} week"
                              f"{'s' if len(sheets) != 1 else ''}; submit each when ready.")
    first = weeks[0].isoformat() if weeks else ""
    return redirect(f"/projects/{project.code}/timesheets/?week={first}")


def approver_projects(user: Any, code: str | None = None) -> list[Any]:
    """The projects whose timesheets the user approves (optionally just one)."""
    projects = projects_with(user, "timesheet.approve").order_by("code")
    if code:
        projects = projects.filter(code=code)
    return list(projects)


PEOPLE_PER_PAGE = 100


BADGE_OF_STATE = {"missing": "red", "rejected": "red", "draft": "amber", "submitted": "info",
                  "approved": "green"}
NOTHING = '<span class="subtitle">–</span>'


def _status_rows_html(rows: Sequence[dict[str, Any]], many_projects: bool) -> SafeString:
    """The page's rows of people × weeks, written here rather than by the template: a page
    of 100 people holds some 600 cells, and template tags and filters in each of them were
    most of the page's time."""
    sheet_url = reverse("timesheet-part", args=[0]).replace("/0/", "/{}/")
    week_url = reverse("timesheets", args=["CODE"]).replace("CODE", "{}") + "?week={}"
    out = []
    for row in rows:
        person = escape(str(row["person"]))
        cells = []
        for cell in row["cells"]:
            week = cell["week"]
            day, label = week.isoformat(), f"{week.day} {week:%b}"
            entries = []
            for e in cell["projects"]:
                project, state = escape(e["project"]), escape(e["state"])
                link = ""
                if e["id"]:
                    link = (f' <a href="{sheet_url.format(e["id"])}" title="{person}\'s '
                            f'{project} time, week of {label}">'
                            f'{project if many_projects else "lines"}</a>')
                elif many_projects:
                    link = f' <a href="{escape(week_url.format(e["project"], day))}">{project}</a>'
                entries.append(f'<div style="white-space:nowrap;margin:2px 0"><span class="badge '
                               f'{BADGE_OF_STATE.get(e["state"], "green")}">{state}</span>{link}'
                               f'</div>')
            cells.append(f'<td data-week="{day}" data-state="{escape(cell["state"])}">'
                         f'{"".join(entries) or NOTHING}</td>')
        out.append(f'<tr data-person="{escape(row["person"].username)}"><td>{person}</td>\n'
                   f'{"".join(cells)}</tr>')
    return mark_safe("\n".join(out))  # every value above is escaped


def _project_options(projects: Sequence[Project], chosen: str) -> SafeString:
    """The project chooser's options, written here: a PMO approves time on every project,
    and a thousand options through template tags cost more than the rest of the form."""
    return mark_safe("".join(  # every value is escaped
        f'<option value="{escape(p.code)}"{" selected" if p.code == chosen else ""}>'
        f'{escape(p.code)} · {escape(p.name)}</option>' for p in projects))


@login_required
@office_view
def submission_status_page(request: AuthedRequest) -> HttpResponse:
    """People × weeks: who has submitted, across the projects whose time one approves."""
    code = request.GET.get("project") or None
    projects = approver_projects(request.user, code)
    raw = request.GET.get("weeks") or str(time_queries.DEFAULT_WEEKS)
    count = min(26, max(1, int(raw))) if raw.isdigit() else time_queries.DEFAULT_WEEKS
    try:
        until = dt.date.fromisoformat(request.GET.get("until") or "")
    except ValueError:
        until = timezone.localdate() - dt.timedelta(days=7)
    weeks = time_queries.recent_weeks(until, count)
    status = time_queries.submission_status(projects, weeks)
    # A page of people at a time: across a large portfolio some thousands of people.
    pager = paging.page_of(status["rows"], request.GET.get("page"), PEOPLE_PER_PAGE,
                           paging.filters_query((("project", code), ("weeks", count),
                                                 ("until", until.isoformat()))))
    return render(request, "timesheets/status.html", {
        "status": status, "rows": pager.rows, "pager": pager,
        "rows_html": _status_rows_html(pager.rows, many_projects=len(projects) > 1),
        "projects": projects, "project_code": code or "", "weeks_count": count,
        "until": until,
        "project_options": _project_options(
            approver_projects(request.user) if code else projects, code or "")})
