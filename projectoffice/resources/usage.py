"""Resource usage by period: the planned work of each resource per day and week, spread over
the scheduled dates of its tasks in working time, against what the resource has (its maximum
units × the working hours of the plan calendar; nothing on a day the person is recorded as
absent in the office's absence calendar).  A day is over-allocated when its work is above
its availability; a week when its work is above the week's availability or one of its days
is over-allocated.  Pages, API and the levelling tests read the same figures."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import TextField
from django.db.models.functions import Cast

from projectoffice.engine import calendars as cal
from projectoffice.people.queries import absence_shares
from projectoffice.planning import workspace as wsp
from projectoffice.planning.models import Plan, PlanCalendar, PlanTask
from projectoffice.portfolio.models import Project

from .models import Assignment, Resource, ResourceKind

ZERO = Decimal(0)
HOURS = Decimal("0.01")
WORK_KINDS = (ResourceKind.PERSON, ResourceKind.WORK)
CLOSED = ("completed", "cancelled")  # projects whose plans no longer take anyone's time


@dataclass
class Period:
    start: dt.date  # first day
    end: dt.date  # last day
    work: Decimal  # hours
    capacity: Decimal  # hours

    @property
    def over(self) -> bool:
        return self.work > self.capacity

    @property
    def label(self) -> str:
        return self.start.isoformat()


@dataclass
class Week(Period):
    days_over: int = 0

    @property
    def over(self) -> bool:
        return self.work > self.capacity or self.days_over > 0


@dataclass
class ResourceUsage:
    resource: Resource
    days: list[Period] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)

    @property
    def over_days(self) -> list[Period]:
        return [d for d in self.days if d.over]

    @property
    def overallocated(self) -> bool:
        return any(d.over for d in self.days)

    @property
    def total_work(self) -> Decimal:
        return sum((d.work for d in self.days), ZERO)

    @property
    def peak_units(self) -> int:
        """The highest daily work as a percentage of a full day of the calendar."""
        peak = ZERO
        for d in self.days:
            if d.capacity and self.resource.max_units:
                peak = max(peak, d.work / d.capacity * self.resource.max_units)
        return int(peak.to_integral_value())

    def over_runs(self) -> list[tuple[dt.date, dt.date, Decimal, Decimal]]:
        """Consecutive over-allocated days: (first, last, most work, its availability)."""
        runs: list[tuple[dt.date, dt.date, Decimal, Decimal]] = []
        for d in self.days:
            if not d.over:
                continue
            if runs and (d.start - runs[-1][1]).days <= 3 and self._only_idle_between(
                    runs[-1][1], d.start):
                first, _, work, capacity = runs[-1]
                if d.work - d.capacity > work - capacity:
                    work, capacity = d.work, d.capacity
                runs[-1] = (first, d.start, work, capacity)
            else:
                runs.append((d.start, d.start, d.work, d.capacity))
        return runs

    def _only_idle_between(self, a: dt.date, b: dt.date) -> bool:
        between = {d.start: d for d in self.days if a < d.start < b}
        return all(not d.capacity for d in between.values())


class PlanClock:
    """Working minutes of a plan's calendars, per task calendar and per day."""

    def __init__(self, plan: Plan, calendars: Iterable[PlanCalendar] | None = None,
                 shared: dict[cal.Calendar, cal.WorkingTime] | None = None,
                 built: tuple[cal.Calendar, ...] | None = None) -> None:
        """``calendars`` are the plan's calendars when the caller has read them already
        (several plans' at once), else they are read here; ``built`` are those calendars
        made into the engine's already (see ``plan_clocks``).  ``shared`` lets clocks of
        several plans use one working-time table per identical calendar: building it is the
        costly part, and most plans share the standard calendar."""
        if built is None:
            rows = [wsp.CalendarRow(c.uid, c.name, c.week, c.exceptions, c.base_uid,
                                    c.country, c.region)
                    for c in (PlanCalendar.objects.filter(plan=plan)
                              if calendars is None else calendars)]
            built = wsp.engine_calendars(rows)
        self.calendars = {c.uid: c for c in built}
        self.plan = plan
        self._times: dict[int, cal.WorkingTime] = {}
        self._shared = shared if shared is not None else {}
        self._days: dict[dt.date, int] = {}

    def time(self, uid: int | None) -> cal.WorkingTime:
        key = uid if uid in self.calendars else self.plan.calendar_uid
        if key not in self.calendars:
            key = next(iter(self.calendars))
        if key not in self._times:
            calendar = self.calendars[key]
            if calendar not in self._shared:
                self._shared[calendar] = cal.WorkingTime(calendar)
            self._times[key] = self._shared[calendar]
        return self._times[key]

    def between(self, start: dt.datetime, finish: dt.datetime, uid: int | None = None) -> int:
        if finish <= start:
            return 0
        return self.time(uid).work_between(cal.to_minutes(start), cal.to_minutes(finish))

    def day_minutes(self, day: dt.date) -> int:
        if day not in self._days:
            start = dt.datetime.combine(day, dt.time())
            self._days[day] = self.between(start, start + dt.timedelta(days=1))
        return self._days[day]


