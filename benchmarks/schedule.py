"""Scheduling benchmark: our engine against MPXJ's MicrosoftScheduler and TaskJuggler.

    python benchmarks/schedule.py            # 1k, 10k and 100k tasks
    python benchmarks/schedule.py --sizes 1000 10000 --no-mpxj-above 10000

For each size it generates a layered plan (benchmarks/networks.py), writes it as MSPDI and
reports: our scheduling time (parsing excluded), MPXJ's (warm JVM, in process, parsing
excluded) and the ratio; our MSPDI read time; and, in a separate process, the whole
`pmo schedule --json` and its peak memory.  Each time comes twice: wall clock (``_s``) and
the CPU time of the thread doing the work (``_cpu_s``: ours is the main thread, MPXJ's the
calling JVM thread, so the JVM's collector and compiler threads, which share this process,
count for neither; the whole command's is its process's).  On a shared, loaded machine the CPU
times are the steadier figure; wall times there include waiting for a core.

TaskJuggler (tj3) runs at 1k and 2k tasks when it is installed (whole run, as it has no
separate scheduling step), and is skipped otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.networks import big_plan  # noqa: E402
from projectoffice.engine.cpm import schedule  # noqa: E402
from projectoffice.engine.network import LinkType, Project  # noqa: E402
from projectoffice.formats.mspdi import MspdiPlan, read_mspdi, write_mspdi  # noqa: E402

CHILD = """
import argparse, sys, time
sys.path.insert(0, {root!r})
from projectoffice.commands import schedule
parser = argparse.ArgumentParser(prog="pmo")
schedule.register(parser.add_subparsers())
args = parser.parse_args(["schedule", {path!r}, "--json"])
started = time.perf_counter()
cpu_started = time.process_time()
code = args.func(args)
sys.stdout.flush()
cpu = time.process_time() - cpu_started
# VmHWM is this process's own peak; ru_maxrss can carry the parent's over from fork.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(time.perf_counter() - started, cpu, peak, code, file=sys.stderr)
"""


def best_of(runs: int, action: object, cpu_clock: object = time.thread_time) -> tuple[float, float]:
    """Best wall time and best CPU time (by ``cpu_clock``, in seconds) over ``runs`` runs."""
    best = best_cpu = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        cpu_started = cpu_clock()  # type: ignore[operator]
        action()  # type: ignore[operator]
        best_cpu = min(best_cpu, cpu_clock() - cpu_started)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best, best_cpu


class Mpxj:
    def __init__(self) -> None:
        import jpype
        import mpxj  # noqa: F401

        if not jpype.isJVMStarted():
            jpype.startJVM("-Xmx4g")
        from java.lang.management import ManagementFactory
        from org.mpxj.cpm import MicrosoftScheduler
        from org.mpxj.reader import UniversalProjectReader

        self.reader = UniversalProjectReader
        self.scheduler = MicrosoftScheduler
        threads = ManagementFactory.getThreadMXBean()
        # The calling thread's CPU time, in seconds (the JVM reports nanoseconds).
        self.thread_cpu = lambda: threads.getCurrentThreadCpuTime() / 1e9

    def time_schedule(self, path: Path, runs: int) -> tuple[float, float]:
        project = self.reader().read(str(path))
        start = project.getProjectProperties().getStartDate()
        return best_of(runs, lambda: self.scheduler().schedule(project, start), self.thread_cpu)


def taskjuggler_source(project: Project) -> str:
    """The plan's leaves and links as TaskJuggler tasks (links as FS/SS, lags as gaps)."""
    lines = [
        'project bench "Benchmark" 2026-01-05 +40y {',
        "  timingresolution 60min",
        "}",
    ]
    parents = {task.parent for task in project.tasks if task.parent is not None}
    depends: dict[int, list[str]] = {}
    for link in project.links:
        option = " {onstart}" if link.type in (LinkType.SS, LinkType.SF) else ""
        gap = f" {{gaplength {int(link.lag) // 60}h}}" if link.lag > 0 else ""
        entries = depends.setdefault(link.successor, [])
        if not any(entry.split(" ")[0] == f"t{link.predecessor}" for entry in entries):
            entries.append(f"t{link.predecessor}{option or gap}")  # tj3 takes one per pair
    for task in project.tasks:
        if task.uid in parents:
            continue
        body = "milestone" if task.duration == 0 else f"length {max(task.duration // 60, 1)}h"
        if task.uid in depends:
            body += " depends " + ", ".join(depends[task.uid])
        lines.append(f'task t{task.uid} "T{task.uid}" {{ {body} }}')
    return "\n".join(lines) + "\n"


