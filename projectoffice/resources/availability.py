"""What each work resource of a plan has per working day, for levelling: its maximum units,
less the share of the day its person is away (the office's absence calendar; a half day
counts as half) and, when asked, less the units their work on other projects' plans takes
that day (never below 0), from the status date on.  Days are numbered like the levelling
engine's time units: working days of the plan calendar from the plan start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from projectoffice.engine import calendars as cal
from projectoffice.engine import levelling as lv
from projectoffice.people.queries import absence_shares
from projectoffice.planning.models import Plan

from .models import Resource
from .usage import PlanClock, work_elsewhere

HORIZON_DAYS = 3660  # availability is read at most ten years past the plan start


class PlanDays:
    """Working days of a plan calendar counted from the plan start, both ways."""

    def __init__(self, plan: Plan, clock: PlanClock) -> None:
        self.clock = clock
        self.mpd = max(plan.minutes_per_day, 1)
        self.origin = cal.to_minutes(plan.start)
        self.work = clock.time(plan.calendar_uid)
        self.first = plan.start.date()

    def index(self, moment: dt.datetime) -> int:
        at = cal.to_minutes(moment)
        if at <= self.origin:
            return 0
        return self.work.work_between(self.origin, at) // self.mpd

    def first_date(self, day: int) -> dt.date:
        """The date working day ``day`` begins on."""
        return cal.from_minutes(self.work.next_start(
            self.work.add(self.origin, day * self.mpd))).date()

    def last_date(self, day: int) -> dt.date:
        """The date working day ``day`` ends on."""
        return cal.from_minutes(self.work.add(self.origin, (day + 1) * self.mpd)).date()

    def working(self, last: dt.date, first: dt.date | None = None
                ) -> Iterator[tuple[dt.date, int, int]]:
        """Each working date of the plan calendar from ``first`` (the plan start) to
        ``last``: (date, day, minutes)."""
        day = max(first or self.first, self.first)
        while day <= last:
            minutes = self.clock.day_minutes(day)
            if minutes:
                yield day, self.index(dt.datetime.combine(day, dt.time())), minutes
            day += dt.timedelta(days=1)


def span_text(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


@dataclass
class Availability:
    """Per work resource (by id): its capacity periods for the engine, and per working day
    the share it is away and the units other projects take."""

    periods: dict[int, tuple[lv.CapacityPeriod, ...]] = field(default_factory=dict)
    away: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    elsewhere: dict[int, dict[int, int]] = field(default_factory=dict)

    def reasons(self, resource: Resource, first: int, finish: int, days: PlanDays) -> list[str]:
        """Why ``resource`` had less room from working day ``first`` until ``finish``."""
        out = []
        for what, by_day in (("away", self.away.get(resource.pk, {})),
                             ("busy on other projects", self.elsewhere.get(resource.pk, {}))):
            hit = [d for d in range(first, finish) if by_day.get(d)]
            if hit:
                out.append(f"{resource.name} {what} "
                           f"{span_text(days.first_date(hit[0]), days.first_date(hit[-1]))}")
        return out


def availability(plan: Plan, resources: Iterable[Resource], days: PlanDays, *,
                 other_projects: bool) -> Availability:
    """The periods of changed capacity of each resource, consecutive working days with the
    same capacity merged into one period."""
    found = Availability()
    people = [r for r in resources if r.user_id is not None]
    if not people:
        return found
    users = {r.user_id for r in people if r.user_id is not None}
    # Before the status date the work is done or under way (fixed): only what lies ahead
    # is levelled, so only that availability counts.
    start = max(days.first, plan.status_date or days.first)
    limit = start + dt.timedelta(days=HORIZON_DAYS)
    away = absence_shares(users, start, limit)
    busy = work_elsewhere(plan.project, users, start) if other_projects else {}
    last = max([d for by_day in (*away.values(), *busy.values()) for d in by_day]
               + [start])
    one = Decimal(1)
    calendar = list(days.working(min(last, limit), start))  # once for every resource
    for r in people:
        assert r.user_id is not None
        r_away, r_busy = away.get(r.user_id, {}), busy.get(r.user_id, {})
        if not r_away and not r_busy:
            continue
        max_units = round(r.max_units) or 1
        shares: dict[int, Decimal] = {}
        units_elsewhere: dict[int, int] = {}
        periods: list[lv.CapacityPeriod] = []
        for date, day, minutes in calendar:
            share = r_away.get(date, Decimal(0))
            hours = r_busy.get(date, Decimal(0))
            if not share and not hours:
                continue
            taken = int((hours * 6000 / minutes).quantize(one, ROUND_HALF_UP))
            if share:
                shares[day] = share
            if taken:
                units_elsewhere[day] = taken
            units = int((max_units * (1 - share)).quantize(one, ROUND_HALF_UP)) - taken
            units = max(units, 0)
            if units >= max_units:
                continue
            if periods and periods[-1].finish == day and periods[-1].units == units:
                periods[-1] = lv.CapacityPeriod(periods[-1].start, day + 1, units)
            elif periods and periods[-1].finish > day:
                # Two dates on one working day (short days): the lower capacity holds.
                prev = periods.pop()
                if prev.start < day:
                    periods.append(lv.CapacityPeriod(prev.start, day, prev.units))
                periods.append(lv.CapacityPeriod(day, day + 1, min(prev.units, units)))
            else:
                periods.append(lv.CapacityPeriod(day, day + 1, units))
        found.periods[r.pk] = tuple(periods)
        found.away[r.pk] = shares
        found.elsewhere[r.pk] = units_elsewhere
    return found
