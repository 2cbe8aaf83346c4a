"""Reads for one person's week across all their projects: the rows under way that week with
their planned hours, the days of approved absence, each project's part (the per-project
`Timesheet` that its approver decides), the lines of one part for the approver, and the
search behind "add another task".

Every read here takes a fixed number of queries, whatever the number of projects or rows:
plans, tasks, calendars and parts are read for all projects at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from projectoffice.accounts.models import User
from projectoffice.people.queries import absence_shares, absences, absent_days
from projectoffice.planning.models import Plan, PlanCalendar, PlanTask
from projectoffice.portfolio.access import project_permissions, projects_with
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment
from projectoffice.resources.usage import PlanClock, spread

from .models import EDITABLE, TimeCode, Timesheet, TimesheetStatus

ZERO = Decimal(0)
HOURS = Decimal("0.01")
CLOSED = ("completed", "cancelled")
NO_HOURS = ["0"] * 7
# How the person's own absence is named in a refusal ("… is a day of your approved leave").
ABSENCE_WORDS = {"leave": "leave", "training": "training", "travel": "travel",
                 "sickness": "sick leave", "other": "absence", "absent": "absence"}


def day_label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


@dataclass
class TaskInfo:
    project_id: int
    uid: int
    wbs: str
    name: str
    start: dt.date | None
    finish: dt.date | None
    task: PlanTask

    @property
    def label(self) -> str:
        return f"{self.wbs} {self.name}".strip()

    def active(self, first: dt.date, last: dt.date) -> bool:
        return (self.start is not None and self.finish is not None
                and self.start <= last and self.finish >= first)


@dataclass
class Plans:
    """The plans of several projects read at once: tasks with their WBS numbers and a clock
    per plan for spreading planned work over working time."""

    plans: dict[int, Plan] = field(default_factory=dict)  # by project id
    tasks: dict[tuple[int, int], TaskInfo] = field(default_factory=dict)
    calendars: dict[int, list[PlanCalendar]] = field(default_factory=dict)
    clocks: dict[int, PlanClock] = field(default_factory=dict)
    times: dict[Any, Any] = field(default_factory=dict)  # working time shared by the clocks

    def clock(self, project_id: int) -> PlanClock | None:
        plan = self.plans.get(project_id)
        if plan is None or not self.calendars.get(plan.pk):
            return None
        if project_id not in self.clocks:
            self.clocks[project_id] = PlanClock(plan, self.calendars[plan.pk], self.times)
        return self.clocks[project_id]

    def planned(self, a: Assignment, days: list[dt.date]) -> list[Decimal]:
        """The assignment's planned hours on each of ``days`` (the resources usage spread)."""
        info = self.tasks.get((a.project_id, a.task_uid))
        clock = self.clock(a.project_id)
        if info is None or clock is None or not info.active(days[0], days[-1]):
            return [ZERO] * len(days)
        by_day = spread(a, info.task, clock)
        return [by_day.get(d, ZERO).quantize(HOURS) for d in days]


def read_plans(project_ids: Iterable[int], uids: Iterable[int]) -> Plans:
    """Four queries for any number of projects: plans, their outlines, the tasks whose
    ``uids`` are asked for (in full: spreading work reads their dates and calendars) and the
    calendars. The outline gives every task's WBS number but is read without the dates,
    whose decoding was most of a week page's time."""
    ids = list(dict.fromkeys(project_ids))
    out = Plans()
    if not ids:
        return out
    for plan in Plan.objects.filter(project_id__in=ids):
        out.plans[plan.project_id] = plan
    by_plan = {p.pk: pid for pid, p in out.plans.items()}
    counters: dict[int, list[int]] = defaultdict(list)
    wbs: dict[tuple[int, int], str] = {}
    for plan_id, uid, outline_level in PlanTask.objects.filter(
            plan_id__in=list(by_plan)).order_by("plan_id", "position").values_list(
            "plan_id", "uid", "outline_level"):
        # The WBS number from the outline: 1, 1.1, 1.2, 2 …
        numbers = counters[plan_id]
        level = max(outline_level, 1)
        del numbers[level:]
        while len(numbers) < level:
            numbers.append(0)
        numbers[level - 1] += 1
        wbs[(plan_id, uid)] = ".".join(str(n) for n in numbers)
    for task in PlanTask.objects.filter(plan_id__in=list(by_plan), uid__in=set(uids)):
        project_id = by_plan[task.plan_id]
        out.tasks[(project_id, task.uid)] = TaskInfo(
            project_id, task.uid, wbs[(task.plan_id, task.uid)], task.name,
            task.start.date() if task.start else None,
            task.finish.date() if task.finish else None, task)
    for calendar in PlanCalendar.objects.filter(plan_id__in=list(by_plan)):
        out.calendars.setdefault(calendar.plan_id, []).append(calendar)
    return out


