"""Load run against running office servers (not a timed test): simulated users of the three
roles sign in through the form and open their pages in a loop; each page's p50/p95 and every
error are printed, with "database is locked" counted apart.

    pmo demo --projects 1000 && pmo serve --port 8000 & pmo serve --port 8001 --no-worker &
    python benchmarks/load.py --url http://127.0.0.1:8000 --url http://127.0.0.1:8001 \\
        --users 30 --duration 180

Users are spread over the servers given (as a proxy would). Each simulated person reads a
page before opening the next: a pause drawn between ``--think`` MIN and MAX seconds
(default 2 to 6; ``--think 0 0`` turns it off and measures how much the servers can take
rather than what people see). They arrive one after another over the first ``--ramp``
seconds (default 10) rather than all signing in at the same instant. The demo's sign-ins are
used:
the Project Office manager (pmo), project managers (alice, ben, chloe) and a team member
(omar), password office-demo-2026. Pass criteria of the office's measurements: 0 errors and
every page's p95 ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx

PASSWORD = "office-demo-2026"
# Each role's pages, opened in turn: what a person of that role opens most.
MIXES: dict[str, list[str]] = {
    "pmo": ["/", "/projects/", "/earned-value/", "/finance/cash-flow/", "/benefits/",
            "/timesheets/status/", "/raid/", "/plans/master/", "/jobs/", "/api/v1/projects"],
    "alice": ["/", "/my-work/", "/projects/", "/actions/mine/", "/notifications/",
              "/api/v1/me/tasks"],
    "omar": ["/", "/my-work/", "/timesheets/week/", "/actions/mine/", "/api/v1/me"],
}
ROLE_OF_USER = ["pmo", "alice", "alice", "omar", "omar"]  # 1 manager : 2 PMs : 2 members


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.locked = 0
        self.began = time.monotonic()
        self.slow: list[tuple[float, str, float]] = []  # (seconds into the run, page, seconds)

    def add(self, page: str, seconds: float, problem: str = "") -> None:
        with self.lock:
            self.times[page].append(seconds)
            if seconds > 0.5:
                self.slow.append((time.monotonic() - self.began - seconds, page, seconds))
            if problem:
                self.errors[f"{page}: {problem}"] += 1
                self.locked += "database is locked" in problem


def sign_in(client: httpx.Client, username: str) -> None:
    form = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if token is None:
        raise RuntimeError(f"no sign-in form at {client.base_url}")
    answer = client.post("/login/", data={"username": username, "password": PASSWORD,
                                          "csrfmiddlewaretoken": token.group(1)},
                         headers={"Referer": f"{client.base_url}/login/"})
    if answer.status_code != 302:
        raise RuntimeError(f"{username} could not sign in ({answer.status_code})")


THINK = (2.0, 6.0)  # seconds a person spends on a page before opening the next
RAMP = 10.0  # seconds over which the simulated people arrive and sign in


def one_user(url: str, username: str, until: float, tally: Tally,
             think: tuple[float, float] = THINK, seed: int = 0, arrive: float = 0.0) -> None:
    pause = random.Random(seed)
    time.sleep(arrive)  # people arrive one after another, not all in the same instant
    with httpx.Client(base_url=url, timeout=120) as client:
        sign_in(client, username)
        pages = MIXES[username]
        n = seed  # people do not all start on the same page
        while time.monotonic() < until:
            if n != seed and think[1] > 0:
                time.sleep(min(pause.uniform(*think), max(0.0, until - time.monotonic())))
                if time.monotonic() >= until:
                    break
            page = pages[n % len(pages)]
            n += 1
            started = time.perf_counter()
            try:
                answer = client.get(page)
                problem = "" if answer.status_code == 200 else \
                    f"{answer.status_code} {answer.text[:80]!r}"
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            tally.add(page, time.perf_counter() - started, problem)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", action="append", default=[], help="a server (repeatable)")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("MIN", "MAX"),
                        help="seconds a person reads a page (default 2 6)")
    parser.add_argument("--ramp", type=float, default=RAMP,
                        help="seconds over which the people arrive (default 10)")
    args = parser.parse_args()
    urls = args.url or ["http://127.0.0.1:8000"]
    tally = Tally()
    until = time.monotonic() + args.duration
    with ThreadPoolExecutor(max_workers=args.users) as pool:
        runs = [pool.submit(one_user, urls[i % len(urls)], ROLE_OF_USER[i % len(ROLE_OF_USER)],
                            until, tally, tuple(args.think), i, i * args.ramp / args.users)
                for i in range(args.users)]
        for run in runs:
            run.result()
    return 0 if report(tally, args.users, len(urls), args.duration) else 1


def report(tally: Tally, users: int, servers: int, duration: float) -> bool:
    """Prints each page's p50/p95 and the errors; True when the run passes."""
    total = sum(len(t) for t in tally.times.values())
    print(f"{users} users, {servers} server(s), {duration:.0f} s: {total} requests,"
          f" {sum(tally.errors.values())} errors, {tally.locked} 'database is locked'")
    print(f"{'page':<28}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    worst = 0.0
    for page, times in sorted(tally.times.items()):
        p95 = (statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1
               else times[0])
        worst = max(worst, p95)
        print(f"{page:<28}{len(times):>7}{statistics.median(times) * 1000:>9.0f}"
              f"{p95 * 1000:>9.0f}{max(times) * 1000:>9.0f}")
    if tally.slow:
        print("requests over 500 ms (seconds into the run: page, ms):",
              "; ".join(f"{at:.0f} s: {page} {took * 1000:.0f}"
                        for at, page, took in sorted(tally.slow)[:40]))
    for problem, count in sorted(tally.errors.items()):
        print(f"  {count} × {problem}")
    ok = not tally.errors and worst <= 0.5
    print("PASS" if ok else "FAIL", "(0 errors, every p95 ≤ 500 ms)")
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
