"""Traceability matrix benchmark (not a timed test): R requirements (default 2,000) and
C test cases (default 5,000), each case verifying one or two requirements and executed
once, with deliverables and defects linked. Measures the matrix's reading and its SQL
queries at full size and at a tenth (the count must not change). Target: 500 ms or less.

    PYTHONPATH=. python benchmarks/traceability.py [--requirements 2000] [--cases 5000]

Runs against a fresh SQLite database in a temporary folder. The rows are written with
bulk inserts to keep the set-up short; the reading is what is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 500


def fill(root: Any, project: Any, requirements: int, cases: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    from projectoffice.assurance.actions import create_run
    from projectoffice.assurance.models import Deliverable, Requirement, TestCase, TestExecution
    from projectoffice.controls.models import Issue
    from projectoffice.registers.models import ItemLink

    today = dt.date(2026, 3, 2)
    common = {"project": project, "raised_on": today, "created_by": root}
    Requirement.objects.bulk_create(
        [Requirement(number=n, reference=f"RQT-{n:04d}", title=f"Requirement {n}",
                     status="agreed", **common) for n in range(1, requirements + 1)],
        batch_size=2000)
    TestCase.objects.bulk_create(
        [TestCase(number=n, reference=f"TC-{n:04d}", title=f"Case {n}", status="ready",
                  **common) for n in range(1, cases + 1)], batch_size=2000)
    reqs = list(Requirement.objects.filter(project=project).values_list("pk", flat=True))
    case_ids = list(TestCase.objects.filter(project=project).values_list("pk", flat=True))
    through = TestCase.requirements.through
    rows = []
    for k, case_id in enumerate(case_ids[: int(len(case_ids) * 0.95)]):  # 5 % verify nothing
        rows.append(through(testcase_id=case_id, requirement_id=reqs[k % len(reqs)]))
        if k % 3 == 0:
            rows.append(through(testcase_id=case_id, requirement_id=reqs[(k * 7 + 1) % len(reqs)]))
    through.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    run = create_run(actor=root, project=project, name="Bench run", today=today)
    TestExecution.objects.bulk_create(
        [TestExecution(run=run, case_id=c, result="failed" if k % 25 == 0 else "passed",
                       executed_on=today) for k, c in enumerate(case_ids)], batch_size=5000)
    Deliverable.objects.bulk_create(
        [Deliverable(number=n, reference=f"DLV-{n:04d}", title=f"Deliverable {n}",
                     status="draft", **common) for n in range(1, requirements // 10 + 1)])
    Issue.objects.bulk_create(
        [Issue(number=n, reference=f"ISS-{n:04d}", title=f"Defect {n}", status="open",
               issue_type="defect", **common) for n in range(1, cases // 25 + 1)])
    ct = ContentType.objects.get_for_models(Requirement, Deliverable, TestCase, Issue)
    deliverables = list(Deliverable.objects.filter(project=project).values_list("pk", flat=True))
    defects = list(Issue.objects.filter(project=project).values_list("pk", flat=True))
    links = [ItemLink(project=project, content_type=ct[Deliverable], object_id=d,
                      target_type=ct[Requirement], target_id=reqs[(k * 10 + j) % len(reqs)])
             for k, d in enumerate(deliverables) for j in range(10)]
    links += [ItemLink(project=project, content_type=ct[Issue], object_id=d,
                       target_type=ct[TestCase], target_id=case_ids[k * 25])
              for k, d in enumerate(defects)]
    ItemLink.objects.bulk_create(links, batch_size=5000)


def measure(project: Any, runs: int = 5) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projectoffice.assurance.queries import traceability

    traceability(project)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        matrix = traceability(project)
        times.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as ctx:
        traceability(project)
    return statistics.median(times) * 1000, len(ctx.captured_queries), len(matrix.rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requirements", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=5000)
    args = parser.parse_args()
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from projectoffice.portfolio import actions as portfolio_actions

    print(f"Traceability matrix (target {TARGET_MS} ms):")
    for label, r, c in (("a tenth", args.requirements // 10, args.cases // 10),
                        ("full size", args.requirements, args.cases)):
        project = portfolio_actions.create_project(actor=root, code=f"TR{r}",
                                                   name=f"Trace {r}", portfolio=portfolio)
        fill(root, project, r, c)
        ms, queries, rows = measure(project)
        verdict = "ok" if ms <= TARGET_MS else "SLOWER THAN TARGET"
        print(f"  {label}: {r} requirements × {c} cases: {ms:.0f} ms (median of 5), "
              f"{queries} SQL queries, {rows} rows [{verdict}]")


if __name__ == "__main__":
    main()
