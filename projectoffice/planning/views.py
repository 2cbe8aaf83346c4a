"""Plan pages: the editor (grid + Gantt), variance, calendar, import/export, master schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from projectoffice.engine.bulk import collector_paused
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    project_operation,
    project_permissions,
    require_perm,
)
from projectoffice.portfolio.health import finish_from
from projectoffice.portfolio.models import Programme, Project
from projectoffice.web import paging
from projectoffice.web.shortcuts import office_view

from . import (
    actions,
    chart_export,
    columns,
    consolidation,
    exchange,
    file_update,
    gantt,
    imports,
    master_chart,
    queries,
    workspace,
)
from .models import PlanLayout, PlanTask
from .notation import RECURRENCE_HELP, format_recurrence, parse_recurrence
from .progress import percent_complete_by_plan
from .providers import providers
from .trend import render_trend_svg

# The grid's editable columns, and the day a bar's end is dragged to (its duration).
EDIT_FIELDS = columns.EDITABLE | {"finish_day"}


def _collapsed(request: AuthedRequest, code: str) -> list[int]:
    return list(request.session.get(f"plan-collapsed-{code}", []))


def _zoom(request: AuthedRequest) -> str:
    zoom = request.GET.get("zoom") or request.POST.get("zoom") or "week"
    return zoom if zoom in gantt.ZOOMS else "week"


def _baseline(request: AuthedRequest) -> int | None:
    raw = request.GET.get("baseline") or request.POST.get("baseline") or ""
    return int(raw) if raw.isdigit() and int(raw) <= 10 else None


WINDOW = 150  # rows drawn with the page; the rest are fetched as the grid scrolls


def _rendered(request: AuthedRequest) -> int:
    """How many rows to draw: the first window, or as many as the page showed already."""
    raw = request.POST.get("rows") or request.GET.get("rows") or ""
    return max(WINDOW, min(int(raw), 100_000)) if raw.isdigit() else WINDOW


def _layout(request: AuthedRequest) -> PlanLayout | None:
    return PlanLayout.objects.filter(user=request.user).first()


def _grid(request: AuthedRequest, view: queries.PlanView, baseline: int | None,
          layout: PlanLayout | None, perms: frozenset[str],
          drawn: list[dict[str, Any]]) -> list[columns.Column]:
    """The person's columns, with what they show added to the rows ``drawn`` (completed
    here: the view's other rows stay light)."""
    queries.complete(view, drawn)
    chosen = columns.for_person(layout.columns if layout else None, perms)
    columns.attach(view, chosen, baseline, drawn)
    return chosen


def _workspace_context(request: AuthedRequest, project: Project,
                       errors: dict[tuple[int, str], str] | None = None,
                       attempted: dict[tuple[int, str], str] | None = None,
                       message: str = "", every_row: bool = False) -> dict[str, Any]:
    baseline = _baseline(request)
    view = queries.plan_view(project, baseline=baseline, every_row=False)
    perms = project_permissions(request.user, project)
    collapsed = _collapsed(request, project.code)
    rows = gantt.visible_rows(view, collapsed)
    zoom = _zoom(request)
    editable = "plan.edit" in perms
    layout = _layout(request)
    # A task added at the end of a large plan is drawn with every row before it, so that
    # the page can scroll to it and put the cursor in its name.
    stop = len(rows) if every_row else min(_rendered(request), len(rows))
    grid = _grid(request, view, baseline, layout, perms, rows[:stop])
    # The plan's view itself stays out of the context: a template's context is freed only by
    # the garbage collector (its layers refer to each other), and a large plan's view is
    # tens of thousands of objects the collector would walk before freeing them.
    return {
        "project": project, "perms": perms, "plan": view.plan,
        "critical_rows": ",".join(map(str, view.critical_rows)), "baselines": view.baselines,
        "has_rows": bool(view.rows),
        "editable": editable, "zoom": zoom, "zooms": list(gantt.ZOOMS), "baseline": baseline,
        "grid_rows": gantt.render_rows(rows[:stop], editable, collapsed, errors, attempted,
                                       view.calendar_choices, grid,
                                       view.units.minutes_per_day),
        "columns": grid,
        "all_columns": columns.offered(layout.columns if layout else None, perms),
        "chosen_keys": [c.key for c in grid],
        "grid_width": layout.grid_width if layout and layout.grid_width else "",
        "svg": gantt.render_svg(view, rows, zoom, stop=stop, today=timezone.localdate()),
        "error_message": message,
        "critical_count": len(view.critical_rows), "task_count": len(view.rows),
        "baseline_numbers": range(11), "rendered": stop, "total_rows": len(rows),
        "focus_uid": rows[-1]["uid"] if every_row and rows else "",
        # The one finish and % complete the project list and overview show too.
        "finish": finish_from(view.plan.finish if view.plan else None, project.finish_date),
        "percent_complete": (percent_complete_by_plan([view.plan.pk]).get(view.plan.pk)
                             if view.plan else None),
    }


