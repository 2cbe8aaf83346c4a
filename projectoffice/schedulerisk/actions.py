"""Every write of schedule health and schedule risk."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.controls.models import Risk
from projectoffice.editing import apply_changes, create_object
from projectoffice.engine import montecarlo as mc
from projectoffice.engine.calendars import from_minutes
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.jobs.registry import enqueue, office_job
from projectoffice.planning.models import Plan
from projectoffice.portfolio.access import access_project, require_global
from projectoffice.portfolio.models import Project
from projectoffice.resources.queries import task_costs

from . import queries
from .models import (
    THRESHOLD_FIELDS,
    HealthRecord,
    RiskClass,
    RiskImpact,
    RunStatus,
    ScheduleHealthThresholds,
    SimulationRun,
    TaskEstimate,
)

log = logging.getLogger(__name__)

MIN_ITERATIONS, MAX_ITERATIONS = 100, 100_000


@transaction.atomic
def update_schedule_health_thresholds(*, actor: User, version: int | None,
                                      changes: dict[str, Any]) -> ScheduleHealthThresholds:
    """The Project Office manager sets the DCMA limits; the standard ones apply until then."""
    require_global(actor, "portfolio.manage")
    row = ScheduleHealthThresholds.objects.order_by("pk").first()
    if row is None:
        row = create_object(actor=actor, obj=ScheduleHealthThresholds(),
                            audit_fields=THRESHOLD_FIELDS)
    return apply_changes(actor=actor, obj=row, expected_version=version, changes=changes,
                         editable=THRESHOLD_FIELDS)


@transaction.atomic
def record_schedule_health(*, actor: User, code: str, today: dt.date) -> HealthRecord:
    """Keeps the plan's DCMA results at its status date (today without one), replacing an
    earlier record of the same date: the trend.  Setting a status date records it too."""
    project = access_project(actor, code, "plan.edit")
    record = keep_health_record(actor=actor, project=project, status_date=None, today=today)
    if record is None:
        raise InvalidInput.field("plan", "the project has no plan to assess yet")
    return record


def keep_health_record(*, actor: User, project: Project, status_date: dt.date | None,
                       today: dt.date | None = None) -> HealthRecord | None:
    """The assessment of the plan as it stands, kept at ``status_date`` (the plan's, else
    ``today``).  Runs in the caller's transaction, which has checked ``plan.edit``."""
    inputs = queries.plan_inputs(project)
    if inputs is None:
        return None
    assessment = queries.assess(project, inputs)
    assert assessment is not None
    when = status_date or inputs.plan.status_date or today or timezone.localdate()
    values = {"recorded_at": timezone.now(), "passed": assessment.passed,
              "failed": assessment.failed, "checks": queries.check_rows(assessment, inputs)}
    record, created = HealthRecord.objects.update_or_create(
        project=project, status_date=when, defaults=values)
    record_change(actor=actor, obj=record, verb="recorded" if created else "re-recorded",
                  changes={"status_date": when.isoformat(), "passed": assessment.passed,
                           "failed": assessment.failed})
    return record


# ---- the risk model -----------------------------------------------------------------------


