"""REST operations of schedule health (DCMA) and schedule risk (Monte Carlo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field, create_model

from projectoffice.apischema import StrictIn, provided, require_not_null, version_of
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    has_perm,
    object_operation,
    office_operation,
    project_operation,
    projects_with,
)
from projectoffice.portfolio.models import Project

from . import actions, queries
from .models import THRESHOLD_FIELDS, HealthRecord, ScheduleHealthThresholds, SimulationRun

router = Router(tags=["schedule health and risk"])



class OffenderOut(Schema):
    uid: int
    id: int
    name: str


class CheckOut(Schema):
    number: int
    key: str
    name: str
    count: int
    total: int
    value: float | None
    threshold: str
    passed: bool | None
    note: str
    offenders: list[OffenderOut]


class TrendOut(Schema):
    status_date: dt.date
    recorded_at: dt.datetime
    passed: int
    failed: int
    checks: dict[str, bool | None]


class ScheduleHealthOut(Schema):
    project: str
    status_date: dt.date | None
    passed: int
    failed: int
    checks: list[CheckOut]
    trend: list[TrendOut]


def trend_out(record: HealthRecord) -> dict[str, Any]:
    return {"status_date": record.status_date, "recorded_at": record.recorded_at,
            "passed": record.passed, "failed": record.failed,
            "checks": {c["key"]: c["passed"] for c in record.checks}}


@router.get("/projects/{code}/schedule-health", response=ScheduleHealthOut)
@project_operation("plan.view")
def get_schedule_health(request: AuthedRequest, project: Project) -> dict[str, Any]:
    """The DCMA 14-point assessment of the plan as it stands, and the recorded trend."""
    inputs = queries.plan_inputs(project)
    assessment = queries.assess(project, inputs) if inputs else None
    return {"project": project.code,
            "status_date": inputs.plan.status_date if inputs else None,
            "passed": assessment.passed if assessment else 0,
            "failed": assessment.failed if assessment else 0,
            "checks": queries.check_rows(assessment, inputs) if assessment and inputs else [],
            "trend": [trend_out(r) for r in queries.health_records(project)]}


class HealthRecordIn(StrictIn):
    pass


@router.post("/projects/{code}/schedule-health/records", response={201: TrendOut})
@object_operation("plan.edit")
def record_schedule_health(request: AuthedRequest, code: str,
                           payload: HealthRecordIn) -> Status[Any]:
    """Keeps the assessment at the plan's status date (one record per status date)."""
    record = actions.record_schedule_health(actor=request.user, code=code,
                                            today=timezone.localdate())
    return Status(201, trend_out(record))


class RollupRow(Schema):
    project: str
    name: str
    status_date: dt.date | None
    passed: int | None
    failed: int | None
    checks: dict[str, bool | None]


@router.get("/schedule-health", response=list[RollupRow])
@office_operation("authenticated")
def schedule_health_rollup(request: AuthedRequest) -> list[dict[str, Any]]:
    """Every plan the caller may see, with each check passed (true), failed (false) or not
    judged (null)."""
    projects = list(projects_with(request.user, "plan.view").order_by("code"))
    return [{"project": r["project"].code, "name": r["project"].name,
             "status_date": r["status_date"],
             "passed": r["assessment"].passed if r["assessment"] else None,
             "failed": r["assessment"].failed if r["assessment"] else None,
             "checks": r["checks"]} for r in queries.rollup(projects) if r["assessment"]]


ThresholdsPatch = create_model(
    "ScheduleThresholdsPatch", __base__=StrictIn,
    version=(int, Field(..., description="The version you last read")),
    **{name: (float | None, Field(None, description=str(getattr(
        ScheduleHealthThresholds._meta.get_field(name), "verbose_name", name))))
       for name in THRESHOLD_FIELDS})  # type: ignore[call-overload]


class DcmaThresholdsOut(Schema):
    version: int
    values: dict[str, float]


def thresholds_out(row: ScheduleHealthThresholds) -> dict[str, Any]:
    return {"version": row.version, "values": {f: getattr(row, f) for f in THRESHOLD_FIELDS}}


@router.get("/schedule-health-thresholds", response=DcmaThresholdsOut)
@office_operation("authenticated")
def get_schedule_thresholds(request: AuthedRequest) -> dict[str, Any]:
    return thresholds_out(queries.thresholds_row())


@router.patch("/schedule-health-thresholds", response=DcmaThresholdsOut)
@office_operation("portfolio.manage")
def update_schedule_thresholds(request: AuthedRequest,
                               payload: ThresholdsPatch) -> dict[str, Any]:  # type: ignore[valid-type]
    data = provided(payload)
    require_not_null(data, THRESHOLD_FIELDS)
    return thresholds_out(actions.update_schedule_health_thresholds(
        actor=request.user, version=version_of(payload), changes=data))


