"""Report builder pages: the saved reports one may read, the builder (source, columns,
filters, grouping, totals, sharing and schedule) and a report's table with its exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projectoffice.engine.tabulate import OPERATORS, OPERATORS_BY_KIND
from projectoffice.errors import Forbidden, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    has_global,
    object_operation,
    projects_with,
)
from projectoffice.portfolio.models import Project
from projectoffice.web.shortcuts import office_view

from . import actions, queries
from .exports import render as render_export
from .models import ExportFormat, SavedReport, Schedule, Scope
from .sources import Source, all_sources, get_source

# Filter rows offered on the form; a saved report may hold more through the API.
FILTER_ROWS = 4


@login_required
@office_view
@object_operation("project.view")  # on the project when the URL names one
def report_index(request: AuthedRequest, code: str = "") -> HttpResponse:
    project = access_project(request.user, code, "project.view") if code else None
    reports = list(queries.project_reports(request.user, project) if project
                   else queries.readable_reports(request.user))
    for r in reports:
        source = get_source(r.source)
        r.source_label = source.label if source else r.source  # type: ignore[attr-defined]
    sources = all_sources()
    groups: dict[str, list[Source]] = {}
    for s in sources:
        groups.setdefault(s.group, []).append(s)
    return render(request, "reportbuilder/index.html", {
        "reports": reports, "source_groups": groups.items(), "project": project,
        "may_share": project is not None and queries.may_share(
            request.user, Scope.PROJECT, project)})


def _posted(request: AuthedRequest) -> dict[str, Any]:
    """The builder form as the action takes it, and as the page shows it back."""
    post = request.POST
    filters = []
    for i in range(FILTER_ROWS):
        name = post.get(f"filter_{i}_field", "")
        if name:
            filters.append({"field": name, "op": post.get(f"filter_{i}_op", ""),
                            "value": post.get(f"filter_{i}_value", ""), "row": i})
    return {"name": post.get("name", ""), "description": post.get("description", ""),
            "source": post.get("source", ""), "columns": post.getlist("columns"),
            "filters": filters, "group_by": post.get("group_by", ""),
            "totals": post.getlist("totals"), "sort": post.get("sort", ""),
            "scope": post.get("scope", Scope.PRIVATE), "project": post.get("project", ""),
            "schedule": post.get("schedule", ""),
            "recipients": post.get("recipients", ""),
            "export_format": post.get("export_format", ExportFormat.XLSX)}


def _input(values: dict[str, Any]) -> actions.ReportInput:
    project = Project.objects.filter(code=values["project"]).first() \
        if values["scope"] == Scope.PROJECT and values["project"] else None
    return actions.ReportInput(
        name=values["name"], description=values["description"], source=values["source"],
        columns=values["columns"],
        filters=[{k: f[k] for k in ("field", "op", "value")} for f in values["filters"]],
        group_by=values["group_by"], totals=values["totals"], sort=values["sort"],
        scope=values["scope"], project=project, schedule=values["schedule"],
        recipients=values["recipients"].replace(",", "\n").splitlines(),
        export_format=values["export_format"])


def _form_errors(exc: OfficeError, values: dict[str, Any]) -> dict[str, list[str]]:
    """The action's errors by the form's field names: filters[n] is the form's nth filled
    row, which may sit on another row of the form."""
    errors: dict[str, list[str]] = {}
    rows = [f["row"] for f in values["filters"]]
    for name, texts in (exc.errors or {"general": [exc.message]}).items():
        key = name
        if name.startswith("filters[") and "]" in name:
            n = int(name[8:name.index("]")])
            part = name.split(".", 1)[1] if "." in name else "field"
            key = f"filter_{rows[n] if n < len(rows) else n}_{part}"
        elif name.startswith(("columns[", "totals[")):
            key = name.split("[", 1)[0]
        errors.setdefault(key, []).extend(texts)
    return errors


def _values_of(report: SavedReport) -> dict[str, Any]:
    d = report.definition
    return {"name": report.name, "description": report.description, "source": report.source,
            "columns": d.get("columns", []),
            "filters": [{**f, "row": i} for i, f in enumerate(d.get("filters", []))],
            "group_by": d.get("group_by", ""), "totals": d.get("totals", []),
            "sort": d.get("sort", ""), "scope": report.scope,
            "project": report.project.code if report.project else "",
            "schedule": report.schedule, "recipients": report.recipients,
            "export_format": report.export_format}


def _builder(request: AuthedRequest, values: dict[str, Any], report: SavedReport | None,
             errors: dict[str, list[str]] | None = None, status: int = 200) -> HttpResponse:
    source = get_source(values["source"]) or all_sources()[0]
    values["source"] = source.key
    by_row = {f["row"]: f for f in values["filters"]}
    errors = errors or {}
    keys = {c.key for c in source.columns}
    filter_rows = []
    for i in range(max(FILTER_ROWS, len(values["filters"]))):
        row = {"n": i, **by_row.get(i, {"field": "", "op": "eq", "value": ""})}
        for part in ("field", "op", "value"):
            row[f"{part}_errors"] = errors.get(f"filter_{i}_{part}", [])
        row["errors"] = row["field_errors"] + row["op_errors"] + row["value_errors"]
        row["unknown"] = bool(row["field"]) and row["field"] not in keys
        filter_rows.append(row)
    columns = [{"key": c.key, "label": c.label, "kind": c.kind,
                "operators": OPERATORS_BY_KIND[c.kind]} for c in source.columns]
    return render(request, "reportbuilder/builder.html", {
        "report": report, "values": values, "source": source, "sources": all_sources(),
        "columns": columns, "numbers": [c for c in columns if c["kind"] == "number"],
        "filter_rows": filter_rows, "operators": OPERATORS.items(),
        "errors": errors, "scopes": Scope.choices,
        "projects": projects_with(request.user, queries.PROJECT_SHARE).order_by("code"),
        "may_share_office": has_global(request.user, queries.OFFICE_SHARE),
        "schedules": Schedule.choices, "formats": ExportFormat.choices,
    }, status=status)


@login_required
@office_view
def report_new(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST" and "save" in request.POST:
        values = _posted(request)
        try:
            report = actions.create_report(actor=request.user, data=_input(values))
        except OfficeError as exc:
            return _builder(request, values, None, _form_errors(exc, values),
                            status=exc.status)
        messages.success(request, f"Report {report.name!r} saved.")
        return HttpResponseRedirect(reverse("saved-report", args=[report.pk]))
    if request.method == "POST":  # the source was changed: the form again, for that source
        values = _posted(request)
        source = get_source(values["source"])
        values.update(columns=list(source.defaults) if source else [], filters=[],
                      group_by="", totals=[], sort="")
        return _builder(request, values, None)
    source = get_source(request.GET.get("source", "")) or all_sources()[0]
    project = request.GET.get("project", "")
    return _builder(request, {
        "name": "", "description": "", "source": source.key,
        "columns": list(source.defaults), "filters": [], "group_by": "", "totals": [],
        "sort": "", "scope": Scope.PROJECT if project else Scope.PRIVATE, "project": project,
        "schedule": "", "recipients": "", "export_format": ExportFormat.XLSX}, None)


@login_required
@office_view
def report_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, pk)
    if not queries.may_change(request.user, report):
        raise Forbidden("You may not change this report")
    if request.method == "POST" and "save" in request.POST:
        values = _posted(request)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            actions.update_report(actor=request.user, report=report, version=version,
                                  data=_input(values))
        except OfficeError as exc:
            return _builder(request, values, report, _form_errors(exc, values),
                            status=exc.status)
        messages.success(request, "Report saved.")
        return HttpResponseRedirect(reverse("saved-report", args=[report.pk]))
    if request.method == "POST":
        values = _posted(request)
        source = get_source(values["source"])
        values.update(columns=list(source.defaults) if source else [], filters=[],
                      group_by="", totals=[], sort="")
        return _builder(request, values, report)
    return _builder(request, _values_of(report), report)


@login_required
@office_view
def report_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, pk)
    source = get_source(report.source)
    error = ""
    table = None
    try:
        table = queries.run_report(request.user, report)
    except OfficeError as exc:
        error = exc.message
    numbers = {c.key for c in table.columns if c.kind == "number"} if table else set()
    return render(request, "reportbuilder/report.html", {
        "report": report, "source": source, "table": table, "error": error,
        "numbers": numbers, "may_change": queries.may_change(request.user, report),
        "formats": ExportFormat.choices,
        "filters": [_filter_words(source, f) for f in report.definition.get("filters", [])],
    })


def _filter_words(source: Source | None, f: dict[str, Any]) -> dict[str, str]:
    """A filter as a sentence: "Finish is before 2027-01-01", "% complete is less than 100"."""
    column = next((c for c in source.columns if c.key == f["field"]), None) if source else None
    op = OPERATORS.get(f["op"], f["op"])
    if column is not None and f["op"] in ("lt", "gt"):
        dated = column.kind == "date"
        op = {"lt": "is before" if dated else "is less than",
              "gt": "is after" if dated else "is more than"}[f["op"]]
    value = f.get("value", "")
    if column is not None and column.kind == "bool":
        value = "yes" if value.strip().lower() in ("yes", "true", "1") else "no"
    return {"label": column.label if column else f["field"], "op": op, "value": value}


@login_required
@office_view
def report_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    report = queries.get_report(request.user, pk)
    content, mime, filename = render_export(report, queries.run_report(request.user, report),
                                            fmt)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@office_view
@require_POST
def report_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, pk)
    try:
        actions.delete_report(actor=request.user, report=report)
    except OfficeError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("saved-report", args=[pk]))
    messages.success(request, f"Report {report.name!r} deleted.")
    return HttpResponseRedirect(reverse("saved-reports"))
