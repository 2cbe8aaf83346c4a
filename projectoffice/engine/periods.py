"""Reporting periods: the caller's period end dates, and positions in time measured in periods.

Earned schedule measures time in periods (Lipke counts months), so the engine converts a date
into a *position*: the number of periods elapsed since the start of the grid, with the
current period counted as the fraction of its calendar days that have passed (a status date
at the end of a period gives a whole number).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from projectoffice.engine.errors import InvalidInput
from projectoffice.engine.money import DECIMAL_CONTEXT


@dataclass(frozen=True, slots=True)
class PeriodGrid:
    """Periods ``[start, ends[0]]``, ``[ends[0]+1, ends[1]]``, ... (inclusive calendar days).

    Weekly, monthly or irregular periods alike: the caller chooses the end dates.
    """

    start: date
    ends: tuple[date, ...]

    def __post_init__(self) -> None:
        if not self.ends:
            raise InvalidInput("periods.ends", "at least one period end date is needed")
        previous = self.start - timedelta(days=1)
        for index, end in enumerate(self.ends):
            if end <= previous:
                raise InvalidInput(
                    f"periods.ends[{index}]",
                    "period end dates must be increasing and not before the grid start",
                )
            previous = end

    @property
    def count(self) -> int:
        return len(self.ends)

    def period_start(self, index: int) -> date:
        return self.start if index == 0 else self.ends[index - 1] + timedelta(days=1)

    def period_days(self, index: int) -> int:
        return (self.ends[index] - self.period_start(index)).days + 1

    def index_of(self, day: date, field: str) -> int:
        """Index of the period that contains ``day``."""
        if day < self.start or day > self.ends[-1]:
            raise InvalidInput(
                field, f"{day.isoformat()} is outside the reporting periods "
                f"{self.start.isoformat()}..{self.ends[-1].isoformat()}"
            )
        return bisect_left(self.ends, day)

    def position(self, day: date, field: str = "status_date") -> Decimal:
        """Periods elapsed at the end of ``day`` (so the last day of period 0 gives 1)."""
        index = self.index_of(day, field)
        elapsed = (day - self.period_start(index)).days + 1
        days = self.period_days(index)
        if elapsed == days:
            return Decimal(index + 1)
        return DECIMAL_CONTEXT.add(
            Decimal(index), DECIMAL_CONTEXT.divide(Decimal(elapsed), Decimal(days))
        )

    def date_at(self, position: Decimal) -> date:
        """The calendar day reached at ``position`` periods (inverse of ``position``).

        Positions past the grid extend the last period's length, which is what a forecast
        finish beyond the reporting horizon needs.
        """
        if position <= 0:
            return self.start - timedelta(days=1)
        whole = int(position)
        fraction = position - whole
        if whole >= self.count:
            days = self.period_days(self.count - 1)
            extra = (position - self.count) * days
            return self.ends[-1] + timedelta(days=int(extra.to_integral_value(ROUND_CEILING)))
        if fraction == 0:
            return self.ends[whole - 1]
        days = self.period_days(whole)
        elapsed = int((fraction * days).to_integral_value(ROUND_CEILING))
        return self.period_start(whole) + timedelta(days=max(elapsed, 1) - 1)
