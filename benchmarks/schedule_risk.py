"""Schedule risk and schedule health benchmarks.

    python benchmarks/schedule_risk.py                       # 2,000 tasks × 5,000 iterations
    python benchmarks/schedule_risk.py --tasks 2000 --iterations 5000 --loop-iterations 100

Monte Carlo: the layered plan of ``--tasks`` tasks (benchmarks/networks.py: calendars,
constraints, every link type, lags and leads) with a three-point estimate on every task, two
correlated risk classes and a few risk events, simulated by ``engine.montecarlo.simulate``
(vectorised across iterations); then, in the same run, the plain way: a loop that samples the
same distributions and calls the project's own scheduler (``engine.cpm.schedule``) once per
iteration.  The loop runs ``--loop-iterations`` iterations and its time per iteration is
scaled to ``--iterations`` (running all of them would take many minutes); the ratio compares
the two per iteration.  Both report wall and CPU time.

DCMA: the 14-point assessment (``engine.dcma.assess``, including the critical path test's
reschedule) of a ``--dcma-tasks`` plan that is already scheduled.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.networks import big_plan  # noqa: E402
from projectoffice.engine import dcma  # noqa: E402
from projectoffice.engine import montecarlo as mc  # noqa: E402
from projectoffice.engine.calendars import WorkingTime, from_minutes, to_minutes  # noqa: E402
from projectoffice.engine.cpm import schedule  # noqa: E402
from projectoffice.engine.network import Project  # noqa: E402


def risk_model(project: Project, seed: int) -> mc.RiskModel:
    rng = random.Random(seed)
    summaries = {t.parent for t in project.tasks if t.parent is not None}
    leaves = [t for t in project.tasks if t.uid not in summaries and not t.milestone]
    estimates = {t.uid: mc.Estimate(round(t.duration * 0.8), t.duration,
                                    round(t.duration * rng.choice((1.3, 1.6, 2.0))))
                 for t in leaves}
    half = len(leaves) // 2
    groups = (mc.RiskGroup("Build", tuple(t.uid for t in leaves[:half]), 0.5),
              mc.RiskGroup("Test", tuple(t.uid for t in leaves[half:]), 0.3))
    events = tuple(mc.RiskEvent(f"RSK-{k:04d}", f"Risk {k}", 0.2, 5 * 480,
                                tuple(t.uid for t in rng.sample(leaves, 3)))
                   for k in range(1, 11))
    return mc.RiskModel(estimates, groups, events)


def plain_loop(project: Project, sim: mc.Simulation, happened: list[list[int]]) -> list[int]:
    """The plain way: for each iteration, the plan with that iteration's durations, scheduled
    by the engine's own scheduler."""
    assert sim.samples is not None
    by_uid = {t.uid: t for t in project.tasks}
    finishes = []
    for k in range(sim.samples.shape[1]):
        durations = {uid: int(sim.samples[row, k]) for row, uid in enumerate(sim.sampled_uids)}
        for uid, extra in happened[k]:
            durations[uid] = durations.get(uid, by_uid[uid].duration) + extra
        tasks = tuple(dataclasses.replace(t, duration=durations[t.uid])
                      if t.uid in durations else t for t in project.tasks)
        finishes.append(schedule(dataclasses.replace(project, tasks=tasks),
                                 free_float=False).finish_minute)
    return finishes


def timed(work):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--loop-iterations", type=int, default=100)
    parser.add_argument("--dcma-tasks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    project = big_plan(args.tasks, seed=args.seed)
    model = risk_model(project, args.seed)
    # Every task carries a cost, so the cost distribution is part of the timed run.
    costs = {t.uid: 1000.0 + t.uid % 7 * 250.0 for t in project.tasks}
    sim, wall, cpu = timed(lambda: mc.simulate(project, model, iterations=args.iterations,
                                               seed=args.seed, costs=costs))
    print(f"Monte Carlo, vectorised: {args.tasks} tasks × {args.iterations} iterations: "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU "
          f"({1000 * cpu / args.iterations:.3f} ms CPU per iteration)")
    print(f"  deterministic finish {from_minutes(sim.deterministic_finish):%Y-%m-%d}, "
          f"P50 {from_minutes(sim.percentile(50)):%Y-%m-%d}, "
          f"P80 {from_minutes(sim.percentile(80)):%Y-%m-%d}, "
          f"P90 {from_minutes(sim.percentile(90)):%Y-%m-%d}; cost planned "
          f"{sim.planned_cost:,.0f}, P50 {sim.cost_percentile(50):,.0f}, "
          f"P80 {sim.cost_percentile(80):,.0f}")
    # The loop replays the first iterations of a run with the same inputs (risk events left
    # out, so that the sampled durations are the whole of an iteration).
    quiet = mc.RiskModel(model.estimates, model.groups)
    replayed = mc.simulate(project, quiet, iterations=args.loop_iterations, seed=args.seed,
                           keep_samples=True)
    loop, loop_wall, loop_cpu = timed(lambda: plain_loop(
        project, replayed, [[] for _ in range(args.loop_iterations)]))
    work = WorkingTime(next(c for c in project.calendars if c.uid == project.calendar_uid))
    start = to_minutes(project.start)
    gaps = [abs(float(replayed.finish_offsets[k]) - work.work_between(start, finish))
            for k, finish in enumerate(loop)]
    same = sum(1 for g in gaps if g < 1)
    per_wall, per_cpu = loop_wall / args.loop_iterations, loop_cpu / args.loop_iterations
    print(f"Plain loop of the scheduler: {args.loop_iterations} iterations: {loop_wall:.2f} s "
          f"wall, {loop_cpu:.2f} s CPU ({1000 * per_cpu:.1f} ms CPU per iteration); "
          f"scaled to {args.iterations}: {per_wall * args.iterations:.0f} s wall, "
          f"{per_cpu * args.iterations:.0f} s CPU")
    print(f"  ratio per iteration (loop ÷ vectorised): "
          f"{per_wall / (wall / args.iterations):.0f}× wall, "
          f"{per_cpu / (cpu / args.iterations):.0f}× CPU")
    print(f"  the vectorised passes give the scheduler's finish in {same} of {len(loop)} "
          f"replayed iterations; largest difference {max(gaps) / 60:.1f} working hours")
    target = 20.0
    print(f"  target ≤ {target:.0f} s for 5,000 × 2,000: "
          f"{'met' if cpu <= target else 'NOT met'} ({cpu:.2f} s CPU)")

    big = big_plan(args.dcma_tasks, seed=args.seed)
    result = schedule(big, free_float=False)
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        assessment, wall, cpu = timed(lambda: dcma.assess(big, result))
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    print(f"DCMA 14-point, {args.dcma_tasks} tasks: best of 3 {best_wall:.3f} s wall, "
          f"{best_cpu:.3f} s CPU (target ≤ 1 s: {'met' if best_cpu <= 1 else 'NOT met'}); "
          f"{assessment.passed} passed, {assessment.failed} failed")


if __name__ == "__main__":
    main()
