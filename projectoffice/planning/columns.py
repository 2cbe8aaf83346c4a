"""The plan grid's columns, as MS Project's Gantt table offers them: each column names the
plan-edit field it changes (or none, read-only), how its cell is drawn and what it shows.
A person chooses theirs (``PlanLayout``); ID and name are always there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from html import escape
from typing import Any

from projectoffice.engine import calendars as cal

from .models import Constraint
from .notation import format_duration
from .providers import providers
from .queries import PlanView, attach_baseline, working_time

Errors = dict[tuple[int, str], str]


@dataclass(frozen=True)
class Column:
    key: str  # the plan-edit field (or "resources"); the value's name when read-only
    label: str
    cls: str = ""  # CSS class of the cell (its width)
    kind: str = "text"  # text, select, read
    editable: bool = True
    on_summary: bool = False  # editable on a summary task too
    help: str = ""


MODES = (("auto", "Auto"), ("manual", "Manual"), ("inactive", "Inactive"))
YES_NO = (("1", "Yes"), ("0", "No"))

COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("mode", "Task mode", "mode", "select"),
    Column("duration", "Duration", "dur"),
    Column("start", "Start", "date", help="typing a start sets a Start No Earlier Than"),
    Column("finish", "Finish", "date"),
    Column("predecessors", "Predecessors", "preds", on_summary=True),
    Column("resources", "Resource names", "res", help="e.g. Dan[50%], Omar"),
    Column("percent_complete", "% complete", "num pct"),
    Column("actual_start", "Actual start", "date"),
    Column("actual_finish", "Actual finish", "date"),
    Column("remaining_duration", "Remaining duration", "dur"),
    Column("work", "Work", "num", "read", editable=False),
    Column("cost", "Cost", "num", "read", editable=False),
    Column("constraint", "Constraint type", "ctype", "select"),
    Column("constraint_date", "Constraint date", "date"),
    Column("deadline", "Deadline", "date", on_summary=True),
    Column("priority", "Priority", "num", on_summary=True),
    Column("calendar_uid", "Calendar", "cal", "select"),
    Column("total_float", "Total float", "num", "read", editable=False),
    Column("free_float", "Free float", "num", "read", editable=False),
    Column("baseline_start", "Baseline start", "date", "read", editable=False),
    Column("baseline_finish", "Baseline finish", "date", "read", editable=False),
    Column("finish_variance", "Finish variance", "num", "read", editable=False),
    Column("wbs", "WBS", "wbs", "read", editable=False),
    Column("active", "Active", "yn", "select"),
    Column("notes", "Notes", "notes", on_summary=True),
)}
READ_ONLY_RESOURCES = replace(
    COLUMNS["resources"], kind="read", editable=False,
    help="assigning resources needs the resource manager's permission (resource.manage)")
DEFAULT = ("duration", "start", "finish", "predecessors", "calendar_uid", "mode",
           "percent_complete")
EDITABLE = frozenset(["name", *(k for k, c in COLUMNS.items() if c.editable)])


def label_of(key: str) -> str:
    return COLUMNS[key].label if key in COLUMNS else key.replace("_", " ").capitalize()


def chosen(keys: Iterable[str] | None) -> list[Column]:
    """The columns named, in the order named (each once); the default set when none are."""
    wanted = list(dict.fromkeys(k for k in (keys or ()) if k in COLUMNS))
    if not wanted:
        return [c for k, c in COLUMNS.items() if k in DEFAULT]
    return [COLUMNS[k] for k in wanted]


def for_person(keys: Iterable[str] | None, perms: Iterable[str]) -> list[Column]:
    """``chosen`` as the person may use them: without ``resource.manage`` — which every
    change of assignments needs, in the API as here — Resource names is read-only."""
    shown = chosen(keys)
    if "resource.manage" in set(perms):
        return shown
    return [READ_ONLY_RESOURCES if c.key == "resources" else c for c in shown]


def offered(keys: Iterable[str] | None, perms: Iterable[str]) -> list[Column]:
    """Every column for the chooser: the person's own first, in their order, then the
    others in the standard order; each as the person may use it."""
    mine = [c.key for c in chosen(keys)]
    order = mine + [k for k in COLUMNS if k not in mine]
    return for_person(order, perms)


def _date(value: Any) -> str:
    return value.date().isoformat() if value else ""


def _days(minutes: float | None, per_day: int) -> str:
    if minutes is None:
        return ""
    return f"{minutes / per_day:.1f}".replace(".0", "") + "d"


def float_text(minutes: float | None, per_day: int, elapsed: bool) -> str:
    """A float as MS Project shows it: an elapsed task's in elapsed days (24-hour days,
    "ed"), any other's in working days of the plan."""
    if minutes is None:
        return ""
    if elapsed:
        return f"{minutes / 1440:.1f}".replace(".0", "") + "ed"
    return _days(minutes, per_day)


