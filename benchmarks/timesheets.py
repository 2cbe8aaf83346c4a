"""Timesheet week page benchmark (not a timed test): the time and the number of SQL queries
of one person's week page with 10 and with 200 rows (assignments), filled in.

    PYTHONPATH=. python benchmarks/timesheets.py [--small 10] [--large 200]

Runs against a fresh SQLite database in a temporary folder (PMO_DATA_DIR).  The query
count must not grow with the rows; tests/timesheets/test_week_queries.py asserts it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MONDAY = dt.date(2026, 1, 12)


def week_with_rows(root: Any, project: Any, person: Any, rows: int) -> None:
    """A plan of ``rows`` one-week tasks on ``project``, ``person`` assigned to each at a
    rate, and their timesheet for the week of 12 January 2026 saved with an hour a day on
    every row (all through the actions)."""
    from projectoffice.planning import actions as plan_actions
    from projectoffice.resources import actions as res
    from projectoffice.timesheets import actions as ts

    plan_actions.edit_plan(actor=root, project=project, version=None, edits=[
        {"op": "insert", "name": f"Work package {n + 1}", "duration": "5d"}
        for n in range(rows)])
    resource = res.create_resource(actor=root, project=project, name=str(person), user=person)
    res.set_rate(actor=root, resource=resource, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("50.00"))
    assignments = [res.assign_resource(actor=root, project=project, resource_id=resource.pk,
                                       task_uid=uid, work=Decimal(40))
                   for uid in range(1, rows + 1)]
    ts.save_timesheet(actor=person, project=project, week_start=MONDAY, version=None, lines=[
        {"assignment_id": a.pk, "hours": ["0.1"] * 5 + ["0", "0"]} for a in assignments])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=200)
    args = parser.parse_args()
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projectoffice.accounts.actions import create_user
    from projectoffice.portfolio import actions as portfolio_actions

    for rows in (args.small, args.large):
        person = create_user(actor=None, username=f"person{rows}", password="bench-pass-123",
                             display_name=f"Person {rows}", validate=False)
        project = portfolio_actions.create_project(actor=root, code=f"TS{rows}",
                                                   name=f"{rows} rows", portfolio=portfolio)
        portfolio_actions.add_member(actor=root, project=project, user=person,
                                     role="team_member")
        week_with_rows(root, project, person, rows)
        client = Client()
        client.force_login(person)
        url = f"/projects/{project.code}/timesheets/?week={MONDAY.isoformat()}"
        assert client.get(url).status_code == 200
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t0)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        print(f"week page with {rows} rows: {statistics.median(times) * 1000:.0f} ms "
              f"(median of 7), {len(ctx.captured_queries)} SQL queries")


if __name__ == "__main__":
    main()
