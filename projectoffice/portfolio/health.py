"""The one source of a project's finish, % complete, SPI, CPI and computed RAG.

Every page, the API and the exports read these figures through ``project_health`` (one
project) or ``health_of`` (many): the inputs of all the projects are read in a fixed number
of queries, and the judgement is the pure rule in engine/health.py with the thresholds the
Project Office sets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, FloatField, Max, Sum
from django.db.models.functions import Coalesce

from projectoffice.engine import health as rule

from .models import HealthThresholds, Project, Rag


def thresholds_row() -> HealthThresholds:
    """The saved thresholds, or an unsaved row of defaults."""
    return HealthThresholds.objects.order_by("pk").first() or HealthThresholds()


@dataclass(frozen=True)
class Finish:
    """A project's finish: its plan's scheduled finish, else the target date set before a
    plan exists (``is_target``), else unknown."""

    date: dt.date | None
    is_target: bool = False

    @property
    def label(self) -> str:
        if self.date is None:
            return "—"
        return f"{self.date:%-d %b %Y}" + (" (target)" if self.is_target else "")


def finish_from(plan_finish: dt.datetime | None, target: dt.date | None) -> Finish:
    if plan_finish is not None:
        return Finish(rule.finish_day(plan_finish))
    return Finish(target, is_target=target is not None)


def project_finish(project: Project) -> Finish:
    """The finish of one project (one query unless the plan's finish is already known)."""
    if "plan_finish" in project.__dict__:
        return finish_from(project.__dict__["plan_finish"], project.finish_date)
    from projectoffice.planning.models import Plan

    plan_finish = Plan.objects.filter(project=project).values_list("finish", flat=True).first()
    return finish_from(plan_finish, project.finish_date)


@dataclass(frozen=True)
class ProjectHealth:
    project: Project
    finish: Finish
    baseline_finish: dt.date | None
    percent_complete: int | None
    spi: Decimal | None
    spi_t: Decimal | None
    cpi: Decimal | None
    vac: Decimal | None
    bac: Decimal | None
    status_date: dt.date | None
    health: rule.Health

    @property
    def computed(self) -> str | None:
        return self.health.overall

    @property
    def declared(self) -> str:
        return str(self.project.rag)

    @property
    def mismatch(self) -> bool:
        """The project manager's RAG differs from the figures' (not judged: no flag)."""
        return self.computed is not None and self.computed != self.declared

    @property
    def computed_label(self) -> str:
        return Rag(self.computed).label if self.computed else "Not judged"


def percent_complete_by_plan(plan_ids: list[int]) -> dict[int, int]:
    """Duration-weighted % complete of each plan's tasks (summaries left out), as the plan's
    outline rolls it up, in whole percent."""
    out: dict[int, int] = {}
    rows = (_plan_task_model().objects.filter(plan_id__in=plan_ids, summary=False)
            .values("plan_id")
            .annotate(done=Sum(F("duration") * F("percent_complete"), output_field=FloatField()),
                      total=Sum("duration")))
    for row in rows:
        out[row["plan_id"]] = rule.whole_percent((row["done"] or 0) / 100, row["total"] or 0)
    return out


def _plan_task_model() -> Any:
    from projectoffice.planning.models import PlanTask

    return PlanTask


def _counts(model: Any, states: tuple[str, ...], ids: list[int],
            today: dt.date) -> dict[int, int]:
    return dict(model.objects.filter(project_id__in=ids, status__in=states, due_date__lt=today)
                .values("project_id").annotate(n=Count("id")).values_list("project_id", "n"))


def health_of(projects: list[Project], today: dt.date,
              thresholds: HealthThresholds | None = None) -> dict[int, ProjectHealth]:
    """Health of each project by pk. A fixed number of queries, whatever the number of
    projects: plans, baselines, % complete, earned value inputs, risks, overdue items and
    dependencies are each read once for all of them."""
    from projectoffice.controls.models import (
        Action,
        Dependency,
        DependencyType,
        Direction,
        Issue,
        ProjectControls,
        Risk,
        default_risk_scale,
    )
    from projectoffice.controls.registers import (
        ACTION_WORKFLOW,
        DEPENDENCY_WORKFLOW,
        ISSUE_WORKFLOW,
        RISK_WORKFLOW,
    )
    from projectoffice.finance.queries import earned_value_many
    from projectoffice.planning.models import Baseline, Plan

    limits = (thresholds or thresholds_row()).limits()
    projects = list(projects)
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    plans = {row["project_id"]: row for row in Plan.objects.filter(project_id__in=ids).values(
        "pk", "project_id", "finish", "status_date")}
    plan_ids = [row["pk"] for row in plans.values()]
    baseline_finish: dict[int, dt.datetime | None] = {}
    for plan_id, saved in (Baseline.objects.filter(plan_id__in=plan_ids)
                            .order_by("plan_id", "number").values_list("plan_id", "finish")):
        baseline_finish.setdefault(plan_id, saved)  # the lowest number, as earned value uses
    percent = percent_complete_by_plan(plan_ids)
    earned = earned_value_many(projects)
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
    out: dict[int, ProjectHealth] = {}
    for project in projects:
        plan = plans.get(project.pk)
        finish = finish_from(plan["finish"] if plan else None, project.finish_date)
        base = rule.finish_day(baseline_finish.get(plan["pk"])) if plan else None
        ev = earned.get(project.pk)
        fig = ev.figures if ev is not None else {}
        figures = rule.Figures(
            finish=None if finish.is_target else finish.date, baseline_finish=base,
            spi_t=fig.get("spi_t"), cpi=fig.get("cpi"), vac=fig.get("vac"),
            bac=fig.get("bac"), currency=project.currency,
            risk_score=worst_risk.get(project.pk),
            risk_scale=scales.get(project.pk) or default_risk_scale(),
            overdue_actions=actions.get(project.pk, 0), overdue_issues=issues.get(project.pk, 0),
            late_dependencies=late.get(project.pk, 0))
        out[project.pk] = ProjectHealth(
            project, finish, base, percent.get(plan["pk"]) if plan else None,
            fig.get("spi"), fig.get("spi_t"), fig.get("cpi"), fig.get("vac"), fig.get("bac"),
            ev.status_date if ev is not None else None, rule.assess(figures, limits))
    return out


def project_health(project: Project, today: dt.date) -> ProjectHealth:
    return health_of([project], today)[project.pk]


def rag_counts(rows: list[ProjectHealth]) -> dict[str, dict[str, int]]:
    """Declared and computed RAG counts of a list of projects, and the mismatches."""
    counts: dict[str, dict[str, int]] = {"declared": {}, "computed": {}}
    for row in rows:
        counts["declared"][row.declared] = counts["declared"].get(row.declared, 0) + 1
        key = row.computed or "none"
        counts["computed"][key] = counts["computed"].get(key, 0) + 1
    counts["mismatch"] = {"all": sum(1 for r in rows if r.mismatch)}
    return counts
