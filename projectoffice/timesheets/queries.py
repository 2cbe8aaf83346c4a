"""The weekly grid: a person's lines for a week, prefilled with their assignments and the
non-project time codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from projectoffice.accounts.models import User
from projectoffice.audit.kept import digest, kept
from projectoffice.finance import memo
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment, Resource

from .models import EDITABLE, TimeCode, TimeLine, Timesheet, TimesheetStatus

ZERO = ["0"] * 7


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_grid(project: Project, person: User, week_start: dt.date) -> dict[str, Any]:
    sheet = (Timesheet.objects.filter(project=project, person=person, week_start=week_start)
             .prefetch_related("lines", "adjustments").first())
    saved = {(line.assignment_id, line.time_code, line.overtime): line.hours
             for line in (sheet.lines.all() if sheet else [])}
    names = dict(PlanTask.objects.filter(plan__project=project).values_list("uid", "name"))
    rows: list[dict[str, Any]] = []
    assignments = list(Assignment.objects.filter(project=project, resource__user=person))
    for a in assignments:
        rows.append({"assignment_id": a.pk, "time_code": "", "task_uid": a.task_uid,
                     "label": names.get(a.task_uid, f"Task {a.task_uid}"), "overtime": False,
                     "hours": saved.get((a.pk, "", False), ZERO)})
    for code in TimeCode:
        rows.append({"assignment_id": None, "time_code": code.value, "task_uid": None,
                     "label": code.label, "overtime": False,
                     "hours": saved.get((None, code.value, False), ZERO)})
    # Overtime on each assignment, costed at the overtime rate, after the regular lines.
    for a in assignments:
        rows.append({"assignment_id": a.pk, "time_code": "", "task_uid": a.task_uid,
                     "label": f"{names.get(a.task_uid, f'Task {a.task_uid}')} · overtime",
                     "overtime": True, "hours": saved.get((a.pk, "", True), ZERO)})
    days = [week_start + dt.timedelta(days=d) for d in range(7)]
    totals = [sum((Decimal(r["hours"][d]) for r in rows), Decimal(0)) for d in range(7)]
    return {
        "timesheet": sheet, "week_start": week_start, "days": days, "rows": rows,
        "totals": totals, "total": sum(totals, Decimal(0)),
        "status": sheet.status if sheet else TimesheetStatus.DRAFT,
        "editable": sheet is None or sheet.status in EDITABLE,
        "version": sheet.version if sheet else None,
        "comment": sheet.comment if sheet else "",
        "previous": week_start - dt.timedelta(days=7), "next": week_start + dt.timedelta(days=7),
    }


def to_approve(project: Project) -> list[dict[str, Any]]:
    out = []
    for sheet in (Timesheet.objects.filter(project=project, status=TimesheetStatus.SUBMITTED)
                  .select_related("person").prefetch_related("lines")):
        hours = sum((Decimal(h) for line in sheet.lines.all() for h in line.hours), Decimal(0))
        out.append({"timesheet": sheet, "hours": hours})
    return out


def recently_approved(project: Project, limit: int = 10) -> list[dict[str, Any]]:
    """Locked weeks the project manager may still correct by adjustment."""
    sheets = list(Timesheet.objects.filter(project=project, status=TimesheetStatus.APPROVED)
                  .select_related("person").prefetch_related("adjustments")
                  .order_by("-week_start", "person__username")[:limit])
    names = dict(PlanTask.objects.filter(plan__project=project).values_list("uid", "name"))
    mine: dict[int, list[tuple[int, str]]] = {}
    for a in Assignment.objects.filter(project=project,
                                       resource__user__in=[s.person_id for s in sheets]
                                       ).select_related("resource"):
        assert a.resource.user_id is not None
        mine.setdefault(a.resource.user_id, []).append(
            (a.pk, f"{a.task_uid} · {names.get(a.task_uid, '')}"))
    tasks = {pk: label for labels in mine.values() for pk, label in labels}
    return [{"timesheet": s, "assignments": mine.get(s.person_id, []),
             "days": [s.week_start + dt.timedelta(days=d) for d in range(7)],
             "adjustments": [(a, tasks.get(a.assignment_id, "")) for a in
                             sorted(s.adjustments.all(), key=lambda a: (a.date, a.pk))]}
            for s in sheets]


STATE_ORDER = {"missing": 0, "rejected": 1, "draft": 2, "submitted": 3, "approved": 4}


@dataclass(frozen=True)
class Person:
    """Who a row of the status is: as the page names them and links to them."""

    pk: int
    username: str
    name: str

    def __str__(self) -> str:
        return self.name


def submission_status(projects: list[Project], weeks: list[dt.date]) -> dict[str, Any]:
    """``people_weeks``, kept in the cache under everything it reads: the data version of
    each of the projects (their assignments, plans and timesheets are written through the
    actions, each recording the change against its project) and every person's name and
    whether they can sign in (not a change to a project). A key that any such change
    replaces, so what is kept is never stale; at a thousand projects the work is some
    hundreds of milliseconds, the kept answer a few tens."""
    people = digest(list(User.objects.order_by("pk").values_list(
        "pk", "is_active", "username", "display_name", "first_name", "last_name")))
    return kept("timesheet-status", ([w.isoformat() for w in weeks], people),
                lambda: people_weeks(projects, weeks), projects=[p.pk for p in projects])


def people_weeks(projects: list[Project], weeks: list[dt.date]) -> dict[str, Any]:
    """People × weeks across ``projects``: per cell the state of each project's sheet
    (draft, submitted, approved, rejected, or missing where the person had an assignment under
    way that week) and the worst of them.  A fixed number of queries, whatever the size; the
    database keeps to the assignments and tasks that can be under way in the weeks shown (a
    portfolio's plans hold some 200,000 tasks, a few weeks of which are a small part)."""
    codes = {p.pk: p.code for p in projects}
    if not codes:
        return {"weeks": weeks, "rows": [], "counts": dict.fromkeys(STATE_ORDER, 0)}
    # A task can be under way in the weeks shown when it has no dates or they meet the weeks
    # (with two days' margin for time zones); an assignment on a task that is not in the
    # plan counts as under way every week.
    under_way = kept_under_way(projects, weeks)
    # Who each resource is: read now, as linking a resource to a sign-in or switching a
    # person off is not a change to a project's data (it does not change its version).
    person_of = dict(Resource.objects.filter(
        pk__in={resource for spans in under_way.values() for resource, _, _ in spans},
        user__isnull=False, user__is_active=True).values_list("pk", "user_id"))
    assigned = {(person_of[resource], project_id, first, last)
                for project_id, spans in under_way.items()
                for resource, first, last in spans if resource in person_of}
    expected: set[tuple[int, int, dt.date]] = set()
    people: dict[int, Any] = {}
    candidates: dict[tuple[int, dt.date], set[int]] = {}  # (person, week) → projects
    ends = [(week, week + dt.timedelta(days=6)) for week in weeks]
    for user_id, project_id, first, last in assigned:
        people[user_id] = None
        for week, end in ends:
            if first is None or last is None or (first <= end and last >= week):
                expected.add((user_id, project_id, week))
                candidates.setdefault((user_id, week), set()).add(project_id)
    states: dict[tuple[int, int, dt.date], str] = {}
    ids: dict[tuple[int, int, dt.date], int] = {}
    for pk, person_id, project_id, week_start, status in Timesheet.objects.filter(
            project__in=list(codes), week_start__in=weeks).order_by().values_list(
            "pk", "person_id", "project_id", "week_start", "status"):
        people[person_id] = None
        states[(person_id, project_id, week_start)] = status
        ids[(person_id, project_id, week_start)] = pk
        candidates.setdefault((person_id, week_start), set()).add(project_id)
    for user in User.objects.filter(pk__in=list(people)).only(
            "username", "display_name", "first_name", "last_name"):
        people[user.pk] = (user.get_full_name() or user.username, user.username,
                           Person(user.pk, user.username, str(user)))
    rows = []
    counts = dict.fromkeys(STATE_ORDER, 0)
    for pk, (_, _, person) in sorted(people.items(), key=lambda kv: kv[1][:2]):
        cells = []
        for week in weeks:
            entries: list[dict[str, Any]] = []
            for project_id in sorted(candidates.get((pk, week), ()), key=codes.__getitem__):
                key = (pk, project_id, week)
                state = states.get(key)
                if state is None and key in expected:
                    state = "missing"
                if state is not None:
                    entries.append({"project": codes[project_id], "state": state,
                                    "id": ids.get(key)})
                    counts[state] += 1
            worst = min((e["state"] for e in entries), key=STATE_ORDER.__getitem__,
                        default="")
            cells.append({"week": week, "state": worst, "projects": entries})
        rows.append({"person": person, "cells": cells})
    return {"weeks": weeks, "rows": rows, "counts": counts}


Span = tuple[int, dt.date | None, dt.date | None]  # a resource, its task's first and last day
DEFAULT_WEEKS = 6  # the status page's weeks, up to last week's


def kept_under_way(projects: list[Project], weeks: list[dt.date]) -> dict[int, list[Span]]:
    """``_under_way`` for the weeks shown (with two days' margin for time zones), kept per
    project under its data version (finance/memo.py)."""
    low = min(weeks) - dt.timedelta(days=2)
    high = max(weeks) + dt.timedelta(days=9)
    return memo.memoised(
        "ts-under-way", f"{low:%Y%m%d}-{high:%Y%m%d}", projects,
        lambda missing: _under_way(missing, low, high), _spans_to_json, _spans_from_json)


def warm_under_way(today: dt.date) -> None:
    """Keeps what the status page reads by default (the six weeks up to last week's) for
    every project, so that its first reader after a change does not wait."""
    kept_under_way(list(Project.objects.order_by("pk")),
                   recent_weeks(today - dt.timedelta(days=7), DEFAULT_WEEKS))


def _under_way(projects: list[Project], low: dt.date,
               high: dt.date) -> dict[int, list[Span]]:
    """Each project's (resource, first day, last day) of the assignments whose task can be under
    way between ``low`` and ``high``: a task with no dates or whose dates meet them (an
    assignment on a task that is not in the plan counts as under way every week)."""
    after = dt.datetime.combine(low, dt.time.min, dt.UTC)
    before = dt.datetime.combine(high, dt.time.min, dt.UTC)
    maybe = Q(start__isnull=True) | Q(finish__isnull=True) | Q(start__lt=before,
                                                              finish__gte=after)
    assignments = Assignment.objects.filter(project__in=[p.pk for p in projects])
    tasks = PlanTask.objects.filter(plan__project_id=OuterRef("project_id"),
                                    uid=OuterRef("task_uid"))
    out: dict[int, set[Span]] = {p.pk: set() for p in projects}
    for resource, project_id, start, finish in assignments.exclude(
            Exists(tasks.exclude(maybe))).annotate(
            task_start=Subquery(tasks.values("start")[:1]),
            task_finish=Subquery(tasks.values("finish")[:1])).order_by().values_list(
            "resource_id", "project_id", "task_start", "task_finish"):
        # Many assignments share their tasks' dates: one span each.
        out[project_id].add((resource, start.date() if start else None,
                             finish.date() if finish else None))
    return {pk: sorted(spans, key=lambda s: (s[0], str(s[1]), str(s[2])))
            for pk, spans in out.items()}


def _spans_to_json(spans: list[Span]) -> list[list[Any]]:
    return [[resource, first.isoformat() if first else None, last.isoformat() if last else None]
            for resource, first, last in spans]


def _spans_from_json(data: list[list[Any]]) -> list[Span]:
    day = dt.date.fromisoformat
    return [(resource, day(first) if first else None, day(last) if last else None)
            for resource, first, last in data]


def recent_weeks(until: dt.date, count: int) -> list[dt.date]:
    last = monday_of(until)
    return [last - dt.timedelta(days=7 * n) for n in range(count - 1, -1, -1)]


def booked_task_uids(project: Project) -> set[int]:
    """The tasks someone has booked time on (their assignments have timesheet lines)."""
    return set(TimeLine.objects.filter(assignment__project=project)
               .values_list("assignment__task_uid", flat=True).distinct())
