"""How long a plan file read through MPXJ takes to import: a plan of N tasks (default 2,000).

    .venv/bin/python -m benchmarks.mpp_import [--tasks 2000] [--repeat 3]

Only MS Project writes ``.mpp``, so the plan (``benchmarks.networks.big_plan``) is written by
MPXJ as MPX, which takes the same way in as an ``.mpp``: the MPXJ child process, the MSPDI it
writes, our reader and checks.  The largest ``.mpp`` of the corpus is timed beside it.  Times
are wall-clock seconds of :func:`projectoffice.formats.mpxj_bridge.read_plan_file` plus a
schedule; the target is 3 s for 2,000 tasks.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.mspdi_corpus import default_corpus
from benchmarks.networks import big_plan
from projectoffice.engine.cpm import schedule
from projectoffice.formats.mpxj_bridge import mpxj_problem, read_plan_file
from projectoffice.formats.mspdi import MspdiPlan, write_mspdi
from projectoffice.formats.sniff import MPP

TO_MPX = """
import sys, jpype, mpxj
jpype.startJVM(convertStrings=True)
from org.mpxj.reader import UniversalProjectReader
from org.mpxj.mpx import MPXWriter
MPXWriter().write(UniversalProjectReader().read(sys.argv[1]), sys.argv[2])
"""


def mpx_of(tasks: int, folder: Path) -> bytes:
    source, target = folder / "plan.xml", folder / "plan.mpx"
    source.write_bytes(write_mspdi(MspdiPlan(big_plan(tasks))))
    subprocess.run([sys.executable, "-c", TO_MPX, str(source), str(target)], check=True,
                   capture_output=True)
    return target.read_bytes()


def timed(data: bytes, repeat: int) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        began = time.perf_counter()
        plan = read_plan_file(data)
        schedule(plan.project)
        best = min(best, time.perf_counter() - began)
        count = len(plan.project.tasks)
    return best, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    problem = mpxj_problem(MPP)
    if problem is not None:
        print(f"skipped: {problem}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="pmo-bench-") as folder:
        data = mpx_of(args.tasks, Path(folder))
    seconds, count = timed(data, args.repeat)
    print(f"MPX of {count} tasks through MPXJ: {seconds:.2f} s (target 3 s)")
    files = sorted((default_corpus() / "mpp").glob("*.mpp"), key=lambda p: p.stat().st_size)
    if files:
        seconds, count = timed(files[-1].read_bytes(), args.repeat)
        print(f"{files[-1].name} ({count} tasks): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
