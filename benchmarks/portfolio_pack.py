"""Portfolio pack benchmark (not a timed test): the time to build the PDF pack of one
reporting period's published status reports over N projects (default 50; target 60 s).

    PYTHONPATH=. python benchmarks/portfolio_pack.py [--projects 50]

Each project has a 40-task plan with milestones and a baseline, risks and issues, and four
monthly reports published through the actions (so every report has a history to compare
with). The earned-value figures of the frozen snapshots are set directly (the projects have
no costs), so that every report carries its SPI/CPI trend chart as it would in an office.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_S = 60


def project_with_reports(root: Any, portfolio: Any, n: int, months: list[Any]) -> None:
    from projectoffice.controls.registers import ISSUES, RISKS
    from projectoffice.planning import actions as plan_actions
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.registers.actions import create_item
    from projectoffice.reports import actions
    from projectoffice.reports.models import StatusReport

    start = months[0].start
    project = portfolio_actions.create_project(
        actor=root, code=f"P{n:03d}", name=f"Benchmark project {n}", portfolio=portfolio,
        manager=root, start_date=start)
    plan = plan_actions.create_plan(actor=root, project=project,
                                    start=dt.datetime.combine(start, dt.time(8)))
    edits: list[dict[str, Any]] = []
    for k in range(40):
        milestone = k % 8 == 7
        edits.append({"op": "insert", "name": f"{'Gate' if milestone else 'Task'} {k + 1}",
                      "duration": "0d" if milestone else f"{k % 5 + 3}d",
                      **({"predecessors": str(k)} if k else {})})
    plan_actions.edit_plan(actor=root, project=project, version=plan.version, edits=edits)
    plan_actions.save_baseline(actor=root, project=project, number=0)
    plan = project.plan
    plan.refresh_from_db()
    plan_actions.edit_plan(actor=root, project=project, version=plan.version,
                           edits=[{"uid": 3, "duration": f"{n % 6 + 6}d"}])
    for k in range(6):
        create_item(actor=root, spec=RISKS, project=project,
                    data={"title": f"Risk {k + 1} of project {n}", "owner": root})
        create_item(actor=root, spec=ISSUES, project=project,
                    data={"title": f"Issue {k + 1} of project {n}", "severity": "high"})
    actions.configure_reporting(actor=root, project=project, version=None, period="monthly")
    for i, month in enumerate(months):
        report = actions.start_report(actor=root, project=project, today=month.end,
                                      day=month.start)
        report = actions.edit_report(actor=root, report=report, version=report.version,
                                     commentary={key: f"Commentary on {key} for {month.label}."
                                                 for key in ("summary", "health", "milestones",
                                                             "finance", "risks", "next")})
        report = actions.submit_report(actor=root, report=report, version=report.version,
                                       today=month.end)
        snapshot = dict(report.snapshot)
        snapshot["earned_value"] = {
            "status_date": month.end.isoformat(), "currency": "GBP",
            "spi": 1.0 - 0.03 * i, "cpi": 0.98 - 0.02 * i, "spi_t": 0.99, "bac": 250000.0,
            "pv": 100000.0, "ev": 95000.0, "ac": 97000.0, "eac": 255000.0, "vac": -5000.0}
        StatusReport.objects.filter(pk=report.pk).update(snapshot=snapshot)
        report.refresh_from_db()
        report = actions.review_report(actor=root, report=report, version=report.version,
                                       decision="accept")
        actions.publish_report(actor=root, report=report, version=report.version, send=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=50)
    args = parser.parse_args()
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from django.db import transaction
    from django.test import Client

    from projectoffice.engine.reporting import period_containing

    today = dt.date.today()
    months = [period_containing(today, "monthly").preceding()]
    for _ in range(3):
        months.insert(0, months[0].preceding())
    print(f"Setting up {args.projects} projects with {len(months)} published reports each…")
    t0 = time.perf_counter()
    for n in range(args.projects):
        with transaction.atomic():
            project_with_reports(root, portfolio, n, months)
    print(f"  set-up: {time.perf_counter() - t0:.0f} s")
    client = Client()
    client.force_login(root)
    last = months[-1]
    url = f"/status-reports/pack/monthly/{last.start}.pdf"
    w0, c0 = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    assert response.status_code == 200, response.status_code
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    verdict = "within" if wall <= TARGET_S else "OVER"
    print(f"Portfolio pack of {args.projects} projects ({last.label}): {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU, {pages} pages, {len(response.content) / 1e6:.1f} MB — "
          f"{verdict} the {TARGET_S} s target")


if __name__ == "__main__":
    main()
