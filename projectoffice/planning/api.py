"""REST operations on plans: read, bulk edit, undo, settings, progress, baselines, variance,
calendars, MS Project and spreadsheet exchange, master schedule and impact."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.background.api import BackgroundRunOut, run_out
from projectoffice.engine.health import finish_day
from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    has_perm,
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project

from . import actions, chart_export, columns, consolidation, exchange, imports, queries
from .models import PlanLayout

router = Router(tags=["plans"])



class BaselineOut(Schema):
    number: int
    name: str
    saved_at: dt.datetime
    finish: dt.datetime | None


class TaskOut(Schema):
    """A plan row. Durations and floats are in working minutes; moments are the office's
    wall-clock time, sent with its offset."""

    id: int
    uid: int
    outline_level: int
    name: str
    duration_text: str
    duration: int
    milestone: bool
    summary: bool
    start: dt.datetime | None
    finish: dt.datetime | None
    early_start: dt.datetime | None
    early_finish: dt.datetime | None
    late_start: dt.datetime | None
    late_finish: dt.datetime | None
    total_float: int | None
    free_float: int | None
    critical: bool
    constraint: str
    constraint_date: dt.datetime | None
    deadline: dt.datetime | None
    percent_complete: float
    actual_start: dt.datetime | None
    actual_finish: dt.datetime | None
    predecessors_text: str
    notes: str
    calendar_uid: int | None
    task_type: str
    effort_driven: bool
    levelling_delay: int
    priority: int


class PlanOut(Schema):
    project: str
    version: int
    start: dt.datetime | None
    finish: dt.datetime | None
    finish_date: dt.date | None
    status_date: dt.date | None
    warnings: list[str]
    critical_path: list[int]
    baselines: list[BaselineOut]
    tasks: list[TaskOut]


TASK_OUT = ("id", "uid", "outline_level", "name", "duration_text", "duration", "milestone",
            "summary", "start", "finish", "early_start", "early_finish", "late_start",
            "late_finish", "total_float", "free_float", "critical", "constraint",
            "constraint_date", "deadline", "percent_complete", "actual_start", "actual_finish",
            "predecessors_text", "notes", "calendar_uid", "task_type", "effort_driven",
            "levelling_delay", "manual", "active", "links_violated", "priority")


def plan_out(view: queries.PlanView) -> dict[str, Any]:
    plan = view.plan
    return {
        "project": view.project.code,
        "version": plan.version if plan else 0,
        "start": plan.start if plan else None,
        "finish": plan.finish if plan else None,
        # The day every page shows as the project's finish (the instant above, read as a day).
        "finish_date": finish_day(plan.finish) if plan else None,
        "status_date": plan.status_date if plan else None,
        "warnings": list(plan.warnings) if plan else [],
        "critical_path": view.critical_rows,
        "baselines": [{"number": b.number, "name": b.name, "saved_at": b.saved_at,
                       "finish": b.finish} for b in view.baselines],
        "tasks": [{name: row[name] for name in TASK_OUT} for row in view.rows],
    }


class EditIn(StrictIn):
    op: Literal["update", "insert", "delete", "indent", "outdent", "move", "up", "down",
                "link", "unlink"] = "update"
    uid: int | None = None
    predecessor: int | None = None
    type: Literal["FS", "SS", "FF", "SF"] | None = None
    lag: str | None = Field(None, max_length=20)
    before: int | None = None
    level: int | None = None
    name: str | None = Field(None, max_length=255)
    duration: str | None = Field(None, max_length=20)
    start: str | None = Field(None, max_length=25)
    finish: str | None = Field(None, max_length=25)
    predecessors: str | None = Field(None, max_length=2000)
    milestone: bool | None = None
    constraint: Literal["ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO"] | None = None
    constraint_date: str | None = Field(None, max_length=25)
    deadline: str | None = Field(None, max_length=25)
    notes: str | None = Field(None, max_length=10000)
    percent_complete: float | None = None
    actual_start: str | None = Field(None, max_length=25)
    actual_finish: str | None = Field(None, max_length=25)
    remaining_duration: str | None = Field(None, max_length=20)
    calendar_uid: int | None = None
    task_type: Literal["fixed_units", "fixed_work", "fixed_duration"] | None = None
    effort_driven: bool | None = None
    manual: bool | None = None
    active: bool | None = None
    priority: int | None = Field(None, ge=0, le=1000)
    finish_day: str | None = Field(None, max_length=25)


class EditsIn(StrictIn):
    version: int | None = None
    edits: list[EditIn]


class VersionIn(StrictIn):
    version: int


class PlanPatch(StrictIn):
    version: int
    start: dt.datetime | None = None
    status_date: dt.date | None = None


class BaselineIn(StrictIn):
    number: int = Field(0, ge=0, le=10)
    name: str = Field("", max_length=100)


class CalendarIn(StrictIn):
    version: int
    uid: int = Field(1, ge=1)
    name: str = Field(max_length=100)
    week: list[list[list[int]] | None]
    exceptions: list[dict[str, Any]] = []
    country: str = Field("", max_length=3)
    region: str = Field("", max_length=10)
    years: list[int] = []


@router.get("/projects/{code}/plan", response=PlanOut)
@project_operation("plan.view")
def get_plan(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return plan_out(queries.plan_view(project))


@router.post("/projects/{code}/plan/edits", response=PlanOut)
@project_operation("plan.edit")
def edit_plan(request: AuthedRequest, project: Project, payload: EditsIn) -> dict[str, Any]:
    edits = [{k: v for k, v in e.model_dump().items() if v is not None or k in e.model_fields_set}
             for e in payload.edits]
    actions.edit_plan(actor=request.user, project=project, version=payload.version, edits=edits)
    return plan_out(queries.plan_view(project))


@router.post("/projects/{code}/plan/undo", response=PlanOut)
@project_operation("plan.edit")
def undo(request: AuthedRequest, project: Project, payload: VersionIn) -> dict[str, Any]:
    actions.undo_plan_edit(actor=request.user, project=project, version=payload.version)
    return plan_out(queries.plan_view(project))


@router.patch("/projects/{code}/plan", response=PlanOut)
@project_operation("plan.edit")
def patch_plan(request: AuthedRequest, project: Project, payload: PlanPatch) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if "start" in payload.model_fields_set and payload.start is not None:
        kwargs["start"] = payload.start
    if "status_date" in payload.model_fields_set:
        kwargs["status_date"] = payload.status_date
    actions.set_plan_settings(actor=request.user, project=project, version=payload.version,
                              **kwargs)
    return plan_out(queries.plan_view(project))


@router.post("/projects/{code}/plan/progress", response=PlanOut)
@project_operation("plan.edit")
def update_progress(request: AuthedRequest, project: Project, payload: VersionIn) -> dict[str, Any]:
    actions.update_progress(actor=request.user, project=project, version=payload.version)
    return plan_out(queries.plan_view(project))


@router.post("/projects/{code}/plan/baselines", response={201: BaselineOut})
@project_operation("baseline.save")
def save_baseline(request: AuthedRequest, project: Project, payload: BaselineIn) -> Status[Any]:
    baseline = actions.save_baseline(actor=request.user, project=project,
                                     number=payload.number, name=payload.name)
    return Status(201, {"number": baseline.number, "name": baseline.name,
                        "saved_at": baseline.saved_at, "finish": baseline.finish})


@router.get("/projects/{code}/plan/variance", response=list[dict[str, Any]])
@project_operation("plan.view")
def variance(request: AuthedRequest, project: Project, baseline: int = 0,
             against: int | None = None) -> list[dict[str, Any]]:
    rows = queries.variance(project, baseline, against)
    if not has_perm(request.user, project, "cost.view"):  # hours and dates only
        for row in rows:
            row.update(cost=None, baseline_cost=None, cost_variance=None)
    return rows


@router.get("/projects/{code}/plan/milestone-trend", response=dict[str, Any])
@project_operation("plan.view")
def milestone_trend(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return queries.milestone_trend(project)


@router.get("/projects/{code}/plan/calendars", response=list[dict[str, Any]])
@project_operation("plan.view")
def calendars(request: AuthedRequest, project: Project) -> list[dict[str, Any]]:
    plan = queries.get_plan(project)
    if plan is None:
        return []
    return [{"uid": c.uid, "name": c.name, "week": c.week, "exceptions": c.exceptions,
             "country": c.country, "region": c.region} for c in plan.calendars.all()]


@router.post("/projects/{code}/plan/calendars", response=PlanOut)
@project_operation("plan.edit")
def save_calendar(request: AuthedRequest, project: Project, payload: CalendarIn) -> dict[str, Any]:
    actions.save_calendar(actor=request.user, project=project, version=payload.version,
                          uid=payload.uid, name=payload.name, week=payload.week,
                          exceptions=payload.exceptions, country=payload.country,
                          region=payload.region, years=payload.years)
    return plan_out(queries.plan_view(project))


@router.delete("/projects/{code}/plan/calendars/{calendar_uid}", response=PlanOut,
               summary="Remove a named calendar no task uses (send ?version= to refuse a "
                       "stale plan)")
@project_operation("plan.edit")
def delete_calendar(request: AuthedRequest, project: Project, calendar_uid: int,
                    version: int | None = None) -> dict[str, Any]:
    actions.delete_calendar(actor=request.user, project=project, version=version,
                            uid=calendar_uid)
    return plan_out(queries.plan_view(project))


@router.get("/projects/{code}/plan/export")
@project_operation("plan.view")
def export_plan(request: AuthedRequest, project: Project,
                format: Literal["mspdi", "csv", "xlsx", "svg", "png", "pdf"] = "mspdi",
                zoom: Literal["day", "week", "month", "quarter"] = "week",
                baseline: int | None = None,
                paper: Literal["A4", "A3"] = "A3") -> HttpResponse:
    """The plan as MS Project XML, CSV or Excel, or its Gantt chart as SVG, PNG or PDF
    (``zoom``, ``baseline`` bars, PDF ``paper`` size)."""
    if format in chart_export.FORMATS:
        return chart_export.chart_response(project, format, zoom=zoom, baseline=baseline,
                                           paper=paper, today=timezone.localdate())
    return exchange.export_response(project, format,
                                    costs=has_perm(request.user, project, "cost.view"))


@router.post("/projects/{code}/plan/import", response={200: PlanOut, 202: BackgroundRunOut})
@project_operation("plan.edit")
def import_plan(request: AuthedRequest, project: Project, file: File[UploadedFile],
                version: int | None = None, wait: bool = False) -> Status[Any]:
    """Replace the plan by a file (MS Project XML, .mpp, .mpx, P6 XER or PMXML). The import
    runs as a background job: 202 with the run, whose ``status_url`` says when the plan is
    imported or lists the file's problems (nothing changed). ``wait=true`` imports within
    the request instead and answers 200 with the plan, or 422 with the problems."""
    if wait:
        exchange.import_mspdi(actor=request.user, project=project, data=file.read(),
                              version=version)
        return Status(200, plan_out(queries.plan_view(project)))
    run = imports.start_plan_import(actor=request.user, project=project, data=file.read(),
                                    filename=file.name or "", version=version)
    return Status(202, run_out(run))


class PlanFileUpdateOut(Schema):
    """What an update from a file changes (``applied``: whether it was applied)."""

    applied: bool
    added: list[str]
    removed: list[str]
    kept: list[str]
    changed: list[str]
    status_date: str | None
    lines: list[str]


@router.post("/projects/{code}/plan/update", response=PlanFileUpdateOut)
@project_operation("plan.edit")
def update_plan_from_file(request: AuthedRequest, project: Project, file: File[UploadedFile],
                          confirm: bool = False, version: int | None = None) -> dict[str, Any]:
    """Update the plan from a file: tasks matched by UID, recorded time and actuals kept, the
    file's status date taken.  Without ``confirm`` only lists what would change; send the
    same file again with ``confirm=true`` to apply it."""
    data = file.read()
    preview = exchange.preview_update(actor=request.user, project=project, data=data)
    if confirm:
        exchange.import_mspdi(actor=request.user, project=project, data=data, update=True,
                              version=version)
    return {"applied": confirm, "added": preview.added, "removed": preview.removed,
            "kept": preview.kept, "changed": preview.changed,
            "status_date": preview.status_date, "lines": preview.lines()}


@router.get("/projects/{code}/plan/tasks/{row}/impact", response=dict[str, Any])
@project_operation("plan.view")
def impact(request: AuthedRequest, project: Project, row: int, days: float = 5) -> dict[str, Any]:
    if not 0 < days <= 1000:
        raise InvalidInput.field("days", "must be between 0 and 1000")
    return consolidation.impact(request.user, project, row, days)


@router.get("/master-schedule", response=dict[str, Any])
@office_operation("authenticated")
def master_schedule(request: AuthedRequest, programme: str | None = None) -> dict[str, Any]:
    master = consolidation.master_schedule(request.user, programme=programme)
    return consolidation.master_out(master)


class ColumnOut(Schema):
    key: str
    label: str


class PlanLayoutOut(Schema):
    """The caller's plan editor, the same on every plan and every browser: the grid's
    columns in order (ID and name always come first), whether they chose them (if not, the
    default set is shown), the grid's width beside the chart in pixels (null: the page's
    default split), and every column there is."""

    columns: list[str]
    chosen: bool
    grid_width: int | None
    offered: list[ColumnOut]


class PlanLayoutIn(StrictIn):
    """The whole layout: ``columns`` are keys of ``offered`` in the order wanted (empty:
    the default set); ``grid_width`` is 120–4000 pixels, or null for the default split."""

    columns: list[str] = Field(max_length=200)
    grid_width: int | None


def layout_out(layout: PlanLayout | None) -> dict[str, Any]:
    keys = layout.columns if layout else []
    return {"columns": [c.key for c in columns.chosen(keys)], "chosen": bool(keys),
            "grid_width": layout.grid_width if layout else None,
            "offered": [{"key": c.key, "label": c.label} for c in columns.COLUMNS.values()]}


@router.get("/me/plan-layout", response=PlanLayoutOut)
@office_operation("authenticated")
def get_plan_layout(request: AuthedRequest) -> dict[str, Any]:
    return layout_out(PlanLayout.objects.filter(user=request.user).first())


@router.put("/me/plan-layout", response=PlanLayoutOut)
@office_operation("authenticated")
def put_plan_layout(request: AuthedRequest, payload: PlanLayoutIn) -> dict[str, Any]:
    return layout_out(actions.replace_plan_layout(actor=request.user, columns=payload.columns,
                                                  grid_width=payload.grid_width))
