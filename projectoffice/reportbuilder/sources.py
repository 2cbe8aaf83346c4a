"""What the report builder can report on.  Every register of the kernel is a source derived
from its declaration (RegisterSpec), so a new register is reportable as soon as it is
declared; a few lists that are not registers (plan tasks, timesheets, purchase orders,
invoices) are declared here the same way.

A source says which rows a reader may see (the projects where they hold the source's view
permission), and how to read each column from a row as a plain value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from projectoffice.engine.tabulate import ColumnDef
from projectoffice.finance.models import Invoice, PurchaseOrder
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.access import projects_with
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import restriction
from projectoffice.registers.spec import RegisterSpec, all_specs
from projectoffice.timesheets.models import Timesheet, TimesheetStatus

Getter = Callable[[Any], Any]
# (reader, project or None for every project) -> the rows they may see
RowReader = Callable[[Any, Project | None], QuerySet[Any]]

# Rows one report reads at most: a report is something to read, not a data dump.
MAX_ROWS = 20000


@dataclass(frozen=True)
class SourceColumn:
    key: str
    label: str
    kind: str
    get: Getter
    choices: tuple[tuple[str, str], ...] = ()
    # A permission the reader needs in the row's project to see the value (a cost figure);
    # without it the cell is empty.
    needs: str = ""

    @property
    def definition(self) -> ColumnDef:
        return ColumnDef(self.key, self.label, self.kind, self.choices)


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    group: str  # how the builder's source list groups it
    columns: tuple[SourceColumn, ...]
    defaults: tuple[str, ...]
    read: RowReader

    def column_defs(self) -> list[ColumnDef]:
        return [c.definition for c in self.columns]

    def rows(self, user: Any, project: Project | None) -> list[dict[str, Any]]:
        getters = [(c.key, c.get) for c in self.columns if not c.needs]
        guarded = [(c.key, c.get, set(projects_with(user, c.needs).values_list("pk", flat=True)))
                   for c in self.columns if c.needs]
        rows = []
        for obj in self.read(user, project)[:MAX_ROWS]:
            row = {key: get(obj) for key, get in getters}
            for key, get, allowed in guarded:
                row[key] = get(obj) if obj.project_id in allowed else None
            rows.append(row)
        return rows


def person(user: Any) -> str | None:
    return str(user) if user is not None else None


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value


def _visible(perm: str, path: str = "project") -> Callable[[Any, Project | None], Q]:
    """Rows of the projects where the reader holds ``perm`` (of one project if given)."""
    def where(user: Any, project: Project | None) -> Q:
        found = Q(**{f"{path}__in": projects_with(user, perm)})
        return found & Q(**{path: project}) if project is not None else found
    return where


def _field_column(model: type[models.Model], name: str, label: str | None = None
                  ) -> SourceColumn | None:
    try:
        f = model._meta.get_field(name)
    except Exception:  # a declared column that is a property, not a field
        return None
    heading = label or str(getattr(f, "verbose_name", name)).capitalize()
    if f.is_relation:
        if getattr(f, "related_model", None) is not None and \
                f.related_model._meta.label == "accounts.User":  # type: ignore[union-attr]
            return SourceColumn(name, heading, "person", lambda o: person(getattr(o, name)))
        if f.many_to_many or f.one_to_many:
            return None
        return SourceColumn(name, heading, "text",
                            lambda o: (str(v) if (v := getattr(o, name)) is not None else None))
    choices = getattr(f, "choices", None)
    if choices:
        pairs = tuple((str(k), str(v)) for k, v in choices if k not in ("", None))
        return SourceColumn(name, heading, "choice",
                            lambda o: getattr(o, f"get_{name}_display")() or None, pairs)
    if isinstance(f, (models.DecimalField, models.IntegerField, models.FloatField)):
        return SourceColumn(name, heading, "number", lambda o: getattr(o, name))
    if isinstance(f, (models.DateField, models.DateTimeField)):
        return SourceColumn(name, heading, "date", lambda o: _day(getattr(o, name)))
    if isinstance(f, models.BooleanField):
        return SourceColumn(name, heading, "bool", lambda o: getattr(o, name))
    if isinstance(f, (models.CharField, models.TextField)):
        return SourceColumn(name, heading, "text", lambda o: getattr(o, name) or None)
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, (int, float, Decimal, dt.date, bool)) or value is None:
        return _day(value)
    return str(value)


def _attribute(name: str) -> Getter:
    def get(obj: Any) -> Any:
        return _plain(getattr(obj, name))
    return get


def register_source(spec: RegisterSpec) -> Source:
    """A register as a source: the kernel's common columns, then its own."""
    model = spec.model
    states = tuple((s.key, s.label) for s in spec.workflow.states)
    columns: list[SourceColumn] = [
        SourceColumn("project", "Project", "text", lambda o: o.project.code),
        SourceColumn("reference", "Reference", "text", lambda o: o.reference),
        SourceColumn("title", "Title", "text", lambda o: o.title),
        SourceColumn("status", "Status", "choice", lambda o: o.state.label, states),
    ]
    seen = {c.key for c in columns} | {"description", "project"}
    guarded = dict(spec.guarded)
    for name in ("priority", "owner", "raised_on", "due_date", "closed_on",
                 *spec.list_columns, *spec.fields):
        if name in seen:
            continue
        seen.add(name)
        column = _field_column(model, name)
        if column is not None:
            columns.append(replace(column, needs=guarded.get(name, "")))
    for attribute, heading in spec.computed_columns:
        columns.append(SourceColumn(attribute, heading, "text", _attribute(attribute)))
    related = ("project", "owner", *spec.list_related)
    visible = _visible(spec.perm("view"))

    def read(user: Any, project: Project | None) -> QuerySet[Any]:
        qs: QuerySet[Any] = model.objects.filter(visible(user, project),
                                                 restriction(spec, user))
        return qs.select_related(*related).order_by("project__code", "number")

    return Source(spec.key, spec.label, "Registers", tuple(columns),
                  ("project", "reference", "title", "status", "owner", "due_date"), read)


