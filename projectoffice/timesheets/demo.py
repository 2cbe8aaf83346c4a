"""Demo time: resources with rates, an assignment on every work task and weeks of approved
timesheets matching the progress recorded in the plan, then the project's money
(finance/demo); and corrections of locked time: the project manager adds an hour forgotten
on one day and books an evening's overtime on another, the way adjustments are used.
Everything goes through the actions."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from projectoffice.finance.demo import TWO, demo_benefits, demo_ev_methods, demo_finance
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources import actions as resources
from projectoffice.resources.models import Assignment

from . import actions
from .models import Timesheet, TimesheetStatus
from .queries import monday_of
from .week_queries import person_week

TEAM = ("omar", "paula", "nina", "hana", "george", "dan")


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def demo_money(rng: random.Random, project: Project, manager: Any, accountant: Any,
               people: dict[str, Any], today: dt.date) -> None:
    plan = Plan.objects.filter(project=project).first()
    if plan is None or project.start_date is None:
        return
    start = project.start_date
    team = [people[u] for u in TEAM if u in people]
    persons = []
    for user in team:
        person = resources.create_resource(actor=manager, project=project,
                                           name=user.display_name or user.username, user=user)
        rate = Decimal(rng.randrange(55, 95))
        resources.set_rate(actor=manager, resource=person, effective_from=start,
                           standard=rate, overtime=rate * Decimal("1.5"))
        rise = today - dt.timedelta(weeks=8)
        if rise > start:
            resources.set_rate(actor=manager, resource=person, effective_from=rise,
                               standard=rate + 5, overtime=(rate + 5) * Decimal("1.5"))
        persons.append(person)
    kit = resources.create_resource(actor=manager, project=project, name="Test devices",
                                    kind="material", unit="device")
    resources.set_rate(actor=manager, resource=kit, effective_from=start,
                       standard=Decimal(400), cost_per_use=Decimal(150))
    status = plan.status_date or today
    leaves = [t for t in PlanTask.objects.filter(plan=plan, summary=False, milestone=False)
              if t.duration > 0]
    # The supplier's crew takes the work the office's own people have no room for.
    crew = resources.create_resource(actor=manager, project=project, name="Supplier delivery team",
                                     kind="work", max_units=Decimal(600))
    resources.set_rate(actor=manager, resource=crew, effective_from=start,
                       standard=Decimal(rng.randrange(70, 90)))
    staffing = _staff(leaves, persons, crew, _weekly_load(team, exclude=project))
    # Book the work the plan records as done, spread over the task's actual days.
    booked: dict[tuple[int, dt.date], dict[int, list[Decimal]]] = defaultdict(dict)
    rows: list[dict[str, Any]] = []
    for n, task in enumerate(leaves):
        resource, units = staffing[task.uid]
        rows.append({"resource_id": resource.pk, "task_uid": task.uid, "units": units * 100,
                     "work": (Decimal(task.duration) / 60 * units).quantize(TWO)})
        if n % 25 == 0:
            rows.append({"resource_id": kit.pk, "task_uid": task.uid,
                         "work": Decimal(rng.randint(2, 6))})
    assigned = {(a.resource_id, a.task_uid): a for a in resources.assign_resources(
        actor=manager, project=project, rows=rows)}
    demo_ev_methods(project, accountant)
    for task in leaves:
        resource = staffing[task.uid][0]
        if resource.user is None:
            continue  # the supplier invoices its crew's time
        user = resource.user
        assignment = assigned[(resource.pk, task.uid)]
        if not task.percent_complete or task.actual_start is None:
            continue
        last = min(task.actual_finish.date() if task.actual_finish else status, status)
        days = _weekdays(task.actual_start.date(), last)
        if not days:
            continue
        done = (assignment.work * Decimal(str(task.percent_complete)) / 100).quantize(TWO)
        daily = (done / len(days)).quantize(TWO)
        for k, day in enumerate(days):
            hours = daily if k < len(days) - 1 else done - daily * (len(days) - 1)
            week = booked[(user.pk, day - dt.timedelta(days=day.weekday()))]
            week.setdefault(assignment.pk, [Decimal(0)] * 7)[day.weekday()] += hours
    by_user = {u.pk: u for u in team}
    current = status - dt.timedelta(days=status.weekday())
    submitted = []
    for (user_pk, monday), lines in sorted(booked.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for weekday in range(7):
            total = sum((h[weekday] for h in lines.values()), Decimal(0))
            if total > 24:  # parallel tasks: the person's day is full
                for h in lines.values():
                    h[weekday] = (h[weekday] * 24 / total).quantize(TWO, rounding="ROUND_DOWN")
        user = by_user[user_pk]
        sheet = actions.save_timesheet(
            actor=user, project=project, week_start=monday, version=None,
            lines=[{"assignment_id": a, "hours": [str(h) for h in hours]}
                   for a, hours in lines.items()])
        if monday >= current:
            continue  # the current week is left mid-flow by the timesheets demo
        sheet = actions.submit_timesheet(actor=user, project=project, week_start=monday,
                                            version=sheet.version, notify=False)
        submitted.append(sheet.pk)
    if submitted:
        # Past weeks, loaded at once: nobody is told of each one.
        actions.approve_timesheets(actor=manager, project=project, timesheet_ids=submitted,
                                      notify=False)
    demo_week_in_progress(rng, project, people, today)
    demo_finance(rng, project, manager, accountant, people, start, status)
    demo_benefits(rng, project, manager, accountant, people, today)


def _mondays(task: PlanTask) -> list[dt.date]:
    if task.start is None or task.finish is None:
        return []
    first = task.start.date() - dt.timedelta(days=task.start.weekday())
    return [first + dt.timedelta(weeks=k)
            for k in range((task.finish.date() - first).days // 7 + 1)]


def _weekly_load(team: list[Any], exclude: Project) -> dict[int, dict[dt.date, Decimal]]:
    """Hours a week each of the team is already planned for on the other projects."""
    load: dict[int, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = (Assignment.objects.filter(resource__user__in=team).exclude(project=exclude)
            .values_list("resource__user_id", "project_id", "task_uid", "units"))
    tasks = {(t.plan.project_id, t.uid): t for t in PlanTask.objects.filter(
        plan__project_id__in={r[1] for r in rows}).select_related("plan")}
    for user_id, project_id, uid, units in rows:
        task = tasks.get((project_id, uid))
        if task is not None:
            for monday in _mondays(task):
                load[user_id][monday] += Decimal(40) * units / 100
    return load


def _staff(leaves: list[PlanTask], persons: list[Any], crew: Any,
           load: dict[int, dict[dt.date, Decimal]]) -> dict[int, tuple[Any, Decimal]]:
    """Who does each task, at what units: the least busy of the team with room for it (full
    time, three quarters, half or a quarter) up to about a 40-hour week across all their
    projects, else the supplier's crew; every twelfth task that nobody has room for still
    goes to the least busy person at a quarter (the office's genuine over-allocations)."""
    staffing: dict[int, tuple[Any, Decimal]] = {}
    ordered = sorted(leaves, key=lambda t: (t.start is None,
                                            t.start.timestamp() if t.start else 0, t.uid))
    for n, task in enumerate(ordered):
        weeks = _mondays(task)
        def peak(person: Any, weeks: list[dt.date] = weeks) -> Decimal:
            own = load[person.user_id]
            return max((own[w] for w in weeks), default=Decimal(0))
        choice: tuple[Any, Decimal] | None = None
        for person in sorted(persons, key=lambda p: (peak(p), p.pk)):
            room = Decimal(44) - peak(person)
            units = next((u for u in (Decimal(1), Decimal("0.75"), Decimal("0.5"),
                                      Decimal("0.25")) if Decimal(40) * u <= room), None)
            if units is not None:
                choice = (person, units)
                break
        if choice is None and n % 12 == 0:
            choice = (min(persons, key=lambda p: (peak(p), p.pk)), Decimal("0.25"))
        if choice is None:
            staffing[task.uid] = (crew, Decimal(1))
            continue
        staffing[task.uid] = choice
        for w in weeks:
            load[choice[0].user_id][w] += Decimal(40) * choice[1]
    return staffing


def demo_week_in_progress(rng: random.Random, project: Project, people: dict[str, Any],
                          today: dt.date) -> None:
    """Last week as the submission status page shows it: one person has saved a draft, the
    others with work under way have not started theirs."""
    monday = today - dt.timedelta(days=today.weekday() + 7)
    team = [people[u] for u in TEAM if u in people]
    free = [u for u in team if not Timesheet.objects.filter(project=project, person=u,
                                                            week_start=monday).exists()]
    if free:
        user = rng.choice(free)
        actions.save_timesheet(actor=user, project=project, week_start=monday, version=None,
                                  lines=[{"time_code": "admin",
                                          "hours": ["2", "1", "0", "0", "0", "0", "0"]}])



def demo_adjustments(project: Project, manager: Any) -> None:
    """Two adjustments on the latest approved week that has time on an assignment."""
    sheets = (Timesheet.objects.filter(project=project, status=TimesheetStatus.APPROVED)
              .order_by("-week_start", "person__username").prefetch_related("lines"))
    for sheet in sheets[:5]:
        booked = [(line, d) for line in sheet.lines.all() if line.assignment_id
                  for d, hours in enumerate(line.day_hours()) if hours >= 1]
        if not booked:
            continue
        (first, day), (last, other) = booked[0], booked[-1]
        assert first.assignment_id is not None and last.assignment_id is not None
        actions.adjust_time(
            actor=manager, project=project, timesheet_id=sheet.pk,
            assignment_id=first.assignment_id, date=sheet.week_start + dt.timedelta(days=day),
            hours=Decimal(1), reason="Workshop hour left off the timesheet")
        actions.adjust_time(
            actor=manager, project=project, timesheet_id=sheet.pk,
            assignment_id=last.assignment_id, date=sheet.week_start + dt.timedelta(days=other),
            hours=Decimal("2.5"), reason="Evening cut-over rehearsal agreed with the sponsor",
            overtime=True)
        return



# The current week mid-flow: whose week is a draft, submitted (waiting for the project
# managers) or approved.  People not listed leave theirs untouched.
WEEK_STATES = {"omar": "submitted", "paula": "submitted", "hana": "submitted",
               "nina": "approved", "george": "approved", "dan": "draft"}


def demo_current_week(people: dict[str, Any], today: dt.date) -> None:
    """Each of the team books the current week's working days up to ``today`` — the time
    the finance demo saved for the progress recorded, else their planned hours; nothing on
    their days of approved absence, nothing on a part already approved — with the week
    page's action, then submits it, or submits it and has each project's manager approve
    it, or keeps it a draft."""
    monday = monday_of(today)
    last = min((today - monday).days, 4)
    for username, state in WEEK_STATES.items():
        person = people.get(username)
        if person is None:
            continue
        week = person_week(person, monday)
        lines: list[dict[str, Any]] = []
        for row in week["rows"]:
            if not row["editable"] or not row["assignment_id"] or row["overtime"]:
                continue
            saved = [Decimal(h) for h in row["hours"]]
            hours = [Decimal(0)] * 7
            for d in range(last + 1):
                away = week["absent"][d]
                if away is None or not away.whole:
                    hours[d] = saved[d] if any(saved) else (
                        row["planned"][d] * 2).quantize(Decimal(1)) / 2
            if any(hours) or any(saved):  # saved time on a day away is taken off
                lines.append({"assignment_id": row["assignment_id"],
                              "hours": [str(h) for h in _within_a_day(lines, hours)],
                              "note": "" if len(lines) % 3 else "As planned"})
        if not lines:
            continue
        versions = {p["code"]: p["version"] for p in week["parts"] if p["version"]}
        actions.save_week(actor=person, week_start=monday, versions=versions, lines=lines)
        if state == "draft" or not any(Decimal(h) for line in lines for h in line["hours"]):
            continue
        for sheet in actions.submit_week(actor=person, week_start=monday):
            if state == "approved":
                approver = next(iter(actions.approvers(sheet.project)), None)
                if approver is not None:
                    actions.decide_part(actor=approver, timesheet_id=sheet.pk,
                                        version=sheet.version, approve=True)


def _within_a_day(lines: list[dict[str, Any]], hours: list[Decimal]) -> list[Decimal]:
    """Caps each day at what is left of 10 hours after the lines before (a person planned
    on parallel tasks does not work them all in full)."""
    booked = [sum((Decimal(line["hours"][d]) for line in lines), Decimal(0)) for d in range(7)]
    return [max(Decimal(0), min(h, Decimal(10) - booked[d])) for d, h in enumerate(hours)]
