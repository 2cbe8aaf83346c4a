"""Every write to a plan.  Each action loads the plan into a workspace, applies the change,
schedules it with the engine and writes the difference back — all in one transaction, so the
dates stored are always the scheduled ones and a refused change leaves the plan as it was."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import check_version, lock_for_update
from projectoffice.engine import calendars as cal
from projectoffice.engine.calendars import STANDARD_WEEK, NoWorkingTime
from projectoffice.engine.network import CycleError, ScheduleError
from projectoffice.engine.schedule_result import Schedule
from projectoffice.errors import InvalidInput, NotFound, OfficeError
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.portfolio.models import Project

from . import workspace as wsp
from .models import (
    Baseline,
    BaselineTask,
    MilestoneSnapshot,
    Plan,
    PlanCalendar,
    PlanTask,
    TaskType,
)
from .notation import Units, parse_duration, parse_predecessors

MAX_BASELINES = 11
MIN_DATE = dt.datetime(1984, 1, 1)  # noqa: DTZ001 - plans are in local wall-clock time
MAX_DATE = dt.datetime(2149, 12, 31)  # noqa: DTZ001
ZERO_COST = Decimal("0.00")
TASK_FIELDS = ("name", "duration", "start", "finish", "predecessors", "milestone",
               "constraint", "constraint_date", "deadline", "notes", "percent_complete",
               "actual_start", "actual_finish", "remaining_duration", "calendar_uid",
               "task_type", "effort_driven", "manual", "active", "mode")
OPS = ("update", "insert", "delete", "indent", "outdent", "move", "link", "unlink")
LINK_TYPES = ("FS", "SS", "FF", "SF")


def _require(actor: User, project: Project, perm: str) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        from projectoffice.errors import Forbidden

        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def _standard_week() -> list[Any]:
    return [[[p.start, p.end] for p in day] if day is not None else None
            for day in STANDARD_WEEK]


def _new_plan(project: Project) -> Plan:
    start_day = project.start_date or timezone.localdate()
    plan = Plan.objects.create(project=project,
                               start=dt.datetime.combine(start_day, dt.time(8, 0)))
    PlanCalendar.objects.create(plan=plan, uid=1, name="Standard", week=_standard_week())
    return plan


def _locked_plan(project: Project, version: int | None, *, create: bool = True) -> Plan:
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        if not create:
            raise NotFound(f"{project.code} has no plan yet")
        plan = _new_plan(project)
        if version is not None and version != plan.version:
            check_version(plan, version)
        return plan
    plan = lock_for_update(Plan, plan.pk)
    check_version(plan, version)
    return plan


@transaction.atomic
def create_plan(*, actor: User, project: Project, start: dt.datetime | None = None) -> Plan:
    _require(actor, project, "plan.edit")
    if Plan.objects.filter(project=project).exists():
        raise InvalidInput.field("project", f"{project.code} already has a plan")
    plan = _new_plan(project)
    if start is not None:
        plan.start = _check_date(start, "start")
        plan.save()
    record_change(actor=actor, obj=plan, verb="created", changes={"start": [None,
                                                                            plan.start.isoformat()]})
    return plan


# ---- parsing one task's fields -------------------------------------------------------------


def _check_date(value: dt.datetime, name: str) -> dt.datetime:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"{value.date().isoformat()} is outside the calendar range "
                         f"({MIN_DATE.year}–{MAX_DATE.year})")
    return value


def _datetime(value: Any, name: str, end_of_day: bool = False) -> dt.datetime | None:
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
    return _check_date(moment, name)


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

    def apply(self, edit: Mapping[str, Any], n: int) -> None:
        op = str(edit.get("op", "update"))
        if op not in OPS:
            self.error(f"edits.{n}.op", f"unknown operation {op!r}; use one of {', '.join(OPS)}")
            return
        edit = {k: self.new_task(v) if k in ("uid", "before", "predecessor") else v
                for k, v in edit.items()}
        if op == "insert":
            self.insert(edit, n)
            return
        uid = edit.get("uid")
        index = self.ws.index()
        if not isinstance(uid, int) or uid not in index:
            self.error(f"edits.{n}.uid", f"no task with UID {uid!r} in this plan")
            return
        self.touched.append(uid)
        i = index[uid]
        if op == "update":
            self.update(self.ws.tasks[i], edit)
        elif op == "delete":
            end = self.ws.subtree_end(i)
            gone = {t.uid for t in self.ws.tasks[i:end]}
            del self.ws.tasks[i:end]
            self.ws.links = [ln for ln in self.ws.links
                             if ln.predecessor not in gone and ln.successor not in gone]
            self.ws.external = [e for e in self.ws.external if e.successor not in gone]
        elif op in ("indent", "outdent"):
            self.shift(i, 1 if op == "indent" else -1, f"tasks.{uid}.name")
        elif op == "move":
            self.move(i, edit.get("before"), f"tasks.{uid}.name")
        elif op in ("link", "unlink"):
            self.link(uid, edit, n, remove=op == "unlink")

    def link(self, uid: int, edit: Mapping[str, Any], n: int, *, remove: bool) -> None:
        """Adds (or replaces) or removes the link from ``predecessor`` to task ``uid``."""
        pred = edit.get("predecessor")
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
        type_ = str(edit.get("type") or "FS").upper()
        if type_ not in LINK_TYPES:
            self.error(f"edits.{n}.type", f"unknown link type {type_!r}; use FS, SS, FF or SF")
            return
        lag, lag_kind = 0.0, "working"
        text = str(edit.get("lag") or "").strip()
        if text:
            try:
                if text.endswith("%"):
                    lag, lag_kind = float(text[:-1]), "percent"
                else:
                    duration = parse_duration(text, self.units, allow_negative=True)
                    lag = float(duration.minutes)
                    lag_kind = "elapsed" if duration.elapsed else "working"
            except ValueError as exc:
                self.error(f"edits.{n}.lag", str(exc) if "%" not in text
                           else f"{text!r} is not a percentage")
                return
        self.ws.links = [ln for ln in self.ws.links if ln not in existing] + [
            wsp.LinkRow(pred, uid, type_, lag, lag_kind)]

    def insert(self, edit: Mapping[str, Any], n: int) -> None:
        before = edit.get("before")
        index = self.ws.index()
        if before is not None and before not in index:
            self.error(f"edits.{n}.before", f"no task with UID {before!r} in this plan")
            return
        at = index[before] if before is not None else len(self.ws.tasks)
        level = edit.get("level")
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
        self.update(row, edit)

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
            moment = _datetime(value, name)
            if moment is None:
                raise ValueError("a manually scheduled task needs a start")
            row.manual_start, row.manual_finish = moment, None
        elif name == "finish" and row.manual:
            moment = _datetime(value, name, end_of_day=True)
            if moment is None or row.manual_start is None or moment < row.manual_start:
                raise ValueError("give a finish after the task's start")
            row.manual_finish = moment
        elif name == "start":
            moment = _datetime(value, name)
            row.constraint, row.constraint_date = ("SNET", moment) if moment else ("ASAP", None)
        elif name == "finish":
            moment = _datetime(value, name, end_of_day=True)
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
            row.constraint_date = _datetime(value, name)
            if row.constraint_date is None and row.constraint not in ("ASAP", "ALAP"):
                row.constraint = "ASAP"
        elif name in ("deadline",):
            row.deadline = _datetime(value, name, end_of_day=True)
        elif name == "actual_start":
            row.actual_start = _datetime(value, name)
        elif name == "actual_finish":
            row.actual_finish = _datetime(value, name, end_of_day=True)
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


def _schedule(ws: wsp.Workspace, touched: Sequence[int]) -> Schedule:
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
        return wsp.schedule(ws)
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


def _constraint_conflicts(result: Schedule, touched: Sequence[int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for warning in result.warnings:
        for uid in touched:
            if warning.startswith(f"task {uid} ") and "conflicts with its predecessors" in warning:
                message = warning.split(": ", 1)[1].replace("; the constraint is honoured", "")
                errors.setdefault(f"tasks.{uid}.start", []).append(
                    "this constraint cannot be met: " + message)
    return errors


def _audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    old = {t["uid"]: t for t in before["tasks"]}
    new = {t["uid"]: t for t in after["tasks"]}
    changes: dict[str, Any] = {}
    for uid, task in new.items():
        prev = old.get(uid)
        if prev is None:
            changes[f"task {uid}"] = [None, task["name"]]
            continue
        for name, value in task.items():
            if prev.get(name) != value:
                changes[f"task {uid} {name}"] = [prev.get(name), value]
    for uid in old.keys() - new.keys():
        changes[f"task {uid}"] = [old[uid]["name"], None]
    if before["links"] != after["links"]:
        changes["links"] = [len(before["links"]), len(after["links"])]
    if len(changes) > 200:
        changes = dict(list(changes.items())[:200]) | {"…": [None, f"{len(changes)} changes"]}
    return changes


def _commit(actor: User, ws: wsp.Workspace, before: dict[str, Any], touched: Sequence[int],
            verb: str, strict_constraints: bool = True,
            extra: dict[str, Any] | None = None) -> Plan:
    result = _schedule(ws, touched)
    if strict_constraints:
        conflicts = _constraint_conflicts(result, touched)
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
    moved = [ws.plan, *propagate(ws.plan)]
    # Internal dependencies on these plans' tasks may have become late (controls app).
    from projectoffice.controls.handoffs import tell_late_dependencies

    tell_late_dependencies(actor=actor, plan_ids=[p.pk for p in moved])
    return ws.plan


def propagate(plan: Plan, seen: set[int] | None = None) -> list[Plan]:
    """Reschedules the plans that have external predecessors in ``plan`` (and theirs in turn).
    Their own content and version are untouched: only the dates the engine writes change."""
    seen = seen if seen is not None else {plan.pk}
    from .models import PlanLink

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
        done.append(other)
        done.extend(propagate(other, seen))
    return done


@transaction.atomic
def edit_plan(*, actor: User, project: Project, version: int | None,
              edits: Sequence[Mapping[str, Any]], source: str = "") -> Plan:
    """Applies many edits (update, insert, delete, indent, outdent, move, link, unlink) in one
    transaction with one reschedule.  Every problem is reported, keyed
    ``tasks.<uid>.<field>``; then nothing is written.  ``source`` (e.g. a change request's
    reference) is recorded in the audit entry."""
    _require(actor, project, "plan.edit")
    if not edits:
        raise InvalidInput.field("edits", "send at least one edit")
    if len(edits) > 5000:
        raise InvalidInput.field("edits", "send at most 5000 edits at once")
    plan = _locked_plan(project, version)
    ws = wsp.load(plan)
    before = ws.snapshot()
    durations = {t.uid: t.duration for t in ws.tasks}
    editor = _Editor(actor, ws)
    for n, edit in enumerate(edits):
        editor.apply(edit, n)
    if editor.errors:
        key, messages = next(iter(editor.errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", editor.errors)
    plan = _commit(actor, ws, before, editor.touched, "plan edited",
                   extra={"source": [None, source]} if source else None)
    # Assignments follow a changed duration by their task's type (resources app).
    from projectoffice.resources.actions import follow_task_durations

    follow_task_durations(actor=actor, project=project, changed={
        t.uid: (durations[t.uid], t.duration) for t in ws.tasks
        if t.uid in durations and t.duration != durations[t.uid]})
    return plan


def what_if(actor: User, project: Project, edits: Sequence[Mapping[str, Any]]
            ) -> tuple[wsp.Workspace, Schedule, wsp.Workspace, Schedule]:
    """The plan as stored and as it would be after ``edits``, both scheduled in memory:
    (workspace, schedule, edited workspace, edited schedule).  Nothing is written; the
    edits are checked exactly as edit_plan checks them."""
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise InvalidInput.field("plan", f"{project.code} has no plan yet")
    current = wsp.load(plan)
    current_result = _schedule(current, [])
    copy = Plan.objects.get(pk=plan.pk)  # the editor moves next_uid on its own object
    edited = wsp.load(copy)
    editor = _Editor(actor, edited)
    for n, edit in enumerate(edits):
        editor.apply(edit, n)
    if editor.errors:
        key, messages = next(iter(editor.errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", editor.errors)
    edited_result = _schedule(edited, editor.touched)
    conflicts = _constraint_conflicts(edited_result, editor.touched)
    if conflicts:
        key, messages = next(iter(conflicts.items()))
        raise InvalidInput(f"{key}: {messages[0]}", conflicts)
    return current, current_result, edited, edited_result


@transaction.atomic
def undo_plan_edit(*, actor: User, project: Project, version: int | None) -> Plan:
    _require(actor, project, "plan.edit")
    plan = _locked_plan(project, version, create=False)
    if not plan.undo_state:
        raise InvalidInput.field("plan", "there is no edit to undo")
    ws = wsp.load(plan)
    before = ws.snapshot()
    ws.restore(plan.undo_state)
    plan = _commit(actor, ws, before, [], "edit undone", strict_constraints=False)
    plan.undo_state = None
    plan.save(update_fields=["undo_state"])
    return plan


@transaction.atomic
def replace_plan(*, actor: User, project: Project, version: int | None,
                 tasks: Sequence[wsp.TaskRow], links: Sequence[wsp.LinkRow],
                 calendars: Sequence[wsp.CalendarRow] | None = None,
                 start: dt.datetime | None = None, calendar_uid: int | None = None,
                 settings: Units | None = None, verb: str = "plan replaced",
                 keep_rows: bool = False) -> Plan:
    """Replaces the whole content of a plan (bulk creation, imports) with one reschedule.
    ``version`` may be None only for a project that has no plan yet.  With ``keep_rows``
    (an update from a file) a task whose UID the plan already has stays the same row, so
    what refers to it (risks, controls) keeps referring to it; other rows are removed."""
    _require(actor, project, "plan.edit")
    existing = Plan.objects.filter(project=project).first()
    plan = _locked_plan(project, version if existing else None)
    ws = wsp.load(plan)
    before = ws.snapshot()
    uids = [t.uid for t in tasks]
    if len(set(uids)) != len(uids):
        raise InvalidInput.field("tasks", "task UIDs must be unique")
    pks = {t.uid: t.pk for t in ws.tasks} if keep_rows else {}
    ws.tasks = [wsp.copy_row(t, pk=pks.get(t.uid)) for t in tasks]
    ws.links = list(links)
    ws.external = []
    if calendars is not None:
        ws.calendars = list(calendars)
        PlanCalendar.objects.filter(plan=plan).delete()
        PlanCalendar.objects.bulk_create([
            PlanCalendar(plan=plan, uid=c.uid, name=c.name[:100], week=c.week,
                         exceptions=c.exceptions, base_uid=c.base_uid, country=c.country,
                         region=c.region, work_weeks=c.work_weeks) for c in calendars])
    if start is not None:
        plan.start = _check_date(start, "start")
    if calendar_uid is not None:
        plan.calendar_uid = calendar_uid
    if settings is not None:
        plan.minutes_per_day = settings.minutes_per_day
        plan.minutes_per_week = settings.minutes_per_week
        plan.days_per_month = settings.days_per_month
    plan.next_uid = max(max(uids, default=0) + 1, plan.next_uid if keep_rows else 1)
    if not keep_rows:
        PlanTask.objects.filter(plan=plan).delete()  # uids may be reused with other meanings
        ws.stored = {}
    return _commit(actor, ws, before, [], verb, strict_constraints=False,
                   extra={"tasks": [len(before["tasks"]), len(tasks)]})


@transaction.atomic
def set_plan_settings(*, actor: User, project: Project, version: int | None,
                      start: dt.datetime | None = None,
                      status_date: dt.date | str | None = "unchanged") -> Plan:
    _require(actor, project, "plan.edit")
    plan = _locked_plan(project, version)
    ws = wsp.load(plan)
    before = ws.snapshot()
    extra: dict[str, Any] = {}
    if start is not None:
        try:
            moment = _datetime(start, "start")
        except ValueError as exc:
            raise InvalidInput.field("start", str(exc)) from None
        extra["start"] = [plan.start.isoformat(), moment.isoformat() if moment else None]
        plan.start = moment or plan.start
    if not isinstance(status_date, str):
        if status_date is not None and not MIN_DATE.date() <= status_date <= MAX_DATE.date():
            raise InvalidInput.field("status_date", "is outside the calendar range")
        extra["status_date"] = [plan.status_date.isoformat() if plan.status_date else None,
                                status_date.isoformat() if status_date else None]
        plan.status_date = status_date
    plan = _commit(actor, ws, before, [], "plan settings changed", strict_constraints=False,
                   extra=extra)
    if plan.status_date is not None:
        _snapshot_milestones(plan)
        from projectoffice.schedulerisk.actions import keep_health_record

        keep_health_record(actor=actor, project=project, status_date=plan.status_date)
    return plan


def _snapshot_milestones(plan: Plan) -> None:
    assert plan.status_date is not None
    MilestoneSnapshot.objects.filter(plan=plan, status_date=plan.status_date).delete()
    MilestoneSnapshot.objects.bulk_create([
        MilestoneSnapshot(plan=plan, status_date=plan.status_date, uid=uid, name=name,
                          finish=finish)
        for uid, name, finish in PlanTask.objects.filter(plan=plan, milestone=True).values_list(
            "uid", "name", "finish") if finish is not None])


@transaction.atomic
def update_progress(*, actor: User, project: Project, version: int | None) -> Plan:
    """"Update as scheduled": work scheduled up to the status date is recorded as done."""
    _require(actor, project, "plan.edit")
    plan = _locked_plan(project, version, create=False)
    if plan.status_date is None:
        raise InvalidInput.field("status_date", "set a status date first")
    cutoff = wsp.status_moment(plan.status_date)
    assert cutoff is not None
    ws = wsp.load(plan)
    before = ws.snapshot()
    # The dates as planned, without the status date holding unstarted work after it.
    plan.status_date, status_date = None, plan.status_date
    planned = wsp.schedule(ws)
    plan.status_date = status_date
    dates = {t.uid: (t.start, t.finish) for t in planned.tasks}
    summaries = ws.summaries()
    for row in ws.tasks:
        start, finish = dates.get(row.uid, (None, None))
        if row.uid in summaries or start is None or finish is None or row.actual_finish:
            continue
        if finish <= cutoff:
            row.actual_start = row.actual_start or start
            row.actual_finish = finish
            row.percent_complete = 100.0
        elif start <= cutoff:
            row.actual_start = row.actual_start or start
            span = (finish - start).total_seconds()
            done = (cutoff - start).total_seconds()
            row.percent_complete = max(row.percent_complete,
                                       round(100 * min(done / span, 0.99) if span else 0))
    return _commit(actor, ws, before, [], "progress updated", strict_constraints=False)


@transaction.atomic
def save_baseline(*, actor: User, project: Project, number: int, name: str = "",
                  at: dt.datetime | None = None, source: str = "") -> Baseline:
    _require(actor, project, "baseline.save")
    if not 0 <= number < MAX_BASELINES:
        raise InvalidInput.field("number", f"must be between 0 and {MAX_BASELINES - 1}")
    name = (name or "").strip() or ("Baseline" if number == 0 else f"Baseline {number}")
    if len(name) > 100:
        raise InvalidInput.field("name", "is longer than 100 characters")
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise InvalidInput.field("plan", f"{project.code} has no plan to save")
    plan = lock_for_update(Plan, plan.pk)
    old = Baseline.objects.filter(plan=plan, number=number).first()
    if old is not None:
        old.delete()
    baseline = Baseline.objects.create(plan=plan, number=number, name=name,
                                       saved_at=at or timezone.now(), finish=plan.finish)
    from projectoffice.resources.queries import task_costs

    # A plan without any assignment has no cost to keep: its baseline shows none (not zero).
    costs = task_costs(project)
    BaselineTask.objects.bulk_create([
        BaselineTask(baseline=baseline, uid=uid, start=start, finish=finish, duration=duration,
                     cost=costs.get(uid, ZERO_COST) if costs else None)
        for uid, start, finish, duration in PlanTask.objects.filter(plan=plan).values_list(
            "uid", "start", "finish", "duration")], batch_size=1000)
    changes: dict[str, Any] = {"baseline": [old.name if old else None, f"{number} {name}"]}
    if source:
        changes["source"] = [None, source]
    record_change(actor=actor, obj=plan, verb="baseline saved", changes=changes)
    return baseline


@transaction.atomic
def save_calendar(*, actor: User, project: Project, version: int | None, uid: int,
                  name: str, week: Sequence[Any], exceptions: Sequence[Mapping[str, Any]],
                  country: str = "", region: str = "", years: Sequence[int] = (),
                  work_weeks: Sequence[Mapping[str, Any]] | None = None) -> Plan:
    """Creates or replaces a calendar; public holidays of ``country``/``region`` for
    ``years`` are added as non-working exceptions.  Exceptions may recur (a
    ``recurrence`` as ``workspace.recurrence_json`` writes it); ``work_weeks`` replaces the
    alternate work weeks (None keeps them)."""
    _require(actor, project, "plan.edit")
    plan = _locked_plan(project, version)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name or len(name) > 100:
        errors["name"] = ["give a name of at most 100 characters"]
    clean_week: list[Any] = []
    if len(week) != 7:
        errors["week"] = ["give seven days, Monday first"]
    for d, day in enumerate(week):
        try:
            periods = [[int(a), int(b)] for a, b in (day or [])]
            for a, b in periods:
                if not 0 <= a < b <= 1440:
                    raise ValueError
            for (_, b1), (a2, _) in itertools.pairwise(periods):
                if a2 < b1:
                    raise ValueError
            clean_week.append(periods)
        except (TypeError, ValueError):
            errors.setdefault(f"week.{d}", []).append("working periods must be HH:MM–HH:MM, "
                                                      "in order, within the day")
    clean_exc: list[dict[str, Any]] = []
    for k, exc in enumerate(exceptions):
        try:
            start = dt.date.fromisoformat(str(exc["start"]))
            finish = dt.date.fromisoformat(str(exc.get("finish") or exc["start"]))
            if finish < start:
                raise ValueError
            entry: dict[str, Any] = {"start": start.isoformat(), "finish": finish.isoformat(),
                     "periods": [[int(a), int(b)] for a, b in exc.get("periods") or []],
                     "name": str(exc.get("name", ""))[:100]}
        except (KeyError, TypeError, ValueError):
            errors.setdefault(f"exceptions.{k}", []).append("give a start and finish date "
                                                            "(YYYY-MM-DD), finish not before start")
            continue
        try:
            recurrence = wsp.recurrence_of(exc.get("recurrence"))
        except (TypeError, ValueError) as error:
            errors.setdefault(f"exceptions.{k}", []).append(f"recurrence: {error}")
            continue
        if recurrence is not None:
            entry["recurrence"] = wsp.recurrence_json(recurrence)
        clean_exc.append(entry)
    clean_weeks: list[dict[str, Any]] | None = None
    if work_weeks is not None:
        clean_weeks = []
        for k, item in enumerate(work_weeks):
            try:
                work_week = cal.WorkWeek(
                    dt.date.fromisoformat(str(item["start"])),
                    dt.date.fromisoformat(str(item["finish"])),
                    tuple(None if day is None else tuple(cal.WorkingPeriod(int(a), int(b))
                                                         for a, b in day)
                          for day in item["week"]),
                    str(item.get("name", ""))[:100])
            except (KeyError, TypeError, ValueError) as error:
                errors.setdefault(f"work_weeks.{k}", []).append(
                    f"give a start, a finish and seven days of periods ({error})")
                continue
            clean_weeks.append(wsp.work_week_json(work_week))
    if country:
        import holidays

        try:
            found = holidays.country_holidays(country.upper(), subdiv=region or None,
                                              years=list(years) or None)
        except NotImplementedError:
            errors["country"] = [f"no public holidays known for {country!r}"]
        except Exception:  # the holidays package raises plain errors for a bad region
            errors["region"] = [f"no region {region!r} in {country!r}"]
        else:
            known = {e["start"] for e in clean_exc}
            for day, title in sorted(found.items()):
                if day.isoformat() not in known:
                    clean_exc.append({"start": day.isoformat(), "finish": day.isoformat(),
                                      "periods": [], "name": str(title)[:100]})
    if not any(clean_week) and not errors:
        errors["week"] = ["a calendar needs some working time"]
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    ws = wsp.load(plan)
    before = ws.snapshot()
    defaults: dict[str, Any] = {"name": name, "week": clean_week, "exceptions": clean_exc,
                                "country": country.upper(), "region": region}
    if clean_weeks is not None:
        defaults["work_weeks"] = clean_weeks
    PlanCalendar.objects.update_or_create(plan=plan, uid=uid, defaults=defaults)
    ws = wsp.load(plan)
    return _commit(actor, ws, before, [], "calendar saved", strict_constraints=False,
                   extra={"calendar": [None, f"{uid} {name}"],
                          "exceptions": [None, len(clean_exc)]})


@transaction.atomic
def delete_calendar(*, actor: User, project: Project, version: int | None, uid: int) -> Plan:
    """Removes a named calendar no task and no other calendar uses; the project calendar
    stays (every task without its own follows it)."""
    _require(actor, project, "plan.edit")
    current = Plan.objects.filter(project=project).first()
    if current is None:
        raise NotFound(f"{project.code} has no plan yet")
    # Without a version the removal is checked against the plan as it is now.
    plan = _locked_plan(project, current.version if version is None else version,
                        create=False)
    calendar = PlanCalendar.objects.filter(plan=plan, uid=uid).first()
    if calendar is None:
        raise InvalidInput.field("uid", f"no calendar {uid} in this plan")
    if uid == plan.calendar_uid:
        raise InvalidInput.field("uid", f"“{calendar.name}” is the project calendar; it "
                                        "cannot be removed")
    users = PlanTask.objects.filter(plan=plan, calendar_uid=uid).count()
    if users:
        raise InvalidInput.field("uid", f"{users} task{'s' if users != 1 else ''} use "
                                        f"“{calendar.name}”: give them another calendar first")
    based = PlanCalendar.objects.filter(plan=plan, base_uid=uid).first()
    if based is not None:
        raise InvalidInput.field("uid", f"“{based.name}” is based on “{calendar.name}”")
    ws = wsp.load(plan)
    before = ws.snapshot()
    calendar.delete()
    ws = wsp.load(plan)
    return _commit(actor, ws, before, [], "calendar removed", strict_constraints=False,
                   extra={"calendar": [f"{uid} {calendar.name}", None]})
