"""Every write to a plan.  Each action loads the plan into a workspace, applies the change,
schedules it with the engine and writes the difference back — all in one transaction, so the
dates stored are always the scheduled ones and a refused change leaves the plan as it was."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import lock_for_update
from projectoffice.engine import calendars as cal
from projectoffice.engine.schedule_result import Schedule
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.portfolio.models import Project

from . import edits as ed
from . import workspace as wsp
from .columns import COLUMNS
from .editor import (
    MAX_DATE,
    MIN_DATE,
    TASK_FIELDS,
    apply_edits,
    check_date,
    commit_workspace,
    locked_plan,
    new_plan,
    parse_moment,
    preview_edits,
    require,
    status_date_set,
    undo_last,
)
from .models import (
    Baseline,
    BaselineTask,
    MilestoneSnapshot,
    Plan,
    PlanCalendar,
    PlanLayout,
    PlanTask,
)
from .notation import Units
from .providers import providers

__all__ = ["MAX_BASELINES", "MAX_DATE", "MIN_DATE", "TASK_FIELDS", "apply_edits"]

MAX_BASELINES = 11
ZERO_COST = Decimal("0.00")


@transaction.atomic
def create_plan(*, actor: User, project: Project, start: dt.datetime | None = None) -> Plan:
    require(actor, project, "plan.edit")
    if Plan.objects.filter(project=project).exists():
        raise InvalidInput.field("project", f"{project.code} already has a plan")
    plan = new_plan(project)
    if start is not None:
        plan.start = check_date(start, "start")
        plan.save()
    record_change(actor=actor, obj=plan, verb="created", changes={"start": [None,
                                                                            plan.start.isoformat()]})
    return plan


@transaction.atomic
def edit_plan(*, actor: User, project: Project, version: int | None,
              edits: Sequence[ed.Edit | Mapping[str, Any]], source: str = "") -> Plan:
    """Applies many edits (update, insert, delete, indent, outdent, move, up, down, link,
    unlink — typed or as the API sends them) in one transaction with one reschedule: see
    ``editor.apply_edits``.  ``source`` (e.g. a change request's reference) is recorded in
    the audit entry."""
    return apply_edits(actor=actor, project=project, version=version, edits=edits,
                       source=source)


def what_if(actor: User, project: Project, edits: Sequence[ed.Edit | Mapping[str, Any]]
            ) -> tuple[wsp.Workspace, Schedule, wsp.Workspace, Schedule]:
    """The plan as stored and as it would be after ``edits``: ``editor.preview_edits``."""
    return preview_edits(actor, project, edits)


@transaction.atomic
def undo_plan_edit(*, actor: User, project: Project, version: int | None) -> Plan:
    return undo_last(actor=actor, project=project, version=version)


@transaction.atomic
def replace_plan(*, actor: User, project: Project, version: int | None,
                 tasks: Sequence[wsp.TaskRow], links: Sequence[wsp.LinkRow],
                 calendars: Sequence[wsp.CalendarRow] | None = None,
                 start: dt.datetime | None = None, calendar_uid: int | None = None,
                 settings: Units | None = None, verb: str = "plan replaced",
                 keep_rows: bool = False) -> Plan:
    """Replaces the whole content of a plan (bulk creation, imports) with one reschedule.
    ``version`` may be None only for a project that has no plan yet.  With ``keep_rows``
    (an update from a file) a task whose UID the plan already has stays the same row, so
    what refers to it (risks, controls) keeps referring to it; other rows are removed."""
    require(actor, project, "plan.edit")
    existing = Plan.objects.filter(project=project).first()
    plan = locked_plan(project, version if existing else None)
    ws = wsp.load(plan)
    before = ws.snapshot()
    uids = [t.uid for t in tasks]
    if len(set(uids)) != len(uids):
        raise InvalidInput.field("tasks", "task UIDs must be unique")
    pks = {t.uid: t.pk for t in ws.tasks} if keep_rows else {}
    ws.tasks = [wsp.copy_row(t, pk=pks.get(t.uid)) for t in tasks]
    ws.links = list(links)
    ws.external = []
    if calendars is not None:
        ws.calendars = list(calendars)
        PlanCalendar.objects.filter(plan=plan).delete()
        PlanCalendar.objects.bulk_create([
            PlanCalendar(plan=plan, uid=c.uid, name=c.name[:100], week=c.week,
                         exceptions=c.exceptions, base_uid=c.base_uid, country=c.country,
                         region=c.region, work_weeks=c.work_weeks) for c in calendars])
    if start is not None:
        plan.start = check_date(start, "start")
    if calendar_uid is not None:
        plan.calendar_uid = calendar_uid
    if settings is not None:
        plan.minutes_per_day = settings.minutes_per_day
        plan.minutes_per_week = settings.minutes_per_week
        plan.days_per_month = settings.days_per_month
    plan.next_uid = max(max(uids, default=0) + 1, plan.next_uid if keep_rows else 1)
    if not keep_rows:
        PlanTask.objects.filter(plan=plan).delete()  # uids may be reused with other meanings
        ws.stored, ws.stored_links = {}, []  # the links went with the rows
    return commit_workspace(actor, ws, before, [], verb, strict_constraints=False,
                            extra={"tasks": [len(before), len(tasks)]})


@transaction.atomic
def set_plan_settings(*, actor: User, project: Project, version: int | None,
                      start: dt.datetime | None = None,
                      status_date: dt.date | str | None = "unchanged") -> Plan:
    require(actor, project, "plan.edit")
    plan = locked_plan(project, version)
    ws = wsp.load(plan)
    before = ws.snapshot()
    extra: dict[str, Any] = {}
    if start is not None:
        try:
            moment = parse_moment(start, "start")
        except ValueError as exc:
            raise InvalidInput.field("start", str(exc)) from None
        extra["start"] = [plan.start.isoformat(), moment.isoformat() if moment else None]
        plan.start = moment or plan.start
    if not isinstance(status_date, str):
        if status_date is not None and not MIN_DATE.date() <= status_date <= MAX_DATE.date():
            raise InvalidInput.field("status_date", "is outside the calendar range")
        extra["status_date"] = [plan.status_date.isoformat() if plan.status_date else None,
                                status_date.isoformat() if status_date else None]
        plan.status_date = status_date
    plan = commit_workspace(actor, ws, before, [], "plan settings changed",
                            strict_constraints=False, extra=extra)
    if plan.status_date is not None:
        _snapshot_milestones(plan)
        status_date_set.send(sender=Plan, actor=actor, project=project,
                             status_date=plan.status_date)
    return plan


def _snapshot_milestones(plan: Plan) -> None:
    assert plan.status_date is not None
    MilestoneSnapshot.objects.filter(plan=plan, status_date=plan.status_date).delete()
    MilestoneSnapshot.objects.bulk_create([
        MilestoneSnapshot(plan=plan, status_date=plan.status_date, uid=uid, name=name,
                          finish=finish)
        for uid, name, finish in PlanTask.objects.filter(plan=plan, milestone=True).values_list(
            "uid", "name", "finish") if finish is not None])


@transaction.atomic
def update_progress(*, actor: User, project: Project, version: int | None) -> Plan:
    """"Update as scheduled": work scheduled up to the status date is recorded as done."""
    require(actor, project, "plan.edit")
    plan = locked_plan(project, version, create=False)
    if plan.status_date is None:
        raise InvalidInput.field("status_date", "set a status date first")
    cutoff = wsp.status_moment(plan.status_date)
    assert cutoff is not None
    ws = wsp.load(plan)
    before = ws.snapshot()
    # The dates as planned, without the status date holding unstarted work after it.
    plan.status_date, status_date = None, plan.status_date
    planned = wsp.schedule(ws)
    plan.status_date = status_date
    dates = {t.uid: (t.start, t.finish) for t in planned.tasks}
    summaries = ws.summaries()
    for row in ws.tasks:
        start, finish = dates.get(row.uid, (None, None))
        if row.uid in summaries or start is None or finish is None or row.actual_finish:
            continue
        if finish <= cutoff:
            row.actual_start = row.actual_start or start
            row.actual_finish = finish
            row.percent_complete = 100.0
        elif start <= cutoff:
            row.actual_start = row.actual_start or start
            span = (finish - start).total_seconds()
            done = (cutoff - start).total_seconds()
            row.percent_complete = max(row.percent_complete,
                                       round(100 * min(done / span, 0.99) if span else 0))
    return commit_workspace(actor, ws, before, [], "progress updated", strict_constraints=False)


@transaction.atomic
def save_baseline(*, actor: User, project: Project, number: int, name: str = "",
                  at: dt.datetime | None = None, source: str = "") -> Baseline:
    require(actor, project, "baseline.save")
    if not 0 <= number < MAX_BASELINES:
        raise InvalidInput.field("number", f"must be between 0 and {MAX_BASELINES - 1}")
    name = (name or "").strip() or ("Baseline" if number == 0 else f"Baseline {number}")
    if len(name) > 100:
        raise InvalidInput.field("name", "is longer than 100 characters")
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise InvalidInput.field("plan", f"{project.code} has no plan to save")
    plan = lock_for_update(Plan, plan.pk)
    old = Baseline.objects.filter(plan=plan, number=number).first()
    if old is not None:
        old.delete()
    baseline = Baseline.objects.create(plan=plan, number=number, name=name,
                                       saved_at=at or timezone.now(), finish=plan.finish)
    # A plan without any assignment has no cost to keep: its baseline shows none (not zero).
    costs = providers.task_costs(project)
    BaselineTask.objects.bulk_create([
        BaselineTask(baseline=baseline, uid=uid, start=start, finish=finish, duration=duration,
                     cost=costs.get(uid, ZERO_COST) if costs else None)
        for uid, start, finish, duration in PlanTask.objects.filter(plan=plan).values_list(
            "uid", "start", "finish", "duration")], batch_size=1000)
    changes: dict[str, Any] = {"baseline": [old.name if old else None, f"{number} {name}"]}
    if source:
        changes["source"] = [None, source]
    record_change(actor=actor, obj=plan, verb="baseline saved", changes=changes)
    return baseline


@transaction.atomic
def save_calendar(*, actor: User, project: Project, version: int | None, uid: int,
                  name: str, week: Sequence[Any], exceptions: Sequence[Mapping[str, Any]],
                  country: str = "", region: str = "", years: Sequence[int] = (),
                  work_weeks: Sequence[Mapping[str, Any]] | None = None) -> Plan:
    """Creates or replaces a calendar; public holidays of ``country``/``region`` for
    ``years`` are added as non-working exceptions.  Exceptions may recur (a
    ``recurrence`` as ``workspace.recurrence_json`` writes it); ``work_weeks`` replaces the
    alternate work weeks (None keeps them)."""
    require(actor, project, "plan.edit")
    plan = locked_plan(project, version)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name or len(name) > 100:
        errors["name"] = ["give a name of at most 100 characters"]
    clean_week: list[Any] = []
    if len(week) != 7:
        errors["week"] = ["give seven days, Monday first"]
    for d, day in enumerate(week):
        try:
            periods = [[int(a), int(b)] for a, b in (day or [])]
            for a, b in periods:
                if not 0 <= a < b <= 1440:
                    raise ValueError
            for (_, b1), (a2, _) in itertools.pairwise(periods):
                if a2 < b1:
                    raise ValueError
            clean_week.append(periods)
        except (TypeError, ValueError):
            errors.setdefault(f"week.{d}", []).append("working periods must be HH:MM–HH:MM, "
                                                      "in order, within the day")
    clean_exc: list[dict[str, Any]] = []
    for k, exc in enumerate(exceptions):
        try:
            start = dt.date.fromisoformat(str(exc["start"]))
            finish = dt.date.fromisoformat(str(exc.get("finish") or exc["start"]))
            if finish < start:
                raise ValueError
            entry: dict[str, Any] = {"start": start.isoformat(), "finish": finish.isoformat(),
                     "periods": [[int(a), int(b)] for a, b in exc.get("periods") or []],
                     "name": str(exc.get("name", ""))[:100]}
        except (KeyError, TypeError, ValueError):
            errors.setdefault(f"exceptions.{k}", []).append("give a start and finish date "
                                                            "(YYYY-MM-DD), finish not before start")
            continue
        try:
            recurrence = wsp.recurrence_of(exc.get("recurrence"))
        except (TypeError, ValueError) as error:
            errors.setdefault(f"exceptions.{k}", []).append(f"recurrence: {error}")
            continue
        if recurrence is not None:
            entry["recurrence"] = wsp.recurrence_json(recurrence)
        clean_exc.append(entry)
    clean_weeks: list[dict[str, Any]] | None = None
    if work_weeks is not None:
        clean_weeks = []
        for k, item in enumerate(work_weeks):
            try:
                work_week = cal.WorkWeek(
                    dt.date.fromisoformat(str(item["start"])),
                    dt.date.fromisoformat(str(item["finish"])),
                    tuple(None if day is None else tuple(cal.WorkingPeriod(int(a), int(b))
                                                         for a, b in day)
                          for day in item["week"]),
                    str(item.get("name", ""))[:100])
            except (KeyError, TypeError, ValueError) as error:
                errors.setdefault(f"work_weeks.{k}", []).append(
                    f"give a start, a finish and seven days of periods ({error})")
                continue
            clean_weeks.append(wsp.work_week_json(work_week))
    if country:
        import holidays

        try:
            found = holidays.country_holidays(country.upper(), subdiv=region or None,
                                              years=list(years) or None)
        except NotImplementedError:
            errors["country"] = [f"no public holidays known for {country!r}"]
        except Exception:  # the holidays package raises plain errors for a bad region
            errors["region"] = [f"no region {region!r} in {country!r}"]
        else:
            known = {e["start"] for e in clean_exc}
            for day, title in sorted(found.items()):
                if day.isoformat() not in known:
                    clean_exc.append({"start": day.isoformat(), "finish": day.isoformat(),
                                      "periods": [], "name": str(title)[:100]})
    if not any(clean_week) and not errors:
        errors["week"] = ["a calendar needs some working time"]
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    ws = wsp.load(plan)
    before = ws.snapshot()
    defaults: dict[str, Any] = {"name": name, "week": clean_week, "exceptions": clean_exc,
                                "country": country.upper(), "region": region}
    if clean_weeks is not None:
        defaults["work_weeks"] = clean_weeks
    PlanCalendar.objects.update_or_create(plan=plan, uid=uid, defaults=defaults)
    ws = wsp.load(plan)
    return commit_workspace(actor, ws, before, [], "calendar saved", strict_constraints=False,
                            extra={"calendar": [None, f"{uid} {name}"],
                                   "exceptions": [None, len(clean_exc)]})


@transaction.atomic
def delete_calendar(*, actor: User, project: Project, version: int | None, uid: int) -> Plan:
    """Removes a named calendar no task and no other calendar uses; the project calendar
    stays (every task without its own follows it)."""
    require(actor, project, "plan.edit")
    current = Plan.objects.filter(project=project).first()
    if current is None:
        raise NotFound(f"{project.code} has no plan yet")
    # Without a version the removal is checked against the plan as it is now.
    plan = locked_plan(project, current.version if version is None else version,
                        create=False)
    calendar = PlanCalendar.objects.filter(plan=plan, uid=uid).first()
    if calendar is None:
        raise InvalidInput.field("uid", f"no calendar {uid} in this plan")
    if uid == plan.calendar_uid:
        raise InvalidInput.field("uid", f"“{calendar.name}” is the project calendar; it "
                                        "cannot be removed")
    users = PlanTask.objects.filter(plan=plan, calendar_uid=uid).count()
    if users:
        raise InvalidInput.field("uid", f"{users} task{'s' if users != 1 else ''} use "
                                        f"“{calendar.name}”: give them another calendar first")
    based = PlanCalendar.objects.filter(plan=plan, base_uid=uid).first()
    if based is not None:
        raise InvalidInput.field("uid", f"“{based.name}” is based on “{calendar.name}”")
    ws = wsp.load(plan)
    before = ws.snapshot()
    calendar.delete()
    ws = wsp.load(plan)
    return commit_workspace(actor, ws, before, [], "calendar removed",
                            strict_constraints=False,
                            extra={"calendar": [f"{uid} {calendar.name}", None]})



GRID_WIDTH = (120, 4000)  # pixels the splitter may give the grid


def _layout_columns(columns: Sequence[str]) -> list[str]:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise InvalidInput.field("columns", f"no column {unknown[0]!r}; choose among "
                                            f"{', '.join(COLUMNS)}")
    return list(dict.fromkeys(columns))  # in the order given, each once


def _layout_width(grid_width: int | str) -> int:
    try:
        width = int(grid_width)
    except (TypeError, ValueError):
        raise InvalidInput.field("grid_width", f"{grid_width!r} is not a width in "
                                               "pixels") from None
    if not GRID_WIDTH[0] <= width <= GRID_WIDTH[1]:
        raise InvalidInput.field("grid_width", f"must be between {GRID_WIDTH[0]} and "
                                               f"{GRID_WIDTH[1]} pixels")
    return width


def _store_layout(actor: User, layout: PlanLayout, columns: list[str],
                  grid_width: int | None) -> PlanLayout:
    changes: dict[str, Any] = {}
    if columns != layout.columns:
        changes["columns"] = [layout.columns, columns]
        layout.columns = columns
    if grid_width != layout.grid_width:
        changes["grid_width"] = [layout.grid_width, grid_width]
        layout.grid_width = grid_width
    if changes:
        layout.save()
        record_change(actor=actor, obj=layout, verb="plan layout changed", changes=changes)
    return layout


@transaction.atomic
def save_plan_layout(*, actor: User, columns: Sequence[str] | None = None,
                     grid_width: int | str | None = None) -> PlanLayout:
    """The actor's own plan editor layout: the grid's columns (keys of
    ``columns.COLUMNS`` in the order the grid shows them; none chosen is the default set)
    and/or its width in pixels (what is not given is kept)."""
    layout, _ = PlanLayout.objects.get_or_create(user=actor)
    return _store_layout(
        actor, layout, layout.columns if columns is None else _layout_columns(columns),
        layout.grid_width if grid_width is None else _layout_width(grid_width))


@transaction.atomic
def replace_plan_layout(*, actor: User, columns: Sequence[str],
                        grid_width: int | None) -> PlanLayout:
    """The actor's own plan editor layout, replaced whole: no columns is the default set,
    no width the page's default split."""
    layout, _ = PlanLayout.objects.get_or_create(user=actor)
    return _store_layout(actor, layout, _layout_columns(columns),
                         None if grid_width is None else _layout_width(grid_width))
