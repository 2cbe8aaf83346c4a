"""Testing operations beyond the kernel's registers: runs, executions, JUnit XML import,
a case's steps and the traceability matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions, queries
from .models import TestCase, TestExecution, TestPlan, TestRun
from .registers import TEST_CASES, TEST_PLANS
from .views import matrix_csv_response

router = Router(tags=["Testing"])

ResultName = Literal["passed", "failed", "blocked", "skipped"]



def _plan(project: Project, reference: str | None) -> TestPlan | None:
    if not reference:
        return None
    plan = get_item(TEST_PLANS, project, reference)
    if plan is None:
        raise InvalidInput.field("test_plan", f"no test plan {reference!r} in {project.code}")
    assert isinstance(plan, TestPlan)
    return plan


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


class TestRunOut(Schema):
    id: int
    name: str
    build: str
    environment: str
    started_on: dt.date
    test_plan: str | None = Field(description="the plan's reference")
    source: str
    cases: int = Field(description="distinct cases executed in the run")
    executions: int
    results: dict[str, int] = Field(description="cases by their latest result in the run")
    pass_rate: float | None = Field(description="per cent of the cases run that passed")
    requirement_coverage: float | None = Field(
        description="per cent of the project's requirements with a case executed")
    requirements_covered: int
    requirements_verified: int


class TestRunImportOut(TestRunOut):
    created_cases: int
    defects_raised: int


class TestExecutionStepOut(Schema):
    position: int
    result: str
    note: str


class TestExecutionOut(Schema):
    id: int
    case: str = Field(description="the test case's reference")
    case_version: int
    result: str
    tester: str | None
    executed_on: dt.date
    duration_seconds: float | None
    message: str
    defect: str | None = Field(description="the defect's reference")
    steps: list[TestExecutionStepOut]


class TestRunDetailOut(TestRunOut):
    execution_list: list[TestExecutionOut]


class TestCaseStepOut(Schema):
    position: int
    action: str
    expected: str


class TestCaseStepsOut(Schema):
    reference: str
    version: int
    steps: list[TestCaseStepOut]


class TraceabilityCaseOut(Schema):
    reference: str
    latest_result: str | None


class TraceabilityRowOut(Schema):
    reference: str
    title: str
    status: str
    moscow: str
    deliverables: list[str]
    test_cases: list[TraceabilityCaseOut]
    coverage: float | None
    defects: list[str]
    untested: bool


class TraceabilityOut(Schema):
    requirements: list[TraceabilityRowOut]
    tests_without_requirement: list[str]


def run_out(run: TestRun) -> dict[str, Any]:
    f = queries.run_figures(run)
    return {"id": run.pk, "name": run.name, "build": run.build,
            "environment": run.environment, "started_on": run.started_on,
            "test_plan": run.test_plan.reference if run.test_plan else None,
            "source": run.source, "cases": f.cases, "executions": f.executions,
            "results": f.counts, "pass_rate": _pct(f.pass_rate),
            "requirement_coverage": _pct(f.coverage), "requirements_covered": f.covered,
            "requirements_verified": f.verified}


def execution_out(e: TestExecution) -> dict[str, Any]:
    return {"id": e.pk, "case": e.case.reference, "case_version": e.case_version,
            "result": e.result, "tester": e.tester.username if e.tester else None,
            "executed_on": e.executed_on, "duration_seconds": e.duration_seconds,
            "message": e.message, "defect": e.defect.reference if e.defect else None,
            "steps": [{"position": s.position, "result": s.result, "note": s.note}
                      for s in e.step_results.all()]}


class TestRunIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=200)
    build: str = Field("", max_length=100)
    environment: str = Field("", max_length=100)
    test_plan: str | None = Field(None, description="the plan's reference, e.g. TPL-0001")


class StepOutcomeIn(StrictIn):
    result: ResultName
    note: str = Field("", max_length=2000)


class ExecutionIn(StrictIn):
    case: str = Field(..., description="the test case's reference, e.g. TC-0003")
    steps: list[StepOutcomeIn] = Field(default_factory=list,
                                       description="one outcome per step, in order")
    result: ResultName | None = Field(None, description="for a case without steps")
    message: str = Field("", max_length=10000)
    severity: Literal["low", "medium", "high", "critical"] = "medium"


class StepIn(StrictIn):
    action: str = Field(..., max_length=2000)
    expected: str = Field("", max_length=2000)


class StepsIn(StrictIn):
    version: int
    steps: list[StepIn]


@router.get("/projects/{code}/test-runs", response=list[TestRunOut],
            summary="Test runs, newest first")
@project_operation("testcase.view")
def list_runs(request: AuthedRequest, project: Project, limit: int = 50) -> list[dict[str, Any]]:
    return [run_out(r) for r in queries.runs_of(project)[:max(1, min(limit, 500))]]


@router.post("/projects/{code}/test-runs", response={201: TestRunOut},
             summary="Start a test run")
@project_operation("testing.manage")
def create_run(request: AuthedRequest, project: Project, payload: TestRunIn) -> Status[Any]:
    run = actions.create_run(actor=request.user, project=project, name=payload.name,
                             build=payload.build, environment=payload.environment,
                             test_plan=_plan(project, payload.test_plan))
    return Status(201, run_out(run))


@router.post("/projects/{code}/test-runs/junit", response={201: TestRunImportOut},
             summary="Import JUnit XML results as a new run (all or nothing)")
@project_operation("testing.manage")
def import_junit(request: AuthedRequest, project: Project, file: File[UploadedFile],
                 run: str = "", build: str = "", test_plan: str | None = None,
                 raise_defects: bool = False) -> Status[Any]:
    done = actions.import_junit(actor=request.user, project=project, data=file.read(),
                                filename=file.name or "results.xml", run_name=run, build=build,
                                test_plan=_plan(project, test_plan),
                                raise_defects=raise_defects)
    return Status(201, {**run_out(done.run), "created_cases": done.created_cases,
                 "defects_raised": done.defects})


def _run(request: AuthedRequest, project: Project, run_id: int) -> TestRun:
    return get_object_or_404(TestRun.objects.select_related("test_plan", "project"),
                             project=project, pk=run_id)


@router.get("/projects/{code}/test-runs/{run_id}", response=TestRunDetailOut,
            summary="A run: figures and every execution")
@project_operation("testcase.view")
def get_run(request: AuthedRequest, project: Project, run_id: int) -> dict[str, Any]:
    run = _run(request, project, run_id)
    executions = (TestExecution.objects.filter(run=run).select_related("case", "tester", "defect")
                  .prefetch_related("step_results"))
    return {**run_out(run), "execution_list": [execution_out(e) for e in executions]}


@router.post("/projects/{code}/test-runs/{run_id}/executions",
             response={201: TestExecutionOut},
             summary="Execute a case in the run (a failure raises a defect)")
@project_operation("testing.manage")
def execute(request: AuthedRequest, project: Project, run_id: int,
            payload: ExecutionIn) -> Status[Any]:
    run = _run(request, project, run_id)
    case = get_item(TEST_CASES, run.project, payload.case)
    if not isinstance(case, TestCase):
        raise InvalidInput.field("case", f"no test case {payload.case!r} in {project.code}")
    execution = actions.record_execution(
        actor=request.user, run=run, case=case,
        steps=[actions.StepOutcome(s.result, s.note) for s in payload.steps],
        result=payload.result, message=payload.message, severity=payload.severity)
    return Status(201, execution_out(execution))


@router.post("/projects/{code}/test-cases/{ref}/steps", response=TestCaseStepsOut,
             summary="Replace a test case's steps")
@project_operation("testcase.change")
def set_steps(request: AuthedRequest, project: Project,
              ref: str, payload: StepsIn) -> dict[str, Any]:
    case = get_item(TEST_CASES, project, ref)
    if not isinstance(case, TestCase):
        raise InvalidInput.field("ref", f"no test case {ref!r} in {project.code}")
    saved = actions.set_case_steps(actor=request.user, case=case, version=payload.version,
                                   steps=[(s.action, s.expected) for s in payload.steps])
    return {"reference": saved.reference, "version": saved.version,
            "steps": [{"position": s.position, "action": s.action, "expected": s.expected}
                      for s in saved.steps.all()]}


@router.get("/projects/{code}/traceability", response=TraceabilityOut,
            summary="Requirement ↔ deliverable ↔ test case ↔ defect, with the gaps")
@project_operation("requirement.view")
def traceability(request: AuthedRequest, project: Project) -> dict[str, Any]:
    found = queries.traceability(project)
    return {
        "requirements": [{
            "reference": row.requirement.reference, "title": row.requirement.title,
            "status": row.requirement.status, "moscow": row.requirement.moscow,
            "deliverables": [d.reference for d in row.deliverables],
            "test_cases": [{"reference": c.reference, "latest_result": r}
                           for c, r in row.cases],
            "coverage": _pct(row.coverage), "defects": [d.reference for d in row.defects],
            "untested": row.untested} for row in found.rows],
        "tests_without_requirement": [c.reference for c in found.orphan_cases],
    }


@router.get("/projects/{code}/traceability.csv",
            summary="The traceability matrix as CSV")
@project_operation("requirement.view")
def traceability_csv(request: AuthedRequest, project: Project) -> HttpResponse:
    return matrix_csv_response(project)