# ---- schedule risk ------------------------------------------------------------------------


class ClassIn(StrictIn):
    name: str = Field(..., max_length=60)
    min_percent: float
    likely_percent: float = 100
    max_percent: float
    correlation: float = 0


class EstimateIn(StrictIn):
    uid: int
    min: float | None = Field(None, description="working days")
    most_likely: float | None = None
    max: float | None = None
    risk_class: str = ""


class EventIn(StrictIn):
    risk: str = Field(..., description="the risk's reference, e.g. RSK-0003")
    task_uid: int
    probability: float = Field(..., description="0 to 1")
    impact_days: float = Field(..., description="working days added to the task")


class ModelIn(StrictIn):
    classes: list[ClassIn] = []
    estimates: list[EstimateIn] = []
    events: list[EventIn] = []


class ModelOut(Schema):
    classes: list[dict[str, Any]]
    estimates: list[dict[str, Any]]
    events: list[dict[str, Any]]


@router.get("/projects/{code}/schedule-risk/model", response=ModelOut)
@project_operation("plan.view")
def get_risk_model(request: AuthedRequest, project: Project) -> dict[str, Any]:
    """Risk classes, three-point estimates (working days) and risk events of the plan."""
    return actions.model_as_input(project)


@router.post("/projects/{code}/schedule-risk/model", response=ModelOut)
@object_operation("plan.edit")
def replace_risk_model(request: AuthedRequest, code: str, payload: ModelIn) -> dict[str, Any]:
    """Replaces the whole risk model; errors name their field, e.g.
    ``estimates[12].most_likely``, and nothing is written."""
    data = payload.model_dump()
    actions.save_risk_model(actor=request.user, code=code, classes=data["classes"],
                            estimates=data["estimates"], events=data["events"])
    project = access_project(request.user, code, "plan.view")
    return actions.model_as_input(project)


class RiskRunIn(StrictIn):
    iterations: int = Field(5000, ge=1)
    seed: int | None = None
    note: str = Field("", max_length=200)


class RunSummary(Schema):
    number: int
    status: str
    iterations: int
    done: int
    seed: int
    note: str
    started_by: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status_date: dt.date | None
    deterministic_finish: dt.datetime | None
    p50: dt.datetime | None
    p80: dt.datetime | None
    p90: dt.datetime | None
    error: str


class RunOut(RunSummary):
    results: dict[str, Any]


class RunEnvelope(Schema):
    run: RunOut | None


def run_summary(run: SimulationRun) -> dict[str, Any]:
    return {"number": run.number, "status": run.status, "iterations": run.iterations,
            "done": run.done, "seed": run.seed, "note": run.note,
            "started_by": run.started_by.username if run.started_by else None,
            "started_at": run.started_at, "finished_at": run.finished_at,
            "status_date": run.status_date, "deterministic_finish": run.deterministic_finish,
            "p50": run.p50, "p80": run.p80, "p90": run.p90, "error": run.error}


@router.get("/projects/{code}/schedule-risk/runs", response=list[RunSummary])
@project_operation("plan.view")
def list_runs(request: AuthedRequest, project: Project) -> list[dict[str, Any]]:
    """The plan's Monte Carlo runs, newest first, with P50/P80/P90 of the finish."""
    return [run_summary(r) for r in queries.runs_of(project)]


@router.post("/projects/{code}/schedule-risk/runs", response={202: RunSummary})
@object_operation("plan.edit")
def start_run(request: AuthedRequest, code: str, payload: RiskRunIn) -> Status[Any]:
    """Starts a run in the background; read its progress (``done``) and results from
    ``GET …/schedule-risk/run?number=``."""
    run = actions.start_risk_run(actor=request.user, code=code, iterations=payload.iterations,
                                 seed=payload.seed, note=payload.note)
    return Status(202, run_summary(run))


@router.get("/projects/{code}/schedule-risk/run", response=RunEnvelope)
@project_operation("plan.view")
def read_run(request: AuthedRequest, project: Project, number: int | None = None) -> dict[str, Any]:
    """One run with its results (the latest without ``number``; ``run`` is null when the
    plan has none)."""
    runs = SimulationRun.objects.filter(project=project).select_related("started_by")
    run = (runs.filter(number=number).first() if number is not None
           else runs.order_by("-number").first())
    if run is None and number is not None:
        raise NotFound(f"no run {number}")
    if run is None:
        return {"run": None}
    # The cost distribution is money: only for those who see the project's costs.
    results = run.results if has_perm(request.user, project, "cost.view") \
        else {k: v for k, v in run.results.items() if k != "cost"}
    return {"run": {**run_summary(run), "results": results}}
