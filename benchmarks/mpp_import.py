"""How long a plan file read through MPXJ takes to import: a plan of N tasks (default 2,000).

    .venv/bin/python -m benchmarks.mpp_import [--tasks 2000] [--repeat 3]

Only MS Project writes ``.mpp``, so the plan (``benchmarks.networks.big_plan``) is written by
MPXJ as MPX, which takes the same way in as an ``.mpp``: the MPXJ child process, the MSPDI it
writes, our reader and checks.  The largest ``.mpp`` of the corpus is timed beside it.  The
MPXJ child lives as long as the process (as in a web or job worker), so the first file pays for
starting Java and the rest do not; the first is printed apart.  Each import is timed as wall
seconds and CPU seconds (this process and the MPXJ child) of
:func:`projectoffice.formats.mpxj_bridge.read_plan_file` plus a schedule, beside the peer:
MPXJ's own read of the same file, timed inside the child.  The target is 3 s for 2,000 tasks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.mspdi_corpus import default_corpus
from benchmarks.networks import big_plan
from projectoffice.engine.cpm import schedule
from projectoffice.formats import mpxj_bridge
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


def child_cpu() -> float:
    """CPU seconds the MPXJ child has used so far (Linux /proc; 0 when unknown)."""
    pid = mpxj_bridge.reader_pid()
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Timing:
    wall: float = float("inf")  # read_plan_file + schedule, seconds
    cpu: float = 0.0  # this process and the MPXJ child
    mpxj_read: float = 0.0  # MPXJ's own read of the file, in the child
    mpxj_write: float = 0.0  # MPXJ writing the MSPDI we read
    tasks: int = 0


def timed(data: bytes, repeat: int) -> Timing:
    """The best of ``repeat`` imports (the MPXJ child already running)."""
    best = Timing()
    for _ in range(repeat):
        cpu0, child0 = time.process_time(), child_cpu()
        began = time.perf_counter()
        plan = read_plan_file(data)
        schedule(plan.project)
        wall = time.perf_counter() - began
        if wall < best.wall:
            reply = mpxj_bridge.last_reply()
            best = Timing(wall, time.process_time() - cpu0 + child_cpu() - child0,
                          reply.read_ms / 1000 if reply else 0.0,
                          reply.write_ms / 1000 if reply else 0.0, len(plan.project.tasks))
    return best


def line(label: str, timing: Timing) -> str:
    ours = timing.wall - timing.mpxj_read
    return (f"{label} ({timing.tasks} tasks): {timing.wall:.2f} s wall, {timing.cpu:.2f} s CPU; "
            f"MPXJ's own read {timing.mpxj_read:.2f} s, its MSPDI write {timing.mpxj_write:.2f} "
            f"s, the rest (our reader, checks, schedule) {ours - timing.mpxj_write:.2f} s")


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
    began = time.perf_counter()
    read_plan_file(data)
    print(f"first file of the process (starts the MPXJ child and Java): "
          f"{time.perf_counter() - began:.2f} s")
    timing = timed(data, args.repeat)
    print(line("MPX through MPXJ", timing) + " (target 3 s)")
    files = sorted((default_corpus() / "mpp").glob("*.mpp"), key=lambda p: p.stat().st_size)
    if files:
        print(line(files[-1].name, timed(files[-1].read_bytes(), args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
