"""Reads shared by pages, API and the time and money apps: rates on a day, planned costs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projectoffice.planning.models import PlanTask, TaskType
from projectoffice.portfolio.models import Project

from .models import Assignment, Rate, Resource

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


@dataclass
class AssignmentRow:
    assignment: Assignment
    task_name: str
    cost: Decimal
    task_type: str = ""
    effort_driven: bool = False


def resources_view(project: Project) -> dict[str, Any]:
    resources = list(Resource.objects.filter(project=project).select_related("user")
                     .prefetch_related("rates"))
    tasks = {t.uid: t for t in PlanTask.objects.filter(plan__project=project)
             .select_related("plan")}
    rows = []
    for a in Assignment.objects.filter(project=project).select_related("resource"):
        task = tasks.get(a.task_uid)
        start = task.start.date() if task and task.start else None
        rows.append(AssignmentRow(a, task.name if task else f"(task {a.task_uid} removed)",
                                  planned_cost(a, list(a.resource.rates.all()), start),
                                  task.get_task_type_display() if task else "",
                                  bool(task and task.effort_driven)))
    leaf_tasks = [t for t in tasks.values() if not t.summary]
    leaf_tasks.sort(key=lambda t: t.position)
    return {"resources": resources, "assignments": rows, "tasks": leaf_tasks,
            "task_types": TaskType.choices,
            "plan_version": next((t.plan.version for t in leaf_tasks), None),
            "total": sum((r.cost for r in rows), ZERO)}
