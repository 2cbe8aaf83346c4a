"""MS Project XML (MSPDI) import and export of plans, and CSV/XLSX export of the plan grid.

An import is all-or-nothing: the file is first checked as a whole and every problem found is
reported with the task UID it concerns; only a clean file replaces the plan (through
``actions.replace_plan``, in one transaction with one reschedule).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.http import HttpResponse

from projectoffice.accounts.models import User
from projectoffice.engine import network as net
from projectoffice.errors import InvalidInput
from projectoffice.formats import mspdi
from projectoffice.formats.mpxj_bridge import MpxjUnavailable, convert_to_mspdi, mpxj_problem
from projectoffice.formats.mspdi_codes import (
    CONSTRAINTS,
    FORMATS,
    LINK_TYPES,
    parse_datetime,
    parse_duration,
)
from projectoffice.formats.sniff import MSPDI, UNKNOWN, plan_kind
from projectoffice.formats.tabular import export_response as tabular_response
from projectoffice.portfolio.access import access_project, has_perm
from projectoffice.portfolio.models import Project

from . import actions, file_update, queries
from . import workspace as wsp
from .models import BaselineTask, Plan
from .notation import Units
from .providers import providers

MAX_PROBLEMS = 200


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_mspdi(data: bytes) -> list[str]:
    """Every problem the file has that we can find without stopping at the first one."""
    problems: list[str] = []
    if plan_kind(data) == UNKNOWN and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return ["not a plan file this office can read: give MS Project XML (.xml), an MS "
                "Project .mpp or .mpx file, or a Primavera P6 XER or PMXML export"]
    uids: set[int] = set()
    names: dict[int, str] = {}
    summaries: set[int] = set()
    links: list[tuple[int, int]] = []
    resources: list[dict[str, str]] = []
    assignments: list[dict[str, str]] = []
    try:
        for _, element in ET.iterparse(io.BytesIO(data), events=("end",)):
            kind = _local(element.tag)
            if kind in ("Resource", "Assignment"):
                (resources if kind == "Resource" else assignments).append(
                    {_local(c.tag): (c.text or "").strip() for c in element if len(c) == 0})
                element.clear()
                continue
            if kind != "Task":
                continue
            values = {_local(c.tag): (c.text or "") for c in element if len(c) == 0}
            raw_uid = values.get("UID", "")
            try:
                uid = int(raw_uid)
            except ValueError:
                problems.append(f"Task {values.get('Name', '?')!r}: UID {raw_uid!r} is not a "
                                "whole number")
                continue
            where = f"Task UID {uid}"
            if uid in uids:
                problems.append(f"{where}: the UID is used twice")
            uids.add(uid)
            names[uid] = values.get("Name", "")
            if values.get("Summary") == "1":
                summaries.add(uid)
            for name in ("Duration", "RemainingDuration", "ActualDuration"):
                if values.get(name):
                    try:
                        parse_duration(values[name])
                    except ValueError:
                        problems.append(f"{where}: {name} {values[name]!r} is not a duration")
            for name in ("Start", "Finish", "ConstraintDate", "Deadline", "ActualStart",
                         "ActualFinish"):
                if values.get(name):
                    try:
                        parse_datetime(values[name])
                    except ValueError:
                        problems.append(f"{where}: {name} {values[name]!r} is not a date")
            if values.get("ConstraintType"):
                try:
                    if int(values["ConstraintType"]) not in CONSTRAINTS:
                        raise ValueError
                except ValueError:
                    problems.append(f"{where}: unknown ConstraintType "
                                    f"{values['ConstraintType']!r}")
            for child in element:
                if _local(child.tag) != "PredecessorLink":
                    continue
                link = {_local(c.tag): (c.text or "") for c in child}
                try:
                    pred = int(link.get("PredecessorUID", ""))
                except ValueError:
                    problems.append(f"{where}: a PredecessorLink has no usable PredecessorUID")
                    continue
                links.append((pred, uid))
                if link.get("Type") and (not link["Type"].isdigit()
                                         or int(link["Type"]) not in LINK_TYPES):
                    problems.append(f"{where}: link from UID {pred} has unknown Type "
                                    f"{link['Type']!r}")
                fmt = link.get("LagFormat")
                if fmt and (not fmt.isdigit() or int(fmt) not in FORMATS):
                    problems.append(f"{where}: link from UID {pred} has unknown LagFormat "
                                    f"{fmt!r}")
            element.clear()
    except ET.ParseError as exc:
        return [_parse_problem(exc, len(data))]
    for pred, succ in links:
        if pred not in uids:
            problems.append(f"Task UID {succ}: predecessor UID {pred} does not exist in the "
                            "file")
        elif pred == succ:
            problems.append(f"Task UID {succ}: the task is linked to itself")
    problems.extend(_cycle_problems(links, uids, names))
    problems.extend(_check_resources(resources, assignments, uids))
    return problems[:MAX_PROBLEMS]


def _parse_problem(exc: ET.ParseError, size: int) -> str:
    """A parse error in words: a file that stops mid-element was cut short."""
    line, column = exc.position
    reason = str(exc).split(":")[0]
    if reason in ("no element found", "unclosed token") or "unclosed" in reason:
        return ("the file ends too early: it was cut short (an incomplete download or "
                f"copy?) at line {line}, column {column} of {size:,} bytes; "
                "save or export it again")
    return f"the file is not well-formed XML: {reason} at line {line}, column {column}"


def _cycle_problems(links: list[tuple[int, int]], uids: set[int],
                    names: dict[int, str]) -> list[str]:
    """One problem per cycle of links (each strongly connected group of tasks), in words."""
    successors: dict[int, list[int]] = {}
    for pred, succ in links:
        if pred in uids and pred != succ:
            successors.setdefault(pred, []).append(succ)
    # Tarjan's algorithm without recursion: a plan may chain thousands of tasks.
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    groups: list[list[int]] = []
    counter = 0
    for root in sorted(successors):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            following = successors.get(node, [])
            if position < len(following):
                work.append((node, position + 1))
                nxt = following[position]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    problems = []
    for group in sorted(groups):
        shown = ", ".join(f"{uid} {names.get(uid, '')!r}" for uid in group[:10])
        more = f" and {len(group) - 10} more" if len(group) > 10 else ""
        problems.append(f"Task UIDs {shown}{more}: their links form a cycle (each waits for "
                        "another); remove one of these links")
    return problems


LIMITS = {"MaxUnits": 999.0, "Units": 99.0, "StandardRate": 9.9e9, "OvertimeRate": 9.9e9,
          "CostPerUse": 9.9e9}


def _number(values: dict[str, str], name: str, where: str, problems: list[str]) -> None:
    text = values.get(name, "")
    if not text:
        return
    try:
        number = float(text)
    except ValueError:
        problems.append(f"{where}: {name} {text!r} is not a number")
        return
    if not number >= 0:
        problems.append(f"{where}: {name} {text!r} is negative")
    elif number > LIMITS[name]:
        problems.append(f"{where}: {name} {text!r} is more than {LIMITS[name]:g}")


def _check_resources(resources: list[dict[str, str]], assignments: list[dict[str, str]],
                     task_uids: set[int]) -> list[str]:
    """The problems of the file's resources and assignments (by their UIDs)."""
    problems: list[str] = []
    known: set[int] = set()
    names: dict[str, int] = {}
    for values in resources:
        raw = values.get("UID", "")
        try:
            uid = int(raw)
        except ValueError:
            problems.append(f"Resource {values.get('Name', '?')!r}: UID {raw!r} is not a "
                            "whole number")
            continue
        where = f"Resource UID {uid}"
        if uid in known:
            problems.append(f"{where}: the UID is used twice")
        known.add(uid)
        name = values.get("Name", "")
        if values.get("IsNull") == "1" or (uid == 0 and not name):
            continue  # MS Project's blank resource
        if not name:
            problems.append(f"{where}: the resource has no name")
        elif name.casefold() in names:
            problems.append(f"{where}: the name {name!r} is also resource UID "
                            f"{names[name.casefold()]}'s")
        else:
            names[name.casefold()] = uid
        if (values.get("Type") or "1") not in RESOURCE_TYPES:
            problems.append(f"{where}: unknown Type {values['Type']!r}")
        for field in ("MaxUnits", "StandardRate", "OvertimeRate", "CostPerUse"):
            _number(values, field, where, problems)
    pairs: set[tuple[int, int]] = set()
    for values in assignments:
        raw = values.get("UID", "")
        where = f"Assignment UID {raw}" if raw.lstrip("-").isdigit() else \
            f"Assignment UID {raw!r} (not a whole number)"
        ends: list[int] = []
        for field, others in (("TaskUID", task_uids), ("ResourceUID", known)):
            text = values.get(field, "")
            try:
                uid = int(text)
            except ValueError:
                problems.append(f"{where}: {field} {text!r} is not a whole number")
                continue
            ends.append(uid)
            # Task UID 0 is the project's summary; resource UID -65535 is "unassigned".
            if uid not in others and not (field == "TaskUID" and uid == 0) and uid >= 0:
                thing = "task" if field == "TaskUID" else "resource"
                problems.append(f"{where}: {field} {uid} is not a {thing} in this file")
        if len(ends) == 2:
            if (ends[0], ends[1]) in pairs and ends[1] >= 0:
                problems.append(f"{where}: resource UID {ends[1]} is on task UID {ends[0]} "
                                "twice")
            pairs.add((ends[0], ends[1]))
        _number(values, "Units", where, problems)
        for field in ("Work", "ActualWork", "RemainingWork"):
            if values.get(field):
                try:
                    minutes = parse_duration(values[field])
                except ValueError:
                    problems.append(f"{where}: {field} {values[field]!r} is not a duration")
                    continue
                if not 0 <= minutes < 5.9e9:  # hours in a DecimalField of 10 digits
                    problems.append(f"{where}: {field} {values[field]!r} is negative or "
                                    "too long")
    return problems


