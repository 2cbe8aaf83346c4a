"""Capacity heat map benchmark (not a timed test): people × weeks over a portfolio, against
the per-person reading it replaces (each person's usage across projects, one at a time).

    PYTHONPATH=. python benchmarks/capacity.py [--projects 200] [--tasks 20] [--people 60]
                                               [--weeks 52] [--repeat 3] [--bulk]

The issue's size is 1,000 people × 52 weeks:
``--people 1000 --projects 500 --tasks 24 --bulk`` (``--bulk`` writes the people, resources
and assignments as rows instead of one action each — minutes instead of an hour — and
plans with ``replace_plan``; the reading timed is the same).

Runs against a fresh SQLite database in a temporary folder (PMO_DATA_DIR). Prints wall and
CPU time and SQL queries of each, and their ratio.
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


def measure(fn: Any, repeat: int) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds, and the SQL queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, len(
        ctx.captured_queries)


def build(root: Any, portfolio: Any, projects: int, tasks: int, people: int,
          start: dt.date) -> list[Any]:
    """Projects with a plan of `tasks` tasks each (2–10 days, chained in fours), every task
    with one person of a pool of `people`, rotating so each person works on many plans."""
    from projectoffice.accounts.actions import create_user
    from projectoffice.planning import actions as plan_actions
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.resources import actions as res

    pool = [create_user(actor=None, username=f"p{i}", password="bench-pass-123",
                        display_name=f"Person {i}", validate=False) for i in range(people)]
    for n in range(projects):
        project = portfolio_actions.create_project(actor=root, code=f"C{n}",
                                                   name=f"Project {n}", portfolio=portfolio)
        plan = plan_actions.create_plan(actor=root, project=project,
                                        start=dt.datetime.combine(start, dt.time(8)))
        plan_actions.edit_plan(actor=root, project=project, version=plan.version, edits=[
            {"op": "insert", "name": f"Task {k + 1}", "duration": f"{k % 9 + 2}d",
             **({"predecessors": str(k)} if k % 4 else {})} for k in range(tasks)])
        crew = [pool[(n * 3 + j) % people] for j in range(4)]
        resources = [res.create_resource(actor=root, project=project, name=str(p), user=p)
                     for p in crew]
        for uid in range(1, tasks + 1):
            res.assign_resource(actor=root, project=project,
                                resource_id=resources[uid % len(resources)].pk, task_uid=uid)
        if (n + 1) % 50 == 0:
            print(f"  built {n + 1} projects", flush=True)
    return pool


def build_bulk(root: Any, portfolio: Any, projects: int, tasks: int, people: int,
               start: dt.date) -> list[Any]:
    """As ``build``, written as rows: people with an unusable password, each project's plan
    in one ``replace_plan`` (its start spread over the year so that every week has work),
    its five people as resources and one assignment per task (work = duration × 100 %)."""
    from django.contrib.auth.hashers import make_password

    from projectoffice.accounts.models import User
    from projectoffice.planning import actions as plan_actions
    from projectoffice.planning.workspace import LinkRow, TaskRow
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.resources.models import Assignment, Resource

    unusable = make_password(None)
    User.objects.bulk_create([User(username=f"p{i}", display_name=f"Person {i}",
                                   password=unusable) for i in range(people)], batch_size=500)
    pool = list(User.objects.filter(username__in=[f"p{i}" for i in range(people)])
                .order_by("pk"))
    for n in range(projects):
        project = portfolio_actions.create_project(actor=root, code=f"C{n}",
                                                   name=f"Project {n}", portfolio=portfolio)
        rows = [TaskRow(uid=k + 1, name=f"Task {k + 1}", duration=(k % 9 + 2) * 480)
                for k in range(tasks)]
        links = [LinkRow(k, k + 1) for k in range(1, tasks) if k % 4]
        first = start + dt.timedelta(weeks=(n * 7) % 48)
        plan_actions.replace_plan(actor=root, project=project, version=None, tasks=rows,
                                  links=links, start=dt.datetime.combine(first, dt.time(8)))
        crew = [pool[(n * 2 + j) % people] for j in range(5)]
        resources = Resource.objects.bulk_create([
            Resource(project=project, name=str(p), user=p) for p in crew])
        Assignment.objects.bulk_create([
            Assignment(project=project, resource=resources[uid % len(resources)],
                       task_uid=uid, units=100, work=rows[uid - 1].duration // 60)
            for uid in range(1, tasks + 1)])
        if (n + 1) % 100 == 0:
            print(f"  built {n + 1} projects", flush=True)
    return pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bulk", action="store_true",
                        help="write the portfolio as rows (for 1,000 people)")
    args = parser.parse_args()

    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from projectoffice.portfolio.models import Project
    from projectoffice.resources import capacity, usage
    from projectoffice.resources.models import Resource

    start = dt.date(2027, 1, 4)
    t0 = time.perf_counter()
    pool = (build_bulk if args.bulk else build)(root, portfolio, args.projects, args.tasks,
                                                args.people, start)
    print(f"built {args.projects} projects x {args.tasks} tasks, {args.people} people "
          f"in {time.perf_counter() - t0:.0f} s")

    def heat_map() -> None:
        capacity.capacity(root, start, args.weeks)

    def per_person() -> None:
        visible = list(Project.objects.all())
        for person in pool:
            first = Resource.objects.filter(user=person).first()
            if first is not None:
                usage.person_usage(first, visible)

    wall, cpu, queries = measure(heat_map, args.repeat)
    print(f"capacity heat map, {len(pool)} people x {args.weeks} weeks over "
          f"{args.projects} projects: {wall:.0f} ms ({cpu:.0f} ms CPU), {queries} queries")
    from django.test import Client

    client = Client()
    client.force_login(root)
    url = f"/capacity/?from={start.isoformat()}&weeks={args.weeks}"
    assert client.get(url).status_code == 200
    page_wall, page_cpu, page_queries = measure(lambda: client.get(url), args.repeat)
    print(f"capacity page (heat map drawn), same size: {page_wall:.0f} ms ({page_cpu:.0f} ms "
          f"CPU), {page_queries} queries")
    base_wall, base_cpu, base_queries = measure(per_person, 1)
    print(f"each person's usage across projects, one at a time: {base_wall:.0f} ms "
          f"({base_cpu:.0f} ms CPU), {base_queries} queries")
    print(f"ratio (per person / heat map): wall {base_wall / wall:.1f}x, "
          f"CPU {base_cpu / cpu:.1f}x")


if __name__ == "__main__":
    main()
