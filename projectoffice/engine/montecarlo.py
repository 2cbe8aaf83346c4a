"""Schedule risk: a Monte Carlo simulation of the plan's own critical path method.

The plan is scheduled once by :func:`projectoffice.engine.cpm.leaf_network`, which also gives
the network the passes used (links on summaries spread to their leaves, lags in minutes, the
leaves in topological order).  Each iteration then needs only new durations, so all
iterations are run at once: durations are sampled as a (tasks × iterations) matrix and the
forward and backward passes walk the tasks in topological order, each step a numpy operation
over a whole row of iterations.

Time is measured in **working minutes of the project calendar** from the project start (an
"offset"); working time is then plain addition, and only the answers are turned back into
dates.  A task on the project calendar keeps its duration exactly; a task on another calendar
(or an elapsed one) takes the working time of the project calendar its deterministic dates
span, scaled by its sampled duration.  Links keep their types and lags, dated constraints their
dates (must-start-on, start-no-earlier and the rest, as the passes apply them), finished tasks
their actual dates and started ones their progress up to the status date.  With estimates of
zero width every iteration is the deterministic schedule (tests/engine/test_montecarlo.py).
Approximations: an as-late-as-possible task is simulated as soon as possible, and lags are in
project working time.

Uncertainty: a three-point estimate (triangular distribution) per task; tasks of one risk group
are correlated through a Gaussian copula (one shared normal factor, ``correlation`` of its
variance); a risk event happens in an iteration with its probability and then adds its impact
to every task it is mapped to.  See docs/schedule-analytics.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from projectoffice.engine.calendars import Calendar, WorkingTime, to_minutes
from projectoffice.engine.cpm import leaf_network
from projectoffice.engine.network import ConstraintType, LinkType, Project

Floats = npt.NDArray[np.float64]

FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF
C = ConstraintType


@dataclass(frozen=True, slots=True)
class Estimate:
    """Three-point estimate of a task's duration in working minutes of its calendar."""

    low: int
    likely: int
    high: int

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.likely <= self.high:
            raise ValueError("an estimate needs 0 ≤ minimum ≤ most likely ≤ maximum")


@dataclass(frozen=True, slots=True)
class RiskGroup:
    """Tasks whose durations move together: ``correlation`` (0–1) between any two of them."""

    name: str
    uids: tuple[int, ...]
    correlation: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.correlation <= 1.0:
            raise ValueError("a correlation is between 0 and 1")


@dataclass(frozen=True, slots=True)
class RiskEvent:
    """A risk that, with ``probability``, adds ``impact`` working minutes to each of ``uids``."""

    key: str
    name: str
    probability: float
    impact: int
    uids: tuple[int, ...]

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("a probability is between 0 and 1")


