"""The report builder over the API: the sources and their columns, saved reports (create,
read, change, delete), a report's table and its export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.engine.tabulate import OPERATORS, OPERATORS_BY_KIND, Table
from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, object_operation, office_operation

from . import actions, queries
from .exports import render
from .models import SavedReport
from .sources import all_sources

router = Router(tags=["Report builder"])

READ_NOTE = ("Private reports are read by their owner, office reports by everyone, a "
             "report shared with a project by whoever sees the project (x-permission). The "
             "rows are always those the caller may see.")


class ReportSourceColumnOut(Schema):
    key: str
    label: str
    kind: str
    operators: list[str]
    choices: list[str]


class ReportSourceOut(Schema):
    key: str
    label: str
    group: str
    default_columns: list[str]
    columns: list[ReportSourceColumnOut]


class SavedReportFilter(StrictIn):
    field: str = Field(description="A column key of the source")
    op: Literal["eq", "ne", "contains", "lt", "gt", "empty", "set"] = Field(
        description=", ".join(f"{k}: {v}" for k, v in OPERATORS.items()))
    value: str = ""


class SavedReportIn(StrictIn):
    name: str = Field(max_length=150)
    description: str = Field("", max_length=2000)
    source: str = Field(description="A source key from GET /report-sources")
    columns: list[str]
    filters: list[SavedReportFilter] = []
    group_by: str = ""
    totals: list[str] = Field([], description="Number columns to total")
    sort: str = Field("", description="A column key; '-' first for descending")
    scope: Literal["private", "project", "office"] = "private"
    project: str | None = Field(None, description="The project's code, for scope 'project'")
    schedule: Literal["", "weekly", "monthly"] = ""
    recipients: list[str] = Field([], description="E-mail addresses of the distribution list")
    export_format: Literal["xlsx", "csv", "pdf"] = "xlsx"


class SavedReportPatch(StrictIn):
    version: int
    name: str | None = Field(None, max_length=150)
    description: str | None = Field(None, max_length=2000)
    source: str | None = None
    columns: list[str] | None = None
    filters: list[SavedReportFilter] | None = None
    group_by: str | None = None
    totals: list[str] | None = None
    sort: str | None = None
    scope: Literal["private", "project", "office"] | None = None
    project: str | None = None
    schedule: Literal["", "weekly", "monthly"] | None = None
    recipients: list[str] | None = None
    export_format: Literal["xlsx", "csv", "pdf"] | None = None


class SavedReportFilterOut(Schema):
    field: str
    op: str
    value: str


class SavedReportOut(Schema):
    id: int
    version: int
    name: str
    description: str
    source: str
    columns: list[str]
    filters: list[SavedReportFilterOut]
    group_by: str
    totals: list[str]
    sort: str
    scope: str
    project: str | None
    owner: str
    schedule: str
    recipients: list[str]
    export_format: str
    last_sent_at: dt.datetime | None


Cell = str | Decimal | int | float | bool | dt.date | None


class SavedReportGroupOut(Schema):
    label: str
    count: int
    rows: list[list[Cell]]
    totals: dict[str, Decimal]


class SavedReportColumnOut(Schema):
    key: str
    label: str
    kind: str


class SavedReportTableOut(Schema):
    report: int
    count: int
    columns: list[SavedReportColumnOut]
    grouped_by: str | None
    groups: list[SavedReportGroupOut]
    totals: dict[str, Decimal]


class SavedReportDeletedOut(Schema):
    deleted: int


def report_out(r: SavedReport) -> dict[str, Any]:
    d = r.definition
    return {"id": r.pk, "version": r.version, "name": r.name, "description": r.description,
            "source": r.source, "columns": d.get("columns", []),
            "filters": d.get("filters", []), "group_by": d.get("group_by", ""),
            "totals": d.get("totals", []), "sort": d.get("sort", ""), "scope": r.scope,
            "project": r.project.code if r.project else None, "owner": r.owner.username,
            "schedule": r.schedule, "recipients": r.recipients.splitlines(),
            "export_format": r.export_format, "last_sent_at": r.last_sent_at}


def table_out(report: SavedReport, table: Table) -> dict[str, Any]:
    return {"report": report.pk, "count": table.count,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind}
                        for c in table.columns],
            "grouped_by": table.grouped_by.key if table.grouped_by else None,
            "groups": [{"label": g.label, "count": g.count, "rows": g.rows, "totals": g.totals}
                       for g in table.groups],
            "totals": table.totals}


def _input(request: AuthedRequest, values: dict[str, Any]) -> actions.ReportInput:
    code = values.pop("project", None)
    project = access_project(request.user, code, "project.view") \
        if code and values.get("scope") == "project" else None
    values["filters"] = [dict(f) for f in values.get("filters", [])]
    return actions.ReportInput(project=project, **values)


@router.get("/report-sources", response=list[ReportSourceOut],
            summary="What reports can be built on: registers and lists, with their columns")
@office_operation("authenticated")
def list_sources(request: AuthedRequest) -> list[dict[str, Any]]:
    return [{"key": s.key, "label": s.label, "group": s.group,
             "default_columns": list(s.defaults),
             "columns": [{"key": c.key, "label": c.label, "kind": c.kind,
                          "operators": list(OPERATORS_BY_KIND[c.kind]),
                          "choices": [label for _, label in c.choices]} for c in s.columns]}
            for s in all_sources()]


@router.get("/saved-reports", response=list[SavedReportOut],
            summary="The saved reports the caller may read")
@office_operation("authenticated")
def list_saved(request: AuthedRequest, project: str = "") -> list[dict[str, Any]]:
    qs = queries.readable_reports(request.user)
    if project:
        qs = qs.filter(project__code=project)
    return [report_out(r) for r in qs]


@router.post("/saved-reports", response={201: SavedReportOut},
             summary="Save a report",
             description="Anyone may save a private report; sharing it with a project needs "
                         "report.write there, with the office report.review. A filter, "
                         "column, group or total naming a column the source does not have "
                         "is refused (422) at its field, and nothing is saved.")
@office_operation("authenticated")
def create_saved(request: AuthedRequest, payload: SavedReportIn) -> Status[Any]:
    report = actions.create_report(actor=request.user,
                                   data=_input(request, payload.model_dump()))
    return Status(201, report_out(report))


@router.get("/saved-reports/{report_id}", response=SavedReportOut,
            summary="A saved report",
            description=READ_NOTE)
@object_operation("project.view")
def get_saved(request: AuthedRequest, report_id: int) -> dict[str, Any]:
    return report_out(queries.get_report(request.user, report_id))


@router.get("/saved-reports/{report_id}/table", response=SavedReportTableOut,
            summary="A saved report's rows, groups and totals", description=READ_NOTE)
@object_operation("project.view")
def get_table(request: AuthedRequest, report_id: int) -> dict[str, Any]:
    report = queries.get_report(request.user, report_id)
    return table_out(report, queries.run_report(request.user, report))


class SavedReportExportQuery(Schema):
    format: Literal["xlsx", "csv", "pdf"] = "xlsx"


@router.get("/saved-reports/{report_id}/export",
            summary="A saved report as XLSX, CSV or PDF", description=READ_NOTE)
@object_operation("project.view")
def export_saved(request: AuthedRequest, report_id: int,
                 query: Query[SavedReportExportQuery]) -> HttpResponse:
    report = queries.get_report(request.user, report_id)
    content, mime, filename = render(report, queries.run_report(request.user, report),
                                     query.format)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.patch("/saved-reports/{report_id}", response=SavedReportOut,
              summary="Change a saved report",
              description="Its owner (a private report) or whoever may share it as it is "
                          "shared (x-permission for a project's report). Send the version "
                          "you read; 409 if it has changed since.")
@object_operation("report.write")
def patch_saved(request: AuthedRequest, report_id: int,
                payload: SavedReportPatch) -> dict[str, Any]:
    report = queries.get_report(request.user, report_id)
    values = {k: v for k, v in report_out(report).items()
              if k in SavedReportIn.model_fields}
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for key, value in changes.items():
        if value is None and key not in ("project",):
            raise InvalidInput.field(key, "cannot be null")
    values.update(changes)
    report = actions.update_report(actor=request.user, report=report, version=version,
                                   data=_input(request, values))
    return report_out(report)


@router.delete("/saved-reports/{report_id}", response=SavedReportDeletedOut,
               summary="Delete a saved report")
@object_operation("report.write")
def delete_saved(request: AuthedRequest, report_id: int) -> dict[str, int]:
    report = queries.get_report(request.user, report_id)
    actions.delete_report(actor=request.user, report=report)
    return {"deleted": report_id}
