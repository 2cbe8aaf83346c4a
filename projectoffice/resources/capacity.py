"""Capacity across projects: each person's planned hours per week over every plan the reader
may see, against the hours they have that week (their profile's working days and hours per
week, less approved absences).  One reading feeds the heat map page, the API and the load
strip on a person's page.

The inputs of every project are read in a fixed number of queries whatever the size of the
portfolio; a task's working minutes are split into weeks once, however many people work on it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from projectoffice.accounts.models import User
from projectoffice.engine import calendars as cal
from projectoffice.engine.bulk import collector_paused
from projectoffice.errors import InvalidInput
from projectoffice.people.models import Profile
from projectoffice.people.queries import absence_shares
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.access import projects_with
from projectoffice.portfolio.models import Project

from .models import Assignment, Resource
from .usage import CLOSED, WORK_KINDS, PlanClock, assignment_hours, plan_clocks

ZERO = Decimal(0)
HOURS = Decimal("0.1")
NO_HOURS = ZERO.quantize(HOURS)
WEEK = dt.timedelta(days=7)
MAX_WEEKS = 52
DEFAULT_DAYS = "12345"
DEFAULT_HOURS = Decimal("37.5")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class CapacityFilter:
    team: str = ""
    skill: str = ""
    programme: str = ""  # a programme's code


@dataclass
class Cell:
    week: dt.date  # its Monday
    planned: Decimal  # hours
    available: Decimal  # hours

    @property
    def load(self) -> int | None:
        """Planned hours as a percentage of the hours available; None when there are none."""
        if not self.available:
            return None
        return int((self.planned / self.available * 100).to_integral_value())

    @property
    def over(self) -> bool:
        return self.planned > self.available

    @property
    def band(self) -> str:
        """free < 50% ≤ part < 90% ≤ full ≤ 100% < over; "away" when nothing is available."""
        if self.over:
            return "over"
        load = self.load
        if load is None:
            return "away"
        return "free" if load < 50 else "part" if load < 90 else "full"


@dataclass
class PersonLoad:
    person: User
    team: str
    cells: list[Cell]
    # Over-allocated weeks' projects where the reader may level the plan (plan.edit).
    levelable: list[Project] = field(default_factory=list)

    @property
    def over_weeks(self) -> int:
        return sum(1 for c in self.cells if c.over)

    @property
    def planned(self) -> Decimal:
        return sum((c.planned for c in self.cells), ZERO)

    @property
    def available(self) -> Decimal:
        return sum((c.available for c in self.cells), ZERO)


@dataclass
class WorkLine:
    """One assignment's share of a person's week: what the heat map cell is made of."""

    project: Project
    task_uid: int
    task_name: str
    start: dt.datetime
    finish: dt.datetime
    hours: Decimal


@dataclass
class CapacityGrid:
    weeks: list[dt.date]
    rows: list[PersonLoad]
    teams: list[str]

    @property
    def over_people(self) -> int:
        return sum(1 for r in self.rows if r.over_weeks)


class _Assignment(NamedTuple):
    """An assignment's row: the heat map reads some 12,000 of them, as tuples."""

    project_id: int
    resource_id: int
    task_uid: int
    units: Decimal
    work: Decimal


class _Task(NamedTuple):
    """A task's row within the window."""

    uid: int
    name: str
    start: dt.datetime
    finish: dt.datetime
    calendar_uid: int | None


@dataclass
class _Inputs:
    projects: dict[int, Project]
    people: dict[int, User]  # by user id, in the order of their resources
    resources: dict[int, int]  # resource id -> user id
    assignments: list[_Assignment]
    tasks: dict[tuple[int, int], _Task]  # (project id, task uid)
    clocks: dict[int, PlanClock]  # by project id


def _projects(viewer: Any, f: CapacityFilter) -> QuerySet[Project]:
    qs = projects_with(viewer, "resource.view").exclude(status__in=CLOSED)
    if f.programme:
        qs = qs.filter(programme__code=f.programme)
    return qs


def _people_filter(f: CapacityFilter) -> Q:
    q = Q(user__isnull=False, kind__in=WORK_KINDS)
    if f.team:
        q &= Q(user__profile__team__iexact=f.team)
    if f.skill:
        q &= Q(user__profile__skills__icontains=f.skill)
    return q


