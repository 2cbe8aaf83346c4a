"""A plan held in memory while it is edited: loaded in a few queries, changed, scheduled by
the engine, and written back as the difference from what was stored.

Working on a copy makes every edit all-or-nothing: if any change is refused, or the engine
finds a cycle, nothing has been written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.db import connections, router

from projectoffice.engine import calendars as cal
from projectoffice.engine import network as net
from projectoffice.engine.cpm import schedule as run_engine
from projectoffice.engine.schedule_result import Schedule

from .models import Plan, PlanCalendar, PlanLink, PlanTask
from .notation import Units

GHOST_BASE = 900_000_000  # engine UIDs of stand-ins for external predecessors


@dataclass
class TaskRow:
    uid: int
    name: str = ""
    outline_level: int = 1
    duration: int = 0
    elapsed: bool = False
    milestone: bool = False
    display_unit: str = "d"
    calendar_uid: int | None = None
    constraint: str = "ASAP"
    constraint_date: dt.datetime | None = None
    deadline: dt.datetime | None = None
    notes: str = ""
    percent_complete: float = 0.0
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    remaining_duration: int | None = None
    task_type: str = "fixed_units"
    effort_driven: bool = False
    levelling_delay: int = 0
    pk: int | None = None


EDITABLE = tuple(f.name for f in fields(TaskRow) if f.name not in ("uid", "pk"))
SCHEDULED = ("summary", "start", "finish", "early_start", "early_finish", "late_start",
             "late_finish", "total_float", "free_float", "critical")


@dataclass
class LinkRow:
    predecessor: int  # uid in this plan
    successor: int
    type: str = "FS"
    lag: float = 0.0
    lag_kind: str = "working"


@dataclass
class ExternalLink:
    """A predecessor in another plan: its dates are taken as they are scheduled there."""

    predecessor_pk: int
    successor: int
    type: str
    lag: float
    lag_kind: str
    project_code: str = ""
    predecessor_uid: int = 0
    predecessor_row: int = 0
    predecessor_name: str = ""
    predecessor_start: dt.datetime | None = None
    predecessor_finish: dt.datetime | None = None


@dataclass
class CalendarRow:
    uid: int
    name: str
    week: list[Any]
    exceptions: list[Any] = field(default_factory=list)
    base_uid: int | None = None
    country: str = ""
    region: str = ""


@dataclass
class Workspace:
    plan: Plan
    tasks: list[TaskRow]
    links: list[LinkRow]
    external: list[ExternalLink]
    calendars: list[CalendarRow]

    @property
    def units(self) -> Units:
        return Units(self.plan.minutes_per_day, self.plan.minutes_per_week,
                     self.plan.days_per_month)

    def index(self) -> dict[int, int]:
        return {task.uid: i for i, task in enumerate(self.tasks)}

    def by_uid(self) -> dict[int, TaskRow]:
        return {task.uid: task for task in self.tasks}

    def parents(self) -> dict[int, int | None]:
        stack: list[TaskRow] = []
        parents: dict[int, int | None] = {}
        for task in self.tasks:
            while stack and stack[-1].outline_level >= task.outline_level:
                stack.pop()
            parents[task.uid] = stack[-1].uid if stack else None
            stack.append(task)
        return parents

    def summaries(self) -> set[int]:
        return {p for p in self.parents().values() if p is not None}

    def subtree_end(self, i: int) -> int:
        """Index just after task i and its descendants."""
        level = self.tasks[i].outline_level
        j = i + 1
        while j < len(self.tasks) and self.tasks[j].outline_level > level:
            j += 1
        return j

    def snapshot(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return v.isoformat() if isinstance(v, dt.datetime) else v

        return {
            "tasks": [{n: plain(getattr(t, n)) for n in ("uid", *EDITABLE)} for t in self.tasks],
            "links": [[ln.predecessor, ln.successor, ln.type, ln.lag, ln.lag_kind]
                      for ln in self.links],
            "next_uid": self.plan.next_uid,
        }

    def restore(self, state: dict[str, Any]) -> None:
        pks = {t.uid: t.pk for t in self.tasks}
        dated = ("constraint_date", "deadline", "actual_start", "actual_finish")
        rows = []
        for data in state["tasks"]:
            values: dict[str, Any] = {k: (dt.datetime.fromisoformat(v) if k in dated and v
                                          else v)
                      for k, v in data.items()}
            rows.append(TaskRow(**values, pk=pks.get(values["uid"])))
        self.tasks = rows
        self.links = [LinkRow(*row) for row in state["links"]]
        live = {t.uid for t in rows}
        self.external = [e for e in self.external if e.successor in live]
        self.plan.next_uid = max(int(state["next_uid"]), self.plan.next_uid)


# ---- loading ------------------------------------------------------------------------------


def load(plan: Plan) -> Workspace:
    task_rows = []
    pk_to_uid: dict[int, int] = {}
    for values in PlanTask.objects.filter(plan=plan).order_by("position").values(
            "pk", "uid", *EDITABLE):
        pk_to_uid[values["pk"]] = values["uid"]
        task_rows.append(TaskRow(**values))
    links: list[LinkRow] = []
    external: list[ExternalLink] = []
    outside: list[Any] = []
    for values in PlanLink.objects.filter(plan=plan).values(
            "predecessor_id", "successor_id", "type", "lag", "lag_kind"):
        pred = pk_to_uid.get(values["predecessor_id"])
        succ = pk_to_uid[values["successor_id"]]
        if pred is not None:
            links.append(LinkRow(pred, succ, values["type"], values["lag"], values["lag_kind"]))
        else:
            outside.append(values)
    if outside:
        preds = {t.pk: t for t in PlanTask.objects.filter(
            pk__in=[v["predecessor_id"] for v in outside]).select_related("plan__project")}
        for values in outside:
            pred_task = preds[values["predecessor_id"]]
            external.append(ExternalLink(
                pred_task.pk, pk_to_uid[values["successor_id"]], values["type"], values["lag"],
                values["lag_kind"], pred_task.plan.project.code, pred_task.uid,
                pred_task.position, pred_task.name, pred_task.start, pred_task.finish))
    calendars = [CalendarRow(c.uid, c.name, c.week, c.exceptions, c.base_uid, c.country,
                             c.region) for c in PlanCalendar.objects.filter(plan=plan)]
    return Workspace(plan, task_rows, links, external, calendars)


# ---- to the engine ------------------------------------------------------------------------


def _periods(day: Any) -> tuple[cal.WorkingPeriod, ...] | None:
    if day is None:
        return None
    return tuple(cal.WorkingPeriod(int(a), int(b)) for a, b in day)


def engine_calendars(rows: list[CalendarRow], uid_offset: int = 0) -> tuple[cal.Calendar, ...]:
    built: dict[int, cal.Calendar] = {}
    pending = list(rows)
    while pending:
        progress = False
        for row in list(pending):
            if row.base_uid is not None and row.base_uid not in built:
                continue
            exceptions = tuple(
                cal.CalendarException(dt.date.fromisoformat(e["start"]),
                                      dt.date.fromisoformat(e["finish"]),
                                      _periods(e.get("periods") or []) or (), e.get("name", ""))
                for e in row.exceptions)
            base = built.get(row.base_uid) if row.base_uid is not None else None
            built[row.uid] = cal.Calendar(row.uid + uid_offset, row.name,
                                          tuple(_periods(d) for d in row.week), exceptions, base)
            pending.remove(row)
            progress = True
        if not progress:
            raise net.ScheduleError("calendars derive from each other in a loop")
    if not built:
        built[1] = cal.standard_calendar(1 + uid_offset)
    return tuple(built.values())


def engine_task(row: TaskRow, parent: int | None, uid_offset: int = 0) -> net.Task:
    return net.Task(
        uid=row.uid + uid_offset, name=row.name, duration=0 if row.milestone else row.duration,
        elapsed=row.elapsed, milestone=row.milestone,
        display_unit=net.DurationUnit(row.display_unit) if row.display_unit in
        ("m", "h", "d", "w", "mo") else net.DurationUnit.DAYS,
        calendar_uid=None if row.calendar_uid is None else row.calendar_uid + uid_offset,
        parent=None if parent is None else parent + uid_offset,
        constraint=net.ConstraintType(row.constraint), constraint_date=row.constraint_date,
        deadline=row.deadline, actual_start=row.actual_start, actual_finish=row.actual_finish,
        percent_complete=row.percent_complete,
        remaining_duration=row.remaining_duration, levelling_delay=row.levelling_delay)


def engine_link(link: LinkRow, uid_offset: int = 0, succ_offset: int | None = None) -> net.Link:
    return net.Link(link.predecessor + uid_offset,
                    link.successor + (uid_offset if succ_offset is None else succ_offset),
                    net.LinkType(link.type), link.lag, net.LagKind(link.lag_kind))


def status_moment(status_date: dt.date | None) -> dt.datetime | None:
    if status_date is None:
        return None
    # Progress is known to the end of the status date.
    return dt.datetime.combine(status_date, dt.time(23, 59))


def to_engine(ws: Workspace) -> net.Project:
    parents = ws.parents()
    tasks = [engine_task(t, parents[t.uid]) for t in ws.tasks]
    links = [engine_link(ln) for ln in ws.links]
    for i, ext in enumerate(ws.external):
        moment = (ext.predecessor_finish if ext.type in ("FS", "FF") else ext.predecessor_start)
        if moment is None:
            continue
        ghost = GHOST_BASE + i
        tasks.append(net.Task(uid=ghost, name=f"{ext.project_code}:{ext.predecessor_row}",
                              milestone=True, constraint=net.ConstraintType.MSO,
                              constraint_date=moment))
        links.append(net.Link(ghost, ext.successor, net.LinkType(ext.type), ext.lag,
                              net.LagKind(ext.lag_kind)))
    settings = cal.ProjectSettings(ws.plan.minutes_per_day, ws.plan.minutes_per_week,
                                   ws.plan.days_per_month)
    return net.Project(
        start=ws.plan.start, tasks=tuple(tasks), links=tuple(links),
        calendars=engine_calendars(ws.calendars), calendar_uid=ws.plan.calendar_uid,
        settings=settings, status_date=status_moment(ws.plan.status_date))


def schedule(ws: Workspace) -> Schedule:
    return run_engine(to_engine(ws))


def scheduled_values(result: Schedule, uid: int, offset: int = 0) -> dict[str, Any]:
    ts = result.task(uid + offset)
    return {"summary": ts.summary, "start": ts.start, "finish": ts.finish,
            "early_start": ts.early_start, "early_finish": ts.early_finish,
            "late_start": ts.late_start, "late_finish": ts.late_finish,
            "total_float": ts.total_float, "free_float": ts.free_float,
            "critical": ts.critical}


# ---- writing back -------------------------------------------------------------------------


def save(ws: Workspace, result: Schedule) -> dict[str, int]:
    """Writes the difference between the workspace (with its schedule) and the database.
    Returns counts of what changed."""
    plan = ws.plan
    existing = {values["uid"]: values for values in PlanTask.objects.filter(plan=plan).values(
        "pk", "uid", "position", *EDITABLE, *SCHEDULED)}
    live = {t.uid for t in ws.tasks}
    removed = [values["pk"] for uid, values in existing.items() if uid not in live]
    if removed:
        PlanTask.objects.filter(pk__in=removed).delete()
    to_create: list[PlanTask] = []
    to_update: list[PlanTask] = []
    changed_fields: set[str] = set()
    for position, row in enumerate(ws.tasks, start=1):
        wanted = {n: getattr(row, n) for n in EDITABLE}
        wanted["position"] = position
        wanted.update(scheduled_values(result, row.uid))
        old = existing.get(row.uid)
        if old is None:
            to_create.append(PlanTask(plan=plan, uid=row.uid, **wanted))
            continue
        diff = {k: v for k, v in wanted.items() if old[k] != v}
        if diff:
            to_update.append(PlanTask(pk=old["pk"], **{**{k: old[k] for k in wanted}, **diff}))
            changed_fields.update(diff)
            row.pk = old["pk"]
    if to_create:
        PlanTask.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        fast_update(PlanTask, to_update, sorted(changed_fields))
    pks = dict(PlanTask.objects.filter(plan=plan).values_list("uid", "pk")) if to_create else {
        uid: values["pk"] for uid, values in existing.items()}
    for row in ws.tasks:
        row.pk = pks[row.uid]
    _save_links(ws, pks)
    finish = max((scheduled_values(result, t.uid)["finish"] for t in ws.tasks), default=None)
    plan.finish = finish
    plan.warnings = [w for w in result.warnings if str(GHOST_BASE) not in w][:50]
    plan.save()
    return {"created": len(to_create), "updated": len(to_update), "deleted": len(removed)}


def fast_update(model: Any, objects: list[Any], names: list[str]) -> None:
    """UPDATE … WHERE id = %s with executemany: Django's bulk_update builds one CASE per
    field and row, which costs seconds for a thousand rows."""
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields_ = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET "
           + ", ".join(f"{quote(f.column)} = %s" for f in fields_)
           + f" WHERE {quote(meta.pk.column)} = %s")
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields_]
              + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _save_links(ws: Workspace, pks: dict[int, int]) -> None:
    plan = ws.plan
    wanted: dict[tuple[int, int], tuple[str, float, str]] = {
        (pks[ln.predecessor], pks[ln.successor]): (ln.type, ln.lag, ln.lag_kind)
        for ln in ws.links}
    for ext in ws.external:
        wanted[(ext.predecessor_pk, pks[ext.successor])] = (ext.type, ext.lag, ext.lag_kind)
    stale: list[int] = []
    changed: list[PlanLink] = []
    for pk, pred, succ, type_, lag, kind in PlanLink.objects.filter(plan=plan).values_list(
            "pk", "predecessor_id", "successor_id", "type", "lag", "lag_kind"):
        want = wanted.pop((pred, succ), None)
        if want is None:
            stale.append(pk)
        elif want != (type_, lag, kind):
            changed.append(PlanLink(pk=pk, type=want[0], lag=want[1], lag_kind=want[2]))
    if stale:
        PlanLink.objects.filter(pk__in=stale).delete()
    if changed:
        PlanLink.objects.bulk_update(changed, ["type", "lag", "lag_kind"])
    if wanted:
        PlanLink.objects.bulk_create(
            [PlanLink(plan=plan, predecessor_id=p, successor_id=s, type=v[0], lag=v[1],
                      lag_kind=v[2]) for (p, s), v in wanted.items()], batch_size=500)


def copy_row(row: TaskRow, **changes: Any) -> TaskRow:
    return replace(row, **changes)
