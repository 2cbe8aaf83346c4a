"""The plan-editing core: one entry point, ``apply_edits``, takes a batch of typed edits
(``edits.py``), applies them to the plan in memory (``workspace.py``), reschedules once with
the engine and saves the difference — in the caller's transaction, with the plan locked and
its version checked, so a refused batch leaves the plan as it was.  Every app that changes a
plan (the grid and the API, change requests, resources, finance) goes through it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import check_version, lock_for_update
from projectoffice.engine import calendars as cal
from projectoffice.engine.bulk import collector_paused
from projectoffice.engine.calendars import STANDARD_WEEK, NoWorkingTime
from projectoffice.engine.network import CycleError, ScheduleError
from projectoffice.engine.schedule_result import ConstraintConflict, Schedule
from projectoffice.errors import Forbidden, InvalidInput, NotFound, OfficeError
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.portfolio.models import Project

from . import edits as ed
from . import workspace as wsp
from .models import Plan, PlanCalendar, PlanLink, PlanTask, TaskType
from .notation import Units, parse_duration, parse_predecessors

MIN_DATE = dt.datetime(1984, 1, 1)  # noqa: DTZ001 - plans are in local wall-clock time
MAX_DATE = dt.datetime(2149, 12, 31)  # noqa: DTZ001
TASK_FIELDS = ("name", "duration", "start", "finish", "predecessors", "milestone",
               "constraint", "constraint_date", "deadline", "notes", "percent_complete",
               "actual_start", "actual_finish", "remaining_duration", "calendar_uid",
               "task_type", "effort_driven", "manual", "active", "mode", "priority", "finish_day")
LINK_TYPES = ("FS", "SS", "FF", "SF")
MAX_EDITS = 5000

# Sent after a batch of edits changed task durations, in its transaction, with ``actor``,
# ``project`` and ``changed`` ({uid: (minutes before, minutes after)}): apps built on plans
# (the resources app's assignments) follow without planning knowing them.
durations_changed = Signal()
# Sent after a plan and the plans that depend on it were rescheduled, with ``actor`` and
# ``plan_ids``: internal dependencies on their tasks may have become late (controls app).
plans_rescheduled = Signal()
# Sent when a plan's status date is set, with ``actor``, ``project`` and ``status_date``, in
# the transaction that set it: the schedule health kept at that date (schedulerisk app).
status_date_set = Signal()

def require(actor: User, project: Project, perm: str) -> None:
    """The actor's permission ``perm`` on ``project`` (404 when they cannot see it)."""
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def _standard_week() -> list[Any]:
    return [[[p.start, p.end] for p in day] if day is not None else None
            for day in STANDARD_WEEK]


def new_plan(project: Project) -> Plan:
    start_day = project.start_date or timezone.localdate()
    plan = Plan.objects.create(project=project,
                               start=dt.datetime.combine(start_day, dt.time(8, 0)))
    PlanCalendar.objects.create(plan=plan, uid=1, name="Standard", week=_standard_week())
    return plan


def locked_plan(project: Project, version: int | None, *, create: bool = True) -> Plan:
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        if not create:
            raise NotFound(f"{project.code} has no plan yet")
        plan = new_plan(project)
        if version is not None and version != plan.version:
            check_version(plan, version)
        return plan
    plan = lock_for_update(Plan, plan.pk)
    check_version(plan, version)
    return plan


def check_date(value: dt.datetime, name: str) -> dt.datetime:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"{value.date().isoformat()} is outside the calendar range "
                         f"({MIN_DATE.year}–{MAX_DATE.year})")
    return value


def parse_moment(value: Any, name: str, end_of_day: bool = False) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None, second=0, microsecond=0)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(17, 0) if end_of_day else dt.time(8, 0))
    else:
        text = str(value).strip()
        try:
            if len(text) <= 10:
                day = dt.date.fromisoformat(text)
                moment = dt.datetime.combine(day, dt.time(17, 0) if end_of_day
                                             else dt.time(8, 0))
            else:
                moment = dt.datetime.fromisoformat(text).replace(tzinfo=None, second=0,
                                                                  microsecond=0)
        except ValueError:
            raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None
    return check_date(moment, name)


