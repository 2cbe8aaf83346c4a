"""Reads shared by the plan page, the API and the exports: a fixed number of queries per
plan, whatever its size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from projectoffice.engine import calendars as cal
from projectoffice.engine.health import finish_day, whole_percent
from projectoffice.portfolio.models import Project

from .models import (
    Baseline,
    BaselineTask,
    MilestoneSnapshot,
    Plan,
    PlanCalendar,
    PlanTask,
)
from .notation import Units, format_duration, format_link, link_suffix
from .providers import providers
from .workspace import (
    CalendarRow,
    engine_calendars,
    link_tuples,
    saved,
    stored_tuples,
    task_tuples,
)

ROW_FIELDS = ("pk", "uid", "position", "outline_level", "name", "duration", "elapsed",
              "milestone", "display_unit", "calendar_uid", "constraint", "constraint_date",
              "deadline", "notes", "percent_complete", "actual_start", "actual_finish",
              "remaining_duration", "summary", "start", "finish", "early_start",
              "early_finish", "late_start", "late_finish", "total_float", "free_float",
              "critical", "task_type", "effort_driven", "levelling_delay", "manual", "active",
              "links_violated", "priority")


# What every row carries however many are drawn: the outline, the chart's span and links,
# the critical flags and the summaries' % complete.  The other fields, and the texts made
# from them, are added by ``complete`` to the rows a page draws (a window of a large plan).
LIGHT_FIELDS = ("pk", "uid", "outline_level", "summary", "start", "finish", "critical",
                "duration", "percent_complete")
DETAIL_FIELDS = tuple(f for f in ROW_FIELDS if f not in LIGHT_FIELDS)
READ_FIELDS = LIGHT_FIELDS + DETAIL_FIELDS


@dataclass
class PlanView:
    project: Project
    plan: Plan | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # row ids (pred, succ, type)
    external: list[dict[str, Any]] = field(default_factory=list)
    baselines: list[Baseline] = field(default_factory=list)
    calendars: list[PlanCalendar] = field(default_factory=list)
    # Each row's values as read (READ_FIELDS), by row id - 1, and its predecessors by the
    # row's key: (predecessor's row id, type, lag, lag kind), or the text of another plan's.
    values: list[tuple[Any, ...]] = field(default_factory=list, repr=False)
    incoming: dict[int, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def calendar_choices(self) -> list[tuple[int, str]]:
        return [(c.uid, c.name) for c in self.calendars]

    @property
    def units(self) -> Units:
        if self.plan is None:
            return Units()
        return Units(self.plan.minutes_per_day, self.plan.minutes_per_week,
                     self.plan.days_per_month)

    @property
    def critical_rows(self) -> list[int]:
        return [r["id"] for r in self.rows if r["critical"] and not r["summary"]]


def get_plan(project: Project) -> Plan | None:
    return Plan.objects.filter(project=project).first()


def plan_view(project: Project, *, baseline: int | None = None,
              every_row: bool = True) -> PlanView:
    """The plan's rows and links.  With ``every_row`` False the rows are light (see
    LIGHT_FIELDS): the caller completes those it draws with ``complete``."""
    plan = get_plan(project)
    view = PlanView(project, plan)
    if plan is None:
        return view
    units = view.units
    view.calendars = list(PlanCalendar.objects.filter(plan=plan))
    just_saved = saved(plan)
    links: list[tuple[Any, ...]] | None = None
    if just_saved is not None:
        # Drawn right after an edit: the rows and links as the edit wrote them, not read
        # back.
        values = stored_tuples(just_saved, READ_FIELDS)
        links = just_saved.stored_links
    else:
        values = task_tuples(plan.pk, READ_FIELDS)
    view.values = values
    # zip stops at the shorter: each row gets the light fields only.
    rows = [dict(zip(LIGHT_FIELDS, row, strict=False)) for row in values]
    if links is None:
        links = link_tuples([plan.pk])
    for k, row in enumerate(rows, start=1):
        row["id"] = k
    by_pk = {row["pk"]: row for row in rows}
    incoming = view.incoming
    foreign: list[Any] = []
    view_links = view.links
    for _, pred_pk, succ_pk, type_, lag, lag_kind, *_ in links:
        pred = by_pk.get(pred_pk)
        if pred is None:
            foreign.append({"predecessor_id": pred_pk, "successor_id": succ_pk, "type": type_,
                            "lag": lag, "lag_kind": lag_kind})
            continue
        pred_id, succ_id = pred["id"], by_pk[succ_pk]["id"]
        entry = (pred_id, type_, lag, lag_kind)
        texts = incoming.get(succ_pk)
        if texts is None:
            incoming[succ_pk] = [entry]
        else:
            texts.append(entry)
        view_links.append((pred_id, succ_id, type_))
    if foreign:
        others = {t["pk"]: t for t in PlanTask.objects.filter(
            pk__in=[v["predecessor_id"] for v in foreign]).values(
            "pk", "uid", "position", "name", "start", "finish", "plan__project__code")}
        for values_ in foreign:
            succ = by_pk[values_["successor_id"]]
            other = others[values_["predecessor_id"]]
            code = other["plan__project__code"]
            incoming.setdefault(values_["successor_id"], []).append(
                format_link(f"{code}:", other["position"], values_["type"], values_["lag"],
                            values_["lag_kind"], units))
            view.external.append({"project": code, "row": other["position"],
                                  "name": other["name"], "start": other["start"],
                                  "finish": other["finish"], "successor": succ["id"],
                                  "type": values_["type"]})
    _roll_up(rows)
    view.rows = rows
    view.baselines = list(Baseline.objects.filter(plan=plan))
    if baseline is not None:
        attach_baseline(view, baseline)
    if every_row:
        complete(view, rows)
    return view


def complete(view: PlanView, rows: list[dict[str, Any]]) -> None:
    """Adds to ``rows`` (the view's, light) their other fields, the duration as written
    (a summary's: its span in working days) and the predecessors as written."""
    if view.plan is None:
        return
    units = view.units
    values, incoming = view.values, view.incoming
    light = len(LIGHT_FIELDS)
    clock: cal.WorkingTime | None = None
    # A large plan has a few dozen distinct durations and lags among thousands of rows and
    # links: each is written once.
    durations: dict[tuple[int, str, bool], str] = {}
    suffixes: dict[tuple[str, float, str], str] = {}
    for row in rows:
        if "name" in row:
            continue
        row.update(zip(DETAIL_FIELDS, values[row["id"] - 1][light:], strict=True))
        if row["summary"] and row["start"] and row["finish"]:
            if clock is None:
                clock = working_time(view.plan, view.calendars)
            work = clock.work_between(cal.to_minutes(row["start"]),
                                      cal.to_minutes(row["finish"]))
            row["duration_text"] = format_duration(max(work, 0), "d", False, units)
        else:
            key = (row["duration"], row["display_unit"], row["elapsed"])
            text = durations.get(key)
            if text is None:
                text = durations[key] = format_duration(*key, units)
            row["duration_text"] = text
        entries = incoming.get(row["pk"])
        if entries is None:
            row["predecessors"], row["predecessors_text"] = [], ""
            continue
        texts = []
        for entry in entries:
            if isinstance(entry, str):
                texts.append(entry)
                continue
            pred_id, type_, lag, lag_kind = entry
            suffix = suffixes.get((type_, lag, lag_kind))
            if suffix is None:
                suffix = suffixes[(type_, lag, lag_kind)] = link_suffix(type_, lag, lag_kind,
                                                                        units)
            texts.append(f"{pred_id}{suffix}")
        row["predecessors"], row["predecessors_text"] = texts, ", ".join(texts)


def _roll_up(rows: list[dict[str, Any]]) -> None:
    """Summaries show the duration-weighted % complete of their tasks (their span in working
    days is written by ``complete``)."""
    if not any(r["summary"] for r in rows):
        return
    stack: list[tuple[dict[str, Any], list[float]]] = []

    def close(level: int) -> None:
        while stack and stack[-1][0]["outline_level"] >= level:
            summary, (done, total) = stack.pop()
            summary["percent_complete"] = whole_percent(done, total)
            if stack:
                stack[-1][1][0] += done
                stack[-1][1][1] += total

    for row in rows:
        close(row["outline_level"])
        if row["summary"]:
            stack.append((row, [0.0, 0.0]))
        elif stack:
            stack[-1][1][0] += row["duration"] * row["percent_complete"] / 100
            stack[-1][1][1] += row["duration"]
    close(0)


def attach_baseline(view: PlanView, number: int) -> None:
    base = {b.uid: b for b in BaselineTask.objects.filter(
        baseline__plan=view.plan, baseline__number=number).only("uid", "start", "finish",
                                                                 "duration")}
    for row in view.rows:
        saved = base.get(row["uid"])
        row["baseline_start"] = saved.start if saved else None
        row["baseline_finish"] = saved.finish if saved else None
        row["baseline_duration"] = saved.duration if saved else None


def working_time(plan: Plan, calendars: list[PlanCalendar] | None = None) -> cal.WorkingTime:
    rows = [CalendarRow(c.uid, c.name, c.week, c.exceptions, c.base_uid,
                        work_weeks=c.work_weeks)
            for c in (plan.calendars.all() if calendars is None else calendars)]
    built = {c.uid: c for c in engine_calendars(rows)}
    return cal.WorkingTime(built.get(plan.calendar_uid) or next(iter(built.values())))


def _days(a: dt.datetime | None, b: dt.datetime | None, clock: cal.WorkingTime,
          per_day: int) -> float | None:
    """Working days from a to b on the plan's calendar (negative when b is earlier)."""
    if a is None or b is None:
        return None
    return round(clock.work_between(cal.to_minutes(a), cal.to_minutes(b)) / per_day, 2)


def variance(project: Project, number: int, against: int | None = None) -> list[dict[str, Any]]:
    """Start, finish and duration variance of the plan (or baseline ``against``) against
    baseline ``number``; days are calendar days, durations in working days."""
    view = plan_view(project)
    if view.plan is None:
        return []
    units = view.units
    if against is not None:
        current = {b.uid: b for b in BaselineTask.objects.filter(
            baseline__plan=view.plan, baseline__number=against)}
    base = {b.uid: b for b in BaselineTask.objects.filter(baseline__plan=view.plan,
                                                          baseline__number=number)}
    costs = ({uid: b.cost for uid, b in current.items()} if against is not None
             else providers.task_costs(project))
    out = []
    clock = working_time(view.plan)
    per_day = units.minutes_per_day
    for row in view.rows:
        if against is not None:
            now = current.get(row["uid"])
            start, finish, duration = ((now.start, now.finish, now.duration) if now
                                       else (None, None, None))
        else:
            start, finish, duration = row["start"], row["finish"], row["duration"]
        saved = base.get(row["uid"])
        out.append({
            "id": row["id"], "uid": row["uid"], "name": row["name"],
            "outline_level": row["outline_level"], "summary": row["summary"],
            "milestone": row["milestone"], "start": start, "finish": finish,
            "baseline_start": saved.start if saved else None,
            "baseline_finish": saved.finish if saved else None,
            "start_variance": _days(saved.start if saved else None, start, clock, per_day),
            "finish_variance": _days(saved.finish if saved else None, finish, clock, per_day),
            "duration_variance": (round((duration - saved.duration) / units.minutes_per_day, 2)
                                  if saved and duration is not None else None),
            "cost": costs.get(row["uid"]) or ZERO_MONEY,
            "baseline_cost": saved.cost if saved else None,
        })
    _roll_up_costs(out)
    return out


ZERO_MONEY = Decimal("0.00")


def _roll_up_costs(rows: list[dict[str, Any]]) -> None:
    """Summary rows carry the sums of the tasks below them; then the cost variance (None
    where the baseline was saved without costs)."""
    open_summaries: list[dict[str, Any]] = []
    for row in rows:
        while open_summaries and open_summaries[-1]["outline_level"] >= row["outline_level"]:
            open_summaries.pop()
        if not row["summary"]:
            for summary in open_summaries:
                summary["cost"] += row["cost"]
                if row["baseline_cost"] is not None and summary["baseline_cost"] is not None:
                    summary["baseline_cost"] += row["baseline_cost"]
        else:
            row["cost"] = ZERO_MONEY
            row["baseline_cost"] = None if row["baseline_cost"] is None else ZERO_MONEY
            open_summaries.append(row)
    for row in rows:
        row["cost_variance"] = (row["cost"] - row["baseline_cost"]
                                if row["baseline_cost"] is not None else None)


def milestone_trend(project: Project) -> dict[str, Any]:
    """The forecast finish of each milestone at each reporting date, consistent with the
    plan: a milestone the plan shows done reads its actual finish at every reporting date on
    or after the day it was done, and at the plan's own status date every milestone reads
    the plan's finish (a snapshot is history; the plan is the truth at its status date)."""
    plan = get_plan(project)
    if plan is None:
        return {"dates": [], "milestones": []}
    snaps = list(MilestoneSnapshot.objects.filter(plan=plan))
    now = {t.uid: t for t in PlanTask.objects.filter(plan=plan, milestone=True).only(
        "uid", "finish", "actual_finish")}
    dates = sorted({s.status_date for s in snaps})
    series: dict[int, dict[str, Any]] = {}
    for s in snaps:
        entry = series.setdefault(s.uid, {"uid": s.uid, "name": s.name, "points": []})
        entry["points"].append((s.status_date, _as_planned(s.status_date, s.finish,
                                                           now.get(s.uid), plan.status_date)))
    return {"dates": dates, "milestones": list(series.values())}


def _as_planned(at: dt.date, forecast: dt.datetime, task: PlanTask | None,
                status_date: dt.date | None) -> dt.datetime:
    if task is None:
        return forecast
    done: dt.datetime | None = task.actual_finish
    day = finish_day(done)
    if done is not None and day is not None and day <= at:
        return done
    planned: dt.datetime | None = task.finish
    if at == status_date and planned is not None:
        return planned
    return forecast
