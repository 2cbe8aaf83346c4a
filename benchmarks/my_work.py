"""My work benchmark (not a timed test): the server time, CPU time and SQL queries of

* a person's My work page when they are on 2 projects with 8 active assignments and on
  10 projects with 40 (the target: 200 ms or less, the same number of queries at both);
* the inbox of a Project Office manager over a portfolio of N projects (default 1,000), each
  with a change request waiting for a decision and a request waiting for approval.

    PYTHONPATH=. python benchmarks/my_work.py [--projects 1000]

Runs against a fresh SQLite database in a temporary folder. The data is made through the
actions (plans, resources, assignments, register items); only the waiting states of the
inbox items are set directly, to keep the set-up of 1,000 projects short.
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

TARGET_MS = 200


def measure(client: Any, url: str, runs: int = 7) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds of GET url, and its SQL queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return (statistics.median(walls) * 1000, statistics.median(cpus) * 1000,
            len(ctx.captured_queries))


def person_on(root: Any, portfolio: Any, person: Any, projects: int, per_project: int,
              tag: str) -> None:
    """`person` assigned to `per_project` tasks of this week in each of `projects` plans."""
    from projectoffice.planning import actions as plan_actions
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.resources import actions as res

    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    for n in range(projects):
        project = portfolio_actions.create_project(actor=root, code=f"{tag}{n}",
                                                   name=f"Project {tag}{n}",
                                                   portfolio=portfolio)
        portfolio_actions.add_member(actor=root, project=project, user=person,
                                     role="team_member")
        plan = plan_actions.create_plan(actor=root, project=project,
                                        start=dt.datetime.combine(monday, dt.time(8)))
        plan_actions.edit_plan(actor=root, project=project, version=plan.version, edits=[
            {"op": "insert", "name": f"Work package {k + 1}", "duration": f"{k % 8 + 2}d"}
            for k in range(per_project)])
        resource = res.create_resource(actor=root, project=project, name=str(person),
                                       user=person)
        for uid in range(1, per_project + 1):
            res.assign_resource(actor=root, project=project, resource_id=resource.pk,
                                task_uid=uid)


def waiting_portfolio(root: Any, portfolio: Any, projects: int) -> None:
    from projectoffice.controls.models import ChangeRequest
    from projectoffice.controls.registers import CHANGES
    from projectoffice.facilities.models import FacilityRequest
    from projectoffice.facilities.registers import REQUESTS
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.registers.actions import create_item

    for n in range(projects):
        project = portfolio_actions.create_project(actor=root, code=f"INB{n}",
                                                   name=f"Inbox project {n}",
                                                   portfolio=portfolio)
        create_item(actor=root, spec=CHANGES, project=project,
                    data={"title": f"Change {n}", "change_detail": "More scope",
                          "reason": "Customer"})
        create_item(actor=root, spec=REQUESTS, project=project,
                    data={"title": f"Laptops {n}", "quantity": 2})
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} projects", flush=True)
    ChangeRequest.objects.update(status="assessed", cost_impact=1000, delay_days=2)
    FacilityRequest.objects.update(status="submitted")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    args = parser.parse_args()
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from django.test import Client

    from projectoffice.accounts.actions import create_user

    print(f"My work page (target {TARGET_MS} ms):")
    for projects, per_project in ((2, 4), (10, 4)):
        person = create_user(actor=None, username=f"person{projects}",
                             password="bench-pass-123", display_name=f"Person {projects}",
                             validate=False)
        person_on(root, portfolio, person, projects, per_project, tag=f"W{projects}P")
        client = Client()
        client.force_login(person)
        wall, cpu, queries = measure(client, "/my-work/")
        print(f"  {projects} projects, {projects * per_project} assignments: {wall:.0f} ms "
              f"wall, {cpu:.0f} ms CPU (medians of 7), {queries} SQL queries")

    print(f"Inbox of a Project Office manager over {args.projects} projects "
          f"(target {TARGET_MS} ms), setting up:")
    waiting_portfolio(root, portfolio, args.projects)
    pmo = create_user(actor=None, username="pmo", password="bench-pass-123",
                      display_name="PMO", global_role="pmo_manager", validate=False)
    client = Client()
    client.force_login(pmo)
    wall, cpu, queries = measure(client, "/api/v1/me/inbox")
    print(f"  /api/v1/me/inbox: {wall:.0f} ms wall, {cpu:.0f} ms CPU, {queries} SQL queries "
          f"({2 * args.projects} waiting; the oldest 50 of each kind returned)")
    wall, cpu, queries = measure(client, "/my-work/")
    print(f"  /my-work/: {wall:.0f} ms wall, {cpu:.0f} ms CPU, {queries} SQL queries")


if __name__ == "__main__":
    main()