class _Editor:
    """Applies edits to a workspace, collecting every problem before anything is written."""

    def __init__(self, actor: User, ws: wsp.Workspace) -> None:
        self.actor = actor
        self.ws = ws
        self.units: Units = ws.units
        self.errors: dict[str, list[str]] = {}
        self.touched: list[int] = []
        self.inserted: list[int] = []  # UIDs given to inserted tasks, in order
        self.calendar_uids = {c.uid for c in ws.calendars}

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def new_task(self, ref: Any) -> Any:
        """A task named as ``{"new": k}`` — the k-th task these edits insert — as its UID;
        any other reference as it is."""
        if isinstance(ref, dict) and "new" in ref:
            k = ref["new"]
            if isinstance(k, int) and 1 <= k <= len(self.inserted):
                return self.inserted[k - 1]
            return f"new task {k}"
        return ref

    def apply(self, edit: ed.Edit | Mapping[str, Any], n: int) -> None:
        if isinstance(edit, Mapping):
            try:
                edit = ed.from_wire(edit)
            except ValueError as exc:
                self.error(f"edits.{n}.op", str(exc))
                return
        if isinstance(edit, ed.SetDurations):
            for row in self.ws.tasks:
                if row.uid in edit.minutes:
                    row.duration = edit.minutes[row.uid]
                    self.touched.append(row.uid)
            return
        if isinstance(edit, ed.SetLevellingDelays):
            for row in self.ws.tasks:
                row.levelling_delay = edit.delays.get(row.uid, 0)
            return
        if isinstance(edit, ed.InsertTask):
            self.insert(self.new_task(edit.before), edit.level, edit.fields, n)
            return
        uid = self.new_task(edit.uid)
        index = self.ws.index()
        if not isinstance(uid, int) or uid not in index:
            self.error(f"edits.{n}.uid", f"no task with UID {uid!r} in this plan")
            return
        self.touched.append(uid)
        i = index[uid]
        if isinstance(edit, ed.UpdateTask):
            self.update(self.ws.tasks[i], edit.fields)
        elif isinstance(edit, ed.DeleteTask):
            end = self.ws.subtree_end(i)
            gone = {t.uid for t in self.ws.tasks[i:end]}
            del self.ws.tasks[i:end]
            self.ws.links = [ln for ln in self.ws.links
                             if ln.predecessor not in gone and ln.successor not in gone]
            self.ws.external = [e for e in self.ws.external if e.successor not in gone]
        elif isinstance(edit, ed.IndentTask):
            self.shift(i, edit.by, f"tasks.{uid}.name")
        elif isinstance(edit, ed.MoveTask):
            self.move(i, self.new_task(edit.before), f"tasks.{uid}.name")
        elif isinstance(edit, ed.MoveInGroup):
            self.move_in_group(i, edit.step, f"tasks.{uid}.name")
        elif isinstance(edit, ed.LinkTasks):
            self.link(uid, self.new_task(edit.predecessor), n, type_=edit.type, lag=edit.lag)
        elif isinstance(edit, ed.UnlinkTasks):
            self.link(uid, self.new_task(edit.predecessor), n, remove=True)

    def link(self, uid: int, pred: Any, n: int, *, remove: bool = False, type_: str = "FS",
             lag: str = "") -> None:
        """Adds (or replaces) or removes the link from ``pred`` to task ``uid``."""
        if not isinstance(pred, int) or pred not in self.ws.index():
            self.error(f"edits.{n}.predecessor", f"no task with UID {pred!r} in this plan")
            return
        if pred == uid:
            self.error(f"edits.{n}.predecessor", "a task cannot be its own predecessor")
            return
        existing = [ln for ln in self.ws.links if ln.predecessor == pred and ln.successor == uid]
        if remove:
            if not existing:
                self.error(f"edits.{n}.predecessor",
                           f"task {uid} has no link from task {pred} to remove")
                return
            self.ws.links = [ln for ln in self.ws.links if ln not in existing]
            return
        type_ = (type_ or "FS").upper()
        if type_ not in LINK_TYPES:
            self.error(f"edits.{n}.type", f"unknown link type {type_!r}; use FS, SS, FF or SF")
            return
        minutes, lag_kind = 0.0, "working"
        text = lag.strip()
        if text:
            try:
                if text.endswith("%"):
                    minutes, lag_kind = float(text[:-1]), "percent"
                else:
                    duration = parse_duration(text, self.units, allow_negative=True)
                    minutes = float(duration.minutes)
                    lag_kind = "elapsed" if duration.elapsed else "working"
            except ValueError as exc:
                self.error(f"edits.{n}.lag", str(exc) if "%" not in text
                           else f"{text!r} is not a percentage")
                return
        self.ws.links = [ln for ln in self.ws.links if ln not in existing] + [
            wsp.LinkRow(pred, uid, type_, minutes, lag_kind)]

    def insert(self, before: Any, level: Any, fields: Mapping[str, Any], n: int) -> None:
        index = self.ws.index()
        if before is not None and before not in index:
            self.error(f"edits.{n}.before", f"no task with UID {before!r} in this plan")
            return
        at = index[before] if before is not None else len(self.ws.tasks)
        if level is None:
            level = self.ws.tasks[at].outline_level if at < len(self.ws.tasks) else (
                self.ws.tasks[at - 1].outline_level if at else 1)
        max_level = (self.ws.tasks[at - 1].outline_level + 1) if at else 1
        if not isinstance(level, int) or not 1 <= level <= max_level:
            self.error(f"edits.{n}.level", f"must be between 1 and {max_level} here")
            return
        uid = self.ws.plan.next_uid
        self.ws.plan.next_uid += 1
        row = wsp.TaskRow(uid=uid, name="New task", outline_level=level,
                          duration=self.units.minutes_per_day)
        self.ws.tasks.insert(at, row)
        self.touched.append(uid)
        self.inserted.append(uid)
        self.update(row, fields)

    def move_in_group(self, i: int, step: int, key: str) -> None:
        """One place up or down among the tasks of the same summary (MS Project's
        Alt+Shift+↑/↓): before the previous sibling, or after the next one's subtasks."""
        tasks = self.ws.tasks
        level = tasks[i].outline_level
        siblings: list[int] = []  # indexes of the tasks under the same summary, in order
        k = i
        while k > 0 and tasks[k - 1].outline_level >= level:
            k -= 1
        parent_end = len(tasks)
        for j in range(k, len(tasks)):
            if tasks[j].outline_level < level:
                parent_end = j
                break
            if tasks[j].outline_level == level:
                siblings.append(j)
        pos = siblings.index(i)
        if step < 0:
            if pos == 0:
                self.error(key, "is already first in its group")
                return
            self.move(i, tasks[siblings[pos - 1]].uid, key)
            return
        if pos == len(siblings) - 1:
            self.error(key, "is already last in its group")
            return
        after = (siblings[pos + 2] if pos + 2 < len(siblings) else parent_end)
        self.move(i, tasks[after].uid if after < len(tasks) else None, key)

    def shift(self, i: int, by: int, key: str) -> None:
        task = self.ws.tasks[i]
        end = self.ws.subtree_end(i)
        if by > 0:
            if i == 0 or self.ws.tasks[i - 1].outline_level < task.outline_level:
                self.error(key, "cannot be indented: there is no task above at its level")
                return
        elif task.outline_level == 1:
            self.error(key, "is already at the top level")
            return
        for row in self.ws.tasks[i:end]:
            row.outline_level += by

    def move(self, i: int, before: Any, key: str) -> None:
        end = self.ws.subtree_end(i)
        block = self.ws.tasks[i:end]
        rest = self.ws.tasks[:i] + self.ws.tasks[end:]
        if before is None:
            at = len(rest)
        else:
            positions = {t.uid: k for k, t in enumerate(rest)}
            if before not in positions:
                self.error(key, "cannot move before itself or into its own subtasks")
                return
            at = positions[before]
        level_above = rest[at - 1].outline_level if at else 0
        shift = min(level_above + 1, max(block[0].outline_level, 1)) - block[0].outline_level
        if at == 0:
            shift = 1 - block[0].outline_level
        for row in block:
            row.outline_level += shift
        self.ws.tasks = rest[:at] + block + rest[at:]

    def update(self, row: wsp.TaskRow, edit: Mapping[str, Any]) -> None:
        # A constraint's date is taken before the constraint that needs it.
        ordered = sorted(edit.items(), key=lambda item: item[0] != "constraint_date")
        for name, value in ordered:
            if name in ("op", "uid", "before", "level"):
                continue
            key = f"tasks.{row.uid}.{name}"
            if name not in TASK_FIELDS:
                self.error(key, "cannot be changed here")
                continue
            try:
                self.set_field(row, name, value)
            except ValueError as exc:
                self.error(key, str(exc))
            except OfficeError as exc:
                self.error(key, exc.message)

    def set_field(self, row: wsp.TaskRow, name: str, value: Any) -> None:
        if name in ("percent_complete", "actual_start", "actual_finish", "duration",
                    "remaining_duration"):
            row.actual_duration = None  # progress entered here: worked out from it again
            row.resume = None  # and a split the file carried no longer applies
        if name == "name":
            text = str(value or "").strip()
            if len(text) > 255:
                raise ValueError("is longer than 255 characters")
            row.name = text
        elif name == "notes":
            row.notes = str(value or "")[:10000]
        elif name == "duration":
            duration = parse_duration(str(value), self.units)
            row.duration, row.display_unit, row.elapsed = (duration.minutes, duration.unit,
                                                           duration.elapsed)
            row.milestone = duration.minutes == 0
            row.manual_finish = None  # a manual task's finish follows its new duration
        elif name == "remaining_duration":
            row.remaining_duration = (None if value in (None, "") else
                                      parse_duration(str(value), self.units).minutes)
        elif name == "milestone":
            row.milestone = bool(value)
        elif name == "start" and row.manual:
            # A manual task simply moves there, its duration kept.
            moment = parse_moment(value, name)
            if moment is None:
                raise ValueError("a manually scheduled task needs a start")
            row.manual_start, row.manual_finish = moment, None
        elif name == "finish" and row.manual:
            moment = parse_moment(value, name, end_of_day=True)
            if moment is None or row.manual_start is None or moment < row.manual_start:
                raise ValueError("give a finish after the task's start")
            row.manual_finish = moment
        elif name == "start":
            moment = parse_moment(value, name)
            row.constraint, row.constraint_date = ("SNET", moment) if moment else ("ASAP", None)
        elif name == "finish":
            moment = parse_moment(value, name, end_of_day=True)
            row.constraint, row.constraint_date = ("FNET", moment) if moment else ("ASAP", None)
        elif name == "manual":
            manual = value in (True, "true", "1", "on", 1)
            if manual and not row.manual:
                # It stays where it is scheduled now (a new task: on the project start).
                start, finish = self._scheduled_dates(row)
                row.manual_start = start or self.ws.plan.start
                row.manual_finish = finish if start is not None else None
            row.manual = manual
            row.manual_text = False
        elif name == "active":
            row.active = value in (True, "true", "1", "on", 1)
        elif name == "mode":  # the grid's one choice: auto, manual or inactive
            if value not in ("auto", "manual", "inactive"):
                raise ValueError("use auto, manual or inactive")
            row.active = value != "inactive"
            if value != "inactive":
                self.set_field(row, "manual", value == "manual")
        elif name == "constraint":
            if value not in ("ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO"):
                raise ValueError(f"unknown constraint {value!r}")
            row.constraint = str(value)
            if value in ("ASAP", "ALAP"):
                row.constraint_date = None
            elif row.constraint_date is None:
                row.constraint_date = self._scheduled_start(row)
                if row.constraint_date is None:
                    raise ValueError(f"{value} needs a constraint date")
        elif name == "constraint_date":
            row.constraint_date = parse_moment(value, name)
            if row.constraint_date is None and row.constraint not in ("ASAP", "ALAP"):
                row.constraint = "ASAP"
        elif name in ("deadline",):
            row.deadline = parse_moment(value, name, end_of_day=True)
        elif name == "actual_start":
            row.actual_start = parse_moment(value, name)
        elif name == "actual_finish":
            row.actual_finish = parse_moment(value, name, end_of_day=True)
            if row.actual_finish is not None:
                if row.actual_start is None:
                    raise ValueError("give the actual start first")
                if row.actual_finish < row.actual_start:
                    raise ValueError("is before the actual start")
                row.percent_complete = 100.0
        elif name == "percent_complete":
            try:
                percent = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{value!r} is not a percentage") from None
            if not 0 <= percent <= 100:
                raise ValueError("must be between 0 and 100")
            row.percent_complete = percent
            if percent > 0 and row.actual_start is None:
                row.actual_start = self._scheduled_start(row)
            if percent == 0:
                row.actual_start = row.actual_finish = None
        elif name == "calendar_uid":
            if value in (None, ""):
                row.calendar_uid = None
                return
            try:
                uid = int(value)
            except (TypeError, ValueError):
                raise ValueError(f"{value!r} is not a calendar") from None
            if uid not in self.calendar_uids:
                raise ValueError(f"no calendar {value!r} in this plan")
            row.calendar_uid = uid
        elif name == "predecessors":
            if isinstance(value, list):
                self.set_anchored_predecessors(row, value)
            else:
                self.set_predecessors(row, str(value or ""))
        elif name == "task_type":
            if value not in TaskType.values:
                raise ValueError(f"use one of {', '.join(TaskType.values)}")
            row.task_type = str(value)
        elif name == "effort_driven":
            row.effort_driven = value in (True, "true", "1", "on", 1)
        elif name == "finish_day":
            self.set_finish_day(row, value)
        elif name == "priority":
            try:
                priority = int(str(value).strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a whole number") from None
            if not 0 <= priority <= 1000:
                raise ValueError("must be between 0 and 1000")
            row.priority = priority

    def set_finish_day(self, row: wsp.TaskRow, value: Any) -> None:
        """The duration that makes the task finish on that day (dragging its bar's end, as
        in MS Project): whole working days of its calendar from its scheduled start."""
        moment = parse_moment(value, "finish_day", end_of_day=True)
        start, _ = self._scheduled_dates(row)
        if moment is None or start is None:
            raise ValueError("give the day the task should finish")
        calendars = {c.uid: c for c in wsp.engine_calendars(self.ws.calendars)}
        calendar = (calendars.get(row.calendar_uid or self.ws.plan.calendar_uid)
                    or next(iter(calendars.values())))
        end = dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time())
        minutes = cal.WorkingTime(calendar).work_between(cal.to_minutes(start),
                                                         cal.to_minutes(end))
        days = round(minutes / self.units.minutes_per_day)
        if days < 1:
            raise ValueError("the finish must be at least a working day after the start")
        self.set_field(row, "duration", f"{days}d")

    def _scheduled_dates(
            self, row: wsp.TaskRow) -> tuple[dt.datetime | None, dt.datetime | None]:
        found = PlanTask.objects.filter(plan=self.ws.plan, uid=row.uid).values_list(
            "start", "finish").first()
        return (found[0], found[1]) if found else (None, None)

    def _scheduled_start(self, row: wsp.TaskRow) -> dt.datetime | None:
        task = PlanTask.objects.filter(plan=self.ws.plan, uid=row.uid).values_list(
            "start", flat=True).first()
        return task

    def set_predecessors(self, row: wsp.TaskRow, text: str) -> None:
        specs = parse_predecessors(text, self.units)
        by_row = {k: t.uid for k, t in enumerate(self.ws.tasks, start=1)}
        internal: list[wsp.LinkRow] = []
        external: list[wsp.ExternalLink] = []
        for spec in specs:
            if spec.project is None or spec.project == self.ws.plan.project.code:
                pred = by_row.get(spec.row)
                if pred is None:
                    raise ValueError(f"there is no row {spec.row} in this plan")
                if pred == row.uid:
                    raise ValueError("a task cannot be its own predecessor")
                internal.append(wsp.LinkRow(pred, row.uid, spec.type, spec.lag, spec.lag_kind))
            else:
                other = access_project(self.actor, spec.project, "plan.view")
                target = PlanTask.objects.filter(plan__project=other,
                                                 position=spec.row).first()
                if target is None:
                    raise ValueError(f"{other.code} has no row {spec.row}")
                external.append(self._external(target, row.uid, spec.type, spec.lag,
                                               spec.lag_kind, other.code))
        self._replace_predecessors(row, internal, external)

    @staticmethod
    def _external(target: PlanTask, successor: int, type_: str, lag: float, lag_kind: str,
                  code: str) -> wsp.ExternalLink:
        return wsp.ExternalLink(target.pk, successor, type_, lag, lag_kind, code, target.uid,
                                target.position, target.name, target.start, target.finish)

    def set_anchored_predecessors(self, row: wsp.TaskRow, links: list[Any]) -> None:
        """Predecessors named by UID rather than row, as a change request keeps them so that
        rows inserted or moved later never re-point them: each link is ``{"task": uid}``
        (``"project": CODE`` for another plan's task) or ``{"new": k}``, the k-th task
        inserted by the same batch of edits, with ``type``, ``lag`` (minutes or percent) and
        ``lag_kind``."""
        index = self.ws.index()
        internal: list[wsp.LinkRow] = []
        external: list[wsp.ExternalLink] = []
        for link in links:
            if not isinstance(link, dict):
                raise ValueError("each predecessor must name a task")
            type_ = str(link.get("type") or "FS").upper()
            if type_ not in LINK_TYPES:
                raise ValueError(f"unknown link type {type_!r}; use FS, SS, FF or SF")
            lag, lag_kind = float(link.get("lag") or 0), str(link.get("lag_kind") or "working")
            project, task_uid = link.get("project"), link.get("task")
            if task_uid is not None and not isinstance(task_uid, int):
                raise ValueError(f"{task_uid!r} is not a task UID")
            if project and project != self.ws.plan.project.code:
                other = access_project(self.actor, str(project), "plan.view")
                target = PlanTask.objects.filter(plan__project=other,
                                                 uid=task_uid or 0).first()
                if target is None:
                    raise ValueError(f"{other.code} no longer has task {task_uid}")
                external.append(self._external(target, row.uid, type_, lag, lag_kind,
                                               other.code))
                continue
            if link.get("new") is not None:
                k = int(link["new"])
                if not 1 <= k <= len(self.inserted):
                    raise ValueError(f"names new task {k}, which these edits do not add")
                pred = self.inserted[k - 1]
            else:
                if task_uid is None or task_uid not in index:
                    raise ValueError(f"task {task_uid} is no longer in this plan")
                pred = task_uid
            if pred == row.uid:
                raise ValueError("a task cannot be its own predecessor")
            internal.append(wsp.LinkRow(pred, row.uid, type_, lag, lag_kind))
        self._replace_predecessors(row, internal, external)

    def _replace_predecessors(self, row: wsp.TaskRow, internal: list[wsp.LinkRow],
                              external: list[wsp.ExternalLink]) -> None:
        seen = set()
        for link in internal:
            if link.predecessor in seen:
                raise ValueError("names the same predecessor twice")
            seen.add(link.predecessor)
        self.ws.links = [ln for ln in self.ws.links if ln.successor != row.uid] + internal
        self.ws.external = [e for e in self.ws.external if e.successor != row.uid] + external


