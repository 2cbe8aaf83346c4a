"""REST operations on timesheets: one's own week, submit; approve, reject and adjust."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import File, Router
from ninja.files import UploadedFile
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    object_operation,
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project

from . import actions, queries, week_queries
from .models import Timesheet
from .views import approver_projects

router = Router(tags=["timesheets"])



class LineIn(StrictIn):
    assignment_id: int | None = None
    time_code: str | None = Field(None, max_length=10)
    hours: list[Decimal | str]
    overtime: bool = False


class WeekIn(StrictIn):
    version: int | None = None
    lines: list[LineIn]


class SubmitIn(StrictIn):
    version: int | None = None


class TimesheetDecisionIn(StrictIn):
    version: int
    approve: bool
    comment: str = Field("", max_length=2000)


class AdjustmentIn(StrictIn):
    assignment_id: int
    date: dt.date
    hours: Decimal = Field(max_digits=6, decimal_places=2)
    reason: str = Field(max_length=500)
    overtime: bool = False


def _grid(grid: dict[str, Any]) -> dict[str, Any]:
    sheet = grid["timesheet"]
    return {"id": sheet.pk if sheet else None, "week_start": grid["week_start"],
            "status": grid["status"], "version": grid["version"], "comment": grid["comment"],
            "editable": grid["editable"], "total": grid["total"],
            "lines": [{k: row[k] for k in ("assignment_id", "time_code", "task_uid", "label",
                                           "overtime", "hours")} for row in grid["rows"]]}


def _sheet(sheet: Timesheet) -> dict[str, Any]:
    return {"id": sheet.pk, "person": sheet.person.username, "week_start": sheet.week_start,
            "status": sheet.status, "version": sheet.version, "comment": sheet.comment}


@router.get("/projects/{code}/timesheets/mine/{week}", response=dict[str, Any])
@project_operation("timesheet.enter")
def my_week(request: AuthedRequest, project: Project, week: dt.date) -> dict[str, Any]:
    return _grid(queries.week_grid(project, request.user, queries.monday_of(week)))


@router.post("/projects/{code}/timesheets/mine/{week}", response=dict[str, Any])
@project_operation("timesheet.enter")
def save_week(request: AuthedRequest, project: Project, week: dt.date,
              payload: WeekIn) -> dict[str, Any]:
    actions.save_timesheet(actor=request.user, project=project, week_start=week,
                           version=payload.version,
                           lines=[line.dict() for line in payload.lines])
    return _grid(queries.week_grid(project, request.user, week))


@router.post("/projects/{code}/timesheets/mine/{week}/submit", response=dict[str, Any])
@project_operation("timesheet.enter")
def submit_week(request: AuthedRequest, project: Project, week: dt.date,
                payload: SubmitIn) -> dict[str, Any]:
    return _sheet(actions.submit_timesheet(actor=request.user, project=project, week_start=week,
                                           version=payload.version))


@router.get("/projects/{code}/timesheets", response=list[dict[str, Any]])
@project_operation("timesheet.approve")
def submitted(request: AuthedRequest, project: Project) -> list[dict[str, Any]]:
    return [_sheet(row["timesheet"]) | {"hours": row["hours"]}
            for row in queries.to_approve(project)]


@router.post("/projects/{code}/timesheets/{timesheet_id}/decision", response=dict[str, Any])
@project_operation("timesheet.approve")
def decide(request: AuthedRequest, project: Project, timesheet_id: int,
           payload: TimesheetDecisionIn) -> dict[str, Any]:
    return _sheet(actions.decide_timesheet(actor=request.user, project=project,
                                           timesheet_id=timesheet_id, **payload.dict()))


@router.post("/projects/{code}/timesheets/{timesheet_id}/adjustments",
             response={201: dict[str, Any]})
@project_operation("timesheet.approve")
def adjust(request: AuthedRequest, project: Project, timesheet_id: int,
           payload: AdjustmentIn) -> Any:
    from ninja import Status

    a = actions.adjust_time(actor=request.user, project=project, timesheet_id=timesheet_id,
                            **payload.dict())
    return Status(201, {"id": a.pk, "date": a.date, "hours": a.hours, "overtime": a.overtime,
                        "reason": a.reason})


@router.post("/projects/{code}/timesheets/import", response=dict[str, Any])
@project_operation("timesheet.enter")
def import_time(request: AuthedRequest, project: Project, file: File[UploadedFile]) -> Any:
    """One's own time from CSV/XLSX (Week, Task or Time code, Mon … Sun); all or nothing,
    errors keyed ``row N.column``."""
    sheets = actions.import_timesheet_lines(actor=request.user, project=project,
                                            data=file.read(), filename=file.name or "")
    return {"weeks": [_sheet(s) for s in sheets]}


@router.get("/timesheets/status", response=dict[str, Any],
            summary="People × weeks submission status on the projects one approves")
@office_operation("authenticated")
def submission_status(request: AuthedRequest, weeks: int = 6,
                      until: dt.date | None = None,
                      project: str | None = None) -> dict[str, Any]:
    from django.utils import timezone

    projects = approver_projects(request.user, project)
    days = queries.recent_weeks(until or timezone.localdate() - dt.timedelta(days=7),
                                min(26, max(1, weeks)))
    status = queries.submission_status(projects, days)
    return {"projects": [p.code for p in projects], "weeks": days, "counts": status["counts"],
            "people": [{"person": r["person"].username,
                        "weeks": [{"week": c["week"], "state": c["state"],
                                   "projects": c["projects"]} for c in r["cells"]]}
                       for r in status["rows"]]}


# ---- the week across projects -------------------------------------------------------------------


class WeekLineIn(StrictIn):
    assignment_id: int | None = None
    time_code: str | None = Field(None, max_length=10)
    project: str | None = Field(None, max_length=20, description="a time code's project")
    hours: list[Decimal | str]
    overtime: bool = False
    note: str = Field("", max_length=500)


class WholeWeekIn(StrictIn):
    versions: dict[str, int] = Field(default_factory=dict,
                                     description="each part's version as read, by project")
    lines: list[WeekLineIn]


class WeekSubmitIn(StrictIn):
    versions: dict[str, int] | None = None


class PartDecisionIn(StrictIn):
    version: int
    approve: bool
    comment: str = Field("", max_length=2000)


def _week_out(week: dict[str, Any]) -> dict[str, Any]:
    return {
        "week_start": week["week_start"], "total": week["total"],
        "planned_total": week["planned_total"],
        "parts": [{"id": p["id"], "project": p["code"], "status": p["status"] or None,
                   "version": p["version"], "editable": p["editable"], "hours": p["hours"],
                   "comment": p["comment"],
                   "decided_by": p["decided_by"].username if p["decided_by"] else None}
                  for p in week["parts"]],
        "absent": [{"date": day, "label": a.label, "whole": a.whole} if a else None
                   for day, a in zip(week["days"], week["absent"], strict=True)],
        "lines": [{"assignment_id": r["assignment_id"], "time_code": r["time_code"] or None,
                   "project": r["project"], "task_uid": r["task_uid"], "wbs": r["wbs"],
                   "label": r["label"], "start": r["start"], "finish": r["finish"],
                   "active": r["active"], "overtime": r["overtime"], "editable": r["editable"],
                   "planned": r["planned"], "hours": r["hours"], "note": r["note"]}
                  for r in week["rows"]]}


def _part_out(part: dict[str, Any]) -> dict[str, Any]:
    sheet = part["timesheet"]
    return _sheet(sheet) | {
        "project": sheet.project.code, "total": part["total"],
        "planned_total": part["planned_total"],
        "absent": [{"date": day, "label": a.label, "whole": a.whole} if a else None
                   for day, a in zip(part["days"], part["absent"], strict=True)],
        "lines": [{k: line[k] for k in ("id", "assignment_id", "time_code", "task_uid", "wbs",
                                        "label", "overtime", "note", "total", "planned_total",
                                        "days")} for line in part["lines"]]}


@router.get("/timesheets/me/{week}", response=dict[str, Any],
            summary="One's week across all projects: each project's part and the rows")
@office_operation("authenticated")
def my_whole_week(request: AuthedRequest, week: dt.date) -> dict[str, Any]:
    return _week_out(week_queries.person_week(request.user, queries.monday_of(week)))


@router.post("/timesheets/me/{week}", response=dict[str, Any],
             summary="Save one's week across projects (all parts or none)")
@office_operation("authenticated")
def save_whole_week(request: AuthedRequest, week: dt.date,
                    payload: WholeWeekIn) -> dict[str, Any]:
    """The lines are the whole week: an editable part left without lines is emptied. Errors
    are keyed ``lines.N.field`` (``lines.N.hours.D`` for a day); a part changed since it was
    read is refused with 409 keyed ``parts.CODE.version``."""
    actions.save_week(actor=request.user, week_start=week, versions=payload.versions,
                      lines=[line.dict() for line in payload.lines])
    return _week_out(week_queries.person_week(request.user, week))


@router.post("/timesheets/me/{week}/submit", response=dict[str, Any],
             summary="Submit every part of one's week that has hours")
@office_operation("authenticated")
def submit_whole_week(request: AuthedRequest, week: dt.date,
                      payload: WeekSubmitIn) -> dict[str, Any]:
    monday = queries.monday_of(week)
    sheets = actions.submit_week(actor=request.user, week_start=week,
                                 versions=payload.versions)
    return _week_out(week_queries.person_week(request.user, monday)) | {
        "submitted": [s.project.code for s in sheets]}


@router.get("/timesheets/me/{week}/tasks", response=list[dict[str, Any]],
            summary="Find one of one's assignments to add to the week")
@office_operation("authenticated")
def find_tasks(request: AuthedRequest, week: dt.date, q: str = "") -> list[dict[str, Any]]:
    found = week_queries.find_assignments(request.user, queries.monday_of(week), q)
    return [{k: v for k, v in f.items() if k != "sort"} for f in found]


@router.get("/timesheets/parts/{timesheet_id}", response=dict[str, Any],
            summary="One project's part of a person's week, with its lines, for the approver")
@object_operation("timesheet.approve")
def part(request: AuthedRequest, timesheet_id: int) -> dict[str, Any]:
    sheet = _find_part(request, timesheet_id)
    return _part_out(week_queries.part_lines(sheet, request.user))


@router.post("/timesheets/parts/{timesheet_id}/decision", response=dict[str, Any],
             summary="Approve or reject one part (send the version read; a reject needs a "
                     "comment)")
@object_operation("timesheet.approve")
def decide_part(request: AuthedRequest, timesheet_id: int,
                payload: PartDecisionIn) -> dict[str, Any]:
    _find_part(request, timesheet_id)
    sheet = actions.decide_part(actor=request.user, timesheet_id=timesheet_id,
                                **payload.dict())
    return _part_out(week_queries.part_lines(sheet, request.user))


def _find_part(request: AuthedRequest, timesheet_id: int) -> Timesheet:
    sheet = Timesheet.objects.filter(pk=timesheet_id).select_related("project",
                                                                     "person").first()
    if sheet is None:
        raise NotFound(f"No timesheet part {timesheet_id}")
    access_project(request.user, sheet.project.code, "timesheet.approve")
    return sheet