RESOURCE_TYPES = ("0", "1", "2")


def _calendar_rows(calendars: tuple[Any, ...]) -> list[wsp.CalendarRow]:
    rows = []
    for c in calendars:
        week = [None if day is None else [[p.start, p.end] for p in day] for day in c.week]
        exceptions = [{"start": e.start.isoformat(), "finish": e.finish.isoformat(),
                       "periods": [[p.start, p.end] for p in e.periods], "name": e.name,
                       **({"recurrence": wsp.recurrence_json(e.recurrence)}
                          if e.recurrence is not None else {})}
                      for e in c.exceptions]
        rows.append(wsp.CalendarRow(c.uid, c.name or f"Calendar {c.uid}", week, exceptions,
                                    c.base.uid if c.base is not None else None,
                                    work_weeks=[wsp.work_week_json(w) for w in c.work_weeks]))
    return rows


def read_plan_bytes(data: bytes) -> mspdi.MspdiPlan:
    """The plan a file holds, read by its content; :class:`InvalidInput` lists every problem
    found (with task UIDs) and says that nothing was changed."""
    kind = plan_kind(data)
    if kind not in (MSPDI, UNKNOWN):
        try:
            problem = mpxj_problem(kind)
            if problem is not None:
                raise MpxjUnavailable(problem)
            data = convert_to_mspdi(data, kind)
        except mspdi.MspdiError as exc:
            raise InvalidInput(f"The file cannot be imported: {exc}; nothing was changed",
                               {"file": [str(exc)]}) from None
    problems = check_mspdi(data)
    plan: mspdi.MspdiPlan | None = None
    if not problems:
        try:
            plan = mspdi.read_mspdi(data)
        except mspdi.MspdiError as exc:
            problems.append(str(exc))
    if problems or plan is None:
        raise _file_problems(problems)
    return plan


