"""Roll-up pages benchmark (not a timed test): wall time, CPU time and SQL queries of each
page a Project Office manager opens across the portfolio, at two portfolio sizes.

    PYTHONPATH=. python benchmarks/rollups.py                      # 20 and 200 projects
    PYTHONPATH=. python benchmarks/rollups.py --sizes 10 50 --runs 3
    PYTHONPATH=. python benchmarks/rollups.py --data /path/to/data  # an existing office

Without ``--data`` each size is a fresh SQLite database in a temporary folder holding the
demo portfolio (``pmo demo --projects N``); ``DATABASE_URL`` points it at PostgreSQL
instead (the database is emptied first). With ``--data`` the office in that data folder is
measured as it is. The pages are read as the demo's Project Office manager.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def pages() -> list[tuple[str, str]]:
    """(label, URL) of every roll-up page and its API, for the office now loaded."""
    from projectoffice.portfolio.models import Portfolio, Programme, Project

    programme = Programme.objects.order_by("code").first()
    portfolio = Portfolio.objects.order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    out = [("home", "/"), ("projects (health)", "/projects/"),
           ("earned value roll-up", "/earned-value/"),
           ("earned value API", "/api/v1/earned-value")]
    if programme is not None:
        out.append(("programme earned value", f"/programmes/{programme.code}/earned-value/"))
    if portfolio is not None:
        out.append(("portfolio earned value", f"/portfolios/{portfolio.pk}/earned-value/"))
    out += [("cash flow roll-up", "/finance/cash-flow/"), ("cash flow API", "/api/v1/cash-flow"),
            ("benefits roll-up", "/benefits/"), ("benefits API", "/api/v1/benefits"),
            ("timesheet status", "/timesheets/status/"),
            ("timesheet status API", "/api/v1/timesheets/status"),
            ("RAID view", "/raid/"), ("RAID API", "/api/v1/raid"),
            ("master schedule", "/plans/master/"),
            ("master schedule API", "/api/v1/master-schedule")]
    if project is not None:
        out.append(("a project's resources", f"/projects/{project.code}/resources/"))
    return out


def measure(client: Any, url: str, runs: int) -> tuple[float, float, int, int]:
    """Median wall and CPU milliseconds of GET url, its SQL queries and status code."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    queries = len(ctx.captured_queries)
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, queries, status


def measure_office(runs: int) -> dict[str, tuple[float, float, int, int]]:
    from django.test import Client

    from projectoffice.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="pmo"))
    return {label: measure(client, url, runs) for label, url in pages()}


def build(projects: int) -> float:
    """A fresh demo portfolio of ``projects`` projects; returns the seconds it took."""
    from projectoffice.cli import _migrate
    from projectoffice.demo import load_demo, reset_database

    reset_database()
    _migrate()
    started = time.perf_counter()
    load_demo(projects=projects, progress=False)
    return time.perf_counter() - started


def setup(data: str | None) -> None:
    os.environ["PMO_DATA_DIR"] = data or tempfile.mkdtemp(prefix="pmo-rollups-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectoffice.settings")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=(20, 200),
                        help="the two portfolio sizes (projects)")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page")
    parser.add_argument("--data", help="measure the office in this data folder as it is")
    args = parser.parse_args()
    setup(args.data)
    from projectoffice.portfolio.models import Project

    results: list[tuple[int, dict[str, tuple[float, float, int, int]]]] = []
    if args.data:
        results.append((Project.objects.count(), measure_office(args.runs)))
    else:
        for size in args.sizes:
            took = build(size)
            print(f"{size} projects built in {took:.0f} s ({took / size:.2f} s a project)",
                  flush=True)
            results.append((size, measure_office(args.runs)))
    labels = list(results[0][1])
    head = " | ".join(f"{n} projects: wall / CPU ms, queries" for n, _ in results)
    print(f"\n| page | {head} |")
    print("|---|" + "---:|" * len(results))
    for label in labels:
        cells = []
        for _, figures in results:
            wall, cpu, queries, status = figures.get(label, (0, 0, 0, 0))
            flag = "" if status == 200 else f" (HTTP {status})"
            cells.append(f"{wall:.0f} / {cpu:.0f}, {queries}{flag}")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
