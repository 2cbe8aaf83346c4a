"""Levelling a stored plan: the plan's scheduled tasks and their assignments go to the
levelling engine (``engine/levelling.py``) in working days of the plan calendar, and the
delays it finds come back as each task's levelling delay in working minutes, which the
scheduler adds after the task's links and constraint (MS Project's Leveling Delay).

Each person resource's capacity per working day comes from ``availability``: nothing on a day
the person is away (half on a half day) and, unless the project manager levels the plan
alone, less what their other projects' plans give them that day.

``compute`` only reads; ``actions.level_resources`` writes what it found."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from projectoffice.engine import levelling as lv
from projectoffice.engine.network import ScheduleError
from projectoffice.engine.schedule_result import Schedule
from projectoffice.engine.unit_network import Link, LinkType, NetworkError
from projectoffice.errors import InvalidInput
from projectoffice.planning import workspace as wsp

from .availability import PlanDays, availability, span_text
from .models import Assignment, Resource
from .usage import WORK_KINDS, PlanClock


@dataclass
class Delay:
    uid: int
    row: int
    name: str
    old_start: dt.datetime
    new_start: dt.datetime
    delay: int  # working minutes
    resources: str
    days: float = 0.0
    reason: str = ""  # why it moved: an absence, other projects, or this plan's own work


@dataclass
class Levelling:
    delays: list[Delay]
    finish_before: dt.datetime | None
    finish_after: dt.datetime | None
    remaining: list[str] = field(default_factory=list)
    current: dict[int, int] = field(default_factory=dict)  # delays stored now
    other_projects: bool = True  # other projects' work was taken into account

    @property
    def wanted(self) -> dict[int, int]:
        return {d.uid: d.delay for d in self.delays}

    @property
    def already_levelled(self) -> bool:
        return bool(self.current) and self.current == self.wanted


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _at(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def to_data(found: Levelling) -> dict[str, Any]:
    """The proposal as JSON, kept on the background run that worked it out."""
    return {"delays": [{**asdict(d), "old_start": _when(d.old_start),
                        "new_start": _when(d.new_start)} for d in found.delays],
            "finish_before": _when(found.finish_before),
            "finish_after": _when(found.finish_after), "remaining": found.remaining,
            "current": {str(k): v for k, v in found.current.items()},
            "other_projects": found.other_projects}


def from_data(data: dict[str, Any]) -> Levelling:
    return Levelling(
        delays=[Delay(**{**d, "old_start": _at(d["old_start"]), "new_start": _at(d["new_start"])})
                for d in data.get("delays", [])],
        finish_before=_at(data.get("finish_before")), finish_after=_at(data.get("finish_after")),
        remaining=list(data.get("remaining", [])),
        current={int(k): int(v) for k, v in data.get("current", {}).items()},
        other_projects=bool(data.get("other_projects", True)))


def compute(ws: wsp.Workspace, *, other_projects: bool = True) -> Levelling:
    """What levelling would do to the plan in ``ws`` (not changed): per task the delay and
    why, the start before (without any levelling delay) and after, and what stays
    over-allocated.  ``other_projects`` keeps room for the work each person has on their
    other projects; off, the plan is levelled alone (absences still count)."""
    try:
        return _compute(ws, other_projects)
    except (lv.LevellingError, NetworkError, ScheduleError, ValueError) as exc:
        raise InvalidInput.field("plan", f"the plan cannot be levelled: {exc}") from None


def _compute(ws: wsp.Workspace, other_projects: bool) -> Levelling:
    plan = ws.plan
    mpd = max(plan.minutes_per_day, 1)
    current = {t.uid: t.levelling_delay for t in ws.tasks if t.levelling_delay}
    bare = replace(ws, tasks=[replace(t, levelling_delay=0) for t in ws.tasks])
    before = wsp.schedule(bare)
    summaries = ws.summaries()
    leaves = [t for t in ws.tasks if t.uid not in summaries]
    clock = PlanClock(plan)
    days = PlanDays(plan, clock)

    resources = {r.pk: r for r in Resource.objects.filter(project=plan.project,
                                                          kind__in=WORK_KINDS)}
    names = {pk: r.name for pk, r in resources.items()}
    by_task: dict[int, list[lv.Assignment]] = {}
    for a in Assignment.objects.filter(project=plan.project, resource_id__in=names):
        units = round(a.units)
        if units > 0:
            by_task.setdefault(a.task_uid, []).append(lv.Assignment(str(a.resource_id), units))
    tasks: list[lv.LevelTask] = []
    spans: dict[int, int] = {}
    for row in leaves:
        ts = before.task(row.uid)
        span = 0 if row.milestone else math.ceil(
            clock.between(ts.start, ts.finish, row.calendar_uid) / mpd)
        spans[row.uid] = span
        fixed = row.actual_start is not None or row.constraint in ("MSO", "MFO")
        tasks.append(lv.LevelTask(
            str(row.uid), span, tuple(by_task.get(row.uid, ())),
            priority=lv.NEVER_LEVEL if fixed else lv.DEFAULT_PRIORITY,
            release=days.index(ts.start)))
    links = _leaf_links(ws, summaries, spans, mpd)
    available = availability(plan, resources.values(), days, other_projects=other_projects)
    pool = [lv.LevelResource(str(pk), round(r.max_units) or 1, available.periods.get(pk, ()))
            for pk, r in resources.items()]
    result = lv.level_plan(tasks, links, pool, lv.LevellingOptions())
    wanted = {int(t.id): t.levelling_delay * mpd for t in result.tasks.values()
              if t.levelling_delay > 0}
    after_ws = replace(ws, tasks=[replace(t, levelling_delay=wanted.get(t.uid, 0))
                                  for t in ws.tasks])
    after = wsp.schedule(after_ws)
    rows = {t.uid: n for n, t in enumerate(ws.tasks, start=1)}
    who = {uid: ", ".join(sorted(names[int(a.resource)] for a in by_task.get(uid, ())))
           for uid in wanted}

    def why(uid: int) -> str:
        moved = result.tasks[str(uid)]
        skipped = (moved.start - moved.levelling_delay, moved.start)
        found = [text for a in by_task.get(uid, ())
                 for text in available.reasons(resources[int(a.resource)], *skipped, days)]
        return "; ".join(found) or "other tasks of this plan"

    delays = [Delay(uid, rows[uid], next(t.name for t in ws.tasks if t.uid == uid),
                    before.task(uid).start, after.task(uid).start, minutes, who[uid],
                    round(minutes / mpd, 2), why(uid))
              for uid, minutes in sorted(wanted.items(), key=lambda kv: rows[kv[0]])]
    remaining = [_remaining(names[int(o.resource)], o, days) for o in result.overallocations]
    return Levelling(delays, _finish(before, ws), _finish(after, ws), remaining, current,
                     other_projects)


def _remaining(name: str, over: lv.OverAllocation, days: PlanDays) -> str:
    """An over-allocation levelling leaves, in dates of the plan calendar."""
    first, last = days.first_date(over.start), days.last_date(over.finish - 1)
    when = (f"on {span_text(first, first)}" if first == last else
            f"from {span_text(first, first)} to {span_text(last, last)}")
    if over.available is None:
        return f"{name}: {over.peak_units} % of {over.max_units} % {when}"
    return (f"{name}: {over.peak_units} % where {over.available} % of {over.max_units} % "
            f"is available {when}")


def _finish(result: Schedule, ws: wsp.Workspace) -> dt.datetime | None:
    finishes = [result.task(t.uid).finish for t in ws.tasks]
    return max(finishes) if finishes else None


def _leaf_links(ws: wsp.Workspace, summaries: set[int], spans: dict[int, int],
                mpd: int) -> list[Link]:
    """The plan's links between leaf tasks, a summary's links given to each of its leaves."""
    leaves_under: dict[int, list[int]] = {}
    parents = ws.parents()
    for t in ws.tasks:
        if t.uid in summaries:
            continue
        up = parents[t.uid]
        while up is not None:
            leaves_under.setdefault(up, []).append(t.uid)
            up = parents[up]
    out: dict[tuple[str, str], Link] = {}
    for ln in ws.links:
        preds = leaves_under.get(ln.predecessor, [ln.predecessor])
        succs = leaves_under.get(ln.successor, [ln.successor])
        for p in preds:
            lag = (round(spans.get(p, 0) * ln.lag / 100) if ln.lag_kind == "percent"
                   else round(ln.lag / mpd))
            for s in succs:
                if p != s and p in spans and s in spans:
                    out[(str(p), str(s))] = Link(str(p), str(s), LinkType(ln.type), lag)
    return list(out.values())