def attach(view: PlanView, columns: Sequence[Column], baseline: int | None,
           drawn: list[dict[str, Any]] | None = None) -> None:
    """Adds to the view's rows what the chosen columns show beyond the task's own fields:
    resource names, work and cost (from the apps that know them), the WBS code, the
    baseline's dates (the baseline chosen, else baseline 0) and the finish variance.
    Sums, codes and dates are given to every row; the texts only to the rows ``drawn``
    (all when None), which must be complete (``queries.complete``)."""
    keys = {c.key for c in columns}
    if view.plan is None:
        return
    units = view.units
    shown = view.rows if drawn is None else drawn
    if "resources" in keys:
        names = providers.resource_names(view.project)
        for row in shown:
            row["resources_text"] = names.get(row["uid"], "")
    if "work" in keys:
        work = providers.task_work(view.project)
        _summed(view.rows, "work", {uid: Decimal(hours) for uid, hours in work.items()})
    if "cost" in keys:
        _summed(view.rows, "cost", providers.task_costs(view.project))
    if "wbs" in keys:
        counters: list[int] = []
        for row in view.rows:
            level = row["outline_level"]
            counters = counters[:level]
            counters += [0] * (level - len(counters))
            counters[level - 1] += 1
            row["wbs"] = ".".join(str(n) for n in counters)
    if keys & {"baseline_start", "baseline_finish", "finish_variance"}:
        if baseline is None or "baseline_start" not in (view.rows[0] if view.rows else {}):
            attach_baseline(view, baseline or 0)
        clock = working_time(view.plan, view.calendars)
        for row in shown:
            base, now = row.get("baseline_finish"), row.get("finish")
            row["finish_variance"] = (
                None if base is None or now is None else
                clock.work_between(cal.to_minutes(base), cal.to_minutes(now)))
    # A large plan has a few dozen distinct remaining durations: each is written once.
    texts: dict[tuple[int, str, bool], str] = {}
    for row in shown:
        remaining = row.get("remaining_duration")
        if remaining is None:
            remaining = round(row["duration"] * (100 - row["percent_complete"]) / 100)
        key = (remaining, row["display_unit"], row["elapsed"])
        text = texts.get(key)
        if text is None:
            text = texts[key] = format_duration(*key, units)
        row["remaining_text"] = text


def _summed(rows: list[dict[str, Any]], key: str, values: dict[int, Decimal]) -> None:
    """Leaf values by UID, summed on summary tasks (an outline is a stack)."""
    stack: list[dict[str, Any]] = []
    for row in rows:
        while stack and stack[-1]["outline_level"] >= row["outline_level"]:
            stack.pop()
        row[key] = values.get(row["uid"]) if not row["summary"] else None
        if row[key] is not None:
            for parent in stack:
                parent[key] = (parent[key] or Decimal(0)) + row[key]
        if row["summary"]:
            stack.append(row)


def text_of(column: Column, row: dict[str, Any], per_day: int) -> str:
    """What a cell shows (and an editable cell holds)."""
    key = column.key
    value = row.get(key)
    if key == "duration":
        return str(row["duration_text"])
    if key == "predecessors":
        return str(row["predecessors_text"])
    if key == "resources":
        return str(row.get("resources_text", ""))
    if key == "remaining_duration":
        return str(row.get("remaining_text", ""))
    if key in ("start", "finish", "actual_start", "actual_finish", "constraint_date",
               "deadline", "baseline_start", "baseline_finish"):
        return _date(value)
    if key == "percent_complete":
        return f"{value:.0f}%" if column.kind == "read" else f"{value:.0f}"
    if key in ("total_float", "free_float"):
        return float_text(value, per_day, bool(row.get("elapsed")))
    if key == "finish_variance":
        return _days(value, per_day)
    if key == "work":
        return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".") + "h"
    if key == "cost":
        return "" if value is None else f"{value:,.2f}"
    return "" if value is None else str(value)


def _options(column: Column, calendars: list[tuple[int, str]]) -> Sequence[tuple[str, str]]:
    if column.key == "mode":
        return MODES
    if column.key == "constraint":
        return [(str(v), str(v)) for v, _ in Constraint.choices]
    if column.key == "active":
        return YES_NO
    return [("", "project"), *((str(uid), name) for uid, name in calendars)]


def _current(column: Column, row: dict[str, Any]) -> str:
    if column.key == "mode":
        return "inactive" if not row["active"] else "manual" if row["manual"] else "auto"
    if column.key == "active":
        return "1" if row["active"] else "0"
    value = row.get(column.key)
    return "" if value is None else str(value)


def cell(column: Column, row: dict[str, Any], editable: bool, errors: Errors,
         attempted: dict[tuple[int, str], str], calendars: list[tuple[int, str]],
         per_day: int) -> str:
    """One cell: an input or a choice where the person may change it, else its text."""
    key = (row["uid"], column.key)
    error = errors.get(key)
    cls = f'{column.cls}{" has-error" if error else ""}'
    if column.key == "start" and row.get("links_violated"):
        cls += " violated"
    can_edit = (editable and column.editable and (column.on_summary or not row["summary"])
                and not (column.key == "mode" and row["summary"]))
    label = f"{column.label} of row {row['id']}"
    attrs = (f' aria-invalid="true" aria-describedby="err-{row["uid"]}-{column.key}"'
             if error else "")
    if not can_edit:
        if column.kind == "select":
            shown = dict(_options(column, calendars)).get(_current(column, row), "")
            if column.key == "calendar_uid" and not row.get("calendar_uid"):
                shown = ""
            if row["summary"] and column.key in ("mode", "active"):
                shown = ""
            return f'<td class="{cls}">{escape(shown)}</td>'
        text = text_of(column, row, per_day)
        if column.key == "percent_complete":
            text += "%"
        return f'<td class="{cls}">{escape(text)}</td>'
    if column.kind == "select":
        current = _current(column, row)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if v == current else ""}>'
            f'{escape(text)}</option>' for v, text in _options(column, calendars))
        body = (f'<select class="cell" name="{column.key}" data-uid="{row["uid"]}" '
                f'aria-label="{escape(label)}"{attrs}>{options}</select>')
    else:
        value = attempted.get(key, text_of(column, row, per_day))
        body = (f'<input class="cell" name="{column.key}" data-uid="{row["uid"]}" '
                f'value="{escape(value)}" aria-label="{escape(label)}"{attrs} '
                f'autocomplete="off">')
    if error:
        body += (f'<div class="cell-error" id="err-{row["uid"]}-{column.key}" role="alert">'
                 f'{escape(error)}</div>')
    return f'<td class="{cls}">{body}</td>'

