"""Plans across projects: the master schedule (many plans scheduled as one network, their
cross-project links included) and the impact of a slip on every milestone it reaches.

Reading is per project: only the plans of projects the user can see are consolidated; a link
from a project they cannot see stays as the fixed date it has in the stored plans.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.db.models import F

from projectoffice.engine import calendars as cal
from projectoffice.engine import network as net
from projectoffice.engine.bulk import collector_paused
from projectoffice.engine.calendars import from_minutes
from projectoffice.engine.cpm import schedule as run_engine
from projectoffice.engine.health import finish_day
from projectoffice.engine.schedule_result import Schedule
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Programme, Project

from . import workspace as wsp
from .models import Plan, PlanLink, PlanTask

OFFSET = 10_000_000  # engine UID = plan index * OFFSET + task UID


@dataclass
class Master:
    plans: list[Plan]
    workspaces: list[wsp.Workspace]
    network: net.Project
    result: Schedule
    offsets: dict[int, int]  # plan pk -> offset

    def task_ref(self, engine_uid: int) -> tuple[Plan, int]:
        k = engine_uid // OFFSET - 1
        return self.plans[k], engine_uid % OFFSET


def _network(workspaces: list[wsp.Workspace]) -> tuple[net.Project, dict[int, int]]:
    tasks: list[net.Task] = []
    links: list[net.Link] = []
    calendars: list[cal.Calendar] = []
    offsets: dict[int, int] = {}
    pk_to_engine: dict[int, int] = {}
    # Plans mostly share the same calendar: each distinct one is given to the engine once
    # (its working-time index is built once), a plan's copies map onto it.
    shared: dict[Any, int] = {}
    calendar_of: dict[int, int] = {}  # plan pk -> its calendar in the engine
    for k, ws in enumerate(workspaces, start=1):
        offsets[ws.plan.pk] = k * OFFSET
    units, days = wsp.UNITS, net.DurationUnit.DAYS
    constraints, link_types, lag_kinds = wsp.CONSTRAINTS, wsp.LINK_TYPES, wsp.LAG_KINDS
    for ws in workspaces:
        off = offsets[ws.plan.pk]
        parents = ws.parents()
        has_pred = {ln.successor for ln in ws.links} | {e.successor for e in ws.external}
        mapped: dict[int, int] = {}
        for calendar in wsp.engine_calendars(ws.calendars, off):
            key = (calendar.week, calendar.exceptions) if calendar.base is None else None
            if key is not None and key in shared:
                mapped[calendar.uid] = shared[key]
                continue
            if key is not None:
                shared[key] = calendar.uid
            calendars.append(calendar)
            mapped[calendar.uid] = calendar.uid
        project_calendar = mapped[ws.plan.calendar_uid + off]
        calendar_of[ws.plan.pk] = project_calendar
        # wsp.engine_task, inlined: the master schedule converts some 50,000 rows.
        start = ws.plan.start
        for row in ws.tasks:
            uid = row.uid
            constraint, constraint_date = row.constraint, row.constraint_date
            if constraint == "ASAP" and uid not in has_pred:
                # Each plan keeps its own start within the common network.
                constraint, constraint_date = "SNET", start
            parent = parents[uid]
            milestone = row.milestone
            tasks.append(net.Task(
                uid + off, row.name, 0 if milestone else row.duration, row.elapsed, milestone,
                units.get(row.display_unit, days),
                project_calendar if row.calendar_uid is None else mapped[row.calendar_uid + off],
                None if parent is None else parent + off,
                constraints.get(constraint) or net.ConstraintType(constraint), constraint_date,
                row.deadline, row.actual_start, row.actual_finish, row.percent_complete,
                row.actual_duration if row.actual_start is not None else None,
                row.remaining_duration, row.levelling_delay, row.manual, row.manual_start,
                row.manual_finish, row.manual_text, row.active))
            if row.pk is not None:
                pk_to_engine[row.pk] = uid + off
        for ln in ws.links:
            links.append(net.Link(
                ln.predecessor + off, ln.successor + off,
                link_types.get(ln.type) or net.LinkType(ln.type), ln.lag,
                lag_kinds.get(ln.lag_kind) or net.LagKind(ln.lag_kind)))
    ghost = 0
    for ws in workspaces:
        off = offsets[ws.plan.pk]
        for ext in ws.external:
            pred = pk_to_engine.get(ext.predecessor_pk)
            if pred is None:  # a project outside the consolidation: its stored date holds
                moment = (ext.predecessor_finish if ext.type in ("FS", "FF")
                          else ext.predecessor_start)
                if moment is None:
                    continue
                ghost += 1
                pred = wsp.GHOST_BASE * 10 + ghost
                tasks.append(net.Task(uid=pred, name=ext.project_code, milestone=True,
                                      constraint=net.ConstraintType.MSO,
                                      constraint_date=moment,
                                      calendar_uid=calendar_of[ws.plan.pk]))
            links.append(net.Link(pred, ext.successor + off, net.LinkType(ext.type), ext.lag,
                                  net.LagKind(ext.lag_kind)))
    first = workspaces[0].plan
    statuses = {ws.plan.status_date for ws in workspaces}
    status = wsp.status_moment(statuses.pop()) if len(statuses) == 1 else None
    network = net.Project(
        start=min(ws.plan.start for ws in workspaces), tasks=tuple(tasks), links=tuple(links),
        calendars=tuple(calendars), calendar_uid=calendar_of[first.pk],
        settings=cal.ProjectSettings(first.minutes_per_day, first.minutes_per_week,
                                     first.days_per_month),
        status_date=status)
    return network, offsets


MASTER_FIELDS = ("version", "start", "status_date", "minutes_per_day", "minutes_per_week",
                 "days_per_month", "calendar_uid", "finish", "project__code", "project__name",
                 "project__programme__code", "project__programme__name")


def _plans_for(user: Any, programme: str | None = None,
               projects: list[Project] | None = None) -> list[Plan]:
    # Only what the consolidation and the page read (the undo state alone is larger than
    # all the rest; a thousand plans' of it take seconds to decode).
    qs = Plan.objects.select_related("project", "project__programme").only(
        *MASTER_FIELDS).filter(
        project__in=visible_projects(user) if projects is None else projects)
    if programme:
        prg = Programme.objects.filter(code=programme).first()
        if prg is None:
            raise NotFound(f"No programme {programme!r}")
        qs = qs.filter(project__programme=prg)
    return list(qs.order_by("project__code"))


def build_master(plans: list[Plan]) -> Master:
    with collector_paused():  # a hundred thousand small objects, none in cycles
        workspaces = wsp.load_many(plans, keep_stored=False)
        if not workspaces:
            raise InvalidInput.field("projects", "there are no plans to consolidate")
        network, offsets = _network(workspaces)
    try:
        result = run_engine(network, free_float=False)
    except net.ScheduleError as exc:
        raise InvalidInput.field("plan", str(exc)) from None
    return Master(plans, workspaces, network, result, offsets)


# ---- what the master schedule shows -------------------------------------------------------


@dataclass(frozen=True)
class MilestoneFigure:
    row: int
    uid: int
    name: str
    finish: dt.datetime
    critical: bool


@dataclass(frozen=True)
class PlanFigures:
    """One plan in the consolidated network."""

    plan: int  # pk
    tasks: int
    network_finish: dt.datetime | None  # the last finish of any of its rows
    critical: int  # rows on the network's critical path
    start: dt.datetime | None  # first start and last finish of its work (not summaries)
    finish: dt.datetime | None
    on_path: bool  # some of its work is critical
    milestones: tuple[MilestoneFigure, ...]


@dataclass(frozen=True)
class LinkFigures:
    """A link between two plans of the consolidation."""

    source: int  # plan pks
    target: int
    leaves: dt.datetime  # the predecessor's finish (FS, FF) or start
    arrives: dt.datetime  # the successor's start (FS, SS) or finish
    driving: bool  # both ends critical
    title: str


@dataclass(frozen=True)
class Figures:
    """Everything the master schedule's page, chart and API show of one consolidated
    schedule: plain values, so that they can be kept (see ``master_figures``)."""

    start: dt.datetime
    finish: dt.datetime
    tasks: int
    links: int
    warnings: tuple[str, ...]
    plans: tuple[PlanFigures, ...]
    between: tuple[LinkFigures, ...]


def figures(master: Master) -> Figures:
    task = master.result.task
    engine_of: dict[int, int] = {}  # stored task pk -> engine uid
    out: list[PlanFigures] = []
    for ws in master.workspaces:
        off = master.offsets[ws.plan.pk]
        # One look-up per row, in minutes: only the dates shown become datetimes.
        results = [task(t.uid + off) for t in ws.tasks]
        for row in ws.tasks:
            if row.pk is not None:
                engine_of[row.pk] = row.uid + off
        work = [r for r in results if not r.summary]
        last = max((r.finish_minute for r in results), default=None)
        first_work = min((r.start_minute for r in work), default=None)
        last_work = max((r.finish_minute for r in work), default=None)
        out.append(PlanFigures(
            ws.plan.pk, len(ws.tasks), None if last is None else from_minutes(last),
            sum(1 for r in results if r.critical),
            None if first_work is None else from_minutes(first_work),
            None if last_work is None else from_minutes(last_work),
            any(r.critical for r in work),
            tuple(MilestoneFigure(k, t.uid, t.name, r.finish, r.critical)
                  for k, (t, r) in enumerate(zip(ws.tasks, results, strict=True), start=1)
                  if t.milestone)))
    between: list[LinkFigures] = []
    for ws in master.workspaces:
        off = master.offsets[ws.plan.pk]
        for ext in ws.external:
            pred_uid = engine_of.get(ext.predecessor_pk)
            if pred_uid is None:  # a plan outside the consolidation
                continue
            source = master.plans[pred_uid // OFFSET - 1]
            pred, succ = task(pred_uid), task(ext.successor + off)
            between.append(LinkFigures(
                source.pk, ws.plan.pk,
                pred.finish if ext.type in ("FS", "FF") else pred.start,
                succ.start if ext.type in ("FS", "SS") else succ.finish,
                pred.critical and succ.critical,
                f"{source.project.code} {pred.name} → {ws.plan.project.code} "
                f"{succ.name} ({ext.type})"))
    return Figures(master.network.start, master.result.finish, len(master.network.tasks),
                   len(master.network.links), tuple(master.result.warnings[:50]), tuple(out),
                   tuple(between))


KEEP_SECONDS = 86400
FIGURES_FORMAT = 1  # changes with the fields of Figures, so that none kept before is read


def _slot_and_state(plans: list[Plan]) -> tuple[str, str]:
    """Where the figures of ``plans`` are kept (one place per set of plans, so a new state
    replaces the last instead of piling up beside it) and what they depend on: the version
    and project code of every plan in the office (a link from a plan left out holds that
    plan's stored date).  Every edit of a plan raises its version, and the plans
    rescheduled behind it (``editor.propagate``) only move because of that edit: any change
    gives a new state, so kept figures are never stale.  One query."""
    chosen = [p.pk for p in plans]
    slot = hashlib.sha256(repr(chosen).encode()).hexdigest()
    every = Plan.objects.order_by("pk").values_list("pk", "version", "project__code")
    state = hashlib.sha256(repr((chosen, list(every))).encode()).hexdigest()
    return f"planning:master:{FIGURES_FORMAT}:{slot}", state


def master_figures(plans: list[Plan]) -> Figures | None:
    """The figures of the consolidated schedule of ``plans``, worked out once per state of
    the plans and kept in the shared cache (a portfolio of a thousand plans takes seconds
    to schedule as one network; reading the kept figures takes milliseconds)."""
    if not plans:
        return None
    slot, state = _slot_and_state(plans)
    kept = cache.get(slot)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == state \
            and isinstance(kept[1], Figures):
        return kept[1]
    found = figures(build_master(plans))
    cache.set(slot, (state, found), KEEP_SECONDS)
    return found


def warm_master_schedule() -> bool:
    """Works out the consolidation of every plan (the master schedule of those who see all
    projects) unless it is kept for the plans as they are now, so that the first reader
    after an edit does not wait for it. True when it had to be worked out."""
    plans = list(Plan.objects.select_related("project", "project__programme")
                 .only(*MASTER_FIELDS).order_by("project__code"))
    if not plans:
        return False
    slot, state = _slot_and_state(plans)
    kept = cache.get(slot)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == state:
        return False
    master_figures(plans)
    return True


@dataclass
class MasterView:
    """The plans of a master schedule (as read now: names, programmes, stored finishes)
    with the figures of their consolidation."""

    plans: list[Plan]
    figures: Figures


def master_schedule(user: Any, programme: str | None = None) -> MasterView | None:
    plans = _plans_for(user, programme)
    found = master_figures(plans)
    return None if found is None else MasterView(plans, found)


def master_out(master: Master | MasterView | None) -> dict[str, Any]:
    if master is None:
        return {"start": None, "finish": None, "tasks": 0, "links": 0, "projects": [],
                "warnings": []}
    found = master.figures if isinstance(master, MasterView) else figures(master)
    plans = {p.pk: p for p in master.plans}
    projects = []
    for each in found.plans:
        plan = plans[each.plan]
        # "finish" is the plan's own scheduled finish, the date every page shows; the
        # consolidated network may differ (a predecessor in another plan moved since the
        # plan was last scheduled), and is shown beside it only then.
        projects.append({"project": plan.project.code, "tasks": each.tasks,
                         "finish": finish_day(plan.finish),
                         "network_finish": finish_day(each.network_finish),
                         "plan_finish": plan.finish,
                         "milestones": [{"row": m.row, "uid": m.uid, "name": m.name,
                                         "finish": m.finish} for m in each.milestones],
                         "critical": each.critical})
    return {"start": found.start, "finish": found.finish, "tasks": found.tasks,
            "links": found.links, "projects": projects, "warnings": list(found.warnings)}


def _connected_plans(user: Any, plan: Plan) -> list[Plan]:
    """The plan and every visible plan linked to it, directly or through others."""
    visible = set(visible_projects(user).values_list("pk", flat=True))
    pairs = set(PlanLink.objects.exclude(plan_id=F("predecessor__plan_id")).values_list(
        "plan_id", "predecessor__plan_id"))
    neighbours: dict[int, set[int]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    seen = {plan.pk}
    todo = [plan.pk]
    while todo:
        for other in neighbours.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return list(Plan.objects.select_related("project").filter(
        pk__in=seen, project__pk__in=visible).order_by("project__code"))


def impact(user: Any, project: Project, row: int, days: float) -> dict[str, Any]:
    """If the task at ``row`` of ``project``'s plan slips ``days`` working days: which
    milestones of which projects move, and by how much."""
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise NotFound(f"{project.code} has no plan")
    task = PlanTask.objects.filter(plan=plan, position=row).first()
    if task is None:
        raise InvalidInput.field("row", f"there is no row {row} in {project.code}")
    master = build_master(_connected_plans(user, plan))
    off = master.offsets[plan.pk]
    target = task.uid + off
    slip = round(days * plan.minutes_per_day)
    changed = []
    for each in master.network.tasks:
        if each.uid == target:
            if each.milestone:
                # A milestone slips by waiting: it becomes a task as long as the slip.
                each = replace(each, milestone=False, duration=slip)
            else:
                each = replace(each, duration=each.duration + slip)
        changed.append(each)
    slipped = run_engine(replace(master.network, tasks=tuple(changed)), free_float=False)
    moved = []
    for ws in master.workspaces:
        o = master.offsets[ws.plan.pk]
        for k, t in enumerate(ws.tasks, start=1):
            if not t.milestone or t.uid + o == target:
                continue
            before = master.result.task(t.uid + o).finish
            after = slipped.task(t.uid + o).finish
            if after != before:
                moved.append({"project": ws.plan.project.code, "row": k, "uid": t.uid,
                              "name": t.name, "before": before, "after": after,
                              "days": wsp.working_days(ws, before, after),
                              "unit": "working days"})
    moved.sort(key=lambda m: (m["project"] != project.code, m["project"], m["row"]))
    finish_before = master.result.finish
    return {"project": project.code, "row": row, "task": task.name, "days": days,
            "milestones": moved, "finish_before": finish_before,
            "finish_after": slipped.finish}


def _calendar_days(a: dt.datetime, b: dt.datetime) -> float:
    return round((b - a).total_seconds() / 86400, 1)


def what_if_milestones(user: Any, plan: Plan, edited: wsp.Workspace) -> list[dict[str, Any]]:
    """The milestones of the other visible plans linked to ``plan`` that move when ``plan``
    becomes ``edited``: both versions are consolidated with their neighbours and scheduled
    in memory.  Nothing is written."""
    plans = _connected_plans(user, plan)
    if len(plans) < 2:
        return []
    current = [wsp.load(p) for p in plans]
    changed = [edited if ws.plan.pk == plan.pk else ws for ws in current]
    try:
        before_net, before_off = _network(current)
        after_net, after_off = _network(changed)
        before = run_engine(before_net, free_float=False)
        after = run_engine(after_net, free_float=False)
    except net.ScheduleError as exc:
        raise InvalidInput.field("plan", str(exc)) from None
    moved = []
    for ws in current:
        if ws.plan.pk == plan.pk:
            continue
        b_off, a_off = before_off[ws.plan.pk], after_off[ws.plan.pk]
        for k, t in enumerate(ws.tasks, start=1):
            if not t.milestone:
                continue
            was = before.task(t.uid + b_off).finish
            will = after.task(t.uid + a_off).finish
            if was != will:
                moved.append({"project": ws.plan.project.code, "row": k, "uid": t.uid,
                              "name": t.name, "before": was, "after": will,
                              "days": _calendar_days(was, will)})
    moved.sort(key=lambda m: (m["project"], m["row"]))
    return moved