def _days(minutes: int | None, task: Any) -> Decimal | None:
    if minutes is None:
        return None
    return (Decimal(minutes) / Decimal(task.plan.minutes_per_day or 480)).quantize(
        Decimal("0.1"))


def _tasks() -> Source:
    visible = _visible("plan.view", "plan__project")

    def read(user: Any, project: Project | None) -> QuerySet[Any]:
        return (PlanTask.objects.filter(visible(user, project), active=True)
                .select_related("plan__project").order_by("plan__project__code", "position"))

    columns = (
        SourceColumn("project", "Project", "text", lambda t: t.plan.project.code),
        SourceColumn("uid", "Task ID", "number", lambda t: t.uid),
        SourceColumn("name", "Task", "text", lambda t: t.name or None),
        SourceColumn("outline_level", "Outline level", "number", lambda t: t.outline_level),
        SourceColumn("summary", "Summary", "bool", lambda t: t.summary),
        SourceColumn("milestone", "Milestone", "bool", lambda t: t.milestone),
        SourceColumn("start", "Start", "date", lambda t: _day(t.start)),
        SourceColumn("finish", "Finish", "date", lambda t: _day(t.finish)),
        SourceColumn("duration", "Duration (days)", "number",
                     lambda t: _days(t.duration, t)),
        SourceColumn("percent_complete", "% complete", "number",
                     lambda t: Decimal(str(round(t.percent_complete, 1)))),
        SourceColumn("critical", "Critical", "bool", lambda t: t.critical),
        SourceColumn("total_float", "Total float (days)", "number",
                     lambda t: _days(t.total_float, t)),
        SourceColumn("actual_finish", "Actual finish", "date", lambda t: _day(t.actual_finish)),
    )
    return Source("tasks", "Plan tasks", "Plans", columns,
                  ("project", "name", "start", "finish", "percent_complete"), read)


