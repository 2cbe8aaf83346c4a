"""Monte Carlo schedule risk: deterministic with zero-width estimates, the analytic answer
on a single chain, correlation, risk events, criticality and the tornado."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from benchmarks.networks import big_plan
from projectoffice.engine import montecarlo as mc
from projectoffice.engine.calendars import Calendar, CalendarException, hours
from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import ConstraintType, LagKind, Link, LinkType, Project, Task

DAY = 480


def jan(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute)


def zero_width(project: Project) -> mc.RiskModel:
    summaries = {t.parent for t in project.tasks}
    return mc.RiskModel({t.uid: mc.Estimate(t.duration, t.duration, t.duration)
                         for t in project.tasks
                         if t.uid not in summaries and not t.milestone})


def progressed_plan() -> Project:
    """Progress, a status date, holidays, a second calendar, every link type, lags, leads, an
    elapsed lag, constraints and a summary with a link of its own."""
    holidays = (CalendarException(jan(19, 0).date(), jan(20, 0).date(), name="Closed"),)
    standard = Calendar(1, "Standard", exceptions=holidays)
    shift = Calendar(2, "Shift", week=((hours("06:00", "10:00"), hours("10:30", "14:30")),) * 6
                     + ((),))
    tasks = (
        Task(1, "Phase"),
        Task(2, "Design", 5 * DAY, parent=1, actual_start=jan(5, 8), actual_finish=jan(9, 17),
             percent_complete=100),
        Task(3, "Build", 10 * DAY, parent=1, actual_start=jan(12, 8), percent_complete=40),
        Task(4, "Shift work", 4 * DAY, parent=1, calendar_uid=2),
        Task(5, "Review", 2 * DAY, parent=1, constraint=ConstraintType.SNET,
             constraint_date=jan(28, 8)),
        Task(6, "Ship", 3 * DAY),
        Task(7, "Launch", milestone=True),
        Task(8, "Fixed meeting", DAY, constraint=ConstraintType.MSO, constraint_date=jan(26, 8)),
        Task(9, "Wrap-up", 2 * DAY),
    )
    links = (
        Link(2, 3), Link(3, 4, LinkType.SS, 2 * DAY), Link(4, 5, LinkType.FF, -DAY),
        Link(3, 6, lag=2 * 1440, lag_kind=LagKind.ELAPSED), Link(1, 6),
        Link(6, 7), Link(8, 9, LinkType.SF, 3 * DAY), Link(9, 7),
    )
    return Project(start=jan(5, 8), tasks=tasks, links=links, calendars=(standard, shift),
                   status_date=jan(14, 23, 59))


@pytest.mark.parametrize("project", [progressed_plan(), big_plan(600, seed=3)],
                         ids=["progressed", "layered-600"])
def test_zero_width_estimates_give_the_deterministic_schedule(project: Project) -> None:
    result = schedule(project)
    sim = mc.simulate(project, zero_width(project), iterations=200, seed=7, chunk=64)
    assert sim.deterministic_finish == result.finish_minute
    assert np.ptp(sim.finish_offsets) == 0
    for q in (0, 50, 80, 90, 100):
        assert sim.percentile(q) == result.finish_minute
    for uid, values in sim.milestone_offsets.items():
        assert np.ptp(values) == 0
        assert sim.percentile(50, uid) == result.task(uid).finish_minute


def test_each_iteration_is_the_schedulers_answer_for_its_durations() -> None:
    """Replay iterations through the engine's own scheduler with the sampled durations: the
    vectorised passes give the same finish, to the minute of working time, calendars and
    constraints included."""
    # A tenth of the tasks work an early shift (their own calendar); some start no earlier
    # than a date; a status date holds unstarted work back.
    project = replace(big_plan(400, seed=5), status_date=datetime(2026, 2, 2, 17))
    summaries = {t.parent for t in project.tasks}
    model = mc.RiskModel(
        {t.uid: mc.Estimate(t.duration // 2, t.duration, t.duration * 3)
         for t in project.tasks if t.uid not in summaries and not t.milestone},
        groups=(mc.RiskGroup("Half", tuple(t.uid for t in project.tasks[::2]), 0.7),))
    sim = mc.simulate(project, model, iterations=25, seed=9, keep_samples=True)
    assert sim.samples is not None
    by_uid = {t.uid: t for t in project.tasks}
    for k in range(25):
        durations = {uid: int(sim.samples[row, k]) for row, uid in enumerate(sim.sampled_uids)}
        replay = replace(project, tasks=tuple(
            replace(by_uid[t.uid], duration=durations[t.uid]) if t.uid in durations else t
            for t in project.tasks))
        expected = schedule(replay).finish_minute
        assert sim.finish_offsets[k] == working_offset(project, expected)


def working_offset(project: Project, instant: int) -> float:
    from projectoffice.engine.calendars import WorkingTime, to_minutes

    work = WorkingTime(project.calendars[0])
    return float(work.work_between(to_minutes(project.start), instant))


def triangular_pdf(x: np.ndarray, a: float, m: float, b: float) -> np.ndarray:
    up = np.where((x >= a) & (x < m), 2 * (x - a) / ((b - a) * (m - a)), 0.0)
    down = np.where((x >= m) & (x <= b), 2 * (b - x) / ((b - a) * (b - m)), 0.0)
    return up + down


def test_a_single_chain_matches_the_analytic_quantiles() -> None:
    """Finish = sum of five triangular(2, 4, 9)-day durations.  The analytic quantiles come
    from the numeric convolution of the densities; the tolerance is four standard errors of
    a sample quantile, √(q(1−q)/N) / f(x_q), plus the grid step."""
    a, m, b, n, iterations = 2.0, 4.0, 9.0, 5, 20_000
    tasks = tuple(Task(i, f"Step {i}", 4 * DAY) for i in range(1, n + 1))
    links = tuple(Link(i, i + 1) for i in range(1, n))
    project = Project(start=jan(5, 8), tasks=tasks, links=links)
    model = mc.RiskModel({i: mc.Estimate(int(a * DAY), int(m * DAY), int(b * DAY))
                          for i in range(1, n + 1)})
    sim = mc.simulate(project, model, iterations=iterations, seed=11)
    days = sim.finish_offsets / DAY

    step = 0.005
    grid = np.arange(0, b + step, step)
    one = triangular_pdf(grid, a, m, b) * step
    total = one
    for _ in range(n - 1):
        total = np.convolve(total, one)
    support = np.arange(len(total)) * step
    cdf = np.cumsum(total) / total.sum()
    for q in (0.5, 0.8):
        exact = float(np.interp(q, cdf, support))
        density = float(np.interp(exact, support, total / step / total.sum()))
        tolerance = 4 * math.sqrt(q * (1 - q) / iterations) / density + 2 * step
        assert abs(float(np.quantile(days, q)) - exact) < tolerance, (q, exact)
    # and through the dates: P50 is about 25.4 working days after the start
    assert sim.percentile(50) > schedule(project).finish_minute


def test_correlation_widens_the_spread_of_a_chain() -> None:
    tasks = tuple(Task(i, f"Step {i}", 5 * DAY) for i in range(1, 11))
    links = tuple(Link(i, i + 1) for i in range(1, 10))
    project = Project(start=jan(5, 8), tasks=tasks, links=links)
    estimates = {i: mc.Estimate(4 * DAY, 5 * DAY, 8 * DAY) for i in range(1, 11)}
    alone = mc.simulate(project, mc.RiskModel(estimates), iterations=4000, seed=1)
    together = mc.simulate(project, mc.RiskModel(
        estimates, groups=(mc.RiskGroup("All", tuple(range(1, 11)), 0.9),)),
        iterations=4000, seed=1)
    # Independent: σ of the sum = √10 σ; fully correlated it approaches 10 σ.
    assert np.std(together.finish_offsets) > 2.2 * np.std(alone.finish_offsets)
    assert np.mean(together.finish_offsets) == pytest.approx(
        np.mean(alone.finish_offsets), rel=0.02)


def test_risk_events_add_their_impact_with_their_probability() -> None:
    project = Project(start=jan(5, 8), tasks=(Task(1, "A", 5 * DAY), Task(2, "B", 5 * DAY)),
                      links=(Link(1, 2),))
    certain = mc.RiskEvent("RSK-0001", "Supplier late", 1.0, 3 * DAY, (1,))
    never = mc.RiskEvent("RSK-0002", "Flood", 0.0, 30 * DAY, (2,))
    sim = mc.simulate(project, mc.RiskModel(events=(certain, never)), iterations=100)
    assert set(sim.finish_offsets) == {13 * DAY}
    half = mc.RiskEvent("RSK-0003", "Strike", 0.3, 4 * DAY, (2,))
    sim = mc.simulate(project, mc.RiskModel(events=(half,)), iterations=5000, seed=3)
    hit_share = float(np.mean(sim.finish_offsets > 10 * DAY))
    assert hit_share == pytest.approx(0.3, abs=0.03)
    assert sim.drivers[0].key == "RSK-0003"


def test_criticality_and_drivers() -> None:
    tasks = (Task(1, "Long", 10 * DAY), Task(2, "Short", 2 * DAY), Task(3, "Close", 9 * DAY),
             Task(4, "End", milestone=True))
    links = (Link(1, 4), Link(2, 4), Link(3, 4))
    project = Project(start=jan(5, 8), tasks=tasks, links=links)
    model = mc.RiskModel({1: mc.Estimate(8 * DAY, 10 * DAY, 12 * DAY),
                          3: mc.Estimate(7 * DAY, 9 * DAY, 13 * DAY)})
    sim = mc.simulate(project, model, iterations=3000, seed=5)
    assert sim.criticality[2] == 0.0
    assert sim.criticality[4] == 1.0
    assert 0.2 < sim.criticality[3] < 0.8
    assert sim.criticality[1] + sim.criticality[3] >= 1.0
    assert {d.key for d in sim.drivers} == {"1", "3"}
    assert all(d.correlation > 0 for d in sim.drivers)
    assert sum(count for _, _, count in sim.histogram()) == 3000
    curve = sim.cdf()
    assert curve[0][0] == 0.0 and curve[-1][0] == 1.0
    assert [f for _, f in curve] == sorted(f for _, f in curve)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="minimum"):
        mc.Estimate(5, 3, 8)
    with pytest.raises(ValueError, match="probability"):
        mc.RiskEvent("R", "R", 1.5, 10, (1,))
    with pytest.raises(ValueError, match="correlation"):
        mc.RiskGroup("G", (1,), -0.1)


def test_the_cost_distribution_moves_with_the_durations() -> None:
    """Zero-width estimates cost exactly the plan; a task's cost scales with its sampled
    duration, so a chain's mean cost is the planned cost × mean ÷ planned duration, and a
    risk event that lengthens a task costs its share."""
    tasks = tuple(Task(i, f"Step {i}", 4 * DAY) for i in range(1, 4))
    project = Project(start=jan(5, 8), tasks=tasks, links=(Link(1, 2), Link(2, 3)))
    costs = {1: 1000.0, 2: 2000.0, 3: 0.0}
    flat = mc.simulate(project, zero_width(project), iterations=300, costs=costs)
    assert flat.cost_totals is not None and np.ptp(flat.cost_totals) == 0
    assert flat.planned_cost == 3000.0 and flat.cost_percentile(80) == 3000.0
    model = mc.RiskModel({1: mc.Estimate(2 * DAY, 4 * DAY, 9 * DAY)})
    sim = mc.simulate(project, model, iterations=20_000, seed=5, costs=costs)
    mean_days = (2 + 4 + 9) / 3
    assert float(np.mean(sim.cost_totals)) == pytest.approx(1000 * mean_days / 4 + 2000,
                                                            rel=0.01)
    assert sim.cost_percentile(10) < 3000 < sim.cost_percentile(90)
    assert sum(n for _, _, n in sim.cost_histogram()) == 20_000
    curve = sim.cost_cdf()
    assert curve[0][0] == 0 and curve[-1][0] == 1 and curve[0][1] <= curve[-1][1]
    event = mc.RiskEvent("RSK-0001", "Rework", 1.0, 2 * DAY, (2,))
    hit = mc.simulate(project, mc.RiskModel(events=(event,)), iterations=50, costs=costs)
    assert set(hit.cost_totals) == {1000 + 2000 * 6 / 4}
