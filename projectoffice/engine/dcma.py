"""Schedule health: the DCMA 14-point assessment of a plan.

:func:`assess` takes the plan as the scheduler takes it (:class:`Project`), its
:class:`Schedule`, the baseline dates, which tasks carry resources and the thresholds, and
returns one :class:`Check` per point — the count of offending tasks (or links), the share or
index it gives, the threshold, pass or fail, and the offenders for the drill-down.  The rules
are written down in docs/schedule-analytics.md.

The population of most checks is the plan's *incomplete leaf tasks* (no actual finish; summary
tasks are only roll-ups).  Durations, floats and lags are compared in working days of
``settings.minutes_per_day``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from projectoffice.engine.calendars import WorkingTime, to_minutes
from projectoffice.engine.cpm import schedule as run_schedule
from projectoffice.engine.network import ConstraintType, LinkType, Project, ScheduleError, Task
from projectoffice.engine.schedule_result import Schedule

HARD = frozenset({ConstraintType.MSO, ConstraintType.MFO, ConstraintType.SNLT,
                  ConstraintType.FNLT})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The standard DCMA limits; shares are percentages."""

    logic_percent: float = 5.0
    leads_percent: float = 0.0
    lags_percent: float = 5.0
    fs_percent: float = 90.0  # at least this share of links are finish-to-start
    hard_constraints_percent: float = 5.0
    high_float_days: float = 44.0
    high_float_percent: float = 5.0
    negative_float_percent: float = 0.0
    high_duration_days: float = 44.0
    high_duration_percent: float = 5.0
    invalid_dates_percent: float = 0.0
    resources_percent: float = 0.0
    missed_percent: float = 5.0
    cpt_delay_days: float = 600.0
    cpli_minimum: float = 0.95
    bei_minimum: float = 0.95


@dataclass(frozen=True, slots=True)
class BaselineDates:
    start: datetime | None
    finish: datetime | None
    duration: int = 0


@dataclass(frozen=True, slots=True)
class Check:
    number: int
    key: str
    name: str
    count: int  # offending tasks or links
    total: int  # population (tasks or links) the share is of
    value: float | None  # share in percent, or the index for CPLI and BEI; None: not judged
    threshold: str  # as the rule reads, e.g. "≤ 5 %"
    passed: bool | None  # None: not applicable (no status date, no baseline…)
    offenders: tuple[int, ...] = ()  # task UIDs
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checks if c.passed)

    @property
    def failed(self) -> int:
        return sum(1 for c in self.checks if c.passed is False)

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)