def plan_clocks(plans: Iterable[Plan], shared: dict[cal.Calendar, cal.WorkingTime]
                ) -> dict[int, PlanClock]:
    """A clock per plan with calendars, by project id, in two queries.  The calendars are
    read as text and each distinct set of a plan's calendars is made into the engine's
    once: most plans of a portfolio have the same few calendars."""
    by_pk = {plan.pk: plan for plan in plans}
    text = TextField()
    rows: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (PlanCalendar.objects.filter(plan_id__in=list(by_pk)).order_by("plan_id", "uid")
                .values_list("plan_id", "uid", "name", Cast("week", text),
                             Cast("exceptions", text), "base_uid", "country", "region")):
        rows[row[0]].append(row[1:])
    built: dict[tuple[tuple[Any, ...], ...], tuple[cal.Calendar, ...]] = {}
    clocks = {}
    for plan_pk, found in rows.items():
        key = tuple(found)
        if key not in built:
            built[key] = wsp.engine_calendars([
                wsp.CalendarRow(uid, name, json.loads(week), json.loads(exceptions), base,
                                country, region)
                for uid, name, week, exceptions, base, country, region in found])
        plan = by_pk[plan_pk]
        clocks[plan.project_id] = PlanClock(plan, shared=shared, built=built[key])
    return clocks


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


class WorkAndUnits(Protocol):
    """What the planned hours of an assignment are made of: an Assignment, or its row."""

    @property
    def units(self) -> Decimal: ...

    @property
    def work(self) -> Decimal: ...


def assignment_hours(a: WorkAndUnits, task_minutes: int) -> Decimal:
    """Planned hours of an assignment: its work, or units × the task's working time."""
    if a.work:
        return a.work
    return a.units / 100 * Decimal(task_minutes) / 60