@login_required
@office_view
@project_operation("plan.view")
def plan_rows(request: AuthedRequest, project: Project) -> JsonResponse:
    """The next window of grid rows and chart bars, for a page scrolled past those drawn."""
    start_raw, count_raw = request.GET.get("start", ""), request.GET.get("count", "")
    if not start_raw.isdigit() or not count_raw.isdigit():
        return JsonResponse({"status": 422, "message": "give the first row (start) and the "
                             "number of rows (count) as numbers"}, status=422)
    start, count = int(start_raw), min(max(int(count_raw), 1), 2000)
    baseline = _baseline(request)
    view = queries.plan_view(project, baseline=baseline, every_row=False)
    perms = project_permissions(request.user, project)
    collapsed = _collapsed(request, project.code)
    rows = gantt.visible_rows(view, collapsed)
    stop = min(start + count, len(rows))
    grid = _grid(request, view, baseline, _layout(request), perms, rows[start:stop])
    editable = "plan.edit" in perms
    return JsonResponse({
        "start": start, "stop": stop, "total": len(rows), "version": view.plan.version
        if view.plan else 0,
        "grid": gantt.render_rows(rows[start:stop], editable, collapsed,
                                  calendars=view.calendar_choices, columns=grid,
                                  per_day=view.units.minutes_per_day),
        "svg": gantt.render_svg_rows(view, rows, _zoom(request), start, stop)})


@login_required
@office_view
@project_operation("plan.view")
def plan_page(request: AuthedRequest, project: Project) -> HttpResponse:
    with collector_paused():
        return render(request, "planning/plan.html", _workspace_context(request, project))


def _fragment(request: AuthedRequest, project: Project, **kwargs: Any) -> HttpResponse:
    return render(request, "planning/_workspace.html",
                  _workspace_context(request, project, **kwargs))


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_POST
@office_view
@project_operation("plan.edit")
def edit_cell(request: AuthedRequest, project: Project) -> HttpResponse:
    field = request.POST.get("field", "")
    value = request.POST.get("value", "")
    uid_raw = request.POST.get("uid", "")
    if field not in EDIT_FIELDS or not uid_raw.isdigit():
        return _fragment(request, project, message="That cell cannot be edited")
    uid = int(uid_raw)
    with collector_paused(), workspace.reuse_saved():
        return _edit_cell(request, project, uid, field, value)


def _edit_cell(request: AuthedRequest, project: Project, uid: int, field: str,
               value: str) -> HttpResponse:
    try:
        if field == "resources":
            # Assignments belong to the resources app, which checks its own permission.
            providers.set_resource_names(request.user, project, uid, value)
        else:
            actions.edit_plan(actor=request.user, project=project, version=_version(request),
                              edits=[{"op": "update", "uid": uid, field: value}])
    except OfficeError as exc:
        errors = {}
        for key, msgs in exc.errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                target = parts[2] if parts[2] in EDIT_FIELDS else field
                errors[(int(parts[1]), target)] = " ".join(msgs)
        if not errors:
            errors[(uid, field)] = " ".join(exc.errors.get(field, [])) or exc.message
        errors = {(u, "duration" if f == "finish_day" else f): m
                  for (u, f), m in errors.items()}
        message = exc.message if exc.errors else f"{columns.label_of(field)}: {exc.message}"
        response = _fragment(request, project, errors=errors, attempted={(uid, field): value},
                             message=message)
        response.status_code = exc.status
        return response
    return _fragment(request, project)


