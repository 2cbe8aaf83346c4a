"""Roll-up pages benchmark (not a timed test): wall time, CPU time and SQL queries of each
page a Project Office manager opens across the portfolio, at two portfolio sizes.

    PYTHONPATH=. python benchmarks/rollups.py                      # 20 and 200 small projects
    PYTHONPATH=. python benchmarks/rollups.py --builder demo --sizes 10 30 --runs 3
    PYTHONPATH=. python benchmarks/rollups.py --data /path/to/data  # an existing office
    PYTHONPATH=. python benchmarks/rollups.py --data /path/to/data --only master

Without ``--data`` the office is a fresh SQLite database in a temporary folder
(``DATABASE_URL`` points it at PostgreSQL instead; that database is emptied first), grown
to each size in turn by one of two builders:

* ``light`` (default, about a third of a second a project): the projects of the query-count
  tests (tests/portfolio/scale.py) — a small baselined cost-loaded plan with progress,
  approved time, a budget, an order, invoice and payment, an expense, a benefit with a
  measurement, a risk, an issue and an action; every second project in euros;
* ``demo``: the demo portfolio (``pmo demo --projects N``), rebuilt for each size: plans of
  about 200 tasks, months of timesheets, documents and meetings (seconds a project).

With ``--data`` the office in that data folder is measured as it is. The pages are read as
the office's first Project Office manager.
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
            ("master schedule API", "/api/v1/master-schedule"),
            ("portfolio dashboard", "/portfolio/dashboard/"),
            ("capacity heat map", "/capacity/")]
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


def measure_office(runs: int, only: str = "") -> dict[str, tuple[float, float, int, int]]:
    from django.test import Client

    from projectoffice.accounts.models import User

    client = Client()
    client.force_login(User.objects.filter(global_role="pmo_manager").order_by("pk").first())
    return {label: measure(client, url, runs) for label, url in pages()
            if only.lower() in label}


def _fresh() -> None:
    from django.core.management import call_command

    from projectoffice.cli import _migrate
    from projectoffice.demo import reset_database

    reset_database()
    _migrate()
    call_command("createcachetable", verbosity=0)


def build_demo(projects: int) -> float:
    """A fresh demo portfolio of ``projects`` projects; returns the seconds it took."""
    from projectoffice.demo import load_demo

    _fresh()
    started = time.perf_counter()
    load_demo(projects=projects, progress=False)
    return time.perf_counter() - started


class LightOffice:
    """The office of the query-count tests, grown a few projects at a time."""

    def __init__(self) -> None:
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        _fresh()
        from tests.conftest import Office

        self.office = Office()

    def grow_to(self, projects: int) -> float:
        from tests.portfolio.scale import grow

        started = time.perf_counter()
        grow(self.office, projects - getattr(self.office, "grown", 0))
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
    parser.add_argument("--only", default="",
                        help="measure only the pages whose label contains this text")
    parser.add_argument("--builder", choices=("light", "demo"), default="light",
                        help="how the portfolio is built (see above)")
    args = parser.parse_args()
    setup(args.data)
    from projectoffice.portfolio.models import Project

    results: list[tuple[int, dict[str, tuple[float, float, int, int]]]] = []
    if args.data:
        results.append((Project.objects.count(), measure_office(args.runs, args.only)))
    else:
        light = LightOffice() if args.builder == "light" else None
        for size in sorted(args.sizes):
            took = light.grow_to(size) if light else build_demo(size)
            print(f"{size} projects: built in {took:.0f} s", flush=True)
            results.append((Project.objects.count(), measure_office(args.runs, args.only)))
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