def schedule_checked(ws: wsp.Workspace, touched: Sequence[int]) -> Schedule:
    """Runs the engine; its refusals become errors at the cells the edit touched."""
    parents = ws.parents()
    summaries = {p for p in parents.values() if p is not None}
    for link in ws.links:
        ancestor = parents.get(link.successor)
        while ancestor is not None:
            if ancestor == link.predecessor:
                raise InvalidInput.field(f"tasks.{link.successor}.predecessors",
                                         "a task cannot be linked to its own summary")
            ancestor = parents.get(ancestor)
        ancestor = parents.get(link.predecessor)
        while ancestor is not None:
            if ancestor == link.successor:
                raise InvalidInput.field(f"tasks.{link.successor}.predecessors",
                                         "a summary cannot be linked to its own subtask")
            ancestor = parents.get(ancestor)
    del summaries
    try:
        return wsp.schedule(ws, parents)
    except CycleError as exc:
        cycle = {t.uid for t in exc.tasks}
        rows = {t.uid: k for k, t in enumerate(ws.tasks, start=1)}
        at = next((uid for uid in reversed(touched) if uid in cycle), exc.tasks[0].uid)
        path = " → ".join(f"{rows.get(t.uid, '?')} {t.name}" for t in exc.tasks)
        raise InvalidInput.field(f"tasks.{at}.predecessors",
                                 f"this link would make a cycle: {path}") from None
    except NoWorkingTime as exc:
        raise InvalidInput.field("calendar", str(exc)) from None
    except (ScheduleError, ValueError) as exc:
        raise InvalidInput.field("plan", str(exc)) from None