def _timesheets() -> Source:
    def read(user: Any, project: Project | None) -> QuerySet[Any]:
        # Approvers see their projects' timesheets; everyone sees their own.
        where = Q(project__in=projects_with(user, "timesheet.approve")) | Q(person=user)
        qs = Timesheet.objects.filter(where)
        if project is not None:
            qs = qs.filter(project=project)
        return (qs.select_related("project", "person", "decided_by").prefetch_related("lines")
                .order_by("project__code", "-week_start", "person__username"))

    def hours(sheet: Any) -> Decimal:
        return sum((sum(line.day_hours(), Decimal(0)) for line in sheet.lines.all()),
                   Decimal(0))

    columns = (
        SourceColumn("project", "Project", "text", lambda s: s.project.code),
        SourceColumn("person", "Person", "person", lambda s: person(s.person)),
        SourceColumn("week_start", "Week of", "date", lambda s: s.week_start),
        SourceColumn("status", "Status", "choice", lambda s: s.get_status_display(),
                     tuple((str(k), str(v)) for k, v in TimesheetStatus.choices)),
        SourceColumn("hours", "Hours", "number", hours),
        SourceColumn("decided_by", "Decided by", "person", lambda s: person(s.decided_by)),
    )
    return Source("timesheets", "Timesheets", "Time and money", columns,
                  ("project", "person", "week_start", "status", "hours"), read)


def _orders() -> Source:
    visible = _visible("cost.view")

    def read(user: Any, project: Project | None) -> QuerySet[Any]:
        return (PurchaseOrder.objects.filter(visible(user, project))
                .select_related("project").order_by("project__code", "number"))

    columns = tuple(c for c in (
        SourceColumn("project", "Project", "text", lambda o: o.project.code),
        *(_field_column(PurchaseOrder, n) for n in (
            "number", "supplier", "description", "category", "amount", "issued",
            "closed_on")),
        SourceColumn("currency", "Currency", "text", lambda o: o.project.currency),
    ) if c is not None)
    return Source("orders", "Purchase orders", "Time and money", columns,
                  ("project", "number", "supplier", "amount", "issued"), read)


def _invoices() -> Source:
    visible = _visible("cost.view", "order__project")

    def read(user: Any, project: Project | None) -> QuerySet[Any]:
        return (Invoice.objects.filter(visible(user, project))
                .select_related("order__project", "approved_by")
                .order_by("order__project__code", "date", "number"))

    columns = tuple(c for c in (
        SourceColumn("project", "Project", "text", lambda i: i.order.project.code),
        SourceColumn("order", "Order", "text", lambda i: i.order.number),
        SourceColumn("supplier", "Supplier", "text", lambda i: i.order.supplier),
        *(_field_column(Invoice, n) for n in ("number", "date", "amount", "status",
                                                "approved_by")),
        SourceColumn("currency", "Currency", "text", lambda i: i.order.project.currency),
    ) if c is not None)
    return Source("invoices", "Invoices", "Time and money", columns,
                  ("project", "supplier", "number", "date", "amount", "status"), read)


# The declared sources that are not registers, in the order the builder offers them.
LIST_SOURCES: tuple[Callable[[], Source], ...] = (_tasks, _timesheets, _orders, _invoices)


def all_sources() -> list[Source]:
    lists = [make() for make in LIST_SOURCES]
    registers = sorted((register_source(s) for s in all_specs()), key=lambda s: s.label)
    return [*registers, *lists]


def get_source(key: str) -> Source | None:
    return next((s for s in all_sources() if s.key == key), None)


def source_choices() -> Sequence[tuple[str, str]]:
    return [(s.key, s.label) for s in all_sources()]
