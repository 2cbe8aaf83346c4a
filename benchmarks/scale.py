"""The office's scale figures in one command (not a timed test): the large demo portfolio's
load time, the query-count tests of the roll-up pages, those pages over the portfolio (wall
time, CPU time and queries), and a load run of simulated users against several app
servers and a worker — p50/p95 per page, errors, "database is locked", and the CPU time the
servers spent beside the wall time.

    # PostgreSQL, 1,000 projects, 3 app servers + a worker, 30 users for 3 minutes:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmo_scale \\
        PYTHONPATH=. python benchmarks/scale.py --build --projects 1000 --users 30
    # SQLite, 10 users (the same data folder layout; 0 "database is locked" expected):
    PYTHONPATH=. python benchmarks/scale.py --data /tmp/pmo-scale-sqlite --build --users 10

The data folder (``--data``, default a temporary one) holds the office; ``--build`` loads
``pmo demo --fresh --projects N`` into it first and prints how long that took, else the
office there is measured as it is. The servers listen on ``--port`` and the next ports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import RAMP, ROLE_OF_USER, THINK, Tally, one_user, report

TICKS = os.sysconf("SC_CLK_TCK")
# The tests that fail when a roll-up page's queries grow with the number of projects.
QUERY_COUNT_TESTS = (
    "tests/finance/test_rollup_queries.py", "tests/finance/test_figures_memo.py",
    "tests/planning/test_master_queries.py", "tests/timesheets/test_status_queries.py",
    "tests/controls/test_raid_queries.py", "tests/portfolio/test_health_queries.py",
    "tests/resources/test_resources_queries.py")


def cpu_seconds(sessions: set[int]) -> float:
    """User + system CPU seconds of every live process in the given sessions."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:  # field 6 of stat: the session id
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def pmo(*args: str, env: dict[str, str], **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "projectoffice.cli", *args], env=env,
                            **kw)  # type: ignore[call-overload]


def wait_ready(url: str, seconds: float = 120) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="the office's data folder (default: a new one)")
    parser.add_argument("--build", action="store_true", help="load the demo portfolio first")
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=3, help="app servers (gunicorn)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers a server")
    parser.add_argument("--threads", type=int, default=4, help="threads a gunicorn worker")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=float, default=180, help="seconds")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-rollups", action="store_true", help="skip the roll-up pages")
    parser.add_argument("--no-tests", action="store_true", help="skip the query-count tests")
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("MIN", "MAX"),
                        help="seconds a simulated person reads a page (default 2 6)")
    parser.add_argument("--ramp", type=float, default=RAMP,
                        help="seconds over which the simulated people arrive (default 10)")
    args = parser.parse_args()
    data = args.data or tempfile.mkdtemp(prefix="pmo-scale-")
    env = {**os.environ, "PMO_DATA_DIR": data,
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    db = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if args.build:
        started, cpu = time.perf_counter(), time.process_time()
        built = subprocess.run([sys.executable, "-m", "projectoffice.cli", "demo", "--fresh",
                                "--quiet", "--projects", str(args.projects)], env=env,
                               check=False)
        if built.returncode:
            return built.returncode
        took = time.perf_counter() - started
        usage = os.times()
        print(f"pmo demo --projects {args.projects} on {db}: {took:.0f} s wall, "
              f"{usage.children_user + usage.children_system - cpu:.0f} s CPU", flush=True)
    if not args.no_tests:
        # The query-count tests: each roll-up page's queries do not grow with the portfolio.
        test_env = {k: v for k, v in env.items() if k != "PMO_DATA_DIR"}
        tested = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 *QUERY_COUNT_TESTS], env=test_env,
                                cwd=str(Path(__file__).resolve().parent.parent), check=False)
        print(f"query-count tests: {'passed' if tested.returncode == 0 else 'FAILED'}",
              flush=True)
    if not args.no_rollups:
        subprocess.run([sys.executable, str(Path(__file__).parent / "rollups.py"), "--data",
                        data, "--runs", "3"], env=env, check=False)
    servers = []
    for n in range(args.servers):
        flags = ["--no-migrate", "--port", str(args.port + n), "--workers", str(args.workers)]
        if n:
            flags.append("--no-worker")  # one worker for the office, beside the first server
        servers.append(pmo("serve", *flags, env={**env, "PMO_THREADS": str(args.threads)},
                           start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    urls = [f"http://127.0.0.1:{args.port + n}" for n in range(args.servers)]
    try:
        for url in urls:
            wait_ready(url)
        sessions = {p.pid for p in servers}
        tally = Tally()
        cpu0, wall0 = cpu_seconds(sessions), time.perf_counter()
        until = time.monotonic() + args.duration
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            runs = [pool.submit(one_user, urls[i % len(urls)],
                                ROLE_OF_USER[i % len(ROLE_OF_USER)], until, tally,
                                tuple(args.think), i, i * args.ramp / args.users)
                    for i in range(args.users)]
            for run in runs:
                run.result()
        wall, cpu = time.perf_counter() - wall0, cpu_seconds(sessions) - cpu0
        print(f"\nLoad on {db}, {args.servers} app servers × {args.workers} worker(s) × "
              f"{args.threads} threads + a job "
              f"worker: servers used {cpu:.0f} s CPU in {wall:.0f} s wall "
              f"({cpu / wall * 100:.0f}% of one core)")
        ok = report(tally, args.users, len(urls), args.duration)
    finally:
        for p in servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, 15)
        for p in servers:
            p.wait(timeout=30)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