def _read(viewer: Any, first: dt.date, last: dt.date, f: CapacityFilter,
          person: User | None = None) -> _Inputs:
    """Every input in a fixed number of queries: projects, resources, their assignments,
    the tasks those fall on within the window, the plans and their calendars."""
    projects = {p.pk: p for p in _projects(viewer, f)}
    resources_q = Resource.objects.filter(_people_filter(f), project_id__in=projects)
    if person is not None:
        resources_q = resources_q.filter(user=person)
    # Rows as tuples, not model objects: making some 30,000 objects was most of the time.
    resources: dict[int, int] = dict(resources_q.values_list("pk", "user_id"))
    users = {u.pk: u for u in User.objects.filter(pk__in=set(resources.values()))}
    people = {uid: users[uid] for uid in resources.values()}
    # Only the assignments on tasks that run within the window, and only those tasks: the
    # plans of a portfolio hold some 200,000 tasks, of which a few weeks are a small part.
    window_start = dt.datetime.combine(first, dt.time())
    window_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    running = PlanTask.objects.filter(summary=False, start__lt=window_end,
                                      finish__gt=window_start)
    assigned = Assignment.objects.filter(resource__in=resources_q.values("pk"))
    assignments = [_Assignment(*row) for row in assigned.filter(Exists(running.filter(
        plan__project_id=OuterRef("project_id"), uid=OuterRef("task_uid")))).order_by(
        "pk").values_list("project_id", "resource_id", "task_uid", "units", "work")]
    plans = {p.pk: p for p in Plan.objects.filter(
        project_id__in={a.project_id for a in assignments}).only("pk", "project_id",
                                                                 "calendar_uid")}
    shared: dict[cal.Calendar, cal.WorkingTime] = {}
    clocks = plan_clocks(plans.values(), shared)
    project_of = {pk: plan.project_id for pk, plan in plans.items()}
    tasks = {(project_of[plan_id], uid): _Task(uid, name, start, finish, calendar_uid)
             for plan_id, uid, name, start, finish, calendar_uid in running.filter(
                 Exists(assigned.filter(project_id=OuterRef("plan__project_id"),
                                        task_uid=OuterRef("uid"))),
                 plan_id__in=list(plans)).order_by().values_list(
                 "plan_id", "uid", "name", "start", "finish", "calendar_uid")
             if start is not None and finish is not None}
    return _Inputs(projects, people, resources, assignments, tasks, clocks)


class _TaskWeeks:
    """Each task's working minutes in all and per week of the window, worked out once."""

    def __init__(self, weeks: list[dt.date]) -> None:
        self.weeks = weeks
        self._cache: dict[tuple[int, int], tuple[int, dict[dt.date, int]]] = {}

    def of(self, key: tuple[int, int], task: _Task, clock: PlanClock
           ) -> tuple[int, dict[dt.date, int]]:
        if key not in self._cache:
            total = clock.between(task.start, task.finish, task.calendar_uid)
            per_week: dict[dt.date, int] = {}
            # Only the window's weeks the task runs in.
            monday = max(monday_of(task.start.date()), self.weeks[0])
            while monday <= self.weeks[-1] and dt.datetime.combine(monday,
                                                                   dt.time()) < task.finish:
                lo = max(task.start, dt.datetime.combine(monday, dt.time()))
                hi = min(task.finish, dt.datetime.combine(monday + WEEK, dt.time()))
                minutes = clock.between(lo, hi, task.calendar_uid) if hi > lo else 0
                if minutes:
                    per_week[monday] = minutes
                monday += WEEK
            self._cache[key] = (total, per_week)
        return self._cache[key]


def _planned(inputs: _Inputs, weeks: list[dt.date]
             ) -> dict[int, dict[dt.date, list[tuple[_Assignment, Decimal]]]]:
    """Per person, per week: the assignments with work that week and their hours."""
    resources = inputs.resources
    split = _TaskWeeks(weeks)
    out: dict[int, dict[dt.date, list[tuple[_Assignment, Decimal]]]] = defaultdict(
        lambda: defaultdict(list))
    for a in inputs.assignments:
        key = (a.project_id, a.task_uid)
        task = inputs.tasks.get(key)
        clock = inputs.clocks.get(a.project_id)
        if task is None or clock is None:
            continue
        total, per_week = split.of(key, task, clock)
        hours = assignment_hours(a, total)
        if not total or not hours:
            continue
        user_id = resources[a.resource_id]
        for monday, minutes in per_week.items():
            out[user_id][monday].append((a, hours * minutes / total))
    return out


def _available(people: Iterable[User], profiles: dict[int, Profile], first: dt.date,
               last: dt.date) -> dict[int, dict[dt.date, Decimal]]:
    """Hours each person has per week: hours per week spread evenly over their working days,
    less the share of each day they are away on approved absence."""
    ids = [p.pk for p in people]
    away = absence_shares(ids, first, last)
    out: dict[int, dict[dt.date, Decimal]] = {}
    # People who work the same days and hours have the same weeks until an absence: the
    # weeks are summed once per pattern, and again only for the weeks an absence touches
    # (the same additions in the same order, so the same figures).
    patterns: dict[tuple[str, Decimal], dict[dt.date, Decimal]] = {}
    for person_id in ids:
        profile = profiles.get(person_id)
        days = profile.working_days if profile else DEFAULT_DAYS
        per_day = (profile.hours_per_week if profile else DEFAULT_HOURS) / max(len(days), 1)
        base = patterns.get((days, per_day))
        if base is None:
            base = patterns[(days, per_day)] = _weeks(days, per_day, {}, first, last)
        absent = away[person_id]
        if not absent:
            out[person_id] = base
            continue
        weeks: dict[dt.date, Decimal] = defaultdict(lambda: ZERO, base)
        for monday in {monday_of(day) for day in absent}:
            weeks.update(_weeks(days, per_day, absent, max(monday, first),
                                min(monday + dt.timedelta(days=6), last)))
        out[person_id] = weeks
    return out


