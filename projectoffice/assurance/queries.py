"""Reads of the testing service: a run's figures, burn-up series and the traceability matrix,
each in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, QuerySet

from projectoffice.controls.models import Issue
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import ItemLink

from .models import (
    Deliverable,
    MoSCoW,
    Requirement,
    Result,
    TestCase,
    TestExecution,
    TestRun,
)


def runs_of(project: Project) -> QuerySet[TestRun]:
    return TestRun.objects.filter(project=project).select_related("test_plan")


def latest_executions(executions: QuerySet[TestExecution]) -> QuerySet[TestExecution]:
    """The latest execution of each case among `executions` (a re-test replaces a result)."""
    last = executions.values("case_id").annotate(last=Max("id")).values("last")
    return TestExecution.objects.filter(id__in=last)


@dataclass
class RunFigures:
    cases: int = 0
    executions: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    requirements: int = 0
    covered: int = 0
    verified: int = 0

    @property
    def pass_rate(self) -> float | None:
        """Passed cases over cases run (skipped ones are not run)."""
        ran = self.cases - self.counts.get(Result.SKIPPED, 0)
        return self.counts.get(Result.PASSED, 0) / ran if ran else None

    @property
    def coverage(self) -> float | None:
        """The project's requirements with at least one case executed in the run."""
        return self.covered / self.requirements if self.requirements else None


def run_figures(run: TestRun) -> RunFigures:
    executions = TestExecution.objects.filter(run=run)
    figures = RunFigures(executions=executions.count())
    latest = dict(latest_executions(executions).values_list("case_id", "result"))
    figures.cases = len(latest)
    for result in latest.values():
        figures.counts[result] = figures.counts.get(result, 0) + 1
    links = TestCase.requirements.through.objects.filter(
        testcase__project_id=run.project_id).values_list("requirement_id", "testcase_id")
    by_requirement: dict[int, list[int]] = defaultdict(list)
    for requirement_id, case_id in links:
        by_requirement[requirement_id].append(case_id)
    figures.requirements = Requirement.objects.filter(project_id=run.project_id).exclude(
        status__in=("rejected", "deferred")).count()
    for cases in by_requirement.values():
        ran = [latest[c] for c in cases if c in latest]
        if ran:
            figures.covered += 1
            if all(r == Result.PASSED for r in ran):
                figures.verified += 1
    return figures


@dataclass(frozen=True)
class BurnPoint:
    day: date
    executed: int
    passed: int


def burn_up(executions: QuerySet[TestExecution]) -> list[BurnPoint]:
    """Per day with executions: distinct cases executed so far and cases whose latest result
    so far is a pass."""
    rows = executions.order_by("executed_on", "id").values_list("executed_on", "case_id",
                                                                "result")
    latest: dict[int, str] = {}
    points: list[BurnPoint] = []
    for day, case_id, result in rows:
        latest[case_id] = result
        passed = sum(1 for r in latest.values() if r == Result.PASSED)
        if points and points[-1].day == day:
            points[-1] = BurnPoint(day, len(latest), passed)
        else:
            points.append(BurnPoint(day, len(latest), passed))
    return points


# ---------------------------------------------------------------------------------------------
# Traceability


@dataclass(slots=True)
class Entry:
    """One item as the matrix shows it (read as plain values: thousands per page)."""

    pk: int
    reference: str
    title: str
    status: str
    status_label: str
    tone: str
    moscow: str = ""
    moscow_label: str = ""
    parent_id: int | None = None


def _entries(model: Any, qs: QuerySet[Any], *extra: str) -> list[Entry]:
    states = {s.key: s for s in model.register_spec.workflow.states}
    moscow = dict(MoSCoW.choices)
    out = []
    for pk, reference, title, status, *more in qs.values_list(
            "pk", "reference", "title", "status", *extra):
        state = states.get(status)
        kwargs: dict[str, Any] = {}
        if extra:
            kwargs = {"moscow": more[0], "moscow_label": moscow.get(more[0], more[0]),
                      "parent_id": more[1]}
        out.append(Entry(pk, reference, title, status, state.label if state else status,
                         state.tone if state else "neutral", **kwargs))
    return out


@dataclass
class MatrixRow:
    requirement: Entry
    deliverables: list[Entry] = field(default_factory=list)
    cases: list[tuple[Entry, str | None]] = field(default_factory=list)  # (case, latest)
    defects: list[Entry] = field(default_factory=list)
    # The cases of the requirements refining this one (a parent is verified through them).
    inherited: list[tuple[Entry, str | None]] = field(default_factory=list)

    @property
    def coverage(self) -> float | None:
        """Linked cases (or, for a parent without its own, its children's) whose latest
        execution passed, over those cases."""
        cases = self.cases or self.inherited
        if not cases:
            return None
        return sum(1 for _, r in cases if r == Result.PASSED) / len(cases)

    @property
    def untested(self) -> bool:
        return not self.cases and not self.inherited