@login_required
@require_POST
@office_view
@project_operation("plan.view")
def save_layout(request: AuthedRequest, project: Project) -> HttpResponse:
    """The grid's columns (the chooser's form) or its width (the splitter), for the person
    signed in; the form comes back to the plan, the splitter's request gets 204."""
    width_raw = request.POST.get("grid_width", "")
    try:
        if "columns" in request.POST or request.POST.get("what") == "columns":
            actions.save_plan_layout(actor=request.user,
                                     columns=request.POST.getlist("columns"))
        if width_raw:
            actions.save_plan_layout(actor=request.user, grid_width=width_raw)
    except OfficeError as exc:
        if width_raw:
            return JsonResponse({"status": exc.status, "message": exc.message},
                                status=exc.status)
        messages.error(request, exc.message)
    if width_raw and "what" not in request.POST:
        return HttpResponse(status=204)
    back = request.POST.get("next", "")
    target = reverse("plan", args=[project.code])
    if back.startswith(target):
        target = back
    return redirect(target)


@login_required
@require_POST
@office_view
@project_operation("plan.edit")
def row_op(request: AuthedRequest, project: Project) -> HttpResponse:
    with collector_paused(), workspace.reuse_saved():
        return _row_op(request, project)


def _row_op(request: AuthedRequest, project: Project) -> HttpResponse:
    op = request.POST.get("op", "")
    uid_raw = request.POST.get("uid", "")
    uid = int(uid_raw) if uid_raw.isdigit() else None
    try:
        if op == "undo":
            actions.undo_plan_edit(actor=request.user, project=project,
                                   version=_version(request))
        else:
            edit = _row_edit(project, op, uid)
            actions.edit_plan(actor=request.user, project=project, version=_version(request),
                              edits=[edit])
    except OfficeError as exc:
        # A row operation's refusal is about the current task ("… is already first in its
        # group"): said as a sentence rather than with the field's key.
        first = next(iter(exc.errors.items()), None)
        message = (f"That task {first[1][0]}" if first and first[0].startswith("tasks.")
                   else exc.message)
        response = _fragment(request, project, message=message)
        response.status_code = exc.status
        return response
    at_end = op == "append" or (op == "insert" and uid is None)
    return _fragment(request, project, every_row=at_end)


def _row_edit(project: Project, op: str, uid: int | None) -> dict[str, Any]:
    if op == "insert":
        return {"op": "insert", "before": uid}
    if op == "append":
        return {"op": "insert"}
    if uid is None:
        raise InvalidInput.field("uid", "choose a row first")
    if op in ("delete", "indent", "outdent", "up", "down"):
        return {"op": op, "uid": uid}
    raise InvalidInput.field("op", f"unknown operation {op!r}")


@login_required
@require_POST
@office_view
@project_operation("plan.view")
def toggle(request: AuthedRequest, project: Project) -> HttpResponse:
    key = f"plan-collapsed-{project.code}"
    collapsed = set(request.session.get(key, []))
    uid_raw = request.POST.get("uid", "")
    if uid_raw == "all":
        collapsed = {r["uid"] for r in queries.plan_view(project).rows if r["summary"]}
    elif uid_raw == "none":
        collapsed = set()
    elif uid_raw.isdigit():
        collapsed ^= {int(uid_raw)}
    request.session[key] = sorted(collapsed)
    return _fragment(request, project)


@login_required
@require_POST
@office_view
@project_operation("plan.edit")
def plan_settings(request: AuthedRequest, project: Project) -> HttpResponse:
    try:
        what = request.POST.get("what", "")
        if what == "baseline":
            number = request.POST.get("number", "0")
            baseline = actions.save_baseline(actor=request.user, project=project,
                                             number=int(number) if number.isdigit() else -1,
                                             name=request.POST.get("name", ""))
            messages.success(request, f"Baseline {baseline.number} “{baseline.name}” saved.")
        elif what == "status":
            raw = request.POST.get("status_date", "")
            try:
                status = dt.date.fromisoformat(raw) if raw else None
            except ValueError:
                raise InvalidInput.field("status_date", "write it as YYYY-MM-DD") from None
            actions.set_plan_settings(actor=request.user, project=project,
                                      version=_version(request), status_date=status)
            messages.success(request, "Status date set.")
        elif what == "progress":
            actions.update_progress(actor=request.user, project=project,
                                    version=_version(request))
            messages.success(request, "Progress updated as scheduled up to the status date.")
        elif what == "start":
            actions.set_plan_settings(actor=request.user, project=project,
                                      version=_version(request),
                                      start=request.POST.get("start", ""))  # type: ignore[arg-type]
            messages.success(request, "Plan start changed.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect("plan", code=project.code)


@login_required
@office_view
@project_operation("plan.view")
def variance_page(request: AuthedRequest, project: Project) -> HttpResponse:
    number = _baseline(request) or 0
    against_raw = request.GET.get("against", "")
    against = int(against_raw) if against_raw.isdigit() else None
    plan = queries.get_plan(project)
    trend = queries.milestone_trend(project)
    return render(request, "planning/variance.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "plan": plan, "rows": queries.variance(project, number, against),
        "baselines": list(plan.baselines.all()) if plan else [], "number": number,
        "against": against, "trend": trend, "trend_svg": render_trend_svg(trend)})


