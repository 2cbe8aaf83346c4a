"""A plan held in memory while it is edited: loaded in a few queries, changed, scheduled by
the engine, and written back as the difference from what was stored.

Working on a copy makes every edit all-or-nothing: if any change is refused, or the engine
finds a cycle, nothing has been written.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter, itemgetter
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
    manual: bool = False
    manual_start: dt.datetime | None = None
    manual_finish: dt.datetime | None = None
    manual_text: bool = False
    active: bool = True
    actual_duration: int | None = None
    priority: int = 500
    # An in-progress task split by a gap: the remaining work resumes no earlier (MS Project's
    # Resume, kept from imported files).
    resume: dt.datetime | None = None
    ignore_resource_calendar: bool = False
    pk: int | None = None


EDITABLE = tuple(f.name for f in fields(TaskRow) if f.name not in ("uid", "pk"))
SNAPSHOT = ("uid", *EDITABLE)
_SNAPSHOT_OF = attrgetter(*SNAPSHOT)
_EDITABLE_OF = attrgetter(*EDITABLE)
DATED = tuple(f.name for f in fields(TaskRow) if f.type == "dt.datetime | None")
SCHEDULED = ("summary", "start", "finish", "early_start", "early_finish", "late_start",
             "late_finish", "total_float", "free_float", "critical", "links_violated")


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
    work_weeks: list[Any] = field(default_factory=list)


@dataclass
class Workspace:
    plan: Plan
    tasks: list[TaskRow]
    links: list[LinkRow]
    external: list[ExternalLink]
    calendars: list[CalendarRow]
    # The rows as stored when the workspace was loaded (uid -> STORED's values, editable
    # values, schedule): ``save`` writes the difference without reading them again.
    stored: dict[int, StoredRow] = field(default_factory=dict)
    # The plan's links as stored, in the order the database lists them, as ``link_tuples``
    # answers them with their keys (None: not known, ``save`` reads them).
    stored_links: list[tuple[Any, ...]] | None = None

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

    def snapshot(self) -> Snapshot:
        """The rows and links as they are now (tuples; dicts are made only for the rows an
        edit changed, by ``undo_delta`` and the audit trail)."""
        return Snapshot([_SNAPSHOT_OF(t) for t in self.tasks],
                        [[ln.predecessor, ln.successor, ln.type, ln.lag, ln.lag_kind]
                         for ln in self.links], self.plan.next_uid)

    def restore(self, state: dict[str, Any]) -> None:
        """Puts back a state from ``undo_state``: a full snapshot, or the inverse of one
        edit (``undo_delta``): the outline order then, the rows that differed, the links if
        they changed."""
        pks = {t.uid: t.pk for t in self.tasks}
        dated = DATED

        def row_of(data: dict[str, Any]) -> TaskRow:
            values: dict[str, Any] = {k: (dt.datetime.fromisoformat(v) if k in dated and v
                                          else v)
                                      for k, v in data.items()}
            return TaskRow(**values, pk=pks.get(values["uid"]))

        if "order" in state:
            current = self.by_uid()
            changed = {int(data["uid"]): row_of(data) for data in state["tasks"]}
            rows = [changed[uid] if uid in changed else current[uid]
                    for uid in state["order"] if uid in changed or uid in current]
            if state.get("links") is not None:
                self.links = [LinkRow(*row) for row in state["links"]]
        else:
            rows = [row_of(data) for data in state["tasks"]]
            self.links = [LinkRow(*row) for row in state["links"]]
        self.tasks = rows
        live = {t.uid for t in rows}
        self.links = [ln for ln in self.links if ln.predecessor in live and ln.successor in live]
        self.external = [e for e in self.external if e.successor in live]
        self.plan.next_uid = max(int(state["next_uid"]), self.plan.next_uid)


@dataclass
class Snapshot:
    """A workspace's rows (``SNAPSHOT``'s values, in order), links and next UID."""

    rows: list[tuple[Any, ...]]
    links: list[list[Any]]
    next_uid: int

    def __len__(self) -> int:
        return len(self.rows)

    def changed(self, other: Snapshot) -> tuple[list[tuple[Any, ...]], list[int]]:
        """The rows of this snapshot that are not the same in ``other`` (or not there),
        and the UIDs of ``other``'s rows this one lacks."""
        theirs = {row[0]: row for row in other.rows}
        mine = {row[0] for row in self.rows}
        return ([row for row in self.rows if theirs.get(row[0]) != row],
                [uid for uid in theirs if uid not in mine])


