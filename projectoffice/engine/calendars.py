"""Working calendars and the arithmetic of working time.

A :class:`Calendar` describes when work happens: a week of working periods per day, exceptions
(holidays, days with other hours) and optionally a base calendar it derives from.  A
:class:`WorkingTime` is the compiled, fast form of a calendar: it lays every working period of a
span of days end to end with a running total of working minutes, so adding working time to an
instant or measuring working time between two instants is two binary searches, never a
day-by-day walk.  The span grows on demand (doubling), so callers never see its bounds.

Instants are plain integers: minutes since 0001-01-01 00:00 (``date.toordinal() * 1440``).
Integers keep the scheduler fast and exact; :func:`to_minutes` and :func:`from_minutes` convert
at the edges.  See docs/scheduling.md for the conventions (a finish is the end of working time,
a start the beginning of it).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache

# How far the index may grow before we decide a calendar simply has no more working time.
_MAX_SPAN_DAYS = 366 * 200


def to_minutes(moment: datetime) -> int:
    """Minutes since 0001-01-01 00:00 for a naive local datetime (seconds are dropped)."""
    return moment.toordinal() * 1440 + moment.hour * 60 + moment.minute


def from_minutes(minutes: int) -> datetime:
    day, minute = divmod(minutes, 1440)
    d = date.fromordinal(day)
    # Plans live in local wall-clock time, as MS Project files do: naive on purpose.
    return datetime(d.year, d.month, d.day, minute // 60, minute % 60)  # noqa: DTZ001


@dataclass(frozen=True, slots=True)
class WorkingPeriod:
    """Working time within one day, in minutes after midnight; ``end`` may be 1440."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 1440:
            raise ValueError(f"working period {self.start}-{self.end} is not within one day")

    @property
    def minutes(self) -> int:
        return self.end - self.start


def hours(start: str, end: str) -> WorkingPeriod:
    """``hours("08:00", "12:00")`` — a readable way to write a working period."""

    def parse(text: str) -> int:
        h, m = text.split(":")
        return int(h) * 60 + int(m)

    return WorkingPeriod(parse(start), parse(end))


DayPeriods = tuple[WorkingPeriod, ...]
STANDARD_DAY: DayPeriods = (hours("08:00", "12:00"), hours("13:00", "17:00"))
NON_WORKING: DayPeriods = ()
# Monday first, as date.weekday() counts.
STANDARD_WEEK: tuple[DayPeriods | None, ...] = (STANDARD_DAY,) * 5 + (NON_WORKING,) * 2