def _file_problems(problems: list[str]) -> InvalidInput:
    return InvalidInput(f"The file cannot be imported: {len(problems)} problem"
                        f"{'s' if len(problems) != 1 else ''} found; nothing was changed",
                        {"file": problems})


def plan_rows(plan: mspdi.MspdiPlan) -> tuple[list[wsp.TaskRow], list[wsp.LinkRow], Units]:
    """The file's tasks and links as plan rows, and its units of time."""
    source = plan.project
    levels: dict[int, int] = {}
    tasks: list[wsp.TaskRow] = []
    calendar_uids = {c.uid for c in source.calendars}
    for task in source.tasks:
        level = 1 if task.parent is None else levels[task.parent] + 1
        levels[task.uid] = level
        extras = plan.extras.get(task.uid)
        tasks.append(wsp.TaskRow(
            uid=task.uid, name=task.name[:255], outline_level=level, duration=task.duration,
            elapsed=task.elapsed, milestone=task.milestone,
            display_unit=task.display_unit.value,
            calendar_uid=task.calendar_uid if task.calendar_uid in calendar_uids else None,
            constraint=task.constraint.value, constraint_date=task.constraint_date,
            deadline=task.deadline, notes=(extras.notes or "")[:10000] if extras else "",
            percent_complete=task.percent_complete, actual_start=task.actual_start,
            actual_finish=task.actual_finish, remaining_duration=task.remaining_duration,
            task_type=MSPDI_TASK_TYPES.get(extras.task_type, "fixed_units")
            if extras and extras.task_type is not None else "fixed_units",
            effort_driven=bool(extras and extras.effort_driven),
            levelling_delay=task.levelling_delay, manual=task.manual,
            manual_start=task.manual_start, manual_finish=task.manual_finish,
            manual_text=task.manual_text, active=task.active,
            actual_duration=task.actual_duration, resume=task.resume,
            ignore_resource_calendar=task.ignore_resource_calendar))
    links = [wsp.LinkRow(ln.predecessor, ln.successor, ln.type.value, float(ln.lag),
                         ln.lag_kind.value) for ln in source.links]
    units = Units(source.settings.minutes_per_day, source.settings.minutes_per_week,
                  source.settings.days_per_month)
    return tasks, links, units