def json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def row_json(row: tuple[Any, ...]) -> dict[str, Any]:
    """A snapshot's row as stored in the undo state: SNAPSHOT's names, dates as text."""
    values = dict(zip(SNAPSHOT, row, strict=True))
    for n in DATED:
        if values[n] is not None:
            values[n] = values[n].isoformat()
    return values


def undo_delta(before: Snapshot, after: Snapshot) -> dict[str, Any]:
    """The inverse of an edit, from the snapshots before and after it: small for a small
    edit, whatever the size of the plan."""
    differing, _ = before.changed(after)
    return {
        "order": [row[0] for row in before.rows],
        "tasks": [row_json(row) for row in differing],
        "links": before.links if before.links != after.links else None,
        "next_uid": before.next_uid,
    }


# ---- loading ------------------------------------------------------------------------------


def _wall_clock(value: Any) -> dt.datetime:
    moment: dt.datetime = (dt.datetime.fromisoformat(value) if isinstance(value, str)
                           else value)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def task_values(plan_pk: int | list[int], names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The plan's (or plans') task rows in outline order as dicts of ``names``, one plain
    query: Django's per-value converters cost more than the rest of an edit on a large plan,
    so wall-clock times and booleans are converted here."""
    return [dict(zip(names, row, strict=True)) for row in task_tuples(plan_pk, names)]


def task_tuples(plan_pk: int | list[int], names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """As ``task_values``, each row a tuple of ``names`` in that order."""
    cols = task_columns(plan_pk, names)
    return list(zip(*cols, strict=True)) if cols else []


def task_columns(plan_pk: int | list[int], names: tuple[str, ...]) -> list[list[Any]]:
    """As ``task_tuples``, by column: one list per name, the rows in outline order (no
    lists when the plans have no rows).

    Values are converted column by column: most columns of times are empty, a column of
    flags is converted in one ``map``, and a column of times is converted once per distinct
    value (a plan of thousands of tasks has a few hundred distinct dates; the rows share
    the one datetime of each)."""
    meta = PlanTask._meta
    connection = connections[router.db_for_read(PlanTask)]
    quote = connection.ops.quote_name
    model_fields = [meta.pk if n == "pk" else meta.get_field(n) for n in names]
    columns = [str(getattr(f, "column", "")) for f in model_fields]
    kinds = [type(f).__name__ for f in model_fields]
    sqlite = connection.vendor == "sqlite"
    # SQLite keeps times as naive text, read as such below; other databases answer
    # datetimes, made naive wall-clock by _wall_clock.
    clock: Any = dt.datetime.fromisoformat if sqlite else _wall_clock
    selected = [quote(c) for c in columns]
    if sqlite:
        # Read times as text and flags as numbers: SQLite's declared-type converters parse
        # times slowly and call Python for every flag (flags are made booleans below).
        converted = {"WallClockField": "CAST({} AS TEXT)", "BooleanField": "({} + 0)"}
        selected = [converted[kinds[k]].format(c) if kinds[k] in converted else c
                    for k, c in enumerate(selected)]
    plans = plan_pk if isinstance(plan_pk, list) else [plan_pk]
    sql = (f"SELECT {', '.join(selected)} FROM {quote(meta.db_table)} "
           f"WHERE plan_id IN ({', '.join(['%s'] * len(plans))}) ORDER BY plan_id, position")
    with connection.cursor() as cursor:
        cursor.execute(sql, plans)
        raw = cursor.fetchall()
    if not raw:
        return []
    cols: list[Any] = list(zip(*raw, strict=True))
    for k, kind in enumerate(kinds):
        if kind == "BooleanField":
            cols[k] = list(map(bool, cols[k]))
        elif kind == "WallClockField":
            distinct = set(cols[k])
            distinct.discard(None)
            if distinct:
                moments = {v: clock(v) for v in distinct}
                moments[None] = None
                cols[k] = list(map(moments.__getitem__, cols[k]))
    return cols


def link_tuples(plan_pks: list[int], *, with_pk: bool = False) -> list[tuple[Any, ...]]:
    """(plan, predecessor, successor, type, lag, lag kind) of the plans' links, one plain
    query (the master schedule reads some 80,000); ``with_pk`` adds the link's own key."""
    meta = PlanLink._meta
    connection = connections[router.db_for_read(PlanLink)]
    quote = connection.ops.quote_name
    names = ("plan", "predecessor", "successor", "type", "lag", "lag_kind")
    columns = [quote(str(getattr(meta.get_field(n), "column", ""))) for n in names]
    selected = [*columns, quote(str(meta.pk.column))] if with_pk else columns
    sql = (f"SELECT {', '.join(selected)} FROM {quote(meta.db_table)} WHERE {columns[0]} IN "
           f"({', '.join(['%s'] * len(plan_pks))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, plan_pks)
        found: list[tuple[Any, ...]] = cursor.fetchall()
    if connection.vendor == "sqlite":
        return found  # a REAL column answers floats: the rows are as wanted already
    return [(p, a, b, t, float(lag), k, *pk) for p, a, b, t, lag, k, *pk in found]


# A row as stored, as ``load`` read it and ``save`` wrote it: its values (STORED's order),
# its editable values (EDITABLE's order) and its schedule as the engine answers it
# (minutes), so that ``save`` finds the rows an edit left alone by comparing two tuples,
# without making a datetime per date of every row.  A list: ``save`` replaces its parts.
STORED = ("uid", *EDITABLE, "pk", "plan", "position", *SCHEDULED)
STORED_AT = {name: k for k, name in enumerate(STORED)}
_OWN_WIDTH = len(EDITABLE) + 2  # uid, the editable values, pk: a TaskRow's arguments
StoredRow = list[Any]  # [values, editable values, schedule]
_SCHEDULE_DATES = ("start", "finish", "early_start", "early_finish", "late_start",
                   "late_finish")


def _minutes(moment: dt.datetime | None) -> int | None:
    return None if moment is None else cal.to_minutes(moment)


def _stored_schedule(values: tuple[Any, ...]) -> tuple[Any, ...]:
    at = STORED_AT
    return (values[at["summary"]], *(_minutes(values[at[n]]) for n in _SCHEDULE_DATES),
            values[at["total_float"]], values[at["free_float"]], values[at["critical"]],
            values[at["links_violated"]])


def _minutes_column(column: list[Any]) -> list[int | None]:
    """A column of times as minutes, each distinct time converted once."""
    distinct = set(column)
    distinct.discard(None)
    minutes: dict[Any, int | None] = {v: cal.to_minutes(v) for v in distinct}
    minutes[None] = None
    return list(map(minutes.__getitem__, column))


def stored_tuples(ws: Workspace, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The workspace's rows as ``save`` wrote them (``names``' values, in outline order):
    the plan drawn right after an edit without reading them back."""
    of = itemgetter(*(STORED_AT[n] for n in names))
    stored = ws.stored
    return [of(stored[t.uid][0]) for t in ws.tasks]


def _engine_schedule(ts: Any, violated: set[int]) -> tuple[Any, ...]:
    return (ts.summary, ts.start_minute, ts.finish_minute, ts.early_start_minute,
            ts.early_finish_minute, ts.late_start_minute, ts.late_finish_minute,
            ts.total_float, ts.free_float, ts.critical, ts.uid in violated)


# The workspace a request saved last, for drawing the plan again right after an edit
# without reading back the rows just written (``reuse_saved``).
_saved = threading.local()


@contextmanager
def reuse_saved() -> Iterator[None]:
    """Within the block, ``saved`` answers the workspace last saved of a plan."""
    _saved.active, _saved.ws = True, None
    try:
        yield
    finally:
        _saved.active, _saved.ws = False, None


def saved(plan: Plan) -> Workspace | None:
    """The workspace saved last inside ``reuse_saved`` if it is this plan at its version."""
    ws: Workspace | None = getattr(_saved, "ws", None)
    if ws is None or ws.plan.pk != plan.pk or ws.plan.version != plan.version:
        return None
    return ws


def load(plan: Plan) -> Workspace:
    return load_many([plan])[0]


def load_many(plans: list[Plan], *, keep_stored: bool = True) -> list[Workspace]:
    """Workspaces of many plans in a fixed number of queries (the master schedule loads a
    hundred plans at once).  ``keep_stored=False`` skips the scheduled columns, which only
    ``save`` needs."""
    by_pk = {plan.pk: Workspace(plan, [], [], [], []) for plan in plans}
    if not by_pk:
        return []
    # The row's own fields first, in TaskRow's order, so each row is built positionally.
    width = _OWN_WIDTH
    names = STORED if keep_stored else STORED[:width + 2]
    cols = task_columns(list(by_pk), names)
    pk_to_uid: dict[int, int] = {}
    pk_to_plan: dict[int, int] = {}
    if cols:
        uids, pks, plan_pks = cols[0], cols[width - 1], cols[width]
        pk_to_uid = dict(zip(pks, uids, strict=True))
        pk_to_plan = dict(zip(pks, plan_pks, strict=True))
        # Built by column, in C: one call per row for the TaskRow and nothing more.
        tasks = list(map(TaskRow, *cols[:width]))
        stored: list[StoredRow] = []
        if keep_stored:
            at = STORED_AT
            schedules = zip(cols[at["summary"]],
                            *(_minutes_column(cols[at[n]]) for n in _SCHEDULE_DATES),
                            cols[at["total_float"]], cols[at["free_float"]],
                            cols[at["critical"]], cols[at["links_violated"]], strict=True)
            editable = zip(*cols[1:width - 1], strict=True)
            stored = list(map(list, zip(zip(*cols, strict=True), editable,
                                        schedules, strict=True)))
        first = 0
        while first < len(uids):
            # The rows come plan by plan.
            plan_pk = plan_pks[first]
            last = first + 1
            while last < len(uids) and plan_pks[last] == plan_pk:
                last += 1
            ws = by_pk[plan_pk]
            ws.tasks = tasks[first:last] if len(by_pk) > 1 else tasks
            if keep_stored:
                ws.stored = dict(zip(uids[first:last], stored[first:last], strict=True))
            first = last
    outside: list[tuple[Any, ...]] = []
    found = link_tuples(list(by_pk), with_pk=keep_stored)
    if keep_stored:
        if len(by_pk) == 1:
            next(iter(by_pk.values())).stored_links = found
        else:
            for ws in by_pk.values():
                ws.stored_links = []
            for values in found:
                by_pk[values[0]].stored_links.append(values)  # type: ignore[union-attr]
    for plan_pk, pred_pk, succ_pk, type_, lag, kind, *_ in found:
        if pk_to_plan.get(pred_pk) == plan_pk:
            by_pk[plan_pk].links.append(LinkRow(pk_to_uid[pred_pk], pk_to_uid[succ_pk], type_,
                                                lag, kind))
        else:
            outside.append((plan_pk, pred_pk, succ_pk, type_, lag, kind))
    if outside:
        preds = {values[0]: values for values in PlanTask.objects.filter(
            pk__in={v[1] for v in outside}).values_list(
            "pk", "plan__project__code", "uid", "position", "name", "start", "finish")}
        for plan_pk, pred_pk, succ_pk, type_, lag, kind in outside:
            _, code, uid, position, name, start, finish = preds[pred_pk]
            by_pk[plan_pk].external.append(ExternalLink(
                pred_pk, pk_to_uid[succ_pk], type_, lag, kind, code, uid, position, name,
                start, finish))
    for c in PlanCalendar.objects.filter(plan__in=list(by_pk)).order_by("plan_id", "uid"):
        by_pk[c.plan_id].calendars.append(CalendarRow(c.uid, c.name, c.week, c.exceptions,
                                                      c.base_uid, c.country, c.region,
                                                      c.work_weeks))
    return [by_pk[plan.pk] for plan in plans]


# ---- to the engine ------------------------------------------------------------------------


def _periods(day: Any) -> tuple[cal.WorkingPeriod, ...] | None:
    if day is None:
        return None
    return tuple(cal.WorkingPeriod(int(a), int(b)) for a, b in day)


def recurrence_json(recurrence: cal.Recurrence | None) -> dict[str, Any] | None:
    """A recurrence as stored in a calendar exception's JSON (None: every day of it)."""
    if recurrence is None:
        return None
    return {"kind": recurrence.kind.value, "every": recurrence.every,
            "weekdays": list(recurrence.weekdays), "day": recurrence.day,
            "weekday": recurrence.weekday, "position": recurrence.position,
            "month": recurrence.month, "occurrences": recurrence.occurrences}


def recurrence_of(data: Any) -> cal.Recurrence | None:
    """The stored JSON back as a recurrence; ValueError says what is wrong with it."""
    if not data:
        return None
    if not isinstance(data, dict):
        raise ValueError("a recurrence is an object")
    try:
        kind = cal.RecurrenceKind(data.get("kind"))
    except ValueError:
        raise ValueError("a recurrence is daily, weekly, monthly or yearly") from None

    def number(name: str) -> int | None:
        value = data.get(name)
        return None if value in (None, "") else int(value)

    return cal.Recurrence(kind, number("every") or 1,
                          tuple(int(d) for d in data.get("weekdays") or ()),
                          number("day"), number("weekday"), number("position"),
                          number("month"), number("occurrences"))


def work_week_json(week: cal.WorkWeek) -> dict[str, Any]:
    return {"start": week.start.isoformat(), "finish": week.finish.isoformat(),
            "name": week.name,
            "week": [None if day is None else [[p.start, p.end] for p in day]
                     for day in week.week]}


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
                                      _periods(e.get("periods") or []) or (), e.get("name", ""),
                                      recurrence_of(e.get("recurrence")))
                for e in row.exceptions)
            work_weeks = tuple(
                cal.WorkWeek(dt.date.fromisoformat(w["start"]), dt.date.fromisoformat(w["finish"]),
                             tuple(_periods(d) for d in w["week"]), w.get("name", ""))
                for w in row.work_weeks)
            base = built.get(row.base_uid) if row.base_uid is not None else None
            built[row.uid] = cal.Calendar(row.uid + uid_offset, row.name,
                                          tuple(_periods(d) for d in row.week), exceptions, base,
                                          work_weeks)
            pending.remove(row)
            progress = True
        if not progress:
            raise net.ScheduleError("calendars derive from each other in a loop")
    if not built:
        built[1] = cal.standard_calendar(1 + uid_offset)
    return tuple(built.values())