@dataclass
class Matrix:
    rows: list[MatrixRow]
    orphan_cases: list[Entry]  # test cases that verify no requirement

    @property
    def untested(self) -> int:
        return sum(1 for r in self.rows if r.untested)

    @property
    def fully_covered(self) -> int:
        return sum(1 for r in self.rows if r.coverage == 1)


def traceability(project: Project) -> Matrix:
    """Requirement ↔ deliverable ↔ test case ↔ defect for a project, in seven queries
    (one more to read the content types the first time)."""
    requirements = _entries(Requirement, Requirement.objects.filter(project=project)
                            .order_by("number"), "moscow", "parent_id")
    cases = {c.pk: c for c in _entries(TestCase, TestCase.objects.filter(project=project)
                                       .exclude(status="retired").order_by("number"))}
    through = TestCase.requirements.through.objects.filter(
        testcase__project=project).values_list("requirement_id", "testcase_id")
    latest_ids = (TestExecution.objects.filter(case__project=project).values("case_id")
                  .annotate(last=Max("id")).values("last"))
    latest = dict(TestExecution.objects.filter(id__in=latest_ids)
                  .values_list("case_id", "result"))
    ct = ContentType.objects.get_for_models(Requirement, Deliverable, TestCase, Issue)
    kinds = (ct[Deliverable].pk, ct[Issue].pk, ct[Requirement].pk, ct[TestCase].pk)
    # Links count in either direction: a deliverable linked to a requirement or the reverse.
    links = [(a, ai, b, bi) if a in (ct[Deliverable].pk, ct[Issue].pk) else (b, bi, a, ai)
             for a, ai, b, bi in ItemLink.objects.filter(
                 project=project, content_type_id__in=kinds, target_type_id__in=kinds)
             .values_list("content_type_id", "object_id", "target_type_id", "target_id")]
    deliverables = {d.pk: d for d in _entries(Deliverable,
                                              Deliverable.objects.filter(project=project))}
    defects = {i.pk: i for i in _entries(Issue, Issue.objects.filter(
        project=project, issue_type="defect",
        pk__in={o for c, o, _, _ in links if c == ct[Issue].pk}))}
    rows = {r.pk: MatrixRow(r) for r in requirements}
    cases_of: dict[int, list[int]] = defaultdict(list)
    linked_cases: set[int] = set()
    for requirement_id, case_id in through:
        if case_id in cases and requirement_id in rows:
            cases_of[requirement_id].append(case_id)
            linked_cases.add(case_id)
    defects_of_case: dict[int, list[Entry]] = defaultdict(list)
    for source_type, source_id, target_type, target_id in links:
        if source_type == ct[Deliverable].pk and target_type == ct[Requirement].pk:
            if target_id in rows and source_id in deliverables:
                rows[target_id].deliverables.append(deliverables[source_id])
        elif source_type == ct[Issue].pk and source_id in defects:
            if target_type == ct[Requirement].pk and target_id in rows:
                rows[target_id].defects.append(defects[source_id])
            elif target_type == ct[TestCase].pk:
                defects_of_case[target_id].append(defects[source_id])
    for requirement_id, row in rows.items():
        ids = cases_of[requirement_id]
        ids.sort()
        row.cases = [(cases[c], latest.get(c)) for c in ids]
        seen = {d.pk for d in row.defects}
        for case_id in ids:
            for defect in defects_of_case[case_id]:
                if defect.pk not in seen:
                    row.defects.append(defect)
                    seen.add(defect.pk)
    for row in rows.values():
        parent_id, seen_parents = row.requirement.parent_id, set()
        while parent_id in rows and parent_id not in seen_parents and row.cases:
            seen_parents.add(parent_id)
            rows[parent_id].inherited.extend(row.cases)
            parent_id = rows[parent_id].requirement.parent_id
    orphans = [c for pk, c in cases.items() if pk not in linked_cases]
    return Matrix(list(rows.values()), orphans)


def matrix_csv_rows(matrix: Matrix) -> list[list[Any]]:
    header = ["Requirement", "Title", "Status", "MoSCoW", "Deliverables", "Test cases",
              "Latest results", "Coverage %", "Defects", "Gap"]
    out: list[list[Any]] = [header]
    for row in matrix.rows:
        r = row.requirement
        coverage = row.coverage
        out.append([
            r.reference, r.title, r.status, r.moscow,
            " ".join(d.reference for d in row.deliverables),
            " ".join(c.reference for c, _ in row.cases)
            or ("through refining requirements" if row.inherited else ""),
            " ".join(f"{c.reference}:{res or 'not run'}" for c, res in row.cases),
            "" if coverage is None else round(coverage * 100),
            " ".join(d.reference for d in row.defects),
            "no test" if row.untested else "",
        ])
    for case in matrix.orphan_cases:
        out.append(["", "", "", "", "", case.reference, "", "", "", "test with no requirement"])
    return out
