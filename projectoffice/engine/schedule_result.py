"""What the scheduler returns: immutable dates and floats per task.

Instants are kept as integer minutes (see :mod:`projectoffice.engine.calendars`) so a 100k-task
result is cheap to build; the ``datetime`` properties convert on access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple

from projectoffice.engine.calendars import from_minutes


class TaskSchedule(NamedTuple):
    """One task's dates and float.

    A named tuple rather than a frozen dataclass: a 100k-task result makes 100k of these, and
    a tuple is built about three times faster than a frozen dataclass sets its fields.
    """

    uid: int
    name: str
    summary: bool
    milestone: bool
    early_start_minute: int
    early_finish_minute: int
    late_start_minute: int
    late_finish_minute: int
    start_minute: int  # the scheduled dates: early, late for ALAP, actual once known
    finish_minute: int
    total_float: int  # working minutes of the task's calendar; negative when constraints bite
    free_float: int
    critical: bool

    @property
    def early_start(self) -> datetime:
        return from_minutes(self.early_start_minute)

    @property
    def early_finish(self) -> datetime:
        return from_minutes(self.early_finish_minute)

    @property
    def late_start(self) -> datetime:
        return from_minutes(self.late_start_minute)

    @property
    def late_finish(self) -> datetime:
        return from_minutes(self.late_finish_minute)

    @property
    def start(self) -> datetime:
        return from_minutes(self.start_minute)

    @property
    def finish(self) -> datetime:
        return from_minutes(self.finish_minute)


@dataclass(frozen=True)
class ConstraintConflict:
    """A date constraint the logic does not allow: the constraint is honoured and the task
    starts before its predecessors let it (``logic_start``), as MS Project reports it."""

    uid: int
    name: str
    constraint: str  # SNET, MSO, ...
    constraint_minute: int
    logic_start_minute: int

    @property
    def constraint_date(self) -> datetime:
        return from_minutes(self.constraint_minute)

    @property
    def logic_start(self) -> datetime:
        return from_minutes(self.logic_start_minute)


@dataclass(frozen=True)
class Schedule:
    start_minute: int
    finish_minute: int
    tasks: tuple[TaskSchedule, ...]  # in the order the plan lists them
    warnings: tuple[str, ...] = ()
    # Manually scheduled tasks placed against their links (MS Project underlines them).
    violated: tuple[int, ...] = ()
    # The duration (working minutes) a work-driven task's work gives it, by UID.
    durations: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    conflicts: tuple[ConstraintConflict, ...] = ()
    _by_uid: Mapping[int, TaskSchedule] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self._by_uid and self.tasks:
            index = MappingProxyType({task.uid: task for task in self.tasks})
            object.__setattr__(self, "_by_uid", index)

    @property
    def start(self) -> datetime:
        return from_minutes(self.start_minute)

    @property
    def finish(self) -> datetime:
        return from_minutes(self.finish_minute)

    def task(self, uid: int) -> TaskSchedule:
        return self._by_uid[uid]

    @property
    def critical_uids(self) -> tuple[int, ...]:
        return tuple(task.uid for task in self.tasks if task.critical and not task.summary)