# ---- absences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AbsentDay:
    label: str  # as the viewer may see it: sickness is "Absent" to others
    kind: str
    whole: bool  # a half-day absence leaves the other half to book

    def refusal(self, day: dt.date) -> str:
        word = ABSENCE_WORDS.get(self.kind, "absence")
        return f"{day_label(day)} is a day of your approved {word}"


def absent_week(person: User, days: list[dt.date], viewer: Any) -> list[AbsentDay | None]:
    """Each day of the week the person is away on approved absence, named as ``viewer`` may
    see it.  The days come from the people app's `absent_days` (approved absences only);
    `absences` names them with the viewer's privacy rules, `absence_shares` tells a half
    day."""
    first, last = days[0], days[-1]
    away = absent_days([person.pk], first, last)[person.pk]
    if not away:
        return [None] * len(days)
    shares = absence_shares([person.pk], first, last).get(person.pk, {})
    views = absences(viewer, person=person, start=first, end=last)
    out: list[AbsentDay | None] = []
    for day in days:
        if day not in away:
            out.append(None)
            continue
        covering = [v for v in views if v.absence.start <= day <= v.absence.end]
        view = next((v for v in covering if not v.absence.half_day), None) or next(
            iter(covering), None)
        whole = shares.get(day, Decimal(1)) >= 1
        label = view.label if view else "Absent"
        out.append(AbsentDay(label + ("" if whole else " (half day)"),
                             view.kind if view else "absent", whole))
    return out


# ---- the person's week --------------------------------------------------------------------------


def _line_key(assignment_id: int | None, code: str, project_id: int, overtime: bool
              ) -> tuple[Any, ...]:
    return (assignment_id, code, project_id if assignment_id is None else 0, overtime)


def timesheet_projects(person: User) -> list[Project]:
    """Open projects where the person may enter time and is a resource (or has a part)."""
    ids = set(Assignment.objects.filter(resource__user=person).values_list("project_id",
                                                                           flat=True))
    projects = Project.objects.filter(pk__in=ids).exclude(status__in=CLOSED).order_by("code")
    return [p for p in projects if "timesheet.enter" in project_permissions(person, p)]