def constraint_conflicts(result: Schedule, touched: Sequence[int]
                         ) -> dict[str, list[str]]:
    """The engine's constraint conflicts on the tasks an edit touched, as errors at their
    Start cell: a constraint typed (or a bar dragged) where the logic does not allow it."""
    errors: dict[str, list[str]] = {}
    wanted = set(touched)
    for conflict in result.conflicts:
        if conflict.uid in wanted:
            errors.setdefault(f"tasks.{conflict.uid}.start", []).append(
                "this constraint cannot be met: " + describe_conflict(conflict))
    return errors


def describe_conflict(conflict: ConstraintConflict) -> str:
    return (f"{conflict.constraint} on {conflict.constraint_date:%Y-%m-%d %H:%M} is before "
            f"its predecessors allow it to start ({conflict.logic_start:%Y-%m-%d %H:%M})")


def _audit_changes(before: wsp.Snapshot, after: wsp.Snapshot) -> dict[str, Any]:
    old = {row[0]: row for row in before.rows}
    changes: dict[str, Any] = {}
    differing, removed = after.changed(before)
    name_at = wsp.SNAPSHOT.index("name")
    for task in differing:
        uid = task[0]
        prev = old.get(uid)
        if prev is None:
            changes[f"task {uid}"] = [None, task[name_at]]
            continue
        for name, was, value in zip(wsp.SNAPSHOT, prev, task, strict=True):
            if was != value:
                changes[f"task {uid} {name}"] = [wsp.json_value(was), wsp.json_value(value)]
    for uid in removed:
        changes[f"task {uid}"] = [old[uid][name_at], None]
    if before.links != after.links:
        changes["links"] = [len(before.links), len(after.links)]
    if len(changes) > 200:
        changes = dict(list(changes.items())[:200]) | {"…": [None, f"{len(changes)} changes"]}
    return changes