@dataclass(frozen=True, slots=True)
class RiskModel:
    estimates: Mapping[int, Estimate] = field(default_factory=dict)
    groups: tuple[RiskGroup, ...] = ()
    events: tuple[RiskEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class Driver:
    """One bar of the tornado: how strongly a task's duration (or a risk event happening)
    moves with the finish, as a correlation coefficient."""

    kind: str  # "task" or "risk"
    key: str  # task UID or risk key
    name: str
    correlation: float


@dataclass(frozen=True)
class Simulation:
    iterations: int
    deterministic_finish: int  # minutes (engine instants)
    finish_offsets: Floats  # working minutes of the project calendar, per iteration
    milestone_offsets: Mapping[int, Floats]
    deterministic_milestones: Mapping[int, int]
    deterministic_offsets: Mapping[int | None, int]  # None: the finish
    criticality: Mapping[int, float]  # uid -> share of iterations on the critical path
    drivers: tuple[Driver, ...]
    to_instant: Callable[[float], int] = field(repr=False)
    # With keep_samples: the sampled durations (own-calendar minutes), one row per UID.
    sampled_uids: tuple[int, ...] = ()
    samples: Floats | None = field(default=None, repr=False)
    # With costs: the cost of the whole plan per iteration, and as planned.
    cost_totals: Floats | None = field(default=None, repr=False)
    planned_cost: float = 0.0

    def cost_percentile(self, q: float) -> float:
        assert self.cost_totals is not None
        return float(np.percentile(self.cost_totals, q, method="inverted_cdf"))

    def cost_histogram(self, bins: int = 30) -> list[tuple[float, float, int]]:
        """(from, to, count) over the plan's cost."""
        assert self.cost_totals is not None
        low, high = float(self.cost_totals.min()), float(self.cost_totals.max())
        if high <= low:
            return [(low, low, len(self.cost_totals))]
        counts, edges = np.histogram(self.cost_totals, bins=bins, range=(low, high))
        return [(float(edges[k]), float(edges[k + 1]), int(counts[k])) for k in range(bins)]

    def cost_cdf(self, points: int = 41) -> list[tuple[float, float]]:
        """(probability, cost) pairs for the cost S-curve."""
        assert self.cost_totals is not None
        qs = np.linspace(0.0, 100.0, points)
        values = np.percentile(self.cost_totals, qs, method="inverted_cdf")
        return [(float(q) / 100, float(v)) for q, v in zip(qs, values, strict=True)]

    def percentile(self, q: float, uid: int | None = None) -> int:
        """The finish (or milestone ``uid``'s) that ``q`` percent of iterations meet."""
        values = self.finish_offsets if uid is None else self.milestone_offsets[uid]
        value = float(np.percentile(values, q, method="inverted_cdf"))
        # One offset can be several instants (12:00 and 13:00 around lunch): where the answer
        # is the deterministic one, give its date as the plan shows it.
        known = (self.deterministic_finish if uid is None
                 else self.deterministic_milestones[uid])
        if round(value) == self.deterministic_offsets.get(uid):
            return known
        return self.to_instant(value)

    def histogram(self, bins: int = 30) -> list[tuple[int, int, int]]:
        """(from, to, count) over the finish dates, bins of whole working hours."""
        low, high = float(self.finish_offsets.min()), float(self.finish_offsets.max())
        width = max(60.0, math.ceil((high - low) / bins / 60) * 60)
        count = max(1, math.ceil((high - low) / width) + (1 if high > low else 0))
        counts, edges = np.histogram(self.finish_offsets, bins=count,
                                     range=(low, low + width * count))
        return [(self.to_instant(float(edges[k])), self.to_instant(float(edges[k + 1])),
                 int(counts[k])) for k in range(count)]

    def cdf(self, points: int = 41) -> list[tuple[float, int]]:
        """(probability, finish) pairs for the S-curve, from 0 % to 100 %."""
        qs = np.linspace(0.0, 100.0, points)
        values = np.percentile(self.finish_offsets, qs, method="inverted_cdf")
        return [(float(q) / 100, self.to_instant(float(v))) for q, v in
                zip(qs, values, strict=True)]


def normal_cdf(z: Floats) -> Floats:
    """Φ(z) by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7): numpy has no erf."""
    x = np.abs(z) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                                                       + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-x * x)
    result: Floats = 0.5 * (1.0 + np.sign(z) * erf)
    return result