# Enum members by value: a dictionary look-up is several times cheaper than calling the
# enum, and the master schedule converts a hundred thousand rows and links.
UNITS = {u.value: u for u in net.DurationUnit}
CONSTRAINTS = {c.value: c for c in net.ConstraintType}
LINK_TYPES = {t.value: t for t in net.LinkType}
LAG_KINDS = {k.value: k for k in net.LagKind}


def engine_task(row: TaskRow, parent: int | None, uid_offset: int = 0, *,
                calendar_uid: int | None = None,
                start_no_earlier: dt.datetime | None = None) -> net.Task:
    """The engine's task for a row; ``calendar_uid`` is the engine calendar to use when the
    row has none of its own, ``start_no_earlier`` replaces an ASAP constraint."""
    constraint, constraint_date = row.constraint, row.constraint_date
    if start_no_earlier is not None and constraint == "ASAP":
        constraint, constraint_date = "SNET", start_no_earlier
    return net.Task(
        uid=row.uid + uid_offset, name=row.name, duration=0 if row.milestone else row.duration,
        elapsed=row.elapsed, milestone=row.milestone,
        display_unit=UNITS.get(row.display_unit, net.DurationUnit.DAYS),
        calendar_uid=(calendar_uid if row.calendar_uid is None
                      else row.calendar_uid + uid_offset),
        parent=None if parent is None else parent + uid_offset,
        constraint=CONSTRAINTS.get(constraint) or net.ConstraintType(constraint),
        constraint_date=constraint_date,
        deadline=row.deadline, actual_start=row.actual_start, actual_finish=row.actual_finish,
        percent_complete=row.percent_complete,
        remaining_duration=row.remaining_duration, levelling_delay=row.levelling_delay,
        manual=row.manual, manual_start=row.manual_start, manual_finish=row.manual_finish,
        manual_text=row.manual_text, active=row.active,
        actual_duration=row.actual_duration if row.actual_start is not None else None,
        resume=row.resume if row.actual_start is not None and row.actual_finish is None
        else None,
        ignore_resource_calendar=row.ignore_resource_calendar)