def preview_update(*, actor: User, project: Project, data: bytes) -> file_update.PlanUpdate:
    """What "update from file" would change in the plan, without changing anything."""
    access_project(actor, project.code, "plan.edit")
    plan = read_plan_bytes(data)
    tasks, links, units = plan_rows(plan)
    status = plan.project.status_date
    return file_update.merge(project, tasks, links, status.date() if status else None, units)


@transaction.atomic
def import_mspdi(*, actor: User, project: Project, data: bytes,
                 version: int | None = None, update: bool = False) -> Plan:
    """Replaces the plan by the file's; with its resources and assignments too when the
    importer may manage the project's resources (otherwise those are left as they are).
    With ``update`` the file is merged into the plan as :mod:`.file_update` describes
    (tasks matched by UID, recorded time and actuals kept).  Either way the file's status
    date replaces the plan's.

    The file may be MS Project XML or, read through MPXJ (the ``mpp`` extra and Java), an
    ``.mpp``, ``.mpx`` or Primavera P6 (XER, PMXML) file: the reader is chosen by content."""
    plan = read_plan_bytes(data)
    source = plan.project
    tasks, links, units = plan_rows(plan)
    status = source.status_date.date() if source.status_date is not None else None
    if update:
        merged = file_update.merge(project, tasks, links, status, units)
        tasks, links = merged.tasks, merged.links
    existing = queries.get_plan(project)
    if existing is not None and version is None:
        version = existing.version
    try:
        result = actions.replace_plan(
            actor=actor, project=project, version=version, tasks=tasks, links=links,
            calendars=_calendar_rows(source.calendars), start=source.start,
            calendar_uid=source.calendar_uid, settings=units,
            verb="updated from a plan file" if update else "imported from MS Project",
            keep_rows=update)
    except InvalidInput as exc:
        # The plan's own checks speak of fields of the edit; here the file is what is wrong.
        found = [m for messages in exc.errors.values() for m in messages] or [exc.message]
        raise _file_problems(found) from None
    if result.status_date != status:
        result = actions.set_plan_settings(actor=actor, project=project,
                                           version=result.version,
                                           status_date=status)
    if (plan.resources or plan.assignments) and has_perm(
            actor, project, providers.resources_permission):
        providers.resources_in(actor, project, plan, update)
    return result