def commit_workspace(actor: User, ws: wsp.Workspace, before: wsp.Snapshot,
                     touched: Sequence[int], verb: str, *, strict_constraints: bool = True,
                     extra: dict[str, Any] | None = None) -> Plan:
    """Schedules the edited workspace and saves it: the version, the undo state, the audit
    entry, and the plans that depend on this one.  The plan must be locked."""
    result = schedule_checked(ws, touched)
    if strict_constraints:
        conflicts = constraint_conflicts(result, touched)
        if conflicts:
            key, messages = next(iter(conflicts.items()))
            raise InvalidInput(f"{key}: {messages[0]}", conflicts)
    after = ws.snapshot()
    ws.plan.undo_state = wsp.undo_delta(before, after)
    ws.plan.version += 1
    ws.plan.scheduled_at = timezone.now()
    wsp.save(ws, result)
    changes = _audit_changes(before, after) | (extra or {})
    record_change(actor=actor, obj=ws.plan, verb=verb, changes=changes)
    moved = [ws.plan, *propagate(ws.plan, actor=actor)]
    plans_rescheduled.send(sender=Plan, actor=actor, plan_ids=[p.pk for p in moved])
    return ws.plan


def propagate(plan: Plan, seen: set[int] | None = None, *, actor: User | None = None
              ) -> list[Plan]:
    """Reschedules the plans that have external predecessors in ``plan`` (and theirs in turn).
    Their own content and version are untouched: only the dates the engine writes change,
    recorded in each one's audit trail as rescheduled after ``plan``'s change."""
    seen = seen if seen is not None else {plan.pk}

    dependants = (PlanLink.objects.filter(predecessor__plan=plan).exclude(plan=plan)
                  .values_list("plan_id", flat=True).distinct())
    done: list[Plan] = []
    for plan_id in sorted(set(dependants)):
        if plan_id in seen:
            continue
        seen.add(plan_id)
        other = lock_for_update(Plan, plan_id)
        ws = wsp.load(other)
        try:
            result = wsp.schedule(ws)
        except (ScheduleError, ValueError):
            continue
        wsp.save(ws, result)
        record_change(actor=actor, obj=other, verb="rescheduled",
                      changes={"after": plan.project.code})
        done.append(other)
        done.extend(propagate(other, seen, actor=actor))
    return done