@login_required
@office_view
@project_operation("plan.view")
def export(request: AuthedRequest, project: Project, fmt: str) -> HttpResponse:
    try:
        if fmt in chart_export.FORMATS:
            return chart_export.chart_response(
                project, fmt, zoom=_zoom(request), baseline=_baseline(request),
                collapsed=_collapsed(request, project.code),
                paper=request.GET.get("paper", "A3"), today=timezone.localdate())
        return exchange.export_response(
            project, fmt, costs="cost.view" in project_permissions(request.user, project))
    except OfficeError as exc:
        messages.error(request, exc.message)
        return redirect("plan", code=project.code)


@login_required
@office_view
@project_operation("plan.edit")
def import_page(request: AuthedRequest, project: Project) -> HttpResponse:
    """Replace the plan by a file, or update it from a file: the update lists what it
    changes first and applies only when the planner confirms."""
    problems: list[str] = []
    preview = None
    token = ""
    plan = queries.get_plan(project)
    has_tasks = plan is not None and plan.tasks.exists()
    mode = request.POST.get("mode") or ("update" if has_tasks else "replace")
    upload = request.FILES.get("file") if request.method == "POST" else None
    if request.method == "POST":
        try:
            if request.POST.get("confirm"):
                token = request.POST.get("token", "")
                data = file_update.held(token)
                if data is None:
                    raise InvalidInput.field("file", "the file to apply is no longer here: "
                                             "choose it again")
                version = request.POST.get("version", "")
                run = imports.start_plan_import(
                    actor=request.user, project=project, data=data,
                    filename=request.POST.get("filename", "")[:255], update=True,
                    version=int(version) if version.isdigit() else None)
                file_update.release(token)
                return redirect("run", run_id=run.pk)
            if upload is None:
                raise InvalidInput.field("file", "choose a plan file")
            data = upload.read()
            if mode == "update" and has_tasks:
                preview = exchange.preview_update(actor=request.user, project=project,
                                                  data=data)
                token = file_update.hold(data)
            else:
                run = imports.start_plan_import(actor=request.user, project=project,
                                                data=data, filename=upload.name or "")
                return redirect("run", run_id=run.pk)
        except OfficeError as exc:
            problems = exc.errors.get("file", []) or [exc.message]
            messages.error(request, exc.message)
    return render(request, "planning/import.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "problems": problems, "preview": preview, "token": token, "mode": mode,
        "filename": upload.name if upload is not None else "",
        "has_tasks": has_tasks, "version": plan.version if plan is not None else ""})


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_periods(text: str) -> list[list[int]]:
    periods = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        a, _, b = part.replace("–", "-").partition("-")
        h1, _, m1 = a.strip().partition(":")
        h2, _, m2 = b.strip().partition(":")
        periods.append([int(h1) * 60 + int(m1 or 0), int(h2) * 60 + int(m2 or 0)])
    return periods


def _standard_days() -> list[list[list[int]]]:
    return [[[480, 720], [780, 1020]]] * 5 + [[], []]


