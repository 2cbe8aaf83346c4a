"""A project's finish and % complete as its plan says, for the project's health
(portfolio/health.py) and every page that shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, FloatField, Sum

from projectoffice.engine import health as rule
from projectoffice.portfolio.health import Finish, finish_from
from projectoffice.portfolio.models import Project

from .models import Baseline, Plan, PlanTask


def project_finish(project: Project) -> Finish:
    """The finish of one project (one query unless the plan's finish is already known)."""
    if "plan_finish" in project.__dict__:
        return finish_from(project.__dict__["plan_finish"], project.finish_date)
    plan_finish = Plan.objects.filter(project=project).values_list("finish", flat=True).first()
    return finish_from(plan_finish, project.finish_date)


def percent_complete_by_plan(plan_ids: list[int]) -> dict[int, int]:
    """Duration-weighted % complete of each plan's tasks (summaries left out), as the plan's
    outline rolls it up, in whole percent."""
    out: dict[int, int] = {}
    rows = (PlanTask.objects.filter(plan_id__in=plan_ids, summary=False)
            .values("plan_id")
            .annotate(done=Sum(F("duration") * F("percent_complete"), output_field=FloatField()),
                      total=Sum("duration")))
    for row in rows:
        out[row["plan_id"]] = rule.whole_percent((row["done"] or 0) / 100, row["total"] or 0)
    return out


def health_inputs(projects: list[Project], today: dt.date) -> dict[int, dict[str, Any]]:
    """The plan's finish, the first baseline's finish and the % complete of each project."""
    ids = [p.pk for p in projects]
    plans = {row["project_id"]: row for row in Plan.objects.filter(project_id__in=ids).values(
        "pk", "project_id", "finish")}
    plan_ids = [row["pk"] for row in plans.values()]
    baseline_finish: dict[int, dt.datetime | None] = {}
    for plan_id, saved in (Baseline.objects.filter(plan_id__in=plan_ids)
                            .order_by("plan_id", "number").values_list("plan_id", "finish")):
        baseline_finish.setdefault(plan_id, saved)  # the lowest number, as earned value uses
    percent = percent_complete_by_plan(plan_ids)
    return {pid: {"plan_finish": plan["finish"],
                  "baseline_finish": rule.finish_day(baseline_finish.get(plan["pk"])),
                  "percent_complete": percent.get(plan["pk"])}
            for pid, plan in plans.items()}