def triangular(u: Floats, low: Floats, likely: Floats, high: Floats) -> Floats:
    """Inverse of the triangular distribution's CDF, row by row (``u`` has one row per task)."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    split = ((likely - low) / safe)[:, None]
    rising = low[:, None] + np.sqrt(u * (width * (likely - low))[:, None])
    falling = high[:, None] - np.sqrt((1.0 - u) * (width * (high - likely))[:, None])
    result: Floats = np.where(u < split, rising, falling)
    return result


class _Index:
    """A calendar's working periods over a span of days as numpy arrays: the vectorised form
    of :class:`WorkingTime` (the same conventions: a finish is the end of working time, a
    start the beginning) for tasks on a calendar other than the project's."""

    def __init__(self, calendar: Calendar, first_day: int, last_day: int) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for ordinal in range(first_day, last_day):
            day = date.fromordinal(ordinal)
            for period in calendar.periods_on(day):
                starts.append(ordinal * 1440 + period.start)
                ends.append(ordinal * 1440 + period.end)
        self.starts = np.array(starts, dtype=float)
        self.ends = np.array(ends, dtype=float)
        lengths = self.ends - self.starts
        self.before = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))

    def offset(self, t: Floats) -> Floats:
        k = np.searchsorted(self.starts, t, side="right") - 1
        inside = k >= 0
        k = np.maximum(k, 0)
        result: Floats = np.where(
            inside, self.before[k] + np.minimum(t, self.ends[k]) - self.starts[k], 0.0)
        return result

    def finish_at(self, w: Floats) -> Floats:
        j = np.clip(np.searchsorted(self.before, w, side="left") - 1, 0, len(self.before) - 1)
        result: Floats = self.starts[j] + w - self.before[j]
        return result

    def start_at(self, w: Floats) -> Floats:
        j = np.clip(np.searchsorted(self.before, w, side="right") - 1, 0, len(self.before) - 1)
        result: Floats = self.starts[j] + w - self.before[j]
        return result

    def next_start(self, t: Floats) -> Floats:
        k = np.searchsorted(self.starts, t, side="right") - 1
        safe = np.maximum(k, 0)
        inside = (k >= 0) & (t < self.ends[safe])
        following = np.minimum(k + 1, len(self.starts) - 1)
        result: Floats = np.where(inside, t, self.starts[following])
        return result

    def finish_from_start(self, t: Floats, minutes: Floats | float) -> Floats:
        result: Floats = np.where(np.asarray(minutes) > 0,
                                  self.finish_at(self.offset(t) + minutes), t)
        return result

    def start_from_finish(self, t: Floats, minutes: Floats | float) -> Floats:
        result: Floats = np.where(np.asarray(minutes) > 0,
                                  self.start_at(self.offset(t) - minutes), t)
        return result

    def add(self, t: Floats, minutes: float) -> Floats:
        if minutes > 0:
            return self.finish_from_start(t, minutes)
        if minutes < 0:
            return self.start_from_finish(t, -minutes)
        return t


