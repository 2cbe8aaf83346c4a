"""The weekly grid: a person's lines for a week, prefilled with their assignments and the
non-project time codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.accounts.models import User
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment

from .models import EDITABLE, TimeCode, Timesheet, TimesheetStatus

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
                  .select_related("person").order_by("-week_start", "person__username")[:limit])
    names = dict(PlanTask.objects.filter(plan__project=project).values_list("uid", "name"))
    mine: dict[int, list[tuple[int, str]]] = {}
    for a in Assignment.objects.filter(project=project,
                                       resource__user__in=[s.person_id for s in sheets]
                                       ).select_related("resource"):
        assert a.resource.user_id is not None
        mine.setdefault(a.resource.user_id, []).append(
            (a.pk, f"{a.task_uid} · {names.get(a.task_uid, '')}"))
    return [{"timesheet": s, "assignments": mine.get(s.person_id, []),
             "days": [s.week_start + dt.timedelta(days=d) for d in range(7)]} for s in sheets]