@login_required
@office_view
@project_operation("plan.view")
def calendar_page(request: AuthedRequest, project: Project) -> HttpResponse:
    """The plan's calendars: the project calendar and any number of named calendars that
    tasks can use instead (chosen in the plan grid's Calendar column)."""
    plan = queries.get_plan(project)
    calendars = list(plan.calendars.all()) if plan else []
    chosen = request.POST.get("uid") or request.GET.get("uid") or ""
    is_new = chosen == "new"
    uid = (max((c.uid for c in calendars), default=0) + 1 if is_new else
           int(chosen) if chosen.isdigit() else (plan.calendar_uid if plan else 1))
    calendar = next((c for c in calendars if c.uid == uid), None)
    if calendar is None and not is_new and calendars:
        calendar = next((c for c in calendars if plan and c.uid == plan.calendar_uid),
                        calendars[0])
        uid = calendar.uid
    errors: dict[str, list[str]] = {}
    form: dict[str, Any] = {}
    if request.method == "POST" and request.POST.get("remove") and calendar is not None:
        require_perm(request.user, project, "plan.edit")
        name = calendar.name
        try:
            actions.delete_calendar(actor=request.user, project=project,
                                    version=_version(request), uid=calendar.uid)
        except OfficeError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('plan-calendar', args=[project.code])}?uid={uid}")
        messages.success(request, f"Calendar “{name}” removed.")
        return redirect("plan-calendar", project.code)
    if request.method == "POST":
        require_perm(request.user, project, "plan.edit")
        form = request.POST.dict()
        week: list[Any] = []
        for d in range(7):
            try:
                week.append(_parse_periods(request.POST.get(f"day{d}", "")))
            except ValueError:
                errors[f"week.{d}"] = ["write periods like 08:00-12:00, 13:00-17:00"]
                week.append([])
        exceptions = []
        for k, line in enumerate(request.POST.get("exceptions", "").splitlines()):
            # "start, finish, name @ 08:00-12:00 | weekly 1 Mon": hours make it working time.
            line, _, pattern = line.partition("|")
            line, _, hours = line.partition("@")
            bits = [b.strip() for b in line.split(",", 2)]
            if not bits or not bits[0]:
                continue
            exception: dict[str, Any] = {
                "start": bits[0], "finish": bits[1] if len(bits) > 1 and bits[1] else bits[0],
                "name": bits[2] if len(bits) > 2 else ""}
            try:
                exception["periods"] = _parse_periods(hours)
            except ValueError:
                errors[f"exceptions.{k}"] = [f"line {k + 1}: write working hours after @ "
                                             "like 08:00-12:00, 13:00-17:00"]
            try:
                exception["recurrence"] = parse_recurrence(pattern)
            except ValueError as error:
                errors[f"exceptions.{k}"] = [f"line {k + 1}: {error}"]
            exceptions.append(exception)
        years_raw = request.POST.get("years", "")
        years = [int(y) for y in years_raw.replace(",", " ").split() if y.isdigit()]
        if not errors:
            try:
                actions.save_calendar(
                    actor=request.user, project=project, version=_version(request),
                    uid=uid, name=request.POST.get("name", ""), week=week,
                    exceptions=exceptions, country=request.POST.get("country", "").strip(),
                    region=request.POST.get("region", "").strip(), years=years)
                messages.success(request, f"Calendar “{request.POST.get('name', '').strip()}” "
                                          "saved; the plan is rescheduled.")
                return redirect(f"{reverse('plan-calendar', args=[project.code])}?uid={uid}")
            except OfficeError as exc:
                errors = exc.errors or {"__all__": [exc.message]}
                messages.error(request, exc.message)
    source_week = calendar.week if calendar else _standard_days()
    days = []
    for d, label in enumerate(WEEKDAYS):
        periods = source_week[d] if source_week[d] is not None else []
        days.append({"n": d, "label": label,
                     "value": form.get(f"day{d}", ", ".join(
                         f"{_hhmm(a)}-{_hhmm(b)}" for a, b in periods)),
                     "errors": errors.get(f"week.{d}", [])})
    exceptions_text = form.get("exceptions", "\n".join(
        f"{e['start']}, {e['finish']}, {e.get('name', '')}"
        + (" @ " + ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in e["periods"])
           if e.get("periods") else "")
        + (f" | {format_recurrence(e['recurrence'])}" if e.get("recurrence") else "")
        for e in (calendar.exceptions if calendar else [])))
    used = dict(PlanTask.objects.filter(plan=plan, calendar_uid__isnull=False).values(
        "calendar_uid").annotate(n=Count("pk")).values_list("calendar_uid", "n")) if plan else {}
    listing = [{"uid": c.uid, "name": c.name, "tasks": used.get(c.uid, 0),
                "project": plan is not None and c.uid == plan.calendar_uid,
                "working_days": sum(1 for day in c.week if day),
                "exceptions": len(c.exceptions)} for c in calendars]
    return render(request, "planning/calendar.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "plan": plan, "calendar": calendar, "uid": uid, "is_new": is_new,
        "is_project_calendar": plan is not None and uid == plan.calendar_uid,
        "calendars": listing, "days": days, "errors": errors,
        "exceptions_text": exceptions_text, "form": form, "recurrence_help": RECURRENCE_HELP,
        "this_year": (plan.start.year if plan else timezone.localdate().year)})


