"""Benefit realisation: how far a benefit's measure has moved from its baseline towards its
target, the planned trajectory between the realisation dates, and whether the measurements
keep up with it.  See docs/time-and-money.md, section "Benefits".

A target may lie below the baseline (cost per transaction down from 4.20 to 3.10): the
percentage is (latest − baseline) / (target − baseline) either way, so moving towards the
target is positive and moving away is negative.  Target equal to baseline is refused where
it is entered; here it raises InvalidInput.  "Today" is always a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum

from projectoffice.engine.errors import InvalidInput

__all__ = [
    "Measurement",
    "Realisation",
    "Tracking",
    "percent_realised",
    "planned_percent",
    "planned_value",
    "track",
]

_CONTEXT = Context(prec=28)
HUNDRED = Decimal(100)
# A benefit is on track while it is no more than this many percentage points behind the
# percentage its trajectory plans for the day of the latest measurement.
DEFAULT_TOLERANCE = Decimal(10)


class Tracking(StrEnum):
    NOT_MEASURED = "not_measured"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    REALISED = "realised"

    @property
    def label(self) -> str:
        return {"not_measured": "Not yet measured", "not_started": "Not started",
                "on_track": "On track", "behind": "Behind",
                "realised": "Realised"}[self.value]


@dataclass(frozen=True)
class Measurement:
    day: dt.date
    value: Decimal


@dataclass(frozen=True)
class Realisation:
    """Where a benefit stands at its latest measurement."""

    status: Tracking
    percent: Decimal | None  # % realised at the latest measurement (may be < 0 or > 100)
    planned_percent: Decimal | None  # what the trajectory plans for that day
    latest: Measurement | None


def percent_realised(baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """(value − baseline) / (target − baseline) × 100, unrounded."""
    span = target - baseline
    if span == 0:
        raise InvalidInput("target_value", "must differ from the baseline")
    return _CONTEXT.divide((value - baseline) * HUNDRED, span)


def planned_percent(start: dt.date, full: dt.date, day: dt.date) -> Decimal:
    """The share of the benefit the trajectory plans for ``day``: 0 until realisation
    starts, rising linearly to 100 at full realisation, 100 after."""
    if day <= start:
        return Decimal(0)
    if day >= full or full <= start:
        return HUNDRED
    return _CONTEXT.divide(Decimal((day - start).days) * HUNDRED, Decimal((full - start).days))


def planned_value(baseline: Decimal, target: Decimal, start: dt.date, full: dt.date,
                  day: dt.date) -> Decimal:
    """The measure's planned value on ``day`` along the linear trajectory."""
    return baseline + (target - baseline) * planned_percent(start, full, day) / HUNDRED


def track(baseline: Decimal, target: Decimal, start: dt.date | None, full: dt.date | None,
          measurements: Sequence[Measurement],
          tolerance: Decimal = DEFAULT_TOLERANCE) -> Realisation:
    """The status from the latest measurement against the trajectory: realised at 100 % or
    more; on track while within ``tolerance`` points of the planned percentage; behind
    otherwise.  Without realisation dates only "realised" or "on track" can be told (no
    plan to be behind)."""
    if not measurements:
        return Realisation(Tracking.NOT_MEASURED, None, None, None)
    latest = max(measurements, key=lambda m: m.day)
    percent = percent_realised(baseline, target, latest.value)
    if percent >= HUNDRED:
        return Realisation(Tracking.REALISED, percent, None, latest)
    if start is None or full is None:
        return Realisation(Tracking.ON_TRACK, percent, None, latest)
    planned = planned_percent(start, full, latest.day)
    if latest.day < start and percent <= 0:
        return Realisation(Tracking.NOT_STARTED, percent, planned, latest)
    status = Tracking.ON_TRACK if percent >= planned - tolerance else Tracking.BEHIND
    return Realisation(status, percent, planned, latest)