def time_taskjuggler(project: Project, folder: Path) -> float | None:
    tj3 = shutil.which("tj3")
    if tj3 is None:
        return None
    source = folder / f"bench{len(project.tasks)}.tjp"
    source.write_text(taskjuggler_source(project))
    started = time.perf_counter()
    done = subprocess.run(
        [tj3, "--no-reports", "--silent", str(source)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(f"  tj3 failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--no-mpxj-above", type=int, default=100_000)
    parser.add_argument("--no-mpxj", action="store_true")
    options = parser.parse_args()
    mpxj = None
    if not options.no_mpxj and shutil.which("java"):
        mpxj = Mpxj()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        if mpxj is not None:  # warm the JVM on a small plan
            warm = folder / "warm.xml"
            warm.write_bytes(write_mspdi(MspdiPlan(big_plan(2000, seed=9))))
            mpxj.time_schedule(warm, 3)
        for size in options.sizes:
            project = big_plan(size)
            path = folder / f"plan{size}.xml"
            path.write_bytes(write_mspdi(MspdiPlan(project)))
            runs = 5 if size <= 10_000 else 2
            read, read_cpu = best_of(2 if size > 10_000 else 3, lambda p=path: read_mspdi(str(p)))
            ours, ours_cpu = best_of(runs, lambda p=project: schedule(p))
            theirs = theirs_cpu = None
            if mpxj is not None and size <= options.no_mpxj_above:
                theirs, theirs_cpu = mpxj.time_schedule(path, 2 if size > 10_000 else runs)
            child = subprocess.run(
                [sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
                capture_output=True,
                text=True,
            )
            wall, cpu, peak_kib, code = child.stderr.strip().splitlines()[-1].split()
            assert code == "0", child.stderr
            json.loads(child.stdout)
            row = {
                "tasks": size,
                "links": len(project.links),
                "schedule_s": round(ours, 3),
                "schedule_cpu_s": round(ours_cpu, 3),
                "mpxj_s": None if theirs is None else round(theirs, 3),
                "mpxj_cpu_s": None if theirs_cpu is None else round(theirs_cpu, 3),
                "mpxj_over_ours": None if theirs is None else round(theirs / ours, 1),
                "mpxj_over_ours_cpu": None
                if theirs_cpu is None
                else round(theirs_cpu / ours_cpu, 1),
                "read_mspdi_s": round(read, 3),
                "read_mspdi_cpu_s": round(read_cpu, 3),
                "pmo_schedule_json_s": round(float(wall), 2),
                "pmo_schedule_json_cpu_s": round(float(cpu), 2),
                "peak_mib": round(int(peak_kib) / 1024),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
        for size in (1000, 2000):
            project = big_plan(size)
            tj = time_taskjuggler(project, folder)
            if tj is None:
                print(json.dumps({"tasks": size, "tj3": "not installed or failed; skipped"}))
                continue
            ours, _ = best_of(3, lambda p=project: schedule(p))
            path = folder / f"tj{size}.xml"
            path.write_bytes(write_mspdi(MspdiPlan(project)))
            read, _ = best_of(3, lambda p=path: read_mspdi(str(p)))
            print(
                json.dumps(
                    {
                        "tasks": size,
                        "tj3_whole_run_s": round(tj, 2),
                        "ours_read_and_schedule_s": round(ours + read, 3),
                        "tj3_over_ours": round(tj / (ours + read), 1),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
