"""Every write of the testing service: steps of a case, runs, executions (with the defect a
failed step raises) and the import of JUnit XML results."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.audit.models import AuditEntry
from projectoffice.controls.models import IssueType
from projectoffice.controls.registers import ISSUES
from projectoffice.editing import check_version, lock_for_update, validate
from projectoffice.errors import Forbidden, InvalidInput, NotFound
from projectoffice.formats.junit import JUnitError, parse_junit
from projectoffice.portfolio.access import project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import ItemLink, LinkKind, ReferenceCounter

from .bulk import insert_rows
from .models import (
    Result,
    StepResult,
    TestCase,
    TestExecution,
    TestPlan,
    TestRun,
    TestStep,
)
from .registers import TEST_CASES

RUN_FIELDS = ("name", "build", "environment", "started_on", "test_plan", "source")
# The result of an execution is the worst of its steps'.
SEVERITY_ORDER = (Result.FAILED, Result.BLOCKED, Result.PASSED, Result.SKIPPED)


def _require(actor: User, project: Project, perm: str) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


@transaction.atomic
def set_case_steps(*, actor: User, case: TestCase, version: int | None,
                   steps: Sequence[tuple[str, str]]) -> TestCase:
    """Replaces the steps of a case (action, expected result); a new version of the case."""
    _require(actor, case.project, "testcase.change")
    locked = lock_for_update(TestCase, case.pk)
    check_version(locked, version)
    errors: dict[str, list[str]] = {}
    for n, (action, expected) in enumerate(steps, start=1):
        if not action.strip():
            errors[f"steps.{n}.action"] = ["describe what the tester does"]
        if len(action) > 2000 or len(expected) > 2000:
            errors[f"steps.{n}.action"] = ["keep a step under 2,000 characters"]
    if errors:
        raise InvalidInput(next(iter(errors)) + ": " + next(iter(errors.values()))[0], errors)
    before = [f"{s.action} → {s.expected}" for s in locked.steps.all()]
    after = [f"{a.strip()} → {e.strip()}" for a, e in steps]
    if before == after:
        return locked
    locked.steps.all().delete()
    TestStep.objects.bulk_create(TestStep(case=locked, position=n, action=a.strip(),
                                          expected=e.strip())
                                 for n, (a, e) in enumerate(steps, start=1))
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    record_change(actor=actor, obj=locked, verb="updated", changes={"steps": [before, after]})
    return locked


@transaction.atomic
def create_run(*, actor: User, project: Project, name: str, build: str = "",
               environment: str = "", test_plan: TestPlan | None = None,
               today: date | None = None, source: str = "") -> TestRun:
    _require(actor, project, "testing.manage")
    if test_plan is not None and test_plan.project_id != project.pk:
        raise InvalidInput.field("test_plan", f"no test plan {test_plan.reference} in "
                                              f"{project.code}")
    name = name.strip()
    if name and TestRun.objects.filter(project=project, name=name).exists():
        raise InvalidInput.field("name", f"{project.code} already has a run named {name!r}")
    run = TestRun(project=project, name=name, build=build.strip(),
                  environment=environment.strip(), test_plan=test_plan,
                  started_on=today or timezone.localdate(), source=source, created_by=actor)
    validate(run, exclude=("project", "test_plan", "created_by"))
    run.save()
    record_creation(actor=actor, obj=run, fields=RUN_FIELDS)
    return run


def _worst(results: Sequence[str]) -> str:
    return next((r for r in SEVERITY_ORDER if r in results), Result.SKIPPED)


@dataclass(frozen=True)
class StepOutcome:
    result: str
    note: str = ""


@transaction.atomic
def record_execution(
    *, actor: User, run: TestRun, case: TestCase, steps: Sequence[StepOutcome] = (),
    result: str | None = None, message: str = "", severity: str = "medium",
    evidence: UploadedFile[Any] | None = None, today: date | None = None,
) -> TestExecution:
    """Executes a case in a run: one outcome per step (or one result for a case without
    steps). A failure raises a defect in the issue log, linked to the case and to the
    requirements it verifies; executing the case again later is a re-test."""
    _require(actor, run.project, "testing.manage")
    if case.project_id != run.project_id:
        raise InvalidInput.field("case", f"no test case {case.reference} in {run.project.code}")
    if case.status == "retired":
        raise InvalidInput.field("case", f"{case.reference} is retired")
    case_steps = list(case.steps.all())
    valid = set(Result.values)
    if case_steps:
        if len(steps) != len(case_steps):
            raise InvalidInput.field("steps", f"give a result for each of the {len(case_steps)} "
                                              "steps")
        for n, outcome in enumerate(steps, start=1):
            if outcome.result not in valid:
                raise InvalidInput.field(f"steps.{n}.result",
                                         f"choose one of {', '.join(Result.values)}")
        overall = _worst([s.result for s in steps])
    else:
        if steps:
            raise InvalidInput.field("steps", f"{case.reference} has no steps: give its result")
        if result not in valid:
            raise InvalidInput.field("result", f"choose one of {', '.join(Result.values)}")
        overall = str(result)
    if severity not in ("low", "medium", "high", "critical"):
        raise InvalidInput.field("severity", "choose low, medium, high or critical")
    previous = (TestExecution.objects.filter(case=case).order_by("-id").first())
    execution = TestExecution(run=run, case=case, case_version=case.version, result=overall,
                              tester=actor, executed_on=today or timezone.localdate(),
                              message=message.strip()[:10000], retest_of=previous)
    execution.save()
    StepResult.objects.bulk_create(
        StepResult(execution=execution, step=step, position=step.position, result=o.result,
                   note=o.note.strip()[:2000])
        for step, o in zip(case_steps, steps, strict=True))
    if evidence is not None:
        execution.evidence = kernel.add_attachment(actor=actor, item=case, upload=evidence)
    if overall == Result.FAILED:
        execution.defect = _raise_defect(actor, run, case, execution, case_steps, steps,
                                         severity, today)
    execution.save()
    record_change(actor=actor, obj=case, verb="executed",
                  changes={"execution": [None, f"{overall} in {run.name}"]})
    return execution


def _raise_defect(actor: User, run: TestRun, case: TestCase, execution: TestExecution,
                  case_steps: list[TestStep], steps: Sequence[StepOutcome], severity: str,
                  today: date | None) -> Any:
    failed = [(s, o) for s, o in zip(case_steps, steps, strict=True)
              if o.result == Result.FAILED]
    lines = [f"Found by {case.reference} in test run {run.name!r}"
             + (f" on build {run.build}" if run.build else "") + "."]
    for step, outcome in failed:
        lines.append(f"Step {step.position}: {step.action}\nExpected: {step.expected or '—'}"
                     + (f"\nObserved: {outcome.note}" if outcome.note else ""))
    if execution.message:
        lines.append(execution.message)
    defect = kernel.create_item(
        actor=actor, spec=ISSUES, project=run.project, today=today,
        data={"title": f"{case.title} fails"[:200], "description": "\n\n".join(lines)[:20000],
              "issue_type": IssueType.DEFECT, "severity": severity,
              "impact": f"{case.reference} fails; the requirements it verifies are not met.",
              # The case's owner triages what it finds (and is told of it).
              "owner": case.owner})
    _link(actor, defect, case, LinkKind.CAUSED_BY)
    for requirement in case.requirements.all():
        _link(actor, defect, requirement, LinkKind.RELATES)
    return defect


def _link(actor: User, source: Any, target: Any, kind: str) -> None:
    ItemLink.objects.get_or_create(
        project=source.project, content_type=ContentType.objects.get_for_model(source),
        object_id=source.pk, target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk, kind=kind, defaults={"created_by": actor})
    record_change(actor=actor, obj=source, verb="linked",
                  changes={"link": [None, f"{LinkKind(kind).label} {target.reference}"]})


@dataclass(frozen=True)
class JUnitImport:
    run: TestRun
    executed: int
    created_cases: int
    failed: int
    defects: int


@transaction.atomic
def import_junit(*, actor: User, project: Project, data: bytes, filename: str,
                 run_name: str = "", build: str = "", test_plan: TestPlan | None = None,
                 today: date | None = None, raise_defects: bool = False) -> JUnitImport:
    """Imports a JUnit XML file as a new test run: each <testcase> is matched to a test case
    of the project by class name and name, and the missing cases are created (automated).
    All or nothing: a file that is not JUnit XML, or is cut short, changes nothing."""
    _require(actor, project, "testing.manage")
    try:
        results = parse_junit(data, filename)
    except JUnitError as exc:
        raise InvalidInput.field("file", str(exc)) from exc
    if not results:
        raise InvalidInput.field("file", f"{filename} holds no test cases")
    today = today or timezone.localdate()
    run = create_run(actor=actor, project=project, name=run_name or filename, build=build,
                     test_plan=test_plan, today=today, source=filename[:255])
    existing = {(c, n): (pk, v) for pk, c, n, v in TestCase.objects.filter(
        project=project, automated=True).values_list("pk", "classname", "junit_name",
                                                     "version")}
    missing = list(dict.fromkeys((r.classname, r.name) for r in results
                                 if (r.classname, r.name) not in existing))
    if missing:
        existing.update(_create_automated_cases(actor, project, missing, test_plan, today))
    insert_rows(TestExecution, ("case_id", "case_version", "result", "duration_seconds",
                                "message"),
                ((*existing[(r.classname, r.name)], r.outcome, r.seconds, r.message)
                 for r in results),
                {"run_id": run.pk, "tester_id": actor.pk, "executed_on": today})
    failed = sum(1 for r in results if r.outcome == Result.FAILED)
    defects = 0
    if raise_defects and failed:
        for execution in TestExecution.objects.filter(run=run, result=Result.FAILED) \
                .select_related("case"):
            execution.defect = _raise_defect(actor, run, execution.case, execution, [], [],
                                             "medium", today)
            execution.save(update_fields=["defect"])
            defects += 1
    record_change(actor=actor, obj=run, verb="imported",
                  changes={"file": [None, filename], "executions": [None, len(results)],
                           "cases created": [None, len(missing)]})
    return JUnitImport(run, len(results), len(missing), failed, defects)


def _create_automated_cases(
    actor: User, project: Project, keys: list[tuple[str, str]], test_plan: TestPlan | None,
    today: date,
) -> dict[tuple[str, str], tuple[int, int]]:
    """Creates many automated cases at once: numbers taken under the register's counter
    lock, one audit entry each, search entries left to `pmo reindex`. Returns each case's
    (id, version) by (class name, name)."""
    counter, _ = ReferenceCounter.objects.get_or_create(project=project,
                                                        register=TEST_CASES.key)
    counter = lock_for_update(ReferenceCounter, counter.pk)
    first = counter.last_number + 1
    counter.last_number += len(keys)
    counter.save(update_fields=["last_number"])
    insert_rows(
        TestCase, ("number", "reference", "title", "classname", "junit_name"),
        ((n, f"{TEST_CASES.prefix}-{n:04d}",
          (f"{classname.rsplit('.', 1)[-1]}.{name}" if classname else name)[:200],
          classname, name) for n, (classname, name) in enumerate(keys, start=first)),
        {"project_id": project.pk, "status": "ready", "raised_on": today,
         "created_by_id": actor.pk, "automated": True,
         "test_plan_id": test_plan.pk if test_plan else None,
         "plan_reference": test_plan.reference if test_plan else ""})
    created = {(c, n): (pk, 1) for pk, c, n in TestCase.objects.filter(
        project=project, number__gte=first).values_list("pk", "classname", "junit_name")}
    insert_rows(
        AuditEntry, ("object_id", "object_repr", "changes"),
        ((str(pk), f"{key[0]}.{key[1]}"[:250],
          json.dumps({"classname": key[0], "junit_name": key[1], "automated": True}))
         for key, (pk, _) in created.items()),
        {"actor_id": actor.pk if actor.is_authenticated else None, "verb": "created",
         "content_type_id": ContentType.objects.get_for_model(TestCase).pk,
         "project_id": project.pk})
    return created