def _durations(ws: wsp.Workspace) -> dict[int, int]:
    return {t.uid: t.duration for t in ws.tasks}


def _run(editor: _Editor, edits: Sequence[ed.Edit | Mapping[str, Any]]) -> None:
    for n, edit in enumerate(edits):
        editor.apply(edit, n)
    if editor.errors:
        key, messages = next(iter(editor.errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", editor.errors)


@transaction.atomic
def apply_edits(*, actor: User, project: Project, version: int | None,
                edits: Sequence[ed.Edit | Mapping[str, Any]], verb: str = "plan edited",
                source: str = "", permission: str = "plan.edit", strict: bool = True,
                create: bool = True) -> Plan:
    """Applies a batch of edits to the project's plan with one reschedule and one save.

    The actor needs ``permission`` on the project (``plan.edit``; the resources app passes
    ``resource.manage`` for the durations its assignments set).  The plan is locked and
    ``version`` checked (None is refused); every problem is reported, keyed
    ``tasks.<uid>.<field>`` or ``edits.<n>.<field>``, and then nothing is written.
    ``strict`` refuses a constraint the logic does not allow on a task the batch touched.
    The audit entry records the field-level changes (and ``source``, e.g. a change
    request's reference); the plan's undo state becomes this batch's inverse; plans that
    depend on this one are rescheduled; and ``durations_changed`` is sent when the batch
    changed task durations (not for ``SetDurations``, which comes from assignments)."""
    require(actor, project, permission)
    if not edits:
        raise InvalidInput.field("edits", "send at least one edit")
    if len(edits) > MAX_EDITS:
        raise InvalidInput.field("edits", f"send at most {MAX_EDITS} edits at once")
    plan = locked_plan(project, version, create=create)
    # A large plan's rows, engine tasks and results are tens of thousands of objects in
    # no cycles: the cyclic collector would rescan them again and again (see engine/bulk).
    with collector_paused():
        ws = wsp.load(plan)
        before = ws.snapshot()
        durations = _durations(ws)
        editor = _Editor(actor, ws)
        _run(editor, edits)
        plan = commit_workspace(actor, ws, before, editor.touched, verb,
                                strict_constraints=strict,
                                extra={"source": [None, source]} if source else None)
        changed = {t.uid: (durations[t.uid], t.duration) for t in ws.tasks
                   if t.uid in durations and t.duration != durations[t.uid]}
        # Freed here, by reference counting, rather than walked once by the collector as it
        # resumes: a large plan's rows and snapshots are tens of thousands of objects.
        del ws, before, durations, editor
    if changed and not any(isinstance(e, ed.SetDurations) for e in edits):
        durations_changed.send(sender=Plan, actor=actor, project=project, changed=changed)
    return plan


def preview_edits(actor: User, project: Project, edits: Sequence[ed.Edit | Mapping[str, Any]]
                  ) -> tuple[wsp.Workspace, Schedule, wsp.Workspace, Schedule]:
    """The plan as stored and as it would be after ``edits``, both scheduled in memory:
    (workspace, schedule, edited workspace, edited schedule).  Nothing is written; the
    edits are checked exactly as ``apply_edits`` checks them."""
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise InvalidInput.field("plan", f"{project.code} has no plan yet")
    current = wsp.load(plan)
    current_result = schedule_checked(current, [])
    copy = Plan.objects.get(pk=plan.pk)  # the editor moves next_uid on its own object
    edited = wsp.load(copy)
    editor = _Editor(actor, edited)
    _run(editor, edits)
    edited_result = schedule_checked(edited, editor.touched)
    conflicts = constraint_conflicts(edited_result, editor.touched)
    if conflicts:
        key, messages = next(iter(conflicts.items()))
        raise InvalidInput(f"{key}: {messages[0]}", conflicts)
    return current, current_result, edited, edited_result


def undo_last(*, actor: User, project: Project, version: int | None) -> Plan:
    """Puts back the plan as it was before its last batch of edits (one step)."""
    require(actor, project, "plan.edit")
    plan = locked_plan(project, version, create=False)
    if not plan.undo_state:
        raise InvalidInput.field("plan", "there is no edit to undo")
    ws = wsp.load(plan)
    before = ws.snapshot()
    ws.restore(plan.undo_state)
    plan = commit_workspace(actor, ws, before, [], "edit undone", strict_constraints=False)
    plan.undo_state = None
    plan.save(update_fields=["undo_state"])
    return plan
