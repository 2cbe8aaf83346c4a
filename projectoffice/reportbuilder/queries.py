"""Reads of saved reports: who may read and change one, and running it for a reader.

Reading: a private report — its owner; a report shared with a project — everyone who sees
the project; an office report — everyone signed in.  Whoever reads it, the rows are those
the READER may see (the source decides, project by project), never the author's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.engine.tabulate import (
    Condition,
    Definition,
    DefinitionError,
    Table,
    check,
    tabulate,
)
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.portfolio.access import has_global, has_perm, visible_projects

from .models import SavedReport, Scope
from .sources import Source, get_source

# Sharing with a project needs the permission to write its reports; with the office, the
# Project Office's review permission (held office-wide).
PROJECT_SHARE = "report.write"
OFFICE_SHARE = "report.review"


def readable_reports(user: Any) -> QuerySet[SavedReport]:
    if not user.is_authenticated:
        return SavedReport.objects.none()
    where = (Q(scope=Scope.PRIVATE, owner=user) | Q(scope=Scope.OFFICE)
             | Q(scope=Scope.PROJECT, project__in=visible_projects(user)))
    return (SavedReport.objects.filter(where).select_related("project", "owner")
            .order_by("name", "pk"))


def project_reports(user: Any, project: Any) -> QuerySet[SavedReport]:
    return readable_reports(user).filter(scope=Scope.PROJECT, project=project)


def get_report(user: Any, pk: int) -> SavedReport:
    report = readable_reports(user).filter(pk=pk).first()
    if report is None:
        raise NotFound(f"No saved report {pk}")
    return report


def may_share(user: Any, scope: str, project: Any) -> bool:
    if scope == Scope.PRIVATE:
        return bool(user.is_authenticated)
    if scope == Scope.PROJECT:
        return project is not None and has_perm(user, project, PROJECT_SHARE)
    return has_global(user, OFFICE_SHARE)


def may_change(user: Any, report: SavedReport) -> bool:
    """The owner of a private report; whoever may share a report the way it is shared."""
    if report.scope == Scope.PRIVATE:
        return bool(report.owner_id == user.pk)
    return may_share(user, report.scope, report.project)


def definition_of(data: dict[str, Any]) -> Definition:
    """The stored definition (JSON) as the engine takes it."""
    return Definition(
        columns=tuple(str(c) for c in data.get("columns", [])),
        conditions=tuple(Condition(str(f.get("field", "")), str(f.get("op", "")),
                                   str(f.get("value", "") or ""))
                         for f in data.get("filters", [])),
        group_by=str(data.get("group_by", "") or ""),
        totals=tuple(str(t) for t in data.get("totals", [])),
        sort=str(data.get("sort", "") or ""))


def source_of(key: str) -> Source:
    source = get_source(key)
    if source is None:
        raise InvalidInput.field("source", f"{key!r} is not a register or list to report on")
    return source


def checked(source: Source, definition: Definition) -> None:
    """Refuses a definition naming a column the source does not have (and the like), with
    every problem at its part of the definition."""
    try:
        check(definition, source.column_defs(), source.label)
    except DefinitionError as exc:
        raise InvalidInput(str(exc), exc.errors) from exc


def run(user: Any, source_key: str, definition: Definition, project: Any = None) -> Table:
    """The table of ``definition`` over the rows ``user`` may see (of ``project`` if given)."""
    source = source_of(source_key)
    checked(source, definition)
    return tabulate(source.column_defs(), source.rows(user, project), definition,
                    source.label)


def run_report(user: Any, report: SavedReport) -> Table:
    project = report.project if report.scope == Scope.PROJECT else None
    return run(user, report.source, definition_of(report.definition), project)