def _slip_tasks(request: AuthedRequest, code: str) -> list[PlanTask]:
    """The tasks of a plan the slip tool can choose from (none for a project one cannot
    see or that has no plan)."""
    try:
        project = access_project(request.user, code, "plan.view")
    except OfficeError:
        return []
    return list(PlanTask.objects.filter(plan__project=project, summary=False)
                .only("position", "name", "milestone").order_by("position"))


@login_required
@office_view
def master_tasks(request: AuthedRequest) -> HttpResponse:
    """The slip tool's task picker for the project just chosen."""
    code = request.GET.get("project", "")
    return render(request, "planning/_slip_task.html",
                  {"slip_tasks": _slip_tasks(request, code) if code else [],
                   "form": {"project": code, "row": ""}})


PLANS_PER_PAGE = 100


@login_required
@office_view
def master_page(request: AuthedRequest) -> HttpResponse:
    """The master schedule: the figures of the whole network (of everything one sees, or a
    programme), the timeline and table a page of plans at a time in the timeline's order
    (by programme, then code), links to plans on other pages drawn as stubs."""
    programme = request.GET.get("programme") or None
    zoom = request.GET.get("zoom", "quarter")
    zoom = zoom if zoom in master_chart.ZOOMS else "quarter"
    chart = ""
    pager: paging.Page[str] = paging.page_of([], None)
    table: list[dict[str, Any]] = []
    query = paging.filters_query((("programme", programme),
                                  ("zoom", "" if zoom == "quarter" else zoom)))
    try:
        master = consolidation.master_schedule(request.user, programme=programme)
        summary = consolidation.master_out(master)
        if master is not None:
            line = master_chart.timeline(master)
            pager = paging.page_of([lane.code for lane in line.lanes], request.GET.get("page"),
                                   PLANS_PER_PAGE, query)
            shown = set(pager.rows)
            chart = master_chart.render(master_chart.window(line, shown),
                                        timezone.localdate(), zoom)
            rows = {p["project"]: p for p in summary["projects"] if p["project"] in shown}
            table = master_chart.table({"projects": [rows[c] for c in pager.rows]})
        error = ""
    except OfficeError as exc:
        summary, error = consolidation.master_out(None), exc.message
    impact = None
    code = request.GET.get("project", "")
    row = request.GET.get("row", "")
    days_raw = request.GET.get("days", "5")
    if code and row.isdigit():
        try:
            project = access_project(request.user, code, "plan.view")
            days = float(days_raw)
            if not 0 < days <= 1000:
                raise InvalidInput.field("days", "must be between 0 and 1000")
            impact = consolidation.impact(request.user, project, int(row), days)
        except (OfficeError, ValueError) as exc:
            error = getattr(exc, "message", "") or "give a number of days"
    slip_tasks = _slip_tasks(request, code) if code else []
    return render(request, "planning/master.html", {
        "slip_tasks": slip_tasks, "pager": pager,
        "summary": summary, "table": table, "impact": impact,
        "error": error,
        "programmes": Programme.objects.order_by("code"), "programme": programme or "",
        "chart": chart, "slip_options": _slip_options(summary, code),
        "zoom": zoom, "zooms": [(z, paging.filters_query((
            ("programme", programme), ("zoom", z), ("page", pager.number if pager.number > 1
                                                           else "")))) for z in
            master_chart.ZOOMS],
        "form": {"project": code, "row": row, "days": days_raw}})


def _slip_options(summary: dict[str, Any], chosen: str) -> SafeString:
    """The slip tool's choice of project: every plan of the master schedule (a thousand
    options, written here rather than by the template)."""
    return mark_safe("".join(
        f'<option value="{escape(p["project"])}"'
        f'{" selected" if p["project"] == chosen else ""}>{escape(p["project"])}</option>'
        for p in summary["projects"]))
