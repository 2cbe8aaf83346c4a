"""The project network: tasks, links, constraints and progress, as the scheduler takes them.

Everything here is an immutable description; :func:`projectoffice.engine.cpm.schedule` turns it
into dates.  Durations and lags are whole minutes: working minutes of the task's calendar, or
elapsed (24×7) minutes when flagged so.  See docs/scheduling.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from projectoffice.engine.calendars import Calendar, ProjectSettings, standard_calendar


class LinkType(Enum):
    FS = "FS"  # successor starts after predecessor finishes
    SS = "SS"
    FF = "FF"
    SF = "SF"  # successor finishes after predecessor starts


class LagKind(Enum):
    WORKING = "working"  # minutes of the successor's calendar
    ELAPSED = "elapsed"  # 24×7 minutes
    PERCENT = "percent"  # percent of the predecessor's duration


class ConstraintType(Enum):
    ASAP = "ASAP"
    ALAP = "ALAP"
    SNET = "SNET"
    SNLT = "SNLT"
    FNET = "FNET"
    FNLT = "FNLT"
    MSO = "MSO"
    MFO = "MFO"


DATED_CONSTRAINTS = frozenset(ConstraintType) - {ConstraintType.ASAP, ConstraintType.ALAP}


class DurationUnit(Enum):
    """How a duration is shown; scheduling always works in minutes."""

    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"
    WEEKS = "w"
    MONTHS = "mo"


@dataclass(frozen=True, slots=True)
class Link:
    predecessor: int
    successor: int
    type: LinkType = LinkType.FS
    # Minutes for WORKING and ELAPSED lags, percent for PERCENT; negative is a lead.
    lag: float = 0
    lag_kind: LagKind = LagKind.WORKING


@dataclass(frozen=True, slots=True)
class Work:
    """One resource's work on a task, as MS Project schedules a work-driven task from it:
    ``minutes`` of work at ``units`` (1.0 = full time) on the resource's calendar
    (``calendar_uid``; None: the task's)."""

    minutes: int
    units: float = 1.0
    calendar_uid: int | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """One task of the plan.  ``uid`` is stable (the file's UID); ``parent`` builds the outline.

    A task with children is a summary: its own duration, links to it and constraints on it are
    spread to its children as MS Project does, and its dates roll up from them.
    """

    uid: int
    name: str = ""
    duration: int = 0
    elapsed: bool = False
    milestone: bool = False
    display_unit: DurationUnit = DurationUnit.DAYS
    calendar_uid: int | None = None
    parent: int | None = None
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    # Progress.  Without actual_duration/remaining_duration they follow from percent_complete.
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    percent_complete: float = 0.0
    actual_duration: int | None = None
    remaining_duration: int | None = None
    # Working minutes (in the task's calendar) added to the start its links and constraint
    # allow, as MS Project's Leveling Delay: written by resource levelling.
    levelling_delay: int = 0
    # A manually scheduled task stays on ``manual_start``..``manual_finish`` (the finish
    # defaults to its duration from the start): links and constraints do not move it, but its
    # links still drive automatic successors.  Without a start it is scheduled as automatic.
    manual: bool = False
    manual_start: datetime | None = None
    manual_finish: datetime | None = None
    # A manual task whose start, finish or duration the user entered as text (MS Project's
    # StartText/FinishText/DurationText): MS Project never marks it critical.
    manual_text: bool = False
    # An inactive task is kept in the plan but ignored by scheduling: it drives nothing, no
    # summary spans it and it is never critical.
    active: bool = True
    # Work-driven scheduling (a task with assignments that is not fixed-duration): each
    # resource does its work at its units on its calendar and the task lasts until the last
    # one finishes; ``duration`` then follows.  Empty: scheduled from ``duration``.
    work: tuple[Work, ...] = ()
    # A task under way that was split (work stopped, then resumed later): its remaining work
    # resumes no earlier than this (MS Project's Resume).
    resume: datetime | None = None
    # A task with a calendar of its own and work-driven assignments: MS Project schedules each
    # resource's work in the working time the task's calendar and the resource's share; with
    # this set (its "Scheduling ignores resource calendars") on the task's calendar alone.
    ignore_resource_calendar: bool = False

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ValueError(f"task {self.uid}: negative duration")
        if self.levelling_delay < 0:
            raise ValueError(f"task {self.uid}: negative levelling delay")
        # Identity tests, not DATED_CONSTRAINTS: Enum hashing is Python code, and a reader
        # makes 100k tasks.
        undated = self.constraint is ConstraintType.ASAP or self.constraint is ConstraintType.ALAP
        if self.constraint_date is None and not undated:
            raise ValueError(f"task {self.uid}: constraint {self.constraint.value} needs a date")
        if self.actual_finish is not None and self.actual_start is None:
            raise ValueError(f"task {self.uid}: actual finish without actual start")
        if (
            self.manual_start is not None
            and self.manual_finish is not None
            and self.manual_finish < self.manual_start
        ):
            raise ValueError(f"task {self.uid}: manual finish before its manual start")

    @property
    def pinned(self) -> bool:
        """Manually scheduled with a start of its own: links and constraints do not move it."""
        return self.manual and self.manual_start is not None

    @property
    def done_minutes(self) -> int:
        if self.actual_duration is not None:
            return self.actual_duration
        if self.actual_finish is not None:
            return self.duration
        if self.actual_start is None:
            return 0
        return round(self.duration * self.percent_complete / 100)

    @property
    def remaining_minutes(self) -> int:
        if self.actual_finish is not None:
            return 0
        if self.remaining_duration is not None:
            return self.remaining_duration
        return max(self.duration - self.done_minutes, 0)


@dataclass(frozen=True, slots=True)
class Project:
    """A whole plan as the scheduler takes it."""

    start: datetime
    tasks: tuple[Task, ...]
    links: tuple[Link, ...] = ()
    calendars: tuple[Calendar, ...] = field(default_factory=lambda: (standard_calendar(),))
    calendar_uid: int = 1
    settings: ProjectSettings = field(default_factory=ProjectSettings)
    status_date: datetime | None = None
    # Tasks whose total float is at most this many working minutes are critical.
    critical_threshold: int = 0


class ScheduleError(ValueError):
    """The plan cannot be scheduled (a cycle, a dangling reference, no working time)."""


class CycleError(ScheduleError):
    def __init__(self, tasks: tuple[Task, ...]) -> None:
        self.tasks = tasks
        names = " -> ".join(f"{task.uid} {task.name!r}" for task in tasks)
        super().__init__(f"the links form a cycle: {names} -> {tasks[0].uid}")


def minutes_of(amount: float, unit: DurationUnit, settings: ProjectSettings) -> int:
    """Convert a displayed amount of working time to minutes with the project's settings."""
    per_unit = {
        DurationUnit.MINUTES: 1,
        DurationUnit.HOURS: 60,
        DurationUnit.DAYS: settings.minutes_per_day,
        DurationUnit.WEEKS: settings.minutes_per_week,
        DurationUnit.MONTHS: settings.minutes_per_day * settings.days_per_month,
    }[unit]
    return round(amount * per_unit)
