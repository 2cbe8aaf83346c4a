"""Stakeholder engagement arithmetic: where a stakeholder sits on the power/interest grid,
how far their attitude is from the one wanted, the dates a planned communication falls on,
and how a communication sent was received. Pure: no Django, no clock."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

SCALE = 5  # power and interest are scored 1 (low) to 5 (high)

# The engagement levels of the stakeholder engagement assessment matrix, lowest first.
ATTITUDES = ("unaware", "resistant", "neutral", "supportive", "leading")

QUADRANTS = {
    (True, True): "Manage closely",
    (True, False): "Keep satisfied",
    (False, True): "Keep informed",
    (False, False): "Monitor",
}


def quadrant(power: int, interest: int) -> str:
    """The strategy for a stakeholder: high is above the middle of the scale (4 or 5)."""
    middle = (SCALE + 1) / 2
    return QUADRANTS[(power > middle, interest > middle)]


def attitude_gap(now: str, wanted: str) -> int:
    """Steps from the attitude now to the one wanted: positive when they must move up,
    negative when they are beyond it, 0 when they are where they should be."""
    return ATTITUDES.index(wanted) - ATTITUDES.index(now)


FREQUENCY_DAYS = {"weekly": 7, "fortnightly": 14}
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3}


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrences(frequency: str, starts_on: date | None, ends_on: date | None,
                window_start: date, window_end: date, limit: int = 500) -> list[date]:
    """The dates a communication is due within [window_start, window_end]: once on its
    start, or every week, fortnight, month or quarter from its start until its end (or the
    window's end when it has none)."""
    if starts_on is None:
        return []
    last = min(ends_on, window_end) if ends_on is not None else window_end
    found: list[date] = []
    n = 0
    day = starts_on
    while day <= last and len(found) < limit:
        if day >= window_start:
            found.append(day)
        if frequency == "once":
            break
        n += 1
        if frequency in FREQUENCY_DAYS:
            day = starts_on + timedelta(days=FREQUENCY_DAYS[frequency] * n)
        elif frequency in FREQUENCY_MONTHS:
            day = _add_months(starts_on, FREQUENCY_MONTHS[frequency] * n)
        else:
            break
    return found


@dataclass(frozen=True)
class Reception:
    """How one communication sent was received."""

    recipients: int
    acknowledged: int
    responses: int
    mean_rating: float | None  # None while nobody answered

    @property
    def acknowledged_rate(self) -> float | None:
        return self.acknowledged / self.recipients if self.recipients else None

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.recipients if self.recipients else None


def reception(recipients: int, acknowledged: int, ratings: Sequence[int]) -> Reception:
    mean = sum(ratings) / len(ratings) if ratings else None
    return Reception(recipients=recipients, acknowledged=acknowledged,
                     responses=len(ratings), mean_rating=mean)


# Readiness (ADKAR, 1–5 per dimension): a score below 3 is a barrier, 3 is a concern.
def readiness_band(score: float) -> str:
    if score < 2.5:
        return "barrier"
    if score < 3.5:
        return "concern"
    return "ready"


def weakest(scores: Sequence[int]) -> int:
    """The index of the first dimension holding the group back: ADKAR's barrier point is
    the first dimension scored below 3 (else the lowest one)."""
    for n, score in enumerate(scores):
        if score < 3:
            return n
    return min(range(len(scores)), key=lambda n: scores[n])