class RecurrenceKind(Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


LAST = 5  # ``position`` of "the last <weekday> of the month"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """How a recurring exception repeats between its first and last day (MS Project's
    "Recurrence pattern").

    * daily: every ``every`` days;
    * weekly: on ``weekdays`` (0 Monday … 6 Sunday) every ``every`` weeks (weeks start on
      Sunday, as in MS Project);
    * monthly: on day ``day`` of every ``every`` months, or on the ``position``-th (1–4, or
      ``LAST``) ``weekday`` of the month;
    * yearly: on day ``day`` of ``month``, or the ``position``-th ``weekday`` of ``month``.

    ``occurrences`` caps the number of days (MS Project's "End after"); the exception's last
    day always bounds them ("End by").
    """

    kind: RecurrenceKind
    every: int = 1
    weekdays: tuple[int, ...] = ()
    day: int | None = None
    weekday: int | None = None
    position: int | None = None
    month: int | None = None
    occurrences: int | None = None

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError("a recurrence repeats every 1 or more periods")
        if self.kind is RecurrenceKind.WEEKLY and not self.weekdays:
            raise ValueError("a weekly recurrence needs at least one day of the week")
        if any(not 0 <= day <= 6 for day in self.weekdays):
            raise ValueError("days of the week are 0 (Monday) to 6 (Sunday)")
        if self.kind in (RecurrenceKind.MONTHLY, RecurrenceKind.YEARLY):
            if self.day is None and (self.weekday is None or self.position is None):
                raise ValueError(f"a {self.kind.value} recurrence needs a day or a weekday")
            if self.day is not None and not 1 <= self.day <= 31:
                raise ValueError("the day of the month is 1 to 31")
            if self.position is not None and not 1 <= self.position <= LAST:
                raise ValueError("the position in the month is 1 to 5 (last)")
        if self.kind is RecurrenceKind.YEARLY and (self.month is None or not 1 <= self.month <= 12):
            raise ValueError("a yearly recurrence needs a month (1 to 12)")

    def days(self, first: date, last: date) -> list[date]:
        """The days it falls on from ``first`` to ``last``, at most ``occurrences`` of them."""
        found: list[date] = []
        limit = self.occurrences if self.occurrences and self.occurrences > 0 else None

        def take(day: date) -> bool:
            """Adds ``day`` if in range; False once no more days can come."""
            if day > last or (limit is not None and len(found) >= limit):
                return False
            if day >= first:
                found.append(day)
            return True

        kind = self.kind
        if kind is RecurrenceKind.DAILY:
            day = first
            while take(day):
                day += timedelta(days=self.every)
        elif kind is RecurrenceKind.WEEKLY:
            week = first - timedelta(days=(first.weekday() + 1) % 7)  # its Sunday
            order = sorted(self.weekdays, key=lambda d: (d + 1) % 7)
            while week <= last and (limit is None or len(found) < limit):
                for weekday in order:
                    if not take(week + timedelta(days=(weekday + 1) % 7)):
                        break
                week += timedelta(weeks=self.every)
        else:
            yearly = kind is RecurrenceKind.YEARLY
            year, month = first.year, self.month if yearly and self.month else first.month
            step = 12 if yearly else self.every
            while True:
                day_ = self._day_in(year, month)
                if day_ is not None and not take(day_):
                    break
                if date(year, month, 1) > last:
                    break
                month += step
                year += (month - 1) // 12
                month = (month - 1) % 12 + 1
        return found

    def _day_in(self, year: int, month: int) -> date | None:
        length = monthrange(year, month)[1]
        if self.day is not None:
            # A day past the month's end (the 31st in April) falls on its last day.
            return date(year, month, min(self.day, length))
        assert self.weekday is not None and self.position is not None
        if self.position == LAST:
            day = date(year, month, length)
            return day - timedelta(days=(day.weekday() - self.weekday) % 7)
        day = date(year, month, 1)
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        return day + timedelta(weeks=self.position - 1)


@dataclass(frozen=True, slots=True)
class CalendarException:
    """Days ``start``..``finish`` (inclusive) work ``periods`` instead; empty means a holiday.

    With a ``recurrence`` only the days it falls on within that range are affected.
    """

    start: date
    finish: date
    periods: DayPeriods = ()
    name: str = ""
    recurrence: Recurrence | None = None

    def __post_init__(self) -> None:
        if self.finish < self.start:
            raise ValueError(f"calendar exception {self.name!r} finishes before it starts")

    def ordinals(self, first: int, last: int) -> list[int]:
        """Ordinals of the days it covers within ``first``..``last`` (inclusive)."""
        lo = max(self.start.toordinal(), first)
        hi = min(self.finish.toordinal(), last)
        if lo > hi:
            return []
        if self.recurrence is None:
            return list(range(lo, hi + 1))
        return [
            ordinal
            for day in self.recurrence.days(self.start, self.finish)
            if lo <= (ordinal := day.toordinal()) <= hi
        ]


@dataclass(frozen=True, slots=True)
class WorkWeek:
    """An alternate working week for days ``start``..``finish`` (MS Project's Work Weeks):
    seven entries, Monday first; ``None`` keeps the calendar's default week for that day."""

    start: date
    finish: date
    week: tuple[DayPeriods | None, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if self.finish < self.start:
            raise ValueError(f"work week {self.name!r} finishes before it starts")
        if len(self.week) != 7:
            raise ValueError(f"work week {self.name!r}: a week has seven days")


@dataclass(frozen=True, slots=True)
class Calendar:
    """A base or derived working calendar.

    ``week`` holds seven entries, Monday first.  In a derived calendar (``base`` set) an entry of
    ``None`` means "as the base calendar says"; a base calendar must give every day.  The order of
    precedence follows MS Project: own exceptions, own week days, then the base calendar (its
    exceptions, then its week).
    """

    uid: int
    name: str
    week: tuple[DayPeriods | None, ...] = STANDARD_WEEK
    exceptions: tuple[CalendarException, ...] = ()
    base: Calendar | None = None
    work_weeks: tuple[WorkWeek, ...] = ()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError(f"calendar {self.name!r}: a week has seven days, not {len(self.week)}")
        if self.base is None and any(day is None for day in self.week):
            raise ValueError(f"calendar {self.name!r}: a base calendar must define every day")

    def periods_on(self, day: date) -> DayPeriods:
        """Working periods on ``day`` (slow path, used only while building an index)."""
        ordinal = day.toordinal()
        for exception in self.exceptions:
            if exception.ordinals(ordinal, ordinal):
                return exception.periods
        for work_week in self.work_weeks:
            if work_week.start <= day <= work_week.finish:
                alternate = work_week.week[day.weekday()]
                if alternate is not None:
                    return alternate
                break
        own = self.week[day.weekday()]
        if own is not None:
            return own
        assert self.base is not None
        return self.base.periods_on(day)

    def has_any_work(self) -> bool:
        week_work = (
            any(day for day in self.week if day)
            or any(exception.periods for exception in self.exceptions)
            or any(day for work_week in self.work_weeks for day in work_week.week if day)
        )
        return week_work or (self.base is not None and self.base.has_any_work())


@dataclass(frozen=True, slots=True)
class CalendarIntersection:
    """The working time two calendars share: where MS Project schedules a resource's work
    on a task that has a calendar of its own (unless the task ignores resource calendars)."""

    first: Calendar
    second: Calendar

    @property
    def uid(self) -> int:
        return self.first.uid

    @property
    def name(self) -> str:
        return f"{self.first.name} and {self.second.name}"

    def has_any_work(self) -> bool:
        # Two calendars with work may share none; the index says so (NoWorkingTime) when
        # it has looked far enough.
        return self.first.has_any_work() and self.second.has_any_work()


def standard_calendar(uid: int = 1, name: str = "Standard") -> Calendar:
    return Calendar(uid=uid, name=name)


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """How display units convert to minutes (MS Project's Options > Schedule)."""

    minutes_per_day: int = 480
    minutes_per_week: int = 2400
    days_per_month: int = 20


class NoWorkingTime(ValueError):
    """Raised when a calendar has no working time in the direction asked."""


class WorkingTime:
    """The compiled index of one calendar: every operation is a lookup.

    ``_starts[i]``/``_ends[i]`` are the absolute minutes of the i-th working period of the covered
    span and ``_before[i]`` the working minutes of the span before it.  A working offset ``w`` is
    "minutes of work since the span began"; offsets are only valid until the span grows, so every
    public method converts to an offset and back within one call.  The public methods inline a
    fast path for the covered span (the scheduler calls them millions of times) and fall back to
    growing the span when an answer lies outside it.
    """

    __slots__ = (
        "_before",
        "_ends",
        "_first_day",
        "_high",
        "_last_day",
        "_low",
        "_starts",
        "_total",
        "calendar",
    )

    def __init__(self, calendar: Calendar | CalendarIntersection) -> None:
        if not calendar.has_any_work():
            raise NoWorkingTime(f"calendar {calendar.name!r} has no working time")
        self.calendar = calendar
        self._first_day = self._last_day = 0
        self._low = self._high = 0  # covered instants: _low <= t < _high
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._before: list[int] = []
        self._total = 0

    def __repr__(self) -> str:
        return f"WorkingTime({self.calendar.name!r})"

    # --- building -----------------------------------------------------------------------

    def _build(self, first_day: int, last_day: int) -> None:
        starts, ends, before, total = _span(self.calendar, first_day, last_day)
        self._first_day, self._last_day = first_day, last_day
        self._low, self._high = first_day * 1440, last_day * 1440
        self._starts, self._ends, self._before, self._total = starts, ends, before, total

    def _cover(self, instant: int) -> None:
        while not self._low <= instant < self._high:
            day = instant // 1440
            if self._last_day == 0:
                # First use: some years either side of the first instant asked about.
                self._build(day - 800, day + 3000)
            else:
                self._grow(forward=day >= self._last_day)

    def _grow(self, *, forward: bool) -> None:
        span = self._last_day - self._first_day
        if span > _MAX_SPAN_DAYS:
            direction = "after" if forward else "before"
            edge = self._high if forward else self._low
            raise NoWorkingTime(
                f"calendar {self.calendar.name!r} has no working time {direction} "
                f"{from_minutes(edge)}"
            )
        if forward:
            self._build(self._first_day, self._last_day + span)
        else:
            self._build(self._first_day - span, self._last_day)

    # --- offsets --------------------------------------------------------------------------

    def _offset(self, instant: int) -> int:
        i = bisect_right(self._starts, instant) - 1
        if i < 0:
            return 0
        end = self._ends[i]
        return self._before[i] + (instant if instant < end else end) - self._starts[i]

    def _start_at(self, offset: int) -> int:
        """The latest instant with this offset: the beginning of working time."""
        i = bisect_right(self._before, offset) - 1
        return self._starts[i] + offset - self._before[i]

    def _finish_at(self, offset: int) -> int:
        """The earliest instant with this offset: the end of working time."""
        i = bisect_left(self._before, offset) - 1
        return self._starts[i] + offset - self._before[i]

    def _offset_in_range(self, instant: int, minutes: int, *, finish: bool) -> int:
        """Offset of ``instant`` + ``minutes``, growing the span until the answer is inside it."""
        while True:
            self._cover(instant)
            offset = self._offset(instant) + minutes
            if finish:
                if 0 < offset <= self._total:
                    return offset
                self._grow(forward=offset > 0)
            else:
                if 0 <= offset < self._total:
                    return offset
                self._grow(forward=offset >= 0)

    # --- public arithmetic -----------------------------------------------------------------

    def next_start(self, instant: int) -> int:
        """The beginning of the next working time at or after ``instant``."""
        if self._low <= instant < self._high:
            starts = self._starts
            i = bisect_right(starts, instant) - 1
            if i >= 0 and instant < self._ends[i]:
                return instant  # inside working time already
            if i + 1 < len(starts):
                return starts[i + 1]
        return self._start_at(self._offset_in_range(instant, 0, finish=False))

    def previous_finish(self, instant: int) -> int:
        """The end of the last working time at or before ``instant``."""
        if self._low <= instant < self._high:
            starts = self._starts
            i = bisect_left(starts, instant) - 1
            if i >= 0:
                end = self._ends[i]
                return instant if instant < end else end
        return self._finish_at(self._offset_in_range(instant, 0, finish=True))

    def add(self, instant: int, minutes: int) -> int:
        """Move ``minutes`` of working time from ``instant`` (negative moves back).

        Going forward the answer is a finish (end of working time); going back it is a start
        (beginning of working time).  Zero returns ``instant`` unchanged, as MS Project does.
        """
        if minutes > 0:
            return self.finish_from_start(instant, minutes)
        if minutes < 0:
            return self.start_from_finish(instant, -minutes)
        return instant

    def finish_from_start(self, start: int, minutes: int) -> int:
        """Finish of ``minutes`` of work starting at ``start`` (the end of working time)."""
        if self._low <= start < self._high:
            starts, before = self._starts, self._before
            i = bisect_right(starts, start) - 1
            if i >= 0:
                end = self._ends[i]
                offset = before[i] + (start if start < end else end) - starts[i] + minutes
            else:
                offset = minutes
            if 0 < offset <= self._total:
                j = bisect_left(before, offset) - 1
                return starts[j] + offset - before[j]
        return self._finish_at(self._offset_in_range(start, minutes, finish=True))

    def start_from_finish(self, finish: int, minutes: int) -> int:
        """Start of ``minutes`` of work finishing at ``finish`` (the beginning of working time)."""
        if self._low <= finish < self._high:
            starts, before = self._starts, self._before
            i = bisect_right(starts, finish) - 1
            if i >= 0:
                end = self._ends[i]
                offset = before[i] + (finish if finish < end else end) - starts[i] - minutes
            else:
                offset = -minutes
            if 0 <= offset < self._total:
                j = bisect_right(before, offset) - 1
                return starts[j] + offset - before[j]
        return self._start_at(self._offset_in_range(finish, -minutes, finish=False))

    def work_between(self, start: int, finish: int) -> int:
        """Working minutes from ``start`` to ``finish``; negative when ``finish`` is earlier."""
        low, high = self._low, self._high
        if not (low <= start < high and low <= finish < high):
            self._cover(start)
            self._cover(finish)
        # Covering the second instant may have grown the span; both offsets are taken after.
        # _offset, inlined: float and free float call this a few hundred thousand times.
        starts, ends, before = self._starts, self._ends, self._before
        i = bisect_right(starts, finish) - 1
        j = bisect_right(starts, start) - 1
        to_finish = to_start = 0
        if i >= 0:
            end = ends[i]
            to_finish = before[i] + (finish if finish < end else end) - starts[i]
        if j >= 0:
            end = ends[j]
            to_start = before[j] + (start if start < end else end) - starts[j]
        return to_finish - to_start

    def is_working(self, instant: int) -> bool:
        self._cover(instant)
        i = bisect_right(self._starts, instant) - 1
        return i >= 0 and instant < self._ends[i]


@lru_cache(maxsize=32)
def _span(calendar: Calendar | CalendarIntersection, first_day: int, last_day: int
          ) -> tuple[list[int], list[int], list[int], int]:
    """The working periods of ``calendar`` from ``first_day`` to ``last_day`` (ordinals):
    absolute starts and ends in minutes, the working minutes before each, and their total.
    Calendars are immutable and these lists are only read, so indexes of the same calendar
    and span share them: a plan scheduled again (every edit) does not rebuild its calendars.
    """
    if isinstance(calendar, CalendarIntersection):
        return _shared(_span(calendar.first, first_day, last_day),
                       _span(calendar.second, first_day, last_day))
    starts: list[int] = []
    ends: list[int] = []
    before: list[int] = []
    total = 0
    periods_on = _day_resolver(calendar, first_day, last_day)
    for ordinal in range(first_day, last_day):
        base = ordinal * 1440
        for period in periods_on(ordinal):
            starts.append(base + period.start)
            ends.append(base + period.end)
            before.append(total)
            total += period.end - period.start
    return starts, ends, before, total


def _shared(
    one: tuple[list[int], list[int], list[int], int],
    other: tuple[list[int], list[int], list[int], int],
) -> tuple[list[int], list[int], list[int], int]:
    """The working periods two spans share (both sorted and without overlaps)."""
    a_starts, a_ends = one[0], one[1]
    b_starts, b_ends = other[0], other[1]
    starts: list[int] = []
    ends: list[int] = []
    before: list[int] = []
    total = 0
    i = j = 0
    while i < len(a_starts) and j < len(b_starts):
        low = max(a_starts[i], b_starts[j])
        high = min(a_ends[i], b_ends[j])
        if low < high:
            starts.append(low)
            ends.append(high)
            before.append(total)
            total += high - low
        if a_ends[i] < b_ends[j]:
            i += 1
        else:
            j += 1
    return starts, ends, before, total


def _day_resolver(calendar: Calendar, first_day: int, last_day: int) -> Callable[[int], DayPeriods]:
    """A fast ``ordinal -> periods`` for one span: exceptions expanded into a dict once.

    Precedence, as in MS Project: the calendar's exceptions, its alternate work weeks, its
    default week, then the same of its base calendar."""
    levels: list[
        tuple[
            dict[int, DayPeriods],
            list[tuple[int, int, tuple[DayPeriods | None, ...]]],
            tuple[DayPeriods | None, ...],
        ]
    ] = []
    level: Calendar | None = calendar
    while level is not None:
        overrides: dict[int, DayPeriods] = {}
        for exception in level.exceptions:
            for ordinal in exception.ordinals(first_day, last_day - 1):
                overrides.setdefault(ordinal, exception.periods)
        weeks = [
            (w.start.toordinal(), w.finish.toordinal(), w.week)
            for w in level.work_weeks
            if w.finish.toordinal() >= first_day and w.start.toordinal() < last_day
        ]
        levels.append((overrides, weeks, level.week))
        level = level.base

    def periods_on(ordinal: int) -> DayPeriods:
        weekday = (ordinal + 6) % 7  # date.fromordinal(1) is a Monday
        for overrides, weeks, week in levels:
            found = overrides.get(ordinal)
            if found is not None:
                return found
            for lo, hi, alternate in weeks:
                if lo <= ordinal <= hi:
                    if alternate[weekday] is not None:
                        return alternate[weekday]  # type: ignore[return-value]
                    break
            own = week[weekday]
            if own is not None:
                return own
        return NON_WORKING

    return periods_on
