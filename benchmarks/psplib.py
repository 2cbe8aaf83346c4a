"""Run the optimising levelling mode on PSPLIB single-mode instances.

    python benchmarks/psplib.py --set j120 --time-limit 1 --json out.json

``--set`` is j30/j60/j90/j120 (read from ../shared/data/psplib/ relative to the repository
root) or a folder of .sm files; ``--sample N`` takes every k-th file so that N remain.
Writes a JSON object mapping each file name to its job start times (file order, dummy jobs
included) and prints: instances, infeasible, mean % deviation from the optimum or best
known upper bound, and mean % deviation from the critical-path lower bound.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from projectoffice.engine.rcpsp import schedule_violations  # noqa: E402
from projectoffice.engine.rcpsp_solve import OptimiseOptions, optimise_schedule  # noqa: E402
from projectoffice.formats.psplib import parse_optimum_csv, parse_sm  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "psplib"


def instance_folder(name: str) -> Path:
    candidate = Path(name)
    if candidate.is_dir():
        return candidate
    return DATA / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", required=True, help="j30, j60, j90, j120 or a folder")
    parser.add_argument("--time-limit", type=float, default=1.0, help="seconds per instance")
    parser.add_argument("--json", help="write start times here")
    parser.add_argument("--sample", type=int, help="only this many instances, evenly spread")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="an OptimiseOptions field, e.g. heuristic_share=0.8")
    parser.add_argument("--no-cpsat", action="store_true", help="heuristic only")
    parser.add_argument("--schedules", type=int, metavar="N",
                        help="heuristic only, stopped after N generated schedules instead of "
                        "by time: independent of machine speed and load, and comparable with "
                        "published results at 1,000/5,000/50,000 schedules")
    parser.add_argument("--verbose", action="store_true", help="one line per instance")
    args = parser.parse_args(argv)

    folder = instance_folder(args.set)
    files = sorted(folder.glob("*.sm"), key=_natural_key)
    if not files:
        parser.error(f"no .sm files in {folder}")
    if args.sample and args.sample < len(files):
        step = len(files) / args.sample
        files = [files[int(i * step)] for i in range(args.sample)]
    known = {}
    optimum_file = folder / "optimum" / "optimum.csv"
    if optimum_file.exists():
        known = parse_optimum_csv(optimum_file.read_text())

    options = OptimiseOptions(time_limit=args.time_limit, seed=args.seed,
                              use_cpsat=not args.no_cpsat)
    if args.schedules:
        options = replace(options, use_cpsat=False, max_schedules=args.schedules,
                          time_limit=3600.0)
    for item in args.option:
        name, _, value = item.partition("=")
        current = getattr(options, name)
        options = replace(options, **{name: type(current)(value) if current is not None
                                      else int(value)})
    starts_out: dict[str, list[int]] = {}
    infeasible = 0
    dev_best: list[float] = []
    dev_cp: list[float] = []
    dev_known_cp: list[float] = []  # the same measure for the best known makespans
    optimal_found = 0
    proven = 0
    slowest = 0.0
    cpu_seconds = 0.0
    schedules = 0
    began = time.perf_counter()
    for path in files:
        problem = parse_sm(path.read_text())
        cpu_before = time.process_time()
        result = optimise_schedule(problem, options)
        cpu_seconds += time.process_time() - cpu_before
        schedules += result.schedules_built
        slowest = max(slowest, result.elapsed)
        if schedule_violations(problem, result.starts):
            infeasible += 1
        starts_out[path.name] = list(result.starts)
        dev_cp.append(100.0 * (result.makespan - result.critical_path_length)
                      / result.critical_path_length)
        reference = known.get(path.name)
        if reference is not None:
            dev_known_cp.append(100.0 * (reference.upper - result.critical_path_length)
                                / result.critical_path_length)
            dev_best.append(100.0 * (result.makespan - reference.upper) / reference.upper)
            if result.makespan <= reference.upper:
                optimal_found += 1
        proven += result.optimal
        if args.verbose:
            ref = reference.upper if reference else "-"
            print(f"{path.name}: makespan {result.makespan} (known {ref}, bound "
                  f"{result.lower_bound}, cp {result.critical_path_length}) "
                  f"{result.elapsed:.2f}s", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(starts_out, indent=0) + "\n")
    total = time.perf_counter() - began
    budget = (f"{args.schedules} schedules" if args.schedules
              else f"time limit: {args.time_limit}s")
    print(f"set: {args.set}  {budget}  cpus: {os.cpu_count()}")
    print(f"instances: {len(files)}")
    print(f"infeasible: {infeasible}")
    if dev_best:
        print(f"mean deviation from optimum/best known: {sum(dev_best) / len(dev_best):.2f} %")
        print(f"reached optimum/best known: {optimal_found}")
    print(f"mean deviation from critical-path bound: {sum(dev_cp) / len(dev_cp):.2f} %")
    if dev_known_cp:
        print(f"  (best known makespans: {sum(dev_known_cp) / len(dev_known_cp):.2f} % above "
              "the critical-path bound)")
    print(f"proven optimal: {proven}")
    print(f"slowest instance: {slowest:.2f}s  total: {total:.0f}s  "
          f"cpu used: {cpu_seconds / len(files):.2f}s per instance  "
          f"schedules: {schedules // len(files)} per instance  "
          f"load average: {os.getloadavg()[0]:.1f}")
    return 1 if infeasible else 0


def _natural_key(path: Path) -> tuple[int, ...]:
    digits = "".join(c if c.isdigit() else " " for c in path.stem)
    return tuple(int(part) for part in digits.split())


if __name__ == "__main__":
    raise SystemExit(main())
