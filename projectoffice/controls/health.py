"""The risks, overdue actions and issues and late dependencies a project's health judges
(portfolio/health.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max
from django.db.models.functions import Coalesce

from projectoffice.engine import health as rule
from projectoffice.portfolio.models import Project

from .models import (
    Action,
    Dependency,
    DependencyType,
    Direction,
    Issue,
    ProjectControls,
    Risk,
    default_risk_scale,
)
from .workflows import ACTION_WORKFLOW, DEPENDENCY_WORKFLOW, ISSUE_WORKFLOW, RISK_WORKFLOW


def _counts(model: Any, states: tuple[str, ...], ids: list[int],
            today: dt.date) -> dict[int, int]:
    return dict(model.objects.filter(project_id__in=ids, status__in=states, due_date__lt=today)
                .values("project_id").annotate(n=Count("id")).values_list("project_id", "n"))


def health_inputs(projects: list[Project], today: dt.date) -> dict[int, dict[str, Any]]:
    ids = [p.pk for p in projects]
    worst_risk = dict(Risk.objects.filter(project_id__in=ids, status__in=RISK_WORKFLOW.open_states)
                      .values("project_id")
                      .annotate(top=Max(Coalesce("residual_score", "inherent_score")))
                      .values_list("project_id", "top"))
    scales = dict(ProjectControls.objects.filter(project_id__in=ids)
                  .values_list("project_id", "risk_scale"))
    actions = _counts(Action, ACTION_WORKFLOW.open_states, ids, today)
    issues = _counts(Issue, ISSUE_WORKFLOW.open_states, ids, today)
    late: dict[int, int] = {}
    for pid, needed, expected in (
            Dependency.objects.filter(project_id__in=ids,
                                      status__in=DEPENDENCY_WORKFLOW.open_states,
                                      dependency_type=DependencyType.INTERNAL,
                                      direction=Direction.INBOUND, needed_by__isnull=False,
                                      other_task__finish__isnull=False)
            .values_list("project_id", "needed_by", "other_task__finish")):
        day = rule.finish_day(expected)
        if day is not None and day > needed:
            late[pid] = late.get(pid, 0) + 1
    return {pid: {"risk_score": worst_risk.get(pid),
                  "risk_scale": scales.get(pid) or default_risk_scale(),
                  "overdue_actions": actions.get(pid, 0), "overdue_issues": issues.get(pid, 0),
                  "late_dependencies": late.get(pid, 0)} for pid in ids}
