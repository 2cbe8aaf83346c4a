"""Panels of the assurance registers' item pages: a requirement's children, cases and
coverage; a deliverable's or plan's tasks; a case's steps and executions; a plan's runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from projectoffice.assurance import charts, queries
from projectoffice.assurance.models import (
    Result,
    TestCase,
    TestExecution,
    TestPlan,
    parse_uids,
)
from projectoffice.planning.models import PlanTask

register = template.Library()


def _tasks(item: Any) -> tuple[list[Any], Any]:
    try:
        uids = parse_uids(item.task_uids)
    except ValueError:
        uids = []
    wanted = {*uids, *([item.milestone_uid] if item.milestone_uid is not None else [])}
    found = {t.uid: t for t in PlanTask.objects.filter(plan__project=item.project,
                                                        uid__in=wanted)}
    return [found[u] for u in uids if u in found], found.get(item.milestone_uid)


@register.simple_tag
def plan_links(item: Any) -> dict[str, Any]:
    tasks, milestone = _tasks(item)
    return {"tasks": tasks, "milestone": milestone}


@register.simple_tag
def requirement_panel(item: Any) -> dict[str, Any]:
    cases = list(item.test_cases.exclude(status="retired").order_by("number"))
    latest = dict(TestExecution.objects.filter(
        id__in=queries.latest_executions(TestExecution.objects.filter(case__in=cases))
        .values("id")).values_list("case_id", "result"))
    rows = [(c, latest.get(c.pk)) for c in cases]
    passed = sum(1 for _, r in rows if r == Result.PASSED)
    return {"children": list(item.children.order_by("number")), "cases": rows,
            "coverage": passed / len(rows) if rows else None}


@register.simple_tag
def case_panel(item: TestCase) -> dict[str, Any]:
    steps = list(item.steps.all())
    blanks = range(len(steps) + 1, len(steps) + 4)
    executions = list(TestExecution.objects.filter(case=item)
                      .select_related("run", "tester", "defect", "evidence").order_by("-id")[:20])
    return {"steps": steps, "blanks": blanks, "executions": executions,
            "requirements": list(item.requirements.order_by("number"))}


@register.simple_tag
def test_plan_panel(item: TestPlan) -> dict[str, Any]:
    runs = list(item.runs.order_by("-started_on", "-id")[:20])
    planned = item.cases.exclude(status="retired").count()
    _, milestone = _tasks(item)
    marker: tuple[date, str] | None = None
    if milestone is not None and milestone.finish is not None:
        marker = (milestone.finish.date(), milestone.name or f"Milestone {milestone.uid}")
    svg = charts.burn_up_svg(queries.burn_up(TestExecution.objects.filter(run__test_plan=item)),
                             planned, f"Burn-up · {item.reference}", marker)
    cases = list(item.cases.exclude(status="retired").order_by("number")[:50])
    return {"runs": [(r, queries.run_figures(r)) for r in runs], "planned": planned,
            "svg": svg, "cases": cases}
