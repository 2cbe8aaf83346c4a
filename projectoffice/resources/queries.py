"""Reads shared by pages, API and the time and money apps: rates on a day, planned costs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projectoffice.people.queries import absent_days
from projectoffice.planning.models import PlanTask, TaskType
from projectoffice.portfolio.models import Project

from .models import Assignment, Rate, Resource, ResourceKind

ZERO = Decimal(0)


def rate_on(rates: list[Rate], day: dt.date) -> Rate | None:
    """The rate in force on ``day``: the latest whose effective date is not after it."""
    found = None
    for rate in sorted(rates, key=lambda r: r.effective_from):
        if rate.effective_from <= day:
            found = rate
    return found


def planned_cost(assignment: Assignment, rates: list[Rate], day: dt.date | None) -> Decimal:
    """Work × standard rate plus the cost per use, at the rate in force on ``day`` (the
    task's baseline or scheduled start; the first rate when there is no date)."""
    if not rates:
        return ZERO
    rate = rate_on(rates, day) if day else None
    rate = rate or sorted(rates, key=lambda r: r.effective_from)[0]
    return (assignment.work * rate.standard + rate.cost_per_use).quantize(Decimal("0.01"))


def task_costs(project: Project) -> dict[int, Decimal]:
    """Planned cost of each plan task's assignments (work × the rate in force at the task's
    scheduled start, plus cost per use), by task UID; tasks without assignments are left out."""
    starts = dict(PlanTask.objects.filter(plan__project=project).values_list("uid", "start"))
    costs: dict[int, Decimal] = {}
    for a in Assignment.objects.filter(project=project).prefetch_related("resource__rates"):
        if a.task_uid not in starts:
            continue
        start = starts[a.task_uid]
        costs[a.task_uid] = costs.get(a.task_uid, ZERO) + planned_cost(
            a, list(a.resource.rates.all()), start.date() if start else None)
    return costs


@dataclass
class AssignmentRow:
    assignment: Assignment
    task_name: str
    cost: Decimal
    task_type: str = ""
    effort_driven: bool = False


ABSENCE_WINDOW_DAYS = 28


def day_ranges(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days folded into (first, last) ranges, in date order."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if ranges and (day - ranges[-1][1]).days == 1:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def resource_absences(resources: list[Resource], start: dt.date,
                      days: int = ABSENCE_WINDOW_DAYS) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """Working days (Monday to Friday) on which person resources linked to a user are absent
    from `start` for `days` days, as ranges per resource id — from the people app's
    absence calendar."""
    linked = [r for r in resources if r.user_id is not None]
    away = absent_days([r.user_id for r in linked if r.user_id is not None], start,
                       start + dt.timedelta(days=days - 1))
    return {r.pk: day_ranges({d for d in away.get(r.user_id or 0, set()) if d.weekday() < 5})
            for r in linked}


def with_skill(resources: Iterable[Resource], skill: str) -> list[Resource]:
    """The resources one of whose skills (a person's from their profile) contains
    ``skill``, ignoring case; all of them for an empty ``skill``."""
    return [r for r in resources if r.has_skill(skill)]


def project_skills(resources: Iterable[Resource]) -> list[str]:
    """Every skill of the given resources, once, sorted."""
    found: dict[str, str] = {}
    for r in resources:
        for skill in r.skill_list:
            found.setdefault(skill.casefold(), skill)
    return sorted(found.values(), key=str.casefold)


def resources_view(project: Project, today: dt.date | None = None,
                   skill: str = "") -> dict[str, Any]:
    """The resources page: resources (only those with ``skill`` when given), assignments
    with planned cost, leaf tasks and the skills of all the project's resources."""
    every = list(Resource.objects.filter(project=project).select_related("user__profile")
                 .prefetch_related("rates"))
    resources = with_skill(every, skill)
    if today is not None:
        away = resource_absences(resources, today)
        for resource in resources:
            resource.away = away.get(resource.pk, [])  # type: ignore[attr-defined]
    tasks = {t.uid: t for t in PlanTask.objects.filter(plan__project=project)
             .select_related("plan")}
    rows = []
    rates_of = {r.pk: list(r.rates.all()) for r in every}  # read once, not per assignment
    for a in Assignment.objects.filter(project=project).select_related("resource"):
        task = tasks.get(a.task_uid)
        start = task.start.date() if task and task.start else None
        rates = rates_of.get(a.resource_id)
        rows.append(AssignmentRow(a, task.name if task else f"(task {a.task_uid} removed)",
                                  planned_cost(a, list(a.resource.rates.all()) if rates is None
                                               else rates, start),
                                  task.get_task_type_display() if task else "",
                                  bool(task and task.effort_driven)))
    leaf_tasks = [t for t in tasks.values() if not t.summary]
    leaf_tasks.sort(key=lambda t: t.position)
    return {"resources": resources, "assignments": rows, "tasks": leaf_tasks,
            "task_types": TaskType.choices,
            "plan_version": next((t.plan.version for t in leaf_tasks), None),
            "total": sum((r.cost for r in rows), ZERO), "absence_from": today,
            "absence_window": ABSENCE_WINDOW_DAYS, "skill": skill.strip(),
            "skills": project_skills(every), "all_resources": every,
            "skill_editable": [r for r in every if r.kind in (ResourceKind.PERSON,
                                                              ResourceKind.WORK)
                               and r.user_id is None]}
