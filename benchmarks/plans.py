"""Plan benchmarks (not timed tests), at the sizes issue 15 names: a 5,000-task plan — one
edit with its reschedule and save, the same edit as the page sends it (the cell's POST,
answered with the grid and chart drawn again), a bar dragged and resized, the plan page, the
rows fetched on scrolling, its SQL queries — and a master schedule over 100 projects × 500
tasks (worked out, and its page: the first after an edit and the next). Each figure is
wall-clock time with the process's CPU time beside it.

    PYTHONPATH=. python benchmarks/plans.py [--tasks 5000] [--projects 100] [--per 500]
                                            [--master-only] [--exports] [--repeat 3]

Runs against a fresh SQLite database in a temporary folder (PMO_DATA_DIR).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rows_of(size: int, seed: int):  # type: ignore[no-untyped-def]
    from benchmarks.networks import big_plan
    from projectoffice.planning.workspace import LinkRow, TaskRow

    project = big_plan(size, seed)
    levels: dict[int, int] = {}
    tasks = []
    for t in project.tasks:
        level = 1 if t.parent is None else levels[t.parent] + 1
        levels[t.uid] = level
        tasks.append(TaskRow(uid=t.uid, name=t.name, outline_level=level, duration=t.duration,
                             milestone=t.milestone, constraint=t.constraint.value,
                             constraint_date=t.constraint_date))
    links = [LinkRow(ln.predecessor, ln.successor, ln.type.value, float(ln.lag),
                     ln.lag_kind.value) for ln in project.links]
    return project.start, tasks, links


CPU: list[float] = []  # CPU time of the last timed() call, median, in ms


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Median wall-clock milliseconds; the median CPU time of this process is kept in CPU
    (on a shared machine, the wall clock also counts the time other jobs had the CPU)."""
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[:] = [statistics.median(cpu) * 1000]
    return statistics.median(times) * 1000


def cpu() -> str:
    return f"{CPU[0]:.0f} ms CPU"