def engine_link(link: LinkRow, uid_offset: int = 0, succ_offset: int | None = None) -> net.Link:
    return net.Link(link.predecessor + uid_offset,
                    link.successor + (uid_offset if succ_offset is None else succ_offset),
                    LINK_TYPES.get(link.type) or net.LinkType(link.type), link.lag,
                    LAG_KINDS.get(link.lag_kind) or net.LagKind(link.lag_kind))


def status_moment(status_date: dt.date | None) -> dt.datetime | None:
    if status_date is None:
        return None
    # Progress is known to the end of the status date.
    return dt.datetime.combine(status_date, dt.time(23, 59))


# What of a row makes its engine task (with its parent): see ``to_engine``.
_ENGINE_KEY = attrgetter(
    "uid", "name", "duration", "elapsed", "milestone", "display_unit", "calendar_uid",
    "constraint", "constraint_date", "deadline", "actual_start", "actual_finish",
    "percent_complete", "actual_duration", "remaining_duration", "levelling_delay", "manual",
    "manual_start", "manual_finish", "manual_text", "active", "resume",
    "ignore_resource_calendar")


class _Made:
    """The engine tasks and links of the last conversion, by ``_ENGINE_KEY`` and parent, and
    by the link's values."""

    tasks: dict[tuple[Any, ...], net.Task] = {}
    links: dict[tuple[int, int, str, float, str], net.Link] = {}


