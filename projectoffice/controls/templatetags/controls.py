from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from projectoffice.controls import charts, queries
from projectoffice.controls.actions import ASSESSABLE_STATES, EDITABLE_CHANGE_STATES
from projectoffice.controls.guards import above_threshold, approval_thresholds
from projectoffice.controls.models import risk_scale, score_band
from projectoffice.finance.actions import current_budget
from projectoffice.finance.models import BudgetVersion, CostCategory
from projectoffice.planning.models import Plan, PlanTask

register = template.Library()


@register.inclusion_tag("controls/_heat_maps.html")
def risk_heat_maps(project: Any) -> dict[str, Any]:
    risks = list(queries.open_risks(project))
    scale = risk_scale(project)
    return {
        "project": project, "count": len(risks),
        "inherent": charts.heat_map_svg(queries.risk_cells(risks, "inherent"), scale,
                                        "Inherent (before response)"),
        "residual": charts.heat_map_svg(queries.risk_cells(risks, "residual"), scale,
                                        "Residual (after response)"),
    }


@register.simple_tag
def risk_burn_down(project: Any) -> Any:
    return charts.burn_down_svg(queries.risk_burn_down(project, timezone.localdate()),
                                "Open risk exposure, last 12 weeks")


@register.filter
def band(score: int | None, scale: int | None = None) -> str:
    return score_band(score, scale)


@register.simple_tag
def change_thresholds(change: Any) -> dict[str, Any]:
    cost, days = approval_thresholds(change.project)
    return {"cost": cost, "days": days, "reasons": above_threshold(change)}


@register.simple_tag
def change_panel(change: Any, perms: Any = ()) -> dict[str, Any]:
    """What the change request page shows of its plan edits and impact; budget amounts only
    to those who may see costs (``perms``, the reader's project permissions)."""
    plan = Plan.objects.filter(project_id=change.project_id).first()
    tasks = list(PlanTask.objects.filter(plan=plan).order_by("position").values(
        "uid", "position", "name", "milestone", "summary")) if plan else []
    impact = change.impact or {}
    stale = (change.assessed_plan_version is not None and plan is not None
             and plan.version != change.assessed_plan_version)
    milestones = [dict(m, before=_moment(m.get("before")), after=_moment(m.get("after")))
                  for m in impact.get("milestones", [])]

    budget = current_budget(change.project)
    assessed_budget = impact.get("budget_number")
    applied_budget = (BudgetVersion.objects.filter(project_id=change.project_id,
                                                   number=impact["applied_budget"]).first()
                      if impact.get("applied_budget") else None)
    return {
        "budget": budget, "categories": CostCategory.choices,
        "budget_stale": (assessed_budget is not None
                         and (budget is None or budget.number != assessed_budget
                              or budget.version != impact.get("budget_version"))),
        "applied_budget": applied_budget,
        "plan": plan, "tasks": tasks,
        "edits": list(enumerate(queries.describe_edits(change, costs="cost.view" in perms),
                                start=1)),
        "editable": change.status in EDITABLE_CHANGE_STATES,
        "assessable": change.status in ASSESSABLE_STATES and plan is not None,
        "impact": impact, "milestones": milestones, "stale": stale,
        "finish_before": _moment(impact.get("finish_before")),
        "finish_after": _moment(impact.get("finish_after")),
        "moved": [m for m in milestones if m.get("days")],
    }


def _moment(value: Any) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


@register.simple_tag
def dependency_live(dependency: Any) -> dict[str, Any]:
    task = dependency.other_task
    return {"task": task, "expected": dependency.expected_on, "late": dependency.late,
            "slack": dependency.slack_days}
