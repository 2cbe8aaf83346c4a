"""REST operations on timesheets: one's own week, submit; approve, reject and adjust."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import File, Router
from ninja.files import UploadedFile
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project

from . import actions, queries
from .models import Timesheet

router = Router(tags=["timesheets"])


def needs(perm: str) -> dict[str, Any]:
    return {"x-permission": perm}


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


class DecisionIn(StrictIn):
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


@router.get("/projects/{code}/timesheets/mine/{week}", response=dict[str, Any],
            openapi_extra=needs("timesheet.enter"))
def my_week(request: AuthedRequest, code: str, week: dt.date) -> dict[str, Any]:
    project = access_project(request.user, code, "timesheet.enter")
    return _grid(queries.week_grid(project, request.user, queries.monday_of(week)))


@router.post("/projects/{code}/timesheets/mine/{week}", response=dict[str, Any],
             openapi_extra=needs("timesheet.enter"))
def save_week(request: AuthedRequest, code: str, week: dt.date,
              payload: WeekIn) -> dict[str, Any]:
    project = access_project(request.user, code, "timesheet.enter")
    actions.save_timesheet(actor=request.user, project=project, week_start=week,
                           version=payload.version,
                           lines=[line.dict() for line in payload.lines])
    return _grid(queries.week_grid(project, request.user, week))


@router.post("/projects/{code}/timesheets/mine/{week}/submit", response=dict[str, Any],
             openapi_extra=needs("timesheet.enter"))
def submit_week(request: AuthedRequest, code: str, week: dt.date,
                payload: SubmitIn) -> dict[str, Any]:
    project = access_project(request.user, code, "timesheet.enter")
    return _sheet(actions.submit_timesheet(actor=request.user, project=project, week_start=week,
                                           version=payload.version))


@router.get("/projects/{code}/timesheets", response=list[dict[str, Any]],
            openapi_extra=needs("timesheet.approve"))
def submitted(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    project = access_project(request.user, code, "timesheet.approve")
    return [_sheet(row["timesheet"]) | {"hours": row["hours"]}
            for row in queries.to_approve(project)]


@router.post("/projects/{code}/timesheets/{timesheet_id}/decision", response=dict[str, Any],
             openapi_extra=needs("timesheet.approve"))
def decide(request: AuthedRequest, code: str, timesheet_id: int,
           payload: DecisionIn) -> dict[str, Any]:
    project = access_project(request.user, code, "timesheet.approve")
    return _sheet(actions.decide_timesheet(actor=request.user, project=project,
                                           timesheet_id=timesheet_id, **payload.dict()))


@router.post("/projects/{code}/timesheets/{timesheet_id}/adjustments",
             response={201: dict[str, Any]}, openapi_extra=needs("timesheet.approve"))
def adjust(request: AuthedRequest, code: str, timesheet_id: int,
           payload: AdjustmentIn) -> Any:
    from ninja import Status

    project = access_project(request.user, code, "timesheet.approve")
    a = actions.adjust_time(actor=request.user, project=project, timesheet_id=timesheet_id,
                            **payload.dict())
    return Status(201, {"id": a.pk, "date": a.date, "hours": a.hours, "overtime": a.overtime,
                        "reason": a.reason})


@router.post("/projects/{code}/timesheets/import", response=dict[str, Any],
             openapi_extra=needs("timesheet.enter"))
def import_time(request: AuthedRequest, code: str, file: File[UploadedFile]) -> Any:
    """One's own time from CSV/XLSX (Week, Task or Time code, Mon … Sun); all or nothing,
    errors keyed ``row N.column``."""
    project = access_project(request.user, code, "timesheet.enter")
    sheets = actions.import_timesheet_lines(actor=request.user, project=project,
                                            data=file.read(), filename=file.name or "")
    return {"weeks": [_sheet(s) for s in sheets]}


@router.get("/timesheets/status", response=dict[str, Any],
            openapi_extra=needs("authenticated"),
            summary="People × weeks submission status on the projects one approves")
def submission_status(request: AuthedRequest, weeks: int = 6,
                      until: dt.date | None = None,
                      project: str | None = None) -> dict[str, Any]:
    from django.utils import timezone

    from .views import approver_projects

    projects = approver_projects(request.user, project)
    days = queries.recent_weeks(until or timezone.localdate() - dt.timedelta(days=7),
                                min(26, max(1, weeks)))
    status = queries.submission_status(projects, days)
    return {"projects": [p.code for p in projects], "weeks": days, "counts": status["counts"],
            "people": [{"person": r["person"].username,
                        "weeks": [{"week": c["week"], "state": c["state"],
                                   "projects": c["projects"]} for c in r["cells"]]}
                       for r in status["rows"]]}
