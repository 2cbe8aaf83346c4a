from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Project

from .models import Action, Risk
from .registers import ACTION_WORKFLOW, RISK_WORKFLOW


def my_open_actions(user: Any) -> QuerySet[Action]:
    return (Action.objects.filter(Q(assignee=user) | Q(owner=user),
                                  status__in=ACTION_WORKFLOW.open_states,
                                  project__in=visible_projects(user))
            .select_related("project", "owner", "assignee")
            .order_by("due_date", "project__code", "number"))


def overdue_actions(user: Any, today: date) -> QuerySet[Action]:
    return (Action.objects.filter(project__in=visible_projects(user), due_date__lt=today,
                                  status__in=ACTION_WORKFLOW.open_states)
            .select_related("project", "owner", "assignee")
            .order_by("due_date", "project__code", "number"))


def open_risks(project: Project) -> QuerySet[Risk]:
    return (Risk.objects.filter(project=project, status__in=RISK_WORKFLOW.open_states)
            .select_related("owner", "project"))


def risk_cells(risks: Iterable[Risk], stage: str) -> dict[tuple[int, int], list[str]]:
    """Where each risk sits on the grid: (probability, impact) → references."""
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in risks:
        p, i = risk.assessment(stage)
        if p is not None and i is not None:
            cells.setdefault((p, i), []).append(risk.reference)
    return cells


def top_risks(risks: Iterable[Risk], n: int = 5) -> list[Risk]:
    return sorted(risks, key=lambda r: (-r.current_score, -r.inherent_score, r.number))[:n]


def risk_burn_down(project: Project, today: date, weeks: int = 12
                   ) -> list[tuple[date, int, int]]:
    """Open inherent and current score totals at the end of each of the last `weeks` weeks,
    counting each risk from the day it was raised until the day it was closed."""
    risks = list(Risk.objects.filter(project=project))
    points = []
    for k in range(weeks, -1, -1):
        day = today - timedelta(days=7 * k)
        live = [r for r in risks if r.raised_on <= day
                and (r.closed_on is None or r.closed_on > day)]
        points.append((day, sum(r.inherent_score for r in live),
                       sum(r.current_score for r in live)))
    return points
