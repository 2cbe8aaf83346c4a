"""Service-level clocks: when a response or a resolution is due, counted in working time.

A target is a number of working minutes on a calendar (the office's hours and holidays). A
clock starts when a ticket is opened; it stops when the response (or resolution) happens.
While it runs, the share of the target used says whether it is on track, at risk (the
warning threshold passed) or breached. Instants are naive local datetimes, as the
calendars' are; the caller converts at the edges and passes "now" in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .calendars import WorkingTime, from_minutes, to_minutes

RUNNING = "running"
AT_RISK = "at_risk"
BREACHED = "breached"
MET = "met"

# A clock warns once this share of its target is used.
WARN_SHARE = 0.75


@dataclass(frozen=True, slots=True)
class Clock:
    target: int  # working minutes allowed
    due: datetime  # when the target runs out
    used: int  # working minutes used so far (or until it stopped)
    state: str  # running, at_risk, breached or met
    stopped: datetime | None  # when the response or resolution happened

    @property
    def remaining(self) -> int:
        """Working minutes left; negative once breached."""
        return self.target - self.used

    @property
    def share(self) -> float:
        return self.used / self.target if self.target else 1.0

    @property
    def breached(self) -> bool:
        return self.state == BREACHED


def due_at(opened: datetime, minutes: int, clock: WorkingTime) -> datetime:
    """The moment ``minutes`` of working time after ``opened`` are used up.

    Opened outside working hours, the clock starts at the next working moment.
    """
    if minutes <= 0:
        return opened
    return from_minutes(clock.finish_from_start(clock.next_start(to_minutes(opened)), minutes))


def working_minutes(start: datetime, finish: datetime, clock: WorkingTime) -> int:
    """Working minutes from ``start`` to ``finish`` (0 when ``finish`` is not later)."""
    if finish <= start:
        return 0
    return max(0, clock.work_between(to_minutes(start), to_minutes(finish)))


def measure(*, opened: datetime, target: int, stopped: datetime | None, now: datetime,
            clock: WorkingTime, warn_share: float = WARN_SHARE) -> Clock:
    """The state of one clock at ``now``: met or breached once stopped; running, at risk
    or breached while it runs."""
    if target <= 0:
        raise ValueError("a service-level target is a positive number of minutes")
    due = due_at(opened, target, clock)
    if stopped is not None:
        used = working_minutes(opened, stopped, clock)
        return Clock(target, due, used, MET if used <= target else BREACHED, stopped)
    used = working_minutes(opened, now, clock)
    if used > target or (used == target and now >= due):
        state = BREACHED
    elif used >= warn_share * target:
        state = AT_RISK
    else:
        state = RUNNING
    return Clock(target, due, used, state, None)


def describe(minutes: int, minutes_per_day: int = 480) -> str:
    """Working time in words: "3 h 20 min", "2 d 1 h" (days of ``minutes_per_day``)."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, minutes_per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins and not days:
        parts.append(f"{mins} min")
    return sign + (" ".join(parts) or "0 min")