MSPDI_TASK_TYPES = {0: "fixed_units", 1: "fixed_duration", 2: "fixed_work"}


def export_mspdi(project: Project, *, costs: bool = True) -> bytes:
    """The plan as MS Project XML; without `costs` the resources carry no rates."""
    plan = queries.get_plan(project)
    if plan is None:
        raise InvalidInput.field("plan", f"{project.code} has no plan to export")
    ws = wsp.load(plan)
    ws.external = []  # other projects' tasks are not part of this file
    engine_project = wsp.to_engine(ws)
    result = wsp.schedule(ws)
    baselines: dict[int, list[mspdi.Baseline]] = {}
    for uid, number, start, finish, duration in BaselineTask.objects.filter(
            baseline__plan=plan).values_list("uid", "baseline__number", "start", "finish",
                                             "duration"):
        baselines.setdefault(uid, []).append(mspdi.Baseline(number, start, finish, duration))
    codes = {v: k for k, v in MSPDI_TASK_TYPES.items()}
    extras = {t.uid: mspdi.TaskExtras(id=k, notes=t.notes or None,
                                      baselines=tuple(baselines.get(t.uid, ())),
                                      task_type=codes.get(t.task_type, 0),
                                      effort_driven=t.effort_driven)
              for k, t in enumerate(ws.tasks, start=1)}
    engine_project = replace(engine_project, critical_threshold=0)
    resources, assignments = providers.resources_out(project, {t.uid for t in ws.tasks},
                                                     costs)
    doc = mspdi.MspdiPlan(engine_project, name=f"{project.code}.xml", title=project.name,
                          extras=extras, resources=resources, assignments=assignments)
    return mspdi.write_mspdi(doc, result)


GRID_HEADERS = ("ID", "UID", "Outline level", "Name", "Duration", "Start", "Finish",
                "Predecessors", "% complete", "Total float (days)", "Critical", "Milestone",
                "Summary", "Constraint", "Constraint date", "Deadline", "Notes")


def grid_rows(project: Project) -> list[list[Any]]:
    view = queries.plan_view(project)
    per_day = view.units.minutes_per_day
    return [[r["id"], r["uid"], r["outline_level"], r["name"], r["duration_text"], r["start"],
             r["finish"], r["predecessors_text"], r["percent_complete"],
             round(r["total_float"] / per_day, 2), "yes" if r["critical"] else "",
             "yes" if r["milestone"] else "", "yes" if r["summary"] else "", r["constraint"],
             r["constraint_date"], r["deadline"], r["notes"]] for r in view.rows]


def export_response(project: Project, fmt: str, *, costs: bool = True) -> HttpResponse:
    if fmt == "mspdi":
        response = HttpResponse(export_mspdi(project, costs=costs),
                                content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{project.code}-plan.xml"'
        return response
    return tabular_response(f"{project.code}-plan", GRID_HEADERS, grid_rows(project), fmt)


def engine_link_types() -> tuple[str, ...]:
    return tuple(t.value for t in net.LinkType)