def _share(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _percent_check(number: int, key: str, name: str, offenders: list[int], total: int,
                   limit: float, *, unit: str = "tasks", note: str = "") -> Check:
    value = _share(len(offenders), total)
    return Check(number, key, name, len(offenders), total, value, f"≤ {limit:g} % of {unit}",
                 value <= limit, tuple(offenders), note)


def assess(
    project: Project,
    result: Schedule,
    *,
    baseline: Mapping[int, BaselineDates] | None = None,
    resourced: frozenset[int] | set[int] = frozenset(),
    thresholds: Thresholds | None = None,
    critical_path_test: bool = True,
) -> Assessment:
    """The fourteen checks of ``project`` as scheduled in ``result``."""
    limits = thresholds or Thresholds()
    baseline = baseline or {}
    day = project.settings.minutes_per_day or 480
    summaries = {t.parent for t in project.tasks if t.parent is not None}
    leaves = [t for t in project.tasks if t.uid not in summaries]
    incomplete = [t for t in leaves if t.actual_finish is None]
    scheduled = {ts.uid: ts for ts in result.tasks}
    status = None if project.status_date is None else to_minutes(project.status_date)
    parents = {t.uid: t.parent for t in project.tasks}

    def lineage(uid: int) -> list[int]:
        found = [uid]
        parent = parents.get(uid)
        while parent is not None:
            found.append(parent)
            parent = parents.get(parent)
        return found

    has_pred: set[int] = set()
    has_succ: set[int] = set()
    for link in project.links:
        has_pred.add(link.successor)
        has_succ.add(link.predecessor)
    # A link on a summary counts for every task under it.
    logic: list[int] = []
    for t in incomplete:
        up = lineage(t.uid)
        pred = any(u in has_pred for u in up)
        succ = any(u in has_succ for u in up)
        # A milestone may open (no predecessor) or close (no successor) the plan, not both.
        if (not pred and not succ) or (not t.milestone and (not pred or not succ)):
            logic.append(t.uid)
    live = {t.uid for t in incomplete}
    links = [ln for ln in project.links
             if ln.successor in live or ln.predecessor in live or ln.successor in summaries]
    leads = [ln for ln in links if ln.lag < 0]
    lags = [ln for ln in links if ln.lag > 0]
    not_fs = [ln for ln in links if ln.type is not LinkType.FS]
    fs_share = 100.0 - _share(len(not_fs), len(links)) if links else 100.0

    checks = [
        _percent_check(1, "logic", "Logic", logic, len(incomplete), limits.logic_percent,
                       note="incomplete tasks without a predecessor or a successor (a "
                            "milestone may open or close the plan)"),
        Check(2, "leads", "Leads", len(leads), len(links), _share(len(leads), len(links)),
              f"≤ {limits.leads_percent:g} % of links",
              _share(len(leads), len(links)) <= limits.leads_percent,
              _succs(leads), "links with a negative lag"),
        Check(3, "lags", "Lags", len(lags), len(links), _share(len(lags), len(links)),
              f"≤ {limits.lags_percent:g} % of links",
              _share(len(lags), len(links)) <= limits.lags_percent, _succs(lags),
              "links with a positive lag"),
        Check(4, "relationship_types", "Relationship types", len(not_fs), len(links),
              round(fs_share, 1), f"≥ {limits.fs_percent:g} % finish-to-start",
              fs_share >= limits.fs_percent, _succs(not_fs),
              "links other than finish-to-start (value: share that are)"),
        _percent_check(5, "hard_constraints", "Hard constraints",
                       [t.uid for t in incomplete if t.constraint in HARD], len(incomplete),
                       limits.hard_constraints_percent,
                       note="must start/finish on, start/finish no later than"),
        _percent_check(6, "high_float", "High float",
                       [t.uid for t in incomplete
                        if scheduled[t.uid].total_float > limits.high_float_days * day],
                       len(incomplete), limits.high_float_percent,
                       note=f"total float above {limits.high_float_days:g} working days"),
        _percent_check(7, "negative_float", "Negative float",
                       [t.uid for t in incomplete if scheduled[t.uid].total_float < 0],
                       len(incomplete), limits.negative_float_percent),
        _percent_check(8, "high_duration", "High duration",
                       [t.uid for t in incomplete if not t.milestone
                        and _planned(t, baseline) > limits.high_duration_days * day],
                       len([t for t in incomplete if not t.milestone]),
                       limits.high_duration_percent,
                       note=f"baseline (or planned) duration above "
                            f"{limits.high_duration_days:g} working days"),
        _invalid_dates(leaves, scheduled, status, limits),
        _percent_check(10, "resources", "Resources",
                       [t.uid for t in incomplete if not t.milestone and t.duration > 0
                        and t.uid not in resourced],
                       len([t for t in incomplete if not t.milestone and t.duration > 0]),
                       limits.resources_percent,
                       note="incomplete tasks with work but no resource assigned"),
        _missed(leaves, baseline, status, limits),
        _critical_path_test(project, result, limits) if critical_path_test else Check(
            12, "critical_path_test", "Critical path test", 0, 0, None, "passes", None),
        _cpli(project, result, baseline, status, limits, leaves),
        _bei(leaves, baseline, status, limits),
    ]
    return Assessment(tuple(checks))


def _succs(links: list) -> tuple[int, ...]:  # type: ignore[type-arg]
    return tuple(dict.fromkeys(ln.successor for ln in links))


def _planned(task: Task, baseline: Mapping[int, BaselineDates]) -> int:
    dates = baseline.get(task.uid)
    return dates.duration if dates is not None and dates.duration else task.duration


def _invalid_dates(leaves: list[Task], scheduled: Mapping[int, object], status: int | None,
                   limits: Thresholds) -> Check:
    if status is None:
        return Check(9, "invalid_dates", "Invalid dates", 0, len(leaves), None,
                     f"≤ {limits.invalid_dates_percent:g} % of tasks", None,
                     note="needs a status date")
    offenders = []
    for t in leaves:
        ts = scheduled[t.uid]
        start, finish = ts.start_minute, ts.finish_minute  # type: ignore[attr-defined]
        actual_late = any(a is not None and to_minutes(a) > status
                          for a in (t.actual_start, t.actual_finish))
        forecast_early = ((t.actual_start is None and start < status)
                          or (t.actual_finish is None and finish < status))
        if actual_late or forecast_early:
            offenders.append(t.uid)
    return _percent_check(9, "invalid_dates", "Invalid dates", offenders, len(leaves),
                          limits.invalid_dates_percent,
                          note="actual dates after the status date, or forecast dates "
                               "before it")


def _due(leaves: list[Task], baseline: Mapping[int, BaselineDates],
         status: int) -> list[Task]:
    due = []
    for t in leaves:
        dates = baseline.get(t.uid)
        if dates is not None and dates.finish is not None and to_minutes(dates.finish) <= status:
            due.append(t)
    return due


def _missed(leaves: list[Task], baseline: Mapping[int, BaselineDates], status: int | None,
            limits: Thresholds) -> Check:
    threshold = f"≤ {limits.missed_percent:g} % of tasks due"
    if status is None or not baseline:
        return Check(11, "missed_tasks", "Missed tasks", 0, 0, None, threshold, None,
                     note="needs a status date and a baseline")
    due = _due(leaves, baseline, status)
    offenders = []
    for t in due:
        finish = baseline[t.uid].finish
        assert finish is not None
        if t.actual_finish is None or t.actual_finish > finish:
            offenders.append(t.uid)
    return _percent_check(11, "missed_tasks", "Missed tasks", offenders, len(due),
                          limits.missed_percent, unit="tasks due",
                          note="baseline finish on or before the status date, finished late "
                               "or not at all")


def _critical_path_test(project: Project, result: Schedule, limits: Thresholds) -> Check:
    """Delay the first incomplete critical task; the finish must move by as much."""
    name = "Critical path test"
    delay = round(limits.cpt_delay_days * (project.settings.minutes_per_day or 480))
    summaries = {t.parent for t in project.tasks if t.parent is not None}
    by_uid = {t.uid: t for t in project.tasks}
    candidates = [ts for ts in result.tasks if ts.critical and not ts.summary
                  and ts.uid not in summaries and by_uid[ts.uid].actual_finish is None
                  and not by_uid[ts.uid].milestone]
    if not candidates:
        return Check(12, "critical_path_test", name, 1, 1, None, "the finish moves", False,
                     note="no incomplete critical task to delay")
    first = min(candidates, key=lambda ts: (ts.early_start_minute, ts.uid))
    task = by_uid[first.uid]
    if task.actual_start is not None:
        # Work done stays done: the delay goes to what remains.
        changed = replace(task, duration=task.duration + delay,
                          actual_duration=task.done_minutes,
                          remaining_duration=task.remaining_minutes + delay)
    else:
        changed = replace(task, duration=task.duration + delay)
    altered = replace(project, tasks=tuple(changed if t.uid == task.uid else t
                                           for t in project.tasks))
    try:
        moved = run_schedule(altered, free_float=False)
    except ScheduleError:
        return Check(12, "critical_path_test", name, 1, 1, None, "the finish moves", False,
                     (task.uid,), "the plan could not be rescheduled")
    calendars = {c.uid: c for c in project.calendars}
    work = WorkingTime(calendars[task.calendar_uid or project.calendar_uid])
    slip = work.work_between(result.finish_minute, moved.finish_minute)
    passed = slip >= delay
    return Check(12, "critical_path_test", name, 0 if passed else 1, 1, None,
                 "the finish moves by the delay", passed, () if passed else (task.uid,),
                 f"{limits.cpt_delay_days:g} working days added to {task.name or task.uid}: "
                 f"the finish moved {slip / (project.settings.minutes_per_day or 480):g} days")


def _cpli(project: Project, result: Schedule, baseline: Mapping[int, BaselineDates],
          status: int | None, limits: Thresholds, leaves: list[Task]) -> Check:
    threshold = f"≥ {limits.cpli_minimum:g}"
    finishes = [to_minutes(d.finish) for u, d in baseline.items() if d.finish is not None
                and any(t.uid == u for t in leaves)]
    if not finishes:
        return Check(13, "cpli", "Critical path length index", 0, 0, None, threshold, None,
                     note="needs a baseline")
    calendars = {c.uid: c for c in project.calendars}
    work = WorkingTime(calendars[project.calendar_uid])
    origin = status if status is not None else to_minutes(project.start)
    length = work.work_between(origin, result.finish_minute)
    margin = work.work_between(result.finish_minute, max(finishes))
    if length <= 0:
        return Check(13, "cpli", "Critical path length index", 0, 0, None, threshold, None,
                     note="no remaining critical path")
    value = round((length + margin) / length, 3)
    return Check(13, "cpli", "Critical path length index", 0 if value >= limits.cpli_minimum
                 else 1, 1, value, threshold, value >= limits.cpli_minimum, (),
                 "(remaining critical path + float to the baseline finish) ÷ remaining "
                 "critical path")


def _bei(leaves: list[Task], baseline: Mapping[int, BaselineDates], status: int | None,
         limits: Thresholds) -> Check:
    threshold = f"≥ {limits.bei_minimum:g}"
    if status is None or not baseline:
        return Check(14, "bei", "Baseline execution index", 0, 0, None, threshold, None,
                     note="needs a status date and a baseline")
    due = _due(leaves, baseline, status)
    if not due:
        return Check(14, "bei", "Baseline execution index", 0, 0, None, threshold, None,
                     note="no task was due by the status date")
    done = [t for t in leaves if t.actual_finish is not None
            and to_minutes(t.actual_finish) <= status]
    value = round(len(done) / len(due), 3)
    offenders = tuple(t.uid for t in due if t.actual_finish is None)
    return Check(14, "bei", "Baseline execution index", len(offenders), len(due), value,
                 threshold, value >= limits.bei_minimum, offenders,
                 "tasks finished ÷ tasks due by the status date in the baseline")