def spread(a: Assignment, task: PlanTask, clock: PlanClock) -> dict[dt.date, Decimal]:
    """The assignment's work per day, in proportion to the task's working time that day."""
    if task.start is None or task.finish is None or task.summary:
        return {}
    total = clock.between(task.start, task.finish, task.calendar_uid)
    hours = assignment_hours(a, total)
    if not total or not hours:
        return {}
    out: dict[dt.date, Decimal] = {}
    for day in _days(task.start.date(), task.finish.date()):
        lo = max(task.start, dt.datetime.combine(day, dt.time()))
        hi = min(task.finish, dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
        minutes = clock.between(lo, hi, task.calendar_uid)
        if minutes:
            out[day] = hours * minutes / total
    return out


def _away(resource: Resource, first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    """The share of each day a person resource is away (1, or 0.5 for a half day), from the
    office's absence calendar: its resource calendar is the plan calendar less these days."""
    if resource.user_id is None:
        return {}

    return absence_shares([resource.user_id], first, last)[resource.user_id]


def _periods(resource: Resource, work: dict[dt.date, Decimal], clock: PlanClock,
             first: dt.date, last: dt.date, away: dict[dt.date, Decimal] | None = None
             ) -> tuple[list[Period], list[Week]]:
    """The resource's days and weeks; ``away`` is its share of each day away when already
    read (``_away`` otherwise)."""
    days: list[Period] = []
    if away is None:
        away = _away(resource, first, last)
    for day in _days(first, last):
        minutes = clock.day_minutes(day) * (1 - away.get(day, ZERO))
        capacity = resource.max_units / 100 * Decimal(minutes) / 60
        days.append(Period(day, day, work.get(day, ZERO).quantize(HOURS),
                           capacity.quantize(HOURS)))
    weeks: dict[dt.date, Week] = {}
    for d in days:
        monday = d.start - dt.timedelta(days=d.start.weekday())
        week = weeks.setdefault(monday, Week(monday, monday + dt.timedelta(days=6), ZERO, ZERO))
        week.work += d.work
        week.capacity += d.capacity
        week.days_over += 1 if d.over else 0
    return days, list(weeks.values())


def _range(work: Iterable[dict[dt.date, Decimal]]) -> tuple[dt.date, dt.date] | None:
    days = [d for by_day in work for d in by_day]
    if not days:
        return None
    first, last = min(days), max(days)
    first -= dt.timedelta(days=first.weekday())  # whole weeks, Monday first
    last += dt.timedelta(days=6 - last.weekday())
    return first, last


def project_usage(project: Project) -> list[ResourceUsage]:
    """Work resources of the project with their usage per day and week of the plan."""
    plan = Plan.objects.filter(project=project).first()
    resources = list(Resource.objects.filter(project=project, kind__in=WORK_KINDS))
    if plan is None:
        return [ResourceUsage(r, projects=[project.code]) for r in resources]
    clock = PlanClock(plan)
    tasks = {t.uid: t for t in PlanTask.objects.filter(plan=plan)}
    work: dict[int, dict[dt.date, Decimal]] = {r.pk: defaultdict(lambda: ZERO)
                                               for r in resources}
    for a in Assignment.objects.filter(project=project, resource__kind__in=WORK_KINDS):
        task = tasks.get(a.task_uid)
        if task is None:
            continue
        for day, hours in spread(a, task, clock).items():
            work[a.resource_id][day] += hours
    bounds = _range(work.values())
    away: dict[int, dict[dt.date, Decimal]] = {}
    if bounds:  # every person's absences in one query

        away = absence_shares([r.user_id for r in resources if r.user_id is not None], *bounds)
    usage = []
    for r in resources:
        item = ResourceUsage(r, projects=[project.code])
        if bounds:
            item.days, item.weeks = _periods(r, work[r.pk], clock, *bounds,
                                             away=away.get(r.user_id, {})
                                             if r.user_id is not None else {})
        usage.append(item)
    return usage


def spread_work(resources: Iterable[Resource], clock: PlanClock | None = None
                ) -> Iterator[tuple[Resource, dt.date, Decimal]]:
    """The planned work of the given resources (of any projects) per day of their own plan's
    scheduled dates; ``clock`` is reused for the plan it belongs to."""
    by_project: dict[int, dict[int, Resource]] = defaultdict(dict)
    for r in resources:
        by_project[r.project_id][r.pk] = r
    for project_id, own in by_project.items():
        plan = Plan.objects.filter(project_id=project_id).first()
        if plan is None:
            continue
        plan_clock = clock if clock is not None and clock.plan.pk == plan.pk else PlanClock(plan)
        tasks = {t.uid: t for t in PlanTask.objects.filter(plan=plan)}
        for a in Assignment.objects.filter(resource_id__in=own):
            task = tasks.get(a.task_uid)
            if task is None:
                continue
            for day, hours in spread(a, task, plan_clock).items():
                yield own[a.resource_id], day, hours


def work_elsewhere(project: Project, user_ids: Iterable[int], first: dt.date
                   ) -> dict[int, dict[dt.date, Decimal]]:
    """Hours per day from ``first`` that each user has planned on the other projects where
    they are a resource (closed projects aside): the load levelling keeps room for."""
    ids = list(dict.fromkeys(user_ids))
    hours: dict[int, dict[dt.date, Decimal]] = {i: defaultdict(lambda: ZERO) for i in ids}
    others = (Resource.objects.filter(user_id__in=ids, kind__in=WORK_KINDS)
              .exclude(project=project).exclude(project__status__in=CLOSED))
    for resource, day, work in spread_work(others):
        if day >= first and resource.user_id is not None:
            hours[resource.user_id][day] += work
    return hours


def person_usage(resource: Resource, projects: Iterable[Project]) -> ResourceUsage:
    """A person's usage across the given projects (those the reader may see): every
    resource of theirs in those projects counts; availability is this resource's maximum
    units in the calendar of its own project's plan."""
    own_plan = Plan.objects.filter(project=resource.project).first()
    if own_plan is None:
        return ResourceUsage(resource, projects=[resource.project.code])
    clock = PlanClock(own_plan)
    codes = {p.pk: p.code for p in projects} | {resource.project_id: resource.project.code}
    same = Resource.objects.filter(pk=resource.pk)
    if resource.user_id is not None:
        same = Resource.objects.filter(user_id=resource.user_id, project_id__in=codes)
    work: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    seen: set[str] = set()
    for other, day, hours in spread_work(same.select_related("project"), clock):
        work[day] += hours
        seen.add(other.project.code)
    item = ResourceUsage(resource, projects=sorted(seen | {resource.project.code}))
    bounds = _range([work])
    if bounds:
        item.days, item.weeks = _periods(resource, work, clock, *bounds)
    return item


def histogram(usage: ResourceUsage, width: int = 640, height: int = 140) -> dict[str, object]:
    """Geometry of an SVG histogram of weekly work with the capacity line."""
    weeks = usage.weeks
    top = max([w.work for w in weeks] + [w.capacity for w in weeks] + [Decimal(1)])
    step = min(Decimal(width) / max(len(weeks), 1), Decimal(56))  # a few weeks stay narrow
    scale = Decimal(height - 20) / top

    def y(value: Decimal) -> int:
        return int(height - value * scale)

    bars = [{"x": int(i * step) + 1, "y": y(w.work), "w": max(int(step) - 2, 1),
             "h": int(w.work * scale), "over": w.over, "week": w, "label":
             f"week of {w.start:%d %b %Y}: {w.work} h planned, {w.capacity} h available"}
            for i, w in enumerate(weeks)]
    line = " ".join(f"{int(i * step)},{y(w.capacity)} {int((i + 1) * step)},{y(w.capacity)}"
                    for i, w in enumerate(weeks))
    ticks = [{"x": int(i * step) + 2, "text": f"{w.start:%d %b}"}
             for i, w in enumerate(weeks) if i % max(len(weeks) // 8, 1) == 0]
    return {"width": width, "height": height, "bars": bars, "line": line, "ticks": ticks,
            "top": top.quantize(Decimal(1))}
