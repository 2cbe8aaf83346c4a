"""Task types: how an assignment's work, units and duration follow each other when one of
them changes, by Microsoft Project's rules (work = duration × units):

| task type      | units change        | duration change     | work change         |
| -------------- | ------------------- | ------------------- | ------------------- |
| fixed units    | duration follows    | work follows        | duration follows    |
| fixed work     | duration follows    | units follow        | duration follows    |
| fixed duration | work follows        | work follows        | units follow        |

An effort-driven task keeps its total work when resources are added: the work is shared in
proportion to the units, and the duration (fixed units, fixed work) or the units (fixed
duration) change instead.  Durations are working minutes, units percent, work hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

HUNDRED = Decimal(100)
SIXTY = Decimal(60)
CENT = Decimal("0.01")


class TaskType(Enum):
    FIXED_UNITS = "fixed_units"
    FIXED_WORK = "fixed_work"
    FIXED_DURATION = "fixed_duration"


class TaskTypeError(ValueError):
    """A change that cannot be followed, e.g. work at zero units on a fixed-units task."""


@dataclass(frozen=True)
class Loading:
    """One assignment: its duration (working minutes), units (%) and work (hours)."""

    duration: int
    units: Decimal
    work: Decimal


def work_of(duration: int, units: Decimal) -> Decimal:
    return (Decimal(duration) / SIXTY * units / HUNDRED).quantize(CENT, ROUND_HALF_UP)


def duration_of(work: Decimal, units: Decimal) -> int:
    if units <= 0:
        raise TaskTypeError("at 0 % units no duration gives that work")
    return int((work * SIXTY * HUNDRED / units).to_integral_value(ROUND_HALF_UP))


def units_of(work: Decimal, duration: int) -> Decimal:
    if duration <= 0:
        raise TaskTypeError("a task without duration cannot take work")
    return (work * SIXTY * HUNDRED / Decimal(duration)).quantize(CENT, ROUND_HALF_UP)


def recompute(task_type: TaskType, before: Loading, *, duration: int | None = None,
              units: Decimal | None = None, work: Decimal | None = None) -> Loading:
    """The loading after one of duration, units or work is set (give exactly one)."""
    given = [name for name, v in (("duration", duration), ("units", units), ("work", work))
             if v is not None]
    if len(given) != 1:
        raise TaskTypeError("change one of duration, units or work at a time")
    if units is not None:
        if task_type is TaskType.FIXED_DURATION:
            return Loading(before.duration, units, work_of(before.duration, units))
        return Loading(duration_of(before.work, units), units, before.work)
    if duration is not None:
        if task_type is TaskType.FIXED_WORK:
            return Loading(duration, units_of(before.work, duration), before.work)
        return Loading(duration, before.units, work_of(duration, before.units))
    assert work is not None
    if task_type is TaskType.FIXED_DURATION:
        return Loading(before.duration, units_of(work, before.duration), work)
    return Loading(duration_of(work, before.units), before.units, work)


def share_work(task_type: TaskType, duration: int, assignments: Sequence[Loading],
               new_units: Decimal) -> tuple[int, list[Loading]]:
    """An effort-driven task gains an assignment at ``new_units``: the total work of the
    existing assignments is kept and shared.  Returns the task's new duration and the
    loadings of every assignment, the new one last."""
    total = sum((a.work for a in assignments), Decimal(0))
    units = [a.units for a in assignments] + [new_units]
    all_units = sum(units, Decimal(0))
    if not assignments or total <= 0 or all_units <= 0:
        return duration, [*assignments, Loading(duration, new_units,
                                                work_of(duration, new_units))]
    if task_type is TaskType.FIXED_DURATION:
        factor = total / work_of(duration, all_units) if work_of(duration, all_units) else \
            Decimal(1)
        scaled = [(u * factor).quantize(CENT, ROUND_HALF_UP) for u in units]
        return duration, [Loading(duration, u, work_of(duration, u)) for u in scaled]
    new_duration = duration_of(total, all_units)
    return new_duration, [Loading(new_duration, u, work_of(new_duration, u)) for u in units]
