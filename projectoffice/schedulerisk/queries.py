"""Reads for schedule health and schedule risk: a plan as the engine takes it, with its
baseline and resourced tasks; the DCMA assessment; the risk model; runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projectoffice.engine import dcma
from projectoffice.engine import montecarlo as mc
from projectoffice.engine.cpm import schedule as run_engine
from projectoffice.engine.network import Project as EngineProject
from projectoffice.engine.schedule_result import Schedule
from projectoffice.planning import workspace
from projectoffice.planning.models import Baseline, BaselineTask, Plan
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment

from .models import (
    HealthRecord,
    RiskClass,
    RiskImpact,
    ScheduleHealthThresholds,
    SimulationRun,
    TaskEstimate,
)


def thresholds_row() -> ScheduleHealthThresholds:
    """The saved thresholds, or an unsaved row with the standard ones."""
    return ScheduleHealthThresholds.objects.order_by("pk").first() or ScheduleHealthThresholds()


def engine_thresholds(row: ScheduleHealthThresholds | None = None) -> dcma.Thresholds:
    row = row or thresholds_row()
    return dcma.Thresholds(**{f.name: float(getattr(row, f.name))
                              for f in dataclasses.fields(dcma.Thresholds)})


@dataclass
class TaskInfo:
    uid: int
    row: int  # position in the outline (the ID the plan shows)
    name: str
    summary: bool
    milestone: bool
    duration: int
    done: bool


@dataclass
class PlanInputs:
    plan: Plan
    project: EngineProject
    schedule: Schedule
    tasks: dict[int, TaskInfo]

    @property
    def leaves(self) -> list[TaskInfo]:
        return [t for t in self.tasks.values() if not t.summary]


def plan_inputs(project: Project) -> PlanInputs | None:
    """The plan as the engine takes it and its schedule, or None without tasks."""
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        return None
    ws = workspace.load(plan)
    if not ws.tasks:
        return None
    engine_project = workspace.to_engine(ws)
    result = run_engine(engine_project, free_float=False)
    summaries = ws.summaries()
    tasks = {t.uid: TaskInfo(t.uid, k + 1, t.name, t.uid in summaries, t.milestone,
                             t.duration, t.actual_finish is not None)
             for k, t in enumerate(ws.tasks)}
    return PlanInputs(plan, engine_project, result, tasks)


def baseline_dates(plan: Plan) -> dict[int, dcma.BaselineDates]:
    """The plan's lowest-numbered baseline (as earned value uses), by task UID."""
    first = Baseline.objects.filter(plan=plan).order_by("number").first()
    if first is None:
        return {}
    return {uid: dcma.BaselineDates(start, finish, duration)
            for uid, start, finish, duration in BaselineTask.objects.filter(
                baseline=first).values_list("uid", "start", "finish", "duration")}


def resourced_uids(project: Project) -> set[int]:
    return set(Assignment.objects.filter(project=project).values_list("task_uid", flat=True))


def assess(project: Project, inputs: PlanInputs | None = None,
           thresholds: dcma.Thresholds | None = None) -> dcma.Assessment | None:
    inputs = inputs or plan_inputs(project)
    if inputs is None:
        return None
    return dcma.assess(inputs.project, inputs.schedule, baseline=baseline_dates(inputs.plan),
                       resourced=resourced_uids(project),
                       thresholds=thresholds or engine_thresholds())


def check_rows(assessment: dcma.Assessment, inputs: PlanInputs) -> list[dict[str, Any]]:
    """The checks as the page, the API and the stored record show them, offenders named."""
    rows = []
    for c in assessment.checks:
        offenders = [{"uid": uid, "id": inputs.tasks[uid].row, "name": inputs.tasks[uid].name}
                     for uid in c.offenders if uid in inputs.tasks]
        rows.append({"number": c.number, "key": c.key, "name": c.name, "count": c.count,
                     "total": c.total, "value": c.value, "threshold": c.threshold,
                     "passed": c.passed, "note": c.note, "offenders": offenders})
    return rows