class _Network:
    """The plan compiled to rows of leaves in topological order, with offsets."""

    def __init__(self, project: Project) -> None:
        net = leaf_network(project)
        self.project = project
        self.schedule = net.schedule
        tasks = project.tasks
        calendars = {c.uid: c for c in project.calendars}
        work = WorkingTime(calendars[project.calendar_uid])
        anchor = to_minutes(project.start)
        self.work, self.anchor = work, anchor

        def offset(instant: int) -> int:
            return work.work_between(anchor, instant)

        order = list(net.order)
        self.row_of = {position: row for row, position in enumerate(order)}
        self.uids = [tasks[p].uid for p in order]
        self.names = [tasks[p].name for p in order]
        self.milestone = [tasks[p].milestone for p in order]
        count = len(order)
        results = net.schedule.tasks
        status = project.status_date
        self.status = None if status is None else offset(work.next_start(to_minutes(status)))
        # Per row: how it is placed (0 plain, 1 started, 2 finished), its deterministic length
        # in project working minutes and, for started tasks, where its remaining work resumes.
        self.state = [0] * count
        self.length = np.zeros(count)
        self.base = np.zeros(count)
        self.fixed_start = np.zeros(count)
        self.fixed_finish = np.zeros(count)
        self.constraint: list[tuple[ConstraintType, int]] = []
        self.gap = np.zeros(count)
        es_det = np.zeros(count)
        ef_det = np.zeros(count)
        self.same_calendar = [True] * count
        # Unstarted, unconstrained tasks on another calendar are scheduled exactly in their
        # own calendar (rows in ``own``); others on another calendar are scaled.
        self.own: dict[int, _Index] = {}
        self.constraint_instant: dict[int, float] = {}
        first_day = to_minutes(project.start) // 1440 - 10
        span = max(1, (net.schedule.finish_minute - net.schedule.start_minute) // 1440)
        last_day = net.schedule.finish_minute // 1440 + 3 * span + 800
        for task in tasks:
            for moment in (task.actual_start, task.constraint_date):
                if moment is not None:
                    first_day = min(first_day, to_minutes(moment) // 1440 - 10)
        indexes: dict[int, _Index] = {}
        for row, position in enumerate(order):
            task = tasks[position]
            scheduled = results[position]
            es, ef = offset(scheduled.early_start_minute), offset(scheduled.early_finish_minute)
            es_det[row], ef_det[row] = es, ef
            on_project = (task.calendar_uid in (None, project.calendar_uid)
                          and not task.elapsed)
            self.same_calendar[row] = on_project
            at = 0 if task.constraint_date is None else offset(to_minutes(task.constraint_date))
            self.constraint.append((task.constraint, at))
            if task.actual_finish is not None:
                self.state[row] = 2
                self.fixed_start[row] = offset(to_minutes(task.actual_start or task.actual_finish))
                self.fixed_finish[row] = offset(to_minutes(task.actual_finish))
                continue
            if task.actual_start is not None:
                self.state[row] = 1
                self.fixed_start[row] = offset(to_minutes(task.actual_start))
                remaining = task.remaining_minutes
                if on_project:
                    length = remaining
                else:
                    resume = max(self.fixed_start[row], self.status or 0)
                    length = max(0, ef - int(resume))
                self.length[row] = length
                self.base[row] = ef - length
                continue
            if (task.milestone or not on_project) and not task.elapsed \
                    and not task.levelling_delay:
                # Milestones too: one may sit at the end of a working period, which offsets
                # cannot tell from the start of the next.
                uid = task.calendar_uid or project.calendar_uid
                if uid not in indexes:
                    indexes[uid] = _Index(calendars[uid], first_day, last_day)
                self.own[row] = indexes[uid]
                self.constraint_instant[row] = (
                    0.0 if task.constraint_date is None
                    else float(to_minutes(task.constraint_date)))
                self.length[row] = 0 if task.milestone else task.duration
                continue
            length = max(0, ef - es)
            self.length[row] = length
        if self.own:
            self.project_index = _Index(calendars[project.calendar_uid], first_day, last_day)
            self.anchor_offset = float(self.project_index.offset(np.array([float(anchor)]))[0])
            self.start_instant = float(anchor)
            self.status_instant = (None if status is None
                                   else float(work.next_start(to_minutes(status))))
        self.incoming: list[list[tuple[int, LinkType, float]]] = [[] for _ in range(count)]
        self.outgoing: list[list[tuple[int, LinkType, float]]] = [[] for _ in range(count)]
        for pred, succ, kind, lag, elapsed in net.edges:
            p, s = self.row_of[pred], self.row_of[succ]
            if elapsed and lag:
                # An elapsed lag spans the working time it spans in the deterministic plan.
                base_at = (results[pred].early_start_minute if kind in (SS, SF)
                           else results[pred].early_finish_minute)
                lag = offset(base_at + lag) - offset(base_at)
            self.incoming[s].append((p, kind, float(lag)))
            self.outgoing[p].append((s, kind, float(lag)))
        self.deterministic_finish = net.schedule.finish_minute
        self._calibrate(es_det, ef_det)
        self.threshold = project.critical_threshold

    def offset(self, instant: int) -> int:
        return self.work.work_between(self.anchor, instant)

    def to_instant(self, value: float) -> int:
        minutes = round(value)
        if minutes > 0:
            return self.work.finish_from_start(self.anchor, minutes)
        if minutes < 0:
            return self.work.start_from_finish(self.anchor, -minutes)
        return self.work.next_start(self.anchor)

    def _start(self, row: int, es: Floats, ef: Floats, duration: Floats) -> Floats:
        """The start the links, the status date and the constraint allow (as the passes)."""
        kind, at = self.constraint[row]
        start: Floats | None = None
        for p, link, lag in self.incoming[row]:
            if link is FS:
                by = ef[p] + lag
            elif link is SS:
                by = es[p] + lag
            elif link is FF:
                by = np.maximum(ef[p] + lag - duration, 0.0)
            else:
                by = es[p] + lag - duration
            start = by if start is None else np.maximum(start, by, out=start)
        if start is None:
            if kind is C.SNET:
                start = np.full_like(duration, at)
            elif kind is C.FNET:
                start = at - duration
            else:
                start = np.zeros_like(duration)
        if self.status is not None:
            np.maximum(start, self.status, out=start)
        if kind is C.SNET:
            np.maximum(start, at, out=start)
        elif kind is C.FNET:
            np.maximum(start, at - duration, out=start)
        elif kind is C.SNLT:
            np.minimum(start, at, out=start)
        elif kind is C.FNLT:
            np.minimum(start, at - duration, out=start)
        elif kind is C.MSO:
            start = np.full_like(duration, at)
        elif kind is C.MFO:
            start = at - duration
        return start

    def _calibrate(self, es_det: Floats, ef_det: Floats) -> None:
        """What the rules above cannot see — a start waiting for the task's own calendar, a
        levelling delay — is the gap between the deterministic start and the start the rules
        give from the deterministic dates of the predecessors: kept as a constant."""
        es = es_det[:, None]
        ef = ef_det[:, None]
        for row in range(len(self.uids)):
            if self.state[row] != 0 or row in self.own:
                continue
            start = self._start(row, es, ef, self.length[row:row + 1])
            self.gap[row] = es_det[row] - float(start[0])

    def forward(self, length: Floats) -> tuple[Floats, Floats]:
        """Early start and finish of every row for every iteration (columns)."""
        es = np.empty_like(length)
        ef = np.empty_like(length)
        instants: dict[int, tuple[Floats, Floats]] = {}
        for row in range(len(self.uids)):
            state = self.state[row]
            if state == 2:
                es[row] = self.fixed_start[row]
                ef[row] = self.fixed_finish[row]
                continue
            duration = length[row]
            if state == 1:
                es[row] = self.fixed_start[row]
                np.add(self.base[row], duration, out=ef[row])
                continue
            if row in self.own:
                self._own_row(row, es, ef, duration, instants)
                continue
            start = self._start(row, es, ef, duration) + self.gap[row]
            es[row] = start
            np.add(start, duration, out=ef[row])
        return es, ef

    def _own_row(self, row: int, es: Floats, ef: Floats, duration: Floats,
                 instants: dict[int, tuple[Floats, Floats]]) -> None:
        """A task on its own calendar, in instants, as the engine's plain forward pass."""
        own, project = self.own[row], self.project_index

        def instant(p: int, finish: bool) -> Floats:
            if p in instants:
                return instants[p][1 if finish else 0]
            w = (ef[p] if finish else es[p]) + self.anchor_offset
            return project.finish_at(w) if finish else project.start_at(w)

        start: Floats | None = None
        for p, link, lag in self.incoming[row]:
            if link is FS:
                by = own.add(instant(p, True), lag)
            elif link is SS:
                by = own.add(instant(p, False), lag)
            elif link is FF:
                by = np.maximum(own.add(own.start_from_finish(instant(p, True), duration),
                                        lag), self.start_instant)
            else:
                by = own.add(own.start_from_finish(instant(p, False), duration), lag)
            start = by if start is None else np.maximum(start, by)
        kind, at = self.constraint[row][0], self.constraint_instant[row]
        early_finish: Floats | None = None
        if start is None:
            if kind is C.SNET:
                start = np.full_like(duration, at)
            elif kind is C.FNET:
                start = own.start_from_finish(np.full_like(duration, at), duration)
                early_finish = np.full_like(duration, at)
            else:
                start = np.full_like(duration, self.start_instant)
        if self.status_instant is not None:
            start = np.maximum(start, self.status_instant)
        if self.milestone[row]:
            # A milestone may sit at the end of a working period (after Friday's work).
            k = np.minimum(np.searchsorted(own.ends, start, side="left"), len(own.ends) - 1)
            start = np.where(own.ends[k] == start, start, own.next_start(start))
        else:
            start = own.next_start(start)
        at_vector = np.full_like(duration, at)
        if kind is C.SNET:
            start = np.maximum(start, at)
        elif kind is C.FNET:
            start = np.maximum(start, own.start_from_finish(at_vector, duration))
        elif kind is C.SNLT:
            start = np.minimum(start, at)
        elif kind is C.FNLT:
            start = np.minimum(start, own.start_from_finish(at_vector, duration))
        elif kind is C.MSO:
            start = at_vector
        elif kind is C.MFO:
            start = own.start_from_finish(at_vector, duration)
        if kind is C.MFO:
            finish = at_vector
        elif early_finish is not None:
            finish = early_finish  # as the engine: a finish-no-earlier task without links
        else:
            finish = own.finish_from_start(start, duration)
        instants[row] = (start, finish)
        es[row] = project.offset(start) - self.anchor_offset
        ef[row] = project.offset(finish) - self.anchor_offset

    def critical(self, length: Floats, ef: Floats, finish: Floats) -> npt.NDArray[np.bool_]:
        """Backward pass to the iteration's own finish: rows with no total float."""
        count = len(self.uids)
        lf = np.empty_like(length)
        ls = np.empty_like(length)
        for row in reversed(range(count)):
            late = finish.copy()
            if self.state[row] == 2:
                lf[row] = ef[row]
                ls[row] = ef[row]
                continue
            duration = length[row]
            for s, link, lag in self.outgoing[row]:
                if self.state[s] == 2:
                    continue
                if link is FS:
                    by = ls[s] - lag
                elif link is SS:
                    by = ls[s] - lag + duration
                elif link is FF:
                    by = lf[s] - lag
                else:
                    by = lf[s] - lag + duration
                np.minimum(late, by, out=late)
            lf[row] = late
            np.subtract(late, duration, out=ls[row])
        critical: npt.NDArray[np.bool_] = (lf - ef) <= self.threshold
        finished = np.array([state == 2 for state in self.state])
        critical[finished] = False
        return critical


def simulate(
    project: Project,
    model: RiskModel,
    *,
    iterations: int,
    seed: int = 1,
    milestones: Sequence[int] | None = None,
    chunk: int = 1000,
    progress: Callable[[int], None] | None = None,
    keep_samples: bool = False,
    costs: Mapping[int, float] | None = None,
) -> Simulation:
    """Run ``iterations`` of the plan's CPM under ``model``; ``progress`` hears the number of
    iterations done after each chunk.  ``milestones`` (UIDs; default every milestone) get
    their own distributions.  ``keep_samples`` keeps the sampled durations on the result
    (to replay iterations through the scheduler).  ``costs`` (planned cost by UID) gives
    the cost distribution: a task's cost moves with its duration (time-dependent cost: the
    planned cost × simulated ÷ planned length; a finished task keeps its cost)."""
    if iterations < 1:
        raise ValueError("at least one iteration")
    net = _Network(project)
    rows = len(net.uids)
    row_by_uid = {uid: row for row, uid in enumerate(net.uids)}
    uncertain = [row_by_uid[uid] for uid in model.estimates if uid in row_by_uid
                 and net.state[row_by_uid[uid]] != 2]
    uncertain.sort()
    low = np.array([model.estimates[net.uids[r]].low for r in uncertain], dtype=float)
    likely = np.array([model.estimates[net.uids[r]].likely for r in uncertain], dtype=float)
    high = np.array([model.estimates[net.uids[r]].high for r in uncertain], dtype=float)
    position = {row: k for k, row in enumerate(uncertain)}
    groups: list[tuple[npt.NDArray[np.intp], float]] = []
    for group in model.groups:
        in_group = [position[row_by_uid[u]] for u in group.uids
                    if u in row_by_uid and row_by_uid[u] in position]
        if in_group and group.correlation > 0:
            groups.append((np.array(in_group, dtype=np.intp), group.correlation))
    events = [(event, [row_by_uid[u] for u in event.uids if u in row_by_uid
                       and net.state[row_by_uid[u]] != 2]) for event in model.events]
    if milestones is None:
        milestones = [uid for uid, flag in zip(net.uids, net.milestone, strict=True) if flag]
    wanted = [uid for uid in milestones if uid in row_by_uid]
    # A started task's sample scales its remaining work by (sample / planned duration).
    by_uid = {task.uid: task for task in project.tasks}
    planned = np.array([by_uid[net.uids[row]].duration for row in uncertain], dtype=float)
    scale = np.array([net.length[row] for row in uncertain], dtype=float)

    rng = np.random.default_rng(seed)
    finishes = np.empty(iterations)
    milestone_values = {uid: np.empty(iterations) for uid in wanted}
    critical_count = np.zeros(rows)
    sums = _Sums(len(uncertain), len(events))
    kept: list[Floats] = []
    cost_vector = None
    cost_totals = None
    if costs:
        cost_vector = np.array([float(costs.get(uid, 0.0)) for uid in net.uids])
        cost_totals = np.empty(iterations)
        planned_length = net.length.astype(float)[:, None]
    done = 0
    while done < iterations:
        size = min(chunk, iterations - done)
        length = np.repeat(net.length[:, None], size, axis=1)
        samples = np.empty((len(uncertain), size))
        if uncertain:
            u = rng.random((len(uncertain), size))
            for members, rho in groups:
                shared = rng.standard_normal(size)
                own = rng.standard_normal((len(members), size))
                u[members] = normal_cdf(math.sqrt(rho) * shared + math.sqrt(1 - rho) * own)
            samples = np.rint(triangular(u, low, likely, high))  # whole minutes, as plans
            # Own-calendar minutes → project working minutes, by the deterministic ratio.
            ratio = np.where(planned > 0, scale / np.maximum(planned, 1), 1.0)
            length[uncertain] = samples * ratio[:, None]
        happened = np.empty((len(events), size))
        for k, (event, targets) in enumerate(events):
            hits = rng.random(size) < event.probability
            happened[k] = hits
            if targets and event.impact:
                length[targets] += hits * float(event.impact)
        if cost_vector is not None and cost_totals is not None:
            ratio = np.where(planned_length > 0, length / np.maximum(planned_length, 1e-9),
                             1.0)
            cost_totals[done:done + size] = cost_vector @ ratio
        es, ef = net.forward(length)
        for row in net.own:  # its span in project working time, for the backward pass
            length[row] = ef[row] - es[row]
        finish = ef.max(axis=0) if rows else np.zeros(size)
        finishes[done:done + size] = finish
        for uid in wanted:
            milestone_values[uid][done:done + size] = ef[row_by_uid[uid]]
        critical_count += net.critical(length, ef, finish).sum(axis=1)
        sums.add(samples, happened, finish)
        if keep_samples:
            kept.append(samples)
        done += size
        if progress is not None:
            progress(done)

    correlations = sums.correlations()
    drivers = [Driver("task", str(net.uids[row]), net.names[row], correlations[k])
               for k, row in enumerate(uncertain)]
    drivers += [Driver("risk", event.key, event.name, correlations[len(uncertain) + k])
                for k, (event, _) in enumerate(events)]
    drivers.sort(key=lambda d: -abs(d.correlation))
    results = net.schedule
    return Simulation(
        iterations=iterations,
        deterministic_finish=net.deterministic_finish,
        finish_offsets=finishes,
        milestone_offsets=milestone_values,
        deterministic_milestones={uid: results.task(uid).finish_minute for uid in wanted},
        deterministic_offsets={None: net.offset(net.deterministic_finish),
                               **{uid: net.offset(results.task(uid).finish_minute)
                                  for uid in wanted}},
        criticality={uid: float(critical_count[row] / iterations)
                     for row, uid in enumerate(net.uids)},
        drivers=tuple(d for d in drivers if d.correlation != 0.0),
        to_instant=net.to_instant,
        sampled_uids=tuple(net.uids[row] for row in uncertain),
        samples=np.hstack(kept) if kept else None,
        cost_totals=cost_totals,
        planned_cost=float(cost_vector.sum()) if cost_vector is not None else 0.0,
    )


class _Sums:
    """Running sums for the correlation of each input with the finish, chunk by chunk."""

    def __init__(self, tasks: int, events: int) -> None:
        size = tasks + events
        self.n = 0
        self.x = np.zeros(size)
        self.xx = np.zeros(size)
        self.xy = np.zeros(size)
        self.y = 0.0
        self.yy = 0.0
        self.centre = 0.0

    def add(self, samples: Floats, happened: Floats, finish: Floats) -> None:
        inputs = np.vstack([samples, happened]) if len(happened) else samples
        if not len(inputs):
            return
        if self.n == 0:
            self.centre = float(finish.mean())
        y = finish - self.centre  # shifted for precision; correlation does not change
        self.n += len(finish)
        self.x += inputs.sum(axis=1)
        self.xx += (inputs * inputs).sum(axis=1)
        self.xy += inputs @ y
        self.y += float(y.sum())
        self.yy += float((y * y).sum())

    def correlations(self) -> list[float]:
        n = self.n
        if n < 2:
            return [0.0] * len(self.x)
        cov = self.xy / n - (self.x / n) * (self.y / n)
        var_x = self.xx / n - (self.x / n) ** 2
        var_y = self.yy / n - (self.y / n) ** 2
        result = []
        for c, v in zip(cov, var_x, strict=True):
            if v <= 1e-9 or var_y <= 1e-9:
                result.append(0.0)
            else:
                result.append(round(float(c / math.sqrt(v * var_y)), 4))
        return result
