"""Capacity heat map benchmark (not a timed test): people × weeks over a portfolio, against
the per-person reading it replaces (each person's usage across projects, one at a time).

    PYTHONPATH=. python benchmarks/capacity.py [--projects 200] [--tasks 20] [--people 60]
                                               [--weeks 52] [--repeat 3]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from projectoffice.portfolio.models import Project
    from projectoffice.resources import capacity, usage
    from projectoffice.resources.models import Resource

    start = dt.date(2027, 1, 4)
    t0 = time.perf_counter()
    pool = build(root, portfolio, args.projects, args.tasks, args.people, start)
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
    base_wall, base_cpu, base_queries = measure(per_person, 1)
    print(f"each person's usage across projects, one at a time: {base_wall:.0f} ms "
          f"({base_cpu:.0f} ms CPU), {base_queries} queries")
    print(f"ratio (per person / heat map): wall {base_wall / wall:.1f}x, "
          f"CPU {base_cpu / cpu:.1f}x")


if __name__ == "__main__":
    main()