def health_records(project: Project) -> list[HealthRecord]:
    return list(HealthRecord.objects.filter(project=project).order_by("status_date"))


def rollup(projects: list[Project]) -> list[dict[str, Any]]:
    """Each project's live assessment against the office's thresholds, and its last record."""
    limits = engine_thresholds()
    last: dict[int, HealthRecord] = {}
    for record in HealthRecord.objects.filter(project__in=projects).order_by("status_date"):
        last[record.project_id] = record
    rows = []
    for project in projects:
        inputs = plan_inputs(project)
        assessment = assess(project, inputs, limits) if inputs else None
        rows.append({"project": project, "assessment": assessment,
                     "checks": {c.key: c.passed for c in assessment.checks}
                     if assessment else {},
                     "record": last.get(project.pk),
                     "status_date": inputs.plan.status_date if inputs else None})
    return rows


# ---- schedule risk ------------------------------------------------------------------------


def classes_of(project: Project) -> list[RiskClass]:
    return list(RiskClass.objects.filter(project=project))


def estimates_of(project: Project) -> dict[int, TaskEstimate]:
    return {e.task_uid: e for e in TaskEstimate.objects.filter(project=project)
            .select_related("risk_class")}


def impacts_of(project: Project) -> list[RiskImpact]:
    return list(RiskImpact.objects.filter(project=project).select_related("risk"))


def risk_model(project: Project, inputs: PlanInputs) -> mc.RiskModel:
    """The engine's model: each task's own three points, else its class's percentages of its
    duration; classes with a correlation as groups; mapped risks as events."""
    minutes_per_day = inputs.plan.minutes_per_day or 480
    estimates: dict[int, mc.Estimate] = {}
    members: dict[int, list[int]] = {}
    for uid, e in estimates_of(project).items():
        task = inputs.tasks.get(uid)
        if task is None or task.summary or task.milestone:
            continue
        if e.low is not None and e.likely is not None and e.high is not None:
            estimates[uid] = mc.Estimate(e.low, e.likely, e.high)
        elif e.risk_class is not None:
            c = e.risk_class
            estimates[uid] = mc.Estimate(round(task.duration * c.min_percent / 100),
                                         round(task.duration * c.likely_percent / 100),
                                         round(task.duration * c.max_percent / 100))
        if e.risk_class_id is not None:
            members.setdefault(e.risk_class_id, []).append(uid)
    groups = tuple(mc.RiskGroup(c.name, tuple(members.get(c.pk, [])), c.correlation)
                   for c in classes_of(project))
    by_risk: dict[int, list[RiskImpact]] = {}
    for impact in impacts_of(project):
        by_risk.setdefault(impact.risk_id, []).append(impact)
    events = []
    for impacts in by_risk.values():
        # One event per risk: it happens or not in an iteration, delaying all its tasks.
        # Tasks may carry different impacts; each mapping is its own event when they differ.
        for impact in impacts:
            if impact.task_uid not in inputs.tasks:
                continue
            events.append(mc.RiskEvent(
                impact.risk.reference, f"{impact.risk.reference} {impact.risk.title}",
                float(impact.probability), round(Decimal(impact.impact_days) * minutes_per_day),
                (impact.task_uid,)))
    return mc.RiskModel(estimates, groups, _merge(events))


def _merge(events: list[mc.RiskEvent]) -> tuple[mc.RiskEvent, ...]:
    """A risk mapped to several tasks with the same probability and impact is one event."""
    merged: dict[tuple[str, float, int], list[int]] = {}
    names: dict[str, str] = {}
    for e in events:
        merged.setdefault((e.key, e.probability, e.impact), []).extend(e.uids)
        names[e.key] = e.name
    return tuple(mc.RiskEvent(key, names[key], p, impact, tuple(uids))
                 for (key, p, impact), uids in merged.items())


def runs_of(project: Project) -> list[SimulationRun]:
    return list(SimulationRun.objects.filter(project=project).order_by("-number"))


def days_between(a: dt.datetime | None, b: dt.datetime | None) -> int | None:
    if a is None or b is None:
        return None
    return (b.date() - a.date()).days