def person_week(person: User, week_start: dt.date, viewer: Any | None = None,
                extra: Iterable[str] = ()) -> dict[str, Any]:
    """The week page and ``GET /timesheets/me/{week}``: the person's parts and rows.

    Rows are the person's assignments whose task is under way in the week (across every
    project where they enter time), the lines already saved (an assignment added from
    outside the week, overtime, a time code), and the three time codes on the person's main
    project of the week when not saved yet.  ``extra`` adds rows by key (``a12`` an assignment,
    ``a12o`` its overtime, ``cleave-CODE`` a time code on a project): rows the person added
    before saving, or sent back with a refusal."""
    viewer = viewer or person
    days = [week_start + dt.timedelta(days=d) for d in range(7)]
    projects = {p.pk: p for p in timesheet_projects(person)}
    sheets = {s.project_id: s for s in Timesheet.objects.filter(
        person=person, week_start=week_start).select_related("project", "decided_by")
        .prefetch_related("lines")}
    for sheet in sheets.values():
        projects.setdefault(sheet.project_id, sheet.project)
    assignments = {a.pk: a for a in Assignment.objects.filter(
        resource__user=person, project_id__in=list(projects))}
    plans = read_plans(projects, {a.task_uid for a in assignments.values()})
    saved: dict[tuple[Any, ...], Any] = {}
    for sheet in sheets.values():
        for line in sheet.lines.all():
            saved[_line_key(line.assignment_id, line.time_code, sheet.project_id,
                            line.overtime)] = line
    absent = absent_week(person, days, viewer)
    rows: list[dict[str, Any]] = []
    planned_by_project: dict[int, Decimal] = defaultdict(lambda: ZERO)

    def task_row(a: Assignment, overtime: bool) -> dict[str, Any]:
        info = plans.tasks.get((a.project_id, a.task_uid))
        planned = [ZERO] * 7 if overtime else _not_away(plans.planned(a, days), absent)
        planned_by_project[a.project_id] += sum(planned, ZERO)
        line = saved.pop(_line_key(a.pk, "", 0, overtime), None)
        return {"key": f"a{a.pk}{'o' if overtime else ''}", "assignment_id": a.pk,
                "time_code": "", "overtime": overtime, "project": projects[a.project_id].code,
                "project_id": a.project_id, "task_uid": a.task_uid,
                "wbs": info.wbs if info else "", "label": (info.name if info else
                                                           f"Task {a.task_uid}")
                + (" · overtime" if overtime else ""),
                "start": info.start if info else None, "finish": info.finish if info else None,
                "active": bool(info and info.active(days[0], days[-1])), "planned": planned,
                "hours": list(line.hours) if line else NO_HOURS,
                "note": line.note if line else ""}

    for key in extra:
        if key.startswith("a") and key.rstrip("o")[1:].isdigit():
            pk, overtime = int(key.rstrip("o")[1:]), key.endswith("o")
            if pk in assignments and _line_key(pk, "", 0, overtime) not in saved:
                saved[_line_key(pk, "", 0, overtime)] = None
        elif key.startswith("c") and "-" in key:
            code, project_code = key[1:].split("-", 1)
            pid = next((p.pk for p in projects.values() if p.code == project_code), None)
            if code in TimeCode.values and pid is not None:
                saved.setdefault(_line_key(None, code, pid, False), None)
    active = [a for a in assignments.values()
              if (info := plans.tasks.get((a.project_id, a.task_uid))) is not None
              and info.active(days[0], days[-1]) and a.project_id in projects
              and projects[a.project_id].status not in CLOSED]
    added = [assignments[k[0]] for k in saved if k[0] is not None and k[0] in assignments
             and not k[3]]
    for a in sorted({a.pk: a for a in active + added}.values(), key=lambda a: (
            projects[a.project_id].code, _wbs_sort(plans, a))):
        rows.append(task_row(a, False))
    for ot_key in sorted((k for k in saved if k[0] is not None and k[3]),
                         key=lambda k: k[0] or 0):
        extra_a = assignments.get(ot_key[0] or 0)
        if extra_a is not None:
            rows.append(task_row(extra_a, True))
    def open_part(pid: int) -> bool:
        return pid not in sheets or sheets[pid].status in EDITABLE

    # Time codes go by default to the open part with most planned hours this week.
    main = max(projects, key=lambda pid: (open_part(pid), planned_by_project.get(pid, ZERO),
                                          -pid), default=None)
    coded = [(k, line) for k, line in saved.items() if k[0] is None]
    shown_codes = {k[1] for k, _ in coded}
    for code in TimeCode:
        if code.value not in shown_codes and main is not None:
            coded.append((_line_key(None, code.value, main, False), None))
    for (_, code, project_id, _), line in sorted(coded, key=lambda kv: (
            list(TimeCode.values).index(kv[0][1]), projects[kv[0][2]].code)):
        rows.append({"key": f"c{code}-{projects[project_id].code}", "assignment_id": None,
                     "time_code": code, "overtime": False, "project": projects[project_id].code,
                     "project_id": project_id, "task_uid": None, "wbs": "",
                     "label": TimeCode(code).label, "start": None, "finish": None,
                     "active": True, "planned": [ZERO] * 7,
                     "hours": list(line.hours) if line else NO_HOURS,
                     "note": line.note if line else ""})
    parts: list[dict[str, Any]] = []
    for pid, project in sorted(projects.items(), key=lambda kv: kv[1].code):
        part = sheets.get(pid)
        hours = sum((Decimal(h) for r in rows if r["project_id"] == pid for h in r["hours"]),
                    ZERO)
        parts.append({"project": project, "code": project.code, "timesheet": part,
                      "id": part.pk if part else None,
                      "status": part.status if part else "",
                      "status_label": part.get_status_display() if part else "Not saved",
                      "version": part.version if part else None,
                      "editable": part is None or part.status in EDITABLE,
                      "comment": part.comment if part else "",
                      "decided_by": part.decided_by if part else None, "hours": hours})
    editable = {p["project"].pk: p["editable"] for p in parts}
    for row in rows:
        row["editable"] = editable.get(row["project_id"], True)
    totals = [sum((Decimal(r["hours"][d]) for r in rows), ZERO) for d in range(7)]
    planned_totals = [sum((r["planned"][d] for r in rows), ZERO) for d in range(7)]
    return {"person": person, "week_start": week_start, "days": days, "rows": rows,
            "parts": parts, "absent": absent, "totals": totals, "total": sum(totals, ZERO),
            "planned_totals": planned_totals, "planned_total": sum(planned_totals, ZERO),
            "projects": sorted(projects.values(), key=lambda p: p.code),
            "main_project": projects[main].code if main is not None else "",
            "submittable": any(p["editable"] and p["hours"] for p in parts),
            "previous": week_start - dt.timedelta(days=7),
            "next": week_start + dt.timedelta(days=7)}


