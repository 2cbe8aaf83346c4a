"""Timesheet week page benchmark (not a timed test): the time and the number of SQL queries
of one person's week page with 10 and with 200 rows (assignments), filled in.

    PYTHONPATH=. python benchmarks/timesheets.py [--small 10] [--large 200]
    PYTHONPATH=. python benchmarks/timesheets.py --week [--runs 7]

The second measures the week across projects (/timesheets/week/) of a person on 10 projects
with 40 assignments under way that week: server time, CPU and wall, and queries (target
≤ 200 ms).

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


def person_on_projects(root: Any, portfolio: Any, person: Any, projects: int,
                       per_project: int, prefix: str = "WK") -> dict[str, Any]:
    """``person`` on ``projects`` projects, each with a plan of ``per_project`` one-week tasks
    under way in the week of ``MONDAY`` and a few weeks later (not under way), assigned to
    each; their week saved with hours on every row under way (all through the actions)."""
    from projectoffice.planning import actions as plan_actions
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.resources import actions as res
    from projectoffice.timesheets import actions as ts

    lines = []
    for n in range(projects):
        project = portfolio_actions.create_project(actor=root, code=f"{prefix}{n + 1:02d}",
                                                   name=f"Project {n + 1}",
                                                   portfolio=portfolio)
        portfolio_actions.add_member(actor=root, project=project, user=person,
                                     role="team_member")
        plan = plan_actions.edit_plan(actor=root, project=project, version=None, edits=[
            {"op": "insert", "name": f"Work package {k + 1}", "duration": "5d"}
            for k in range(per_project)] + [
            {"op": "insert", "name": "Later work", "duration": "5d", "predecessors": "1",
             "constraint": "SNET", "constraint_date": "2026-03-02T08:00:00"}])
        plan_actions.set_plan_settings(actor=root, project=project, version=plan.version,
                                       start=dt.datetime.combine(MONDAY, dt.time(8)))
        resource = res.create_resource(actor=root, project=project, name=str(person),
                                       user=person)
        res.set_rate(actor=root, resource=resource, effective_from=dt.date(2025, 1, 1),
                     standard=Decimal("50.00"))
        for uid in range(1, per_project + 2):
            a = res.assign_resource(actor=root, project=project, resource_id=resource.pk,
                                    task_uid=uid, work=Decimal(10))
            if uid <= per_project:
                lines.append({"assignment_id": a.pk, "hours": ["0.25"] * 5 + ["0", "0"],
                              "note": f"Package {uid}"})
    ts.save_week(actor=person, week_start=MONDAY, versions={}, lines=lines)
    return {"lines": len(lines)}


def week_page(projects: int, per_project: int, runs: int) -> None:
    """The week across projects: server time (CPU and wall) and SQL queries of the page."""
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projectoffice.accounts.actions import create_user

    person = create_user(actor=None, username="weekly", password="bench-pass-123",
                         display_name="Weekly Person", validate=False)
    made = person_on_projects(root, portfolio, person, projects, per_project)
    client = Client()
    client.force_login(person)
    url = f"/timesheets/week/?week={MONDAY.isoformat()}"
    first = client.get(url)
    assert first.status_code == 200 and first.content.count(b"data-row=") >= made["lines"]
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    print(f"week page, {projects} projects, {made['lines']} rows under way: "
          f"wall {statistics.median(walls) * 1000:.0f} ms, CPU "
          f"{statistics.median(cpus) * 1000:.0f} ms (median of {runs}), "
          f"{len(ctx.captured_queries)} SQL queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--week", action="store_true",
                        help="only the week across projects: 10 projects, 40 rows")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.week:
        week_page(10, 4, args.runs)
        return
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