_made = _Made()


def to_engine(ws: Workspace, parents: dict[int, int | None] | None = None) -> net.Project:
    """The engine's project for the workspace (``parents``: ``ws.parents()`` if the caller
    has it already)."""
    parents = ws.parents() if parents is None else parents
    # engine_task and engine_link, inlined with positional arguments: an edit of a large
    # plan converts every row, and keyword arguments cost a third more.  An engine task is
    # immutable and follows from the row's values and parent alone: the tasks of the last
    # conversion are taken again for the rows an edit left alone (all but a few).
    units, days, constraints = UNITS, net.DurationUnit.DAYS, CONSTRAINTS
    before = _made.tasks
    made: dict[tuple[Any, ...], net.Task] = {}
    tasks: list[net.Task] = []
    for t in ws.tasks:
        key = (_ENGINE_KEY(t), parents[t.uid])
        task = before.get(key)
        if task is None:
            task = net.Task(
                t.uid, t.name, 0 if t.milestone else t.duration, t.elapsed, t.milestone,
                units.get(t.display_unit, days), t.calendar_uid, parents[t.uid],
                constraints.get(t.constraint) or net.ConstraintType(t.constraint),
                t.constraint_date, t.deadline, t.actual_start, t.actual_finish,
                t.percent_complete, t.actual_duration if t.actual_start is not None else None,
                t.remaining_duration, t.levelling_delay, t.manual, t.manual_start,
                t.manual_finish, t.manual_text, t.active, (),
                t.resume if t.actual_start is not None and t.actual_finish is None else None,
                t.ignore_resource_calendar)
        made[key] = task
        tasks.append(task)
    _made.tasks = made
    link_types, lag_kinds = LINK_TYPES, LAG_KINDS
    # Engine links are immutable too: those of the last conversion are taken again.
    links_before = _made.links
    links_made: dict[tuple[int, int, str, float, str], net.Link] = {}
    links: list[net.Link] = []
    for ln in ws.links:
        values = (ln.predecessor, ln.successor, ln.type, ln.lag, ln.lag_kind)
        link = links_before.get(values)
        if link is None:
            link = net.Link(ln.predecessor, ln.successor,
                            link_types.get(ln.type) or net.LinkType(ln.type), ln.lag,
                            lag_kinds.get(ln.lag_kind) or net.LagKind(ln.lag_kind))
        links_made[values] = link
        links.append(link)
    _made.links = links_made
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