def _not_away(planned: list[Decimal], absent: list[AbsentDay | None]) -> list[Decimal]:
    """No work is planned on a whole day away: the resource calendar is the plan calendar
    less the person's absences (as in the resources usage)."""
    return [ZERO if away is not None and away.whole else p
            for p, away in zip(planned, absent, strict=True)]


def _wbs_sort(plans: Plans, a: Assignment) -> tuple[int, ...]:
    info = plans.tasks.get((a.project_id, a.task_uid))
    return tuple(int(n) for n in info.wbs.split(".")) if info else (10**6, a.task_uid)


def find_assignments(person: User, week_start: dt.date, q: str, limit: int = 20
                     ) -> list[dict[str, Any]]:
    """The person's assignments matching ``q`` (project code, task name or WBS number), for
    adding a task outside the week to the grid; at most ``limit``."""
    projects = {p.pk: p for p in timesheet_projects(person)}
    mine = list(Assignment.objects.filter(resource__user=person, project_id__in=list(projects)))
    plans = read_plans(projects, {a.task_uid for a in mine})
    days = [week_start + dt.timedelta(days=d) for d in range(7)]
    words = q.lower().split()
    found = []
    for a in mine:
        info = plans.tasks.get((a.project_id, a.task_uid))
        if info is None or info.task.summary:
            continue
        text = f"{projects[a.project_id].code} {info.wbs} {info.name}".lower()
        if all(w in text for w in words):
            found.append({"assignment_id": a.pk, "project": projects[a.project_id].code,
                          "task_uid": a.task_uid, "wbs": info.wbs, "label": info.name,
                          "start": info.start, "finish": info.finish,
                          "active": info.active(days[0], days[-1]),
                          "planned": plans.planned(a, days), "sort": _wbs_sort(plans, a)})
    found.sort(key=lambda f: (not f["active"], f["project"], f["sort"]))
    return found[:limit]


# ---- one part, for its approver -----------------------------------------------------------------


def part_lines(sheet: Timesheet, viewer: Any) -> dict[str, Any]:
    """What the approver checks before deciding a part: each line's task (WBS and name) or
    time code, its hours and planned hours per day, its note; the person's absent days (as
    the approver may see them) and the totals.  ``sheet.version`` is the version the
    approver sends with the decision."""
    days = [sheet.week_start + dt.timedelta(days=d) for d in range(7)]
    lines = list(sheet.lines.select_related("assignment"))
    plans = read_plans([sheet.project_id], {line.assignment.task_uid for line in lines
                                            if line.assignment is not None})
    absent = absent_week(sheet.person, days, viewer)
    out: list[dict[str, Any]] = []
    for line in lines:
        a = line.assignment
        info = plans.tasks.get((sheet.project_id, a.task_uid)) if a else None
        planned = _not_away(plans.planned(a, days), absent) if a and not line.overtime \
            else [ZERO] * 7
        hours = line.day_hours()
        out.append({
            "id": line.pk, "assignment_id": line.assignment_id, "time_code": line.time_code,
            "task_uid": a.task_uid if a else None, "wbs": info.wbs if info else "",
            "label": (info.name if info else f"Task {a.task_uid}") if a
            else TimeCode(line.time_code).label, "overtime": line.overtime,
            "note": line.note, "hours": hours, "planned": planned,
            "total": sum(hours, ZERO), "planned_total": sum(planned, ZERO),
            "days": [{"date": d, "hours": h, "planned": p}
                     for d, h, p in zip(days, hours, planned, strict=True)]})
    totals = [sum((line["hours"][d] for line in out), ZERO) for d in range(7)]
    return {"timesheet": sheet, "project": sheet.project, "person": sheet.person,
            "days": days, "lines": out, "totals": totals, "total": sum(totals, ZERO),
            "planned_total": sum((line["planned_total"] for line in out), ZERO),
            "absent": absent, "decidable": sheet.status == TimesheetStatus.SUBMITTED}


def parts_awaiting(user: Any) -> QuerySet[Timesheet]:
    """Submitted parts on every project whose time the user approves, oldest week first,
    never the user's own, with their lines (for the inbox's totals)."""
    return (Timesheet.objects.filter(project__in=projects_with(user, "timesheet.approve"),
                                     status=TimesheetStatus.SUBMITTED)
            .exclude(person=user).select_related("person", "project")
            .prefetch_related("lines").order_by("week_start", "pk"))


def parts_to_approve(user: Any, projects: Iterable[Project]) -> list[Timesheet]:
    """Submitted parts on the given projects (those whose time the user approves)."""
    ids = [p.pk for p in projects]
    return list(Timesheet.objects.filter(project_id__in=ids, status=TimesheetStatus.SUBMITTED)
                .select_related("person", "project").order_by("week_start", "project__code",
                                                              "person__username"))