def _weeks(days: str, per_day: Decimal, absent: dict[dt.date, Decimal], first: dt.date,
           last: dt.date) -> dict[dt.date, Decimal]:
    """Hours per week from ``first`` to ``last``: ``per_day`` on each working day, less
    the share of it away."""
    weeks: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    day = first
    while day <= last:
        if str(day.isoweekday()) in days:
            weeks[monday_of(day)] += per_day * (1 - absent.get(day, ZERO))
        day += dt.timedelta(days=1)
    return weeks


def week_range(start: dt.date, count: int) -> list[dt.date]:
    first = monday_of(start)
    return [first + WEEK * i for i in range(max(1, min(count, MAX_WEEKS)))]


def read_filter(team: str, skill: str, programme: str) -> CapacityFilter:
    return CapacityFilter(team=team.strip()[:100], skill=skill.strip()[:100],
                              programme=programme.strip()[:20])


def read_window(start: str, weeks: str, today: dt.date) -> tuple[dt.date, int]:
    """The first week and the number of weeks asked for, with errors naming the field."""
    try:
        first = dt.date.fromisoformat(start) if start else today
    except ValueError:
        raise InvalidInput.field("from", "write the date as YYYY-MM-DD") from None
    if not weeks:
        return first, 12
    if not weeks.isdigit() or not 1 <= int(weeks) <= MAX_WEEKS:
        raise InvalidInput.field("weeks", f"give a number of weeks from 1 to {MAX_WEEKS}")
    return first, int(weeks)


def capacity(viewer: Any, start: dt.date, weeks: int = 12,
             f: CapacityFilter | None = None) -> CapacityGrid:
    """The heat map: every person with work resources on the projects the viewer may see
    (filtered by team, skill or programme), by week from the week of ``start``."""
    f = f or CapacityFilter()
    mondays = week_range(start, weeks)
    first, last = mondays[0], mondays[-1] + dt.timedelta(days=6)
    with collector_paused():  # some 150,000 small objects (52 cells a person), no cycles
        inputs = _read(viewer, first, last, f)
        people = inputs.people
        profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=people)}
        planned = _planned(inputs, mondays)
        available = _available(people.values(), profiles, first, last)
        editable = {p.pk for p in projects_with(viewer, "plan.edit").filter(pk__in=inputs.projects)}
        rows = []
        rounded: dict[Decimal, Decimal] = {}  # most people have the same few available hours
        no_work: dict[dt.date, list[tuple[_Assignment, Decimal]]] = {}
        for person_id, person in people.items():
            work = planned.get(person_id, no_work)
            hours = available[person_id]
            cells = []
            for m in mondays:
                lines = work.get(m)
                free = hours[m]
                shown = rounded.get(free)
                if shown is None:
                    shown = rounded[free] = free.quantize(HOURS)
                cells.append(Cell(m, sum((h for _, h in lines), ZERO).quantize(HOURS) if lines
                                  else NO_HOURS, shown))
            over_projects = {a.project_id for c in cells if c.over
                             for a, _ in planned[person_id][c.week]}
            levelable = sorted((inputs.projects[pid] for pid in over_projects & editable),
                               key=lambda p: p.code)
            profile = profiles.get(person_id)
            rows.append(PersonLoad(person, profile.team if profile else "", cells, levelable))
        rows.sort(key=lambda r: (r.team.casefold(), str(r.person).casefold()))
        teams = sorted({p.team for p in Profile.objects.exclude(team="")
                        .filter(user__resources__project_id__in=inputs.projects)
                        .distinct()}, key=str.casefold) if inputs.projects else []
    return CapacityGrid(mondays, rows, teams)


def cell_work(viewer: Any, person: User, week: dt.date,
              f: CapacityFilter | None = None) -> list[WorkLine]:
    """The assignments behind one cell of the heat map, largest first."""
    monday = monday_of(week)
    inputs = _read(viewer, monday, monday + dt.timedelta(days=6), f or CapacityFilter(),
                   person=person)
    lines = []
    for a, hours in _planned(inputs, [monday])[person.pk][monday]:
        task = inputs.tasks[(a.project_id, a.task_uid)]
        lines.append(WorkLine(inputs.projects[a.project_id], task.uid, task.name, task.start,
                              task.finish, hours.quantize(HOURS)))
    lines.sort(key=lambda w: (-w.hours, w.project.code, w.task_uid))
    return lines