def schedule(ws: Workspace, parents: dict[int, int | None] | None = None) -> Schedule:
    return run_engine(to_engine(ws, parents))


def scheduled_values(result: Schedule, uid: int, offset: int = 0) -> dict[str, Any]:
    ts = result.task(uid + offset)
    return {"summary": ts.summary, "start": ts.start, "finish": ts.finish,
            "early_start": ts.early_start, "early_finish": ts.early_finish,
            "late_start": ts.late_start, "late_finish": ts.late_finish,
            "total_float": ts.total_float, "free_float": ts.free_float,
            "critical": ts.critical, "links_violated": ts.uid in result.violated}


# ---- writing back -------------------------------------------------------------------------


def save(ws: Workspace, result: Schedule) -> dict[str, int]:
    """Writes the difference between the workspace (with its schedule) and the rows as they
    were loaded: only the rows that changed, and in them only the columns that changed.
    Returns counts of what changed."""
    plan = ws.plan
    existing = ws.stored
    live = {t.uid for t in ws.tasks}
    removed = [stored[0][STORED_AT["pk"]] for uid, stored in existing.items()
               if uid not in live]
    if removed:
        PlanTask.objects.filter(pk__in=removed).delete()
        if ws.stored_links is not None:
            # Their links went with them.
            gone = set(removed)
            ws.stored_links = [link for link in ws.stored_links
                               if link[1] not in gone and link[2] not in gone]
    to_create: list[PlanTask] = []
    updates: dict[tuple[str, ...], list[PlanTask]] = {}
    finish_minute: int | None = None
    violated = set(result.violated)
    at_position, at = STORED_AT["position"], STORED_AT
    for position, row in enumerate(ws.tasks, start=1):
        ts = result.task(row.uid)
        if row.active and (finish_minute is None or ts.finish_minute > finish_minute):
            finish_minute = ts.finish_minute
        old = existing.get(row.uid)
        own = _EDITABLE_OF(row)
        schedule_key = _engine_schedule(ts, violated)
        if (old is not None and old[0][at_position] == position and old[1] == own
                and old[2] == schedule_key):
            row.pk = old[0][at["pk"]]  # left alone by the edit and by the reschedule
            continue
        wanted = dict(zip(EDITABLE, own, strict=True))
        wanted["position"] = position
        wanted.update(scheduled_values(result, row.uid))
        if old is None:
            to_create.append(PlanTask(plan=plan, uid=row.uid, **wanted))
            continue
        values = old[0]
        diff = {k: v for k, v in wanted.items() if values[at[k]] != v}
        if diff:
            # Rows are grouped by the columns that changed: one executemany per group.
            pk = values[at["pk"]]
            updates.setdefault(tuple(sorted(diff)), []).append(PlanTask(pk=pk, **diff))
            changed = list(values)
            for k, v in diff.items():
                changed[at[k]] = v
            old[0] = tuple(changed)
        old[1], old[2] = own, schedule_key
        row.pk = old[0][at["pk"]]
    finish = None if finish_minute is None else cal.from_minutes(finish_minute)
    if to_create:
        PlanTask.objects.bulk_create(to_create, batch_size=500)
    for names, objects in updates.items():
        fast_update(PlanTask, objects, list(names))
    if to_create:
        pks = dict(PlanTask.objects.filter(plan=plan).values_list("uid", "pk"))
        for obj in to_create:
            values = tuple(pks[obj.uid] if n == "pk" else plan.pk if n == "plan"
                           else getattr(obj, n) for n in STORED)
            existing[obj.uid] = [values, values[1:_OWN_WIDTH - 1], _stored_schedule(values)]
        for row in ws.tasks:
            row.pk = pks[row.uid]
    else:
        pks = {uid: stored[0][at["pk"]] for uid, stored in existing.items()}
    for uid in [uid for uid in existing if uid not in live]:
        del existing[uid]
    _save_links(ws, pks)
    plan.finish = finish
    plan.warnings = [w for w in result.warnings if str(GHOST_BASE) not in w][:50]
    plan.save()
    if getattr(_saved, "active", False):
        _saved.ws = ws
    return {"created": len(to_create), "updated": sum(map(len, updates.values())),
            "deleted": len(removed)}


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
    """Writes the difference between the workspace's links and those stored, which become
    the links as now stored (in the order the database lists them: the others as they
    were, the new ones after them)."""
    plan = ws.plan
    wanted: dict[tuple[int, int], tuple[str, float, str]] = {
        (pks[ln.predecessor], pks[ln.successor]): (ln.type, ln.lag, ln.lag_kind)
        for ln in ws.links}
    for ext in ws.external:
        wanted[(ext.predecessor_pk, pks[ext.successor])] = (ext.type, ext.lag, ext.lag_kind)
    stored = ws.stored_links
    if stored is None:
        stored = [(plan.pk, pred, succ, type_, float(lag), kind, pk)
                  for pk, pred, succ, type_, lag, kind in PlanLink.objects.filter(
                      plan=plan).values_list("pk", "predecessor_id", "successor_id", "type",
                                             "lag", "lag_kind")]
    stale: list[int] = []
    changed: list[PlanLink] = []
    kept: list[tuple[Any, ...]] = []
    for link in stored:
        _, pred, succ, type_, lag, kind, pk = link
        want = wanted.pop((pred, succ), None)
        if want is None:
            stale.append(pk)
            continue
        if want != (type_, lag, kind):
            changed.append(PlanLink(pk=pk, type=want[0], lag=want[1], lag_kind=want[2]))
            link = (plan.pk, pred, succ, want[0], float(want[1]), want[2], pk)
        kept.append(link)
    if stale:
        PlanLink.objects.filter(pk__in=stale).delete()
    if changed:
        PlanLink.objects.bulk_update(changed, ["type", "lag", "lag_kind"])
    ws.stored_links = kept
    if wanted:
        created = PlanLink.objects.bulk_create(
            [PlanLink(plan=plan, predecessor_id=p, successor_id=s, type=v[0], lag=v[1],
                      lag_kind=v[2]) for (p, s), v in wanted.items()], batch_size=500)
        if all(link.pk is not None for link in created):
            kept.extend((plan.pk, link.predecessor_id, link.successor_id, link.type,
                         float(link.lag), link.lag_kind, link.pk) for link in created)
        else:
            ws.stored_links = None  # the database does not answer the new keys


def copy_row(row: TaskRow, **changes: Any) -> TaskRow:
    return replace(row, **changes)


def working_days(ws: Workspace, a: dt.datetime | None, b: dt.datetime | None) -> int:
    """Working days from a to b on the plan's calendar (negative: earlier): how far a date
    moves, in the unit planners speak of slips."""
    if a is None or b is None or a == b:
        return 0
    calendars = {c.uid: c for c in engine_calendars(ws.calendars)}
    calendar = calendars.get(ws.plan.calendar_uid) or next(iter(calendars.values()))
    minutes = cal.WorkingTime(calendar).work_between(cal.to_minutes(a), cal.to_minutes(b))
    return round(int(minutes) / max(int(ws.plan.minutes_per_day), 1))