def single_plan(args, root, project) -> None:  # type: ignore[no-untyped-def]
    """One big plan: create, edit, page, rows, chart exports, queries per page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projectoffice.planning import actions

    big = project("BIG")
    start, tasks, links = rows_of(args.tasks, 1)
    t0 = time.perf_counter()
    plan = actions.replace_plan(actor=root, project=big, version=None, tasks=tasks,
                                links=links, start=start)
    print(f"create a {args.tasks}-task plan: {(time.perf_counter() - t0) * 1000:.0f} ms")
    leaf = tasks[len(tasks) // 3]
    state = {"version": plan.version, "d": 0}

    def edit() -> None:
        state["d"] = 1 - state["d"]
        p = actions.edit_plan(actor=root, project=big, version=state["version"],
                              edits=[{"uid": leaf.uid, "duration": f"{3 + state['d']}d"}])
        state["version"] = p.version

    print(f"one edit incl. reschedule and save: {timed(edit):.0f} ms (median of 5; {cpu()})")
    from projectoffice.planning.models import PlanTask

    def drag(field: str) -> None:
        # A bar dragged on the chart: the same edit as the page's cell post.
        state["d"] = 1 - state["d"]
        now = PlanTask.objects.get(plan__project=big, uid=leaf.uid)
        day = (now.finish if field == "finish_day" else now.start).date()
        p = actions.edit_plan(actor=root, project=big, version=state["version"], edits=[
            {"uid": leaf.uid, field: (day + dt.timedelta(days=2 * state["d"] - 1)).isoformat()}])
        state["version"] = p.version

    print(f"drag a bar (SNET) incl. reschedule and save: {timed(lambda: drag('start')):.0f} ms "
          f"({cpu()})")
    print(f"drag a bar's end (duration): {timed(lambda: drag('finish_day')):.0f} ms ({cpu()})")
    client = Client()
    client.force_login(root)

    def cell(field: str, value: str) -> None:
        # What the page sends for a typed cell or a dragged bar; the answer is the
        # rescheduled grid and chart, drawn again for the rows the page shows.
        response = client.post("/projects/BIG/plan/cell/", {
            "uid": leaf.uid, "field": field, "value": value, "version": state["version"],
            "rows": "150", "zoom": "week"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.content[:300]
        state["version"] += 1

    def cell_duration() -> None:
        state["d"] = 1 - state["d"]
        cell("duration", f"{3 + state['d']}d")

    def cell_drag() -> None:
        state["d"] = 1 - state["d"]
        now = PlanTask.objects.get(plan__project=big, uid=leaf.uid)
        cell("start", (now.start.date() + dt.timedelta(days=2 * state["d"] - 1)).isoformat())

    print(f"cell edit as the page sends it (edit + grid and chart drawn again): "
          f"{timed(cell_duration):.0f} ms ({cpu()})")
    print(f"bar dragged as the page sends it (SNET + drawn again): "
          f"{timed(cell_drag):.0f} ms ({cpu()})")
    url = "/projects/BIG/plan/"
    client.get(url)
    print(f"plan page (grid + Gantt): {timed(lambda: client.get(url)):.0f} ms ({cpu()})")
    rows_url = "/projects/BIG/plan/rows/?start=150&count=150"
    print(f"next 150 rows on scrolling: {timed(lambda: client.get(rows_url)):.0f} ms "
          f"({cpu()})")
    if args.exports:
        exports(big)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    small = project("SMALL")
    s_start, s_tasks, s_links = rows_of(100, 2)
    actions.replace_plan(actor=root, project=small, version=None, tasks=s_tasks,
                         links=s_links, start=s_start)
    with CaptureQueriesContext(connection) as ctx_small:
        client.get("/projects/SMALL/plan/")
    print(f"SQL queries per plan page: {len(ctx.captured_queries)} ({args.tasks} tasks), "
          f"{len(ctx_small.captured_queries)} (100 tasks)")


def exports(big) -> None:  # type: ignore[no-untyped-def]
    """The chart's PNG and PDF exports (``--exports``: the PDF of 5,000 rows takes seconds)."""
    from projectoffice.planning.queries import plan_view

    view = plan_view(big)
    from projectoffice.planning import chart_export, gantt

    rows = gantt.visible_rows(view, [])
    png = timed(lambda: chart_export.gantt_png(view, rows[:200], "week"), repeat=3)
    print(f"Gantt PNG, 200 rows: {png:.0f} ms ({cpu()})")
    pdf = timed(lambda: chart_export.gantt_pdf(view, rows, "month"), repeat=1)
    print(f"Gantt PDF (A3), {len(rows)} rows: {pdf:.0f} ms ({cpu()})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--per", type=int, default=500)
    parser.add_argument("--exports", action="store_true",
                        help="also time the chart's PNG and PDF exports")
    parser.add_argument("--master-only", action="store_true",
                        help="skip the single-plan measures, time only the master schedule")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the master schedule (best, median and worst printed)")
    args = parser.parse_args()
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from projectoffice.planning import actions
    from projectoffice.planning.consolidation import master_out
    from projectoffice.portfolio import actions as portfolio_actions

    def project(code: str):  # type: ignore[no-untyped-def]
        return portfolio_actions.create_project(actor=root, code=code, name=code,
                                                portfolio=portfolio)

    if not args.master_only:
        single_plan(args, root, project)
    if not args.projects:
        return
    t0 = time.perf_counter()
    for n in range(args.projects):
        p = project(f"M{n:03d}")
        m_start, m_tasks, m_links = rows_of(args.per, 10 + n)
        actions.replace_plan(actor=root, project=p, version=None, tasks=m_tasks,
                             links=m_links, start=m_start)
    print(f"created {args.projects} plans of {args.per} tasks in "
          f"{time.perf_counter() - t0:.0f} s")
    from projectoffice.planning.models import Plan

    plans = list(Plan.objects.select_related("project").filter(
        project__code__startswith="M"))
    from projectoffice.planning.consolidation import build_master

    def spread(values: list[float]) -> str:
        return (f"best {min(values):.2f} s, median {statistics.median(values):.2f} s, "
                f"worst {max(values):.2f} s")

    walls, cpus = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        master_out(build_master(plans))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    print(f"master schedule over {len(plans)} projects x {args.per} tasks, worked out "
          f"(load + one network + schedule + summary; {args.repeat} runs): "
          f"wall {spread(walls)}; CPU {spread(cpus)}")
    master_page(root, args)


def master_page(root, args) -> None:  # type: ignore[no-untyped-def]
    """The master schedule page as a person opens it: the first time after an edit (the
    consolidation is worked out and kept), then again (the kept figures are read)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projectoffice.planning import actions
    from projectoffice.planning.models import Plan

    client = Client()
    client.force_login(root)
    cold, warm = [], []
    for _ in range(args.repeat):
        # An edit anywhere gives the consolidation a new key: the next page works it out.
        plan = Plan.objects.select_related("project").filter(
            project__code__startswith="M").first()
        assert plan is not None
        actions.edit_plan(actor=root, project=plan.project, version=plan.version,
                          edits=[{"uid": 1, "notes": f"benchmark {plan.version}"}])
        t0, c0 = time.perf_counter(), time.process_time()
        assert client.get("/plans/master/").status_code == 200
        cold.append((time.perf_counter() - t0, time.process_time() - c0))
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            client.get("/plans/master/")
            warm.append((time.perf_counter() - t0, time.process_time() - c0))
    with CaptureQueriesContext(connection) as ctx:
        client.get("/plans/master/")

    def ms(pairs: list[tuple[float, float]]) -> str:
        return (f"{statistics.median(p[0] for p in pairs) * 1000:.0f} ms "
                f"({statistics.median(p[1] for p in pairs) * 1000:.0f} ms CPU)")

    print(f"master schedule page, first after an edit (worked out and kept): {ms(cold)}; "
          f"again (kept figures read): {ms(warm)}; {len(ctx.captured_queries)} SQL queries")

if __name__ == "__main__":
    main()