def _number(value: Any, field: str, errors: dict[str, list[str]], *, low: float = 0,
            high: float | None = None, what: str = "a number") -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(f"enter {what}")
        return None
    if not number.is_finite() or number < low or (high is not None and number > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        errors.setdefault(field, []).append(f"must be {bound}")
        return None
    return number


@transaction.atomic
def save_risk_model(*, actor: User, code: str, classes: list[dict[str, Any]],
                    estimates: list[dict[str, Any]],
                    events: list[dict[str, Any]]) -> dict[str, int]:
    """Replaces the plan's risk model: risk classes (name, min/likely/max percent of duration,
    correlation), three-point estimates in working days (task UID, min, most likely, max,
    class name) and risk events (risk reference, task UID, probability 0–1, impact in days).
    Every problem is reported at its field (``estimates[12].most_likely``); nothing is
    written unless all is well."""
    project = access_project(actor, code, "plan.edit")
    inputs = queries.plan_inputs(project)
    if inputs is None:
        raise InvalidInput.field("plan", "the project has no plan yet")
    per_day = inputs.plan.minutes_per_day or 480
    errors: dict[str, list[str]] = {}
    new_classes: dict[str, RiskClass] = {}
    for k, data in enumerate(classes):
        name = str(data.get("name") or "").strip()
        key = f"classes[{k}]"
        if not name:
            errors.setdefault(f"{key}.name", []).append("give the class a name")
        elif name in new_classes:
            errors.setdefault(f"{key}.name", []).append("another class has this name")
        points = [_number(data.get(f), f"{key}.{f}", errors, high=1000, what="a percentage")
                  for f in ("min_percent", "likely_percent", "max_percent")]
        correlation = _number(data.get("correlation", 0), f"{key}.correlation", errors, high=1)
        if all(p is not None for p in points):
            low, likely, high = points
            assert low is not None and likely is not None and high is not None
            if low > likely:
                errors.setdefault(f"{key}.min_percent", []).append(
                    "must not be above the most likely")
            if likely > high:
                errors.setdefault(f"{key}.max_percent", []).append(
                    "must not be below the most likely")
            if name and name not in new_classes:
                new_classes[name] = RiskClass(
                    project=project, name=name[:60], min_percent=int(low),
                    likely_percent=int(likely), max_percent=int(high),
                    correlation=float(correlation or 0))
        else:
            for f, p in zip(("min_percent", "likely_percent", "max_percent"), points,
                            strict=True):
                if p is None and f"{key}.{f}" not in errors:
                    errors[f"{key}.{f}"] = ["required"]
    new_estimates: list[tuple[TaskEstimate, str]] = []
    seen: set[int] = set()
    for data in estimates:
        uid = data.get("uid")
        key = f"estimates[{uid}]"
        task = inputs.tasks.get(uid) if isinstance(uid, int) else None
        if task is None:
            errors.setdefault(f"{key}.uid", []).append("no such task in the plan")
            continue
        if task.summary or task.milestone:
            errors.setdefault(f"{key}.uid", []).append(
                "summary tasks and milestones take no estimate")
            continue
        if uid in seen:
            errors.setdefault(f"{key}.uid", []).append("estimated twice")
            continue
        seen.add(task.uid)
        names = ("min", "most_likely", "max")
        points = [_number(data.get(f), f"{key}.{f}", errors, high=100_000, what="working days")
                  for f in names]
        given = [p is not None for p in points]
        class_name = str(data.get("risk_class") or "").strip()
        if class_name and class_name not in new_classes and not any(
                c.get("name") == class_name for c in classes):
            errors.setdefault(f"{key}.risk_class", []).append("no such risk class")
        if any(given) and not all(given):
            for f, p in zip(names, points, strict=True):
                if p is None and f"{key}.{f}" not in errors:
                    errors[f"{key}.{f}"] = ["give all three points, or none"]
            continue
        if all(given):
            low, likely, high = points
            assert low is not None and likely is not None and high is not None
            if low > likely:
                errors.setdefault(f"{key}.min", []).append("must not be above the most likely")
            if likely > high:
                errors.setdefault(f"{key}.max", []).append("must not be below the most likely")
            if low > likely or likely > high:
                continue
            new_estimates.append((TaskEstimate(
                project=project, task_uid=task.uid, low=round(low * per_day),
                likely=round(likely * per_day), high=round(high * per_day)), class_name))
        elif class_name:
            new_estimates.append((TaskEstimate(project=project, task_uid=task.uid), class_name))
    new_impacts: list[RiskImpact] = []
    risks = {r.reference: r for r in Risk.objects.filter(project=project)}
    pairs: set[tuple[str, int]] = set()
    for k, data in enumerate(events):
        key = f"events[{k}]"
        reference = str(data.get("risk") or "").strip()
        risk = risks.get(reference)
        if risk is None:
            errors.setdefault(f"{key}.risk", []).append("no such risk in this project")
        uid = data.get("task_uid")
        task = inputs.tasks.get(uid) if isinstance(uid, int) else None
        if task is None or task.summary:
            errors.setdefault(f"{key}.task_uid", []).append("no such task in the plan")
        probability = _number(data.get("probability"), f"{key}.probability", errors, high=1)
        if probability is None and f"{key}.probability" not in errors:
            errors[f"{key}.probability"] = ["required (0 to 1)"]
        impact = _number(data.get("impact_days"), f"{key}.impact_days", errors, high=10_000,
                         what="working days")
        if impact is None and f"{key}.impact_days" not in errors:
            errors[f"{key}.impact_days"] = ["required"]
        if risk is not None and task is not None:
            if (reference, task.uid) in pairs:
                errors.setdefault(f"{key}.task_uid", []).append(
                    "this risk is already mapped to this task")
            pairs.add((reference, task.uid))
        if risk is not None and task is not None and probability is not None and impact is not None:
            new_impacts.append(RiskImpact(project=project, risk=risk, task_uid=task.uid,
                                          probability=float(probability),
                                          impact_days=impact.quantize(Decimal("0.01"))))
    if errors:
        first = next(iter(errors))
        raise InvalidInput(f"{first}: {errors[first][0]}", errors)

    before = _model_summary(project)
    TaskEstimate.objects.filter(project=project).delete()
    RiskImpact.objects.filter(project=project).delete()
    RiskClass.objects.filter(project=project).delete()
    for risk_class in new_classes.values():
        risk_class.full_clean()
        risk_class.save()
    for estimate, class_name in new_estimates:
        estimate.risk_class = new_classes.get(class_name)
        estimate.save()
    RiskImpact.objects.bulk_create(new_impacts)
    after = _model_summary(project)
    record_change(actor=actor, obj=project, verb="schedule risk model saved",
                  changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return after


def _model_summary(project: Project) -> dict[str, int]:
    return {"risk classes": RiskClass.objects.filter(project=project).count(),
            "estimates": TaskEstimate.objects.filter(project=project).count(),
            "risk events": RiskImpact.objects.filter(project=project).count()}


def model_as_input(project: Project) -> dict[str, list[dict[str, Any]]]:
    """The stored model in the shape ``save_risk_model`` takes (for edits of one part)."""
    per_day = Plan.objects.filter(project=project).values_list(
        "minutes_per_day", flat=True).first() or 480

    def days(minutes: int | None) -> str | None:
        return None if minutes is None else f"{Decimal(minutes) / per_day:.2f}"

    return {
        "classes": [{"name": c.name, "min_percent": c.min_percent,
                     "likely_percent": c.likely_percent, "max_percent": c.max_percent,
                     "correlation": c.correlation} for c in queries.classes_of(project)],
        "estimates": [{"uid": e.task_uid, "min": days(e.low), "most_likely": days(e.likely),
                       "max": days(e.high),
                       "risk_class": e.risk_class.name if e.risk_class else ""}
                      for e in queries.estimates_of(project).values()],
        "events": [{"risk": i.risk.reference, "task_uid": i.task_uid,
                    "probability": i.probability, "impact_days": str(i.impact_days)}
                   for i in queries.impacts_of(project)],
    }


# ---- runs ---------------------------------------------------------------------------------


@transaction.atomic
def start_risk_run(*, actor: User, code: str, iterations: int, seed: int | None = None,
                   note: str = "", background: bool = True) -> SimulationRun:
    """Queues a Monte Carlo run of the plan. With ``background`` it is a background job
    (``simulate``) the worker runs once this transaction commits; otherwise the caller runs
    it (``execute_run``)."""
    project = access_project(actor, code, "plan.edit")
    if not isinstance(iterations, int) or not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise InvalidInput.field(
            "iterations", f"between {MIN_ITERATIONS:,} and {MAX_ITERATIONS:,}")
    if seed is not None and not 0 <= seed < 2**31:
        raise InvalidInput.field("seed", "a whole number from 0")
    inputs = queries.plan_inputs(project)
    if inputs is None:
        raise InvalidInput.field("plan", "the project has no plan to simulate yet")
    number = (SimulationRun.objects.select_for_update().filter(project=project)
              .aggregate(top=Max("number"))["top"] or 0) + 1
    run = SimulationRun.objects.create(
        project=project, number=number, started_by=actor, started_at=timezone.now(),
        iterations=iterations, seed=seed if seed is not None else number, note=note[:200],
        status_date=inputs.plan.status_date)
    record_creation(actor=actor, obj=run, fields=("number", "iterations", "seed", "note"))
    if background:
        enqueue(simulate, run.pk)
    return run


def execute_run(pk: int, *, chunk: int = 500) -> SimulationRun:
    """Runs a queued simulation, writing its progress after every chunk of iterations and
    its results at the end (a failure is kept on the run with its reason)."""
    run = SimulationRun.objects.select_related("project").get(pk=pk)
    if run.status != RunStatus.QUEUED:
        return run
    SimulationRun.objects.filter(pk=pk).update(status=RunStatus.RUNNING)

    def progress(done: int) -> None:
        SimulationRun.objects.filter(pk=pk).update(done=done)

    try:
        results = _simulate(run.project, run.iterations, run.seed, progress, chunk)
    except Exception as exc:  # the reason is kept on the run for the page to show
        log.exception("schedule risk run %s failed", pk)
        SimulationRun.objects.filter(pk=pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return SimulationRun.objects.get(pk=pk)
    SimulationRun.objects.filter(pk=pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), done=run.iterations,
        results=results, deterministic_finish=dt.datetime.fromisoformat(
            results["deterministic_finish"]),
        **{f"p{q}": dt.datetime.fromisoformat(results["finish"][str(q)])
           for q in (50, 80, 90)})
    return SimulationRun.objects.get(pk=pk)


# One attempt: a run that fails keeps its reason on the run itself, and the same seed would
# fail the same way again.
@office_job(label="Schedule risk (Monte Carlo) run", attempts=1)
def simulate(run_id: int) -> str:
    """The worker's side of a queued run: progress is written on the run as it goes, so the
    page that started it only polls."""
    run = execute_run(run_id)
    return f"run {run.number} of {run.project.code}: {run.status}"


def _iso(minutes: int) -> str:
    return from_minutes(minutes).isoformat()


def _cost_results(sim: mc.Simulation, currency: str) -> dict[str, Any]:
    """The plan's cost distribution (resource costs moving with the durations)."""
    return {"currency": currency, "planned": round(sim.planned_cost, 2),
            **{str(q): round(sim.cost_percentile(q), 2) for q in (10, 50, 80, 90)},
            "histogram": [[round(a, 2), round(b, 2), n] for a, b, n in sim.cost_histogram()],
            "cdf": [[p, round(v, 2)] for p, v in sim.cost_cdf()]}


def _simulate(project: Project, iterations: int, seed: int,
              progress: Callable[[int], None], chunk: int) -> dict[str, Any]:
    inputs = queries.plan_inputs(project)
    if inputs is None:
        raise NotFound("the plan has no tasks")
    model = queries.risk_model(project, inputs)
    baseline = queries.baseline_dates(inputs.plan)
    milestones = [t.uid for t in inputs.leaves if t.milestone and not t.done]

    costs = {uid: float(cost) for uid, cost in task_costs(project).items() if cost}
    sim = mc.simulate(inputs.project, model, iterations=iterations, seed=seed,
                      milestones=milestones, chunk=chunk, progress=progress,
                      costs=costs or None)
    tasks = inputs.tasks
    rows = []
    for uid in milestones:
        planned = baseline.get(uid)
        rows.append({"uid": uid, "id": tasks[uid].row, "name": tasks[uid].name,
                     "deterministic": _iso(sim.deterministic_milestones[uid]),
                     "baseline": planned.finish.isoformat()
                     if planned and planned.finish else None,
                     **{f"p{q}": _iso(sim.percentile(q, uid)) for q in (50, 80, 90)}})
    criticality = sorted(((index, uid) for uid, index in sim.criticality.items()
                          if index > 0 and uid in tasks), key=lambda x: (-x[0], tasks[x[1]].row))
    return {
        "iterations": iterations,
        "deterministic_finish": _iso(sim.deterministic_finish),
        "finish": {str(q): _iso(sim.percentile(q)) for q in (10, 50, 80, 90)},
        "histogram": [[_iso(a), _iso(b), n] for a, b, n in sim.histogram()],
        "cdf": [[p, _iso(f)] for p, f in sim.cdf()],
        "probability_on_time": round(float(
            (sim.finish_offsets <= sim.deterministic_offsets[None]).mean()), 4),
        "milestones": rows,
        "criticality": [{"uid": uid, "id": tasks[uid].row, "name": tasks[uid].name,
                         "index": round(index, 4)} for index, uid in criticality[:30]],
        "drivers": [{"kind": d.kind, "key": d.key, "name": d.name,
                     "correlation": d.correlation} for d in sim.drivers[:12]],
        **({"cost": _cost_results(sim, project.currency)} if sim.cost_totals is not None
           else {}),
        "inputs": {"estimates": len(model.estimates),
                   "classes": sum(1 for g in model.groups if g.uids),
                   "events": len(model.events)},
    }
