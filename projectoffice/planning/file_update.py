""""Update from file": a plan file merged into a plan that already has a history.

Tasks are matched by UID.  A task the file and the plan share takes the file's values, but
keeps the actuals recorded in the office when the file has none; a task the file lacks is
removed unless time is recorded on it (then it stays, at the top of the outline, without the
links the file no longer has).  The file's status date replaces the plan's.  :func:`merge`
works out the result and the list of what changes, so that a planner sees the list before
anything is applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from projectoffice.portfolio.models import Project

from . import queries
from . import workspace as wsp
from .notation import Units, format_duration

# The task fields compared, in the words the plan grid uses.
COMPARED = (
    ("name", "name"), ("outline_level", "outline level"), ("duration", "duration"),
    ("milestone", "milestone"), ("constraint", "constraint"),
    ("constraint_date", "constraint date"), ("deadline", "deadline"),
    ("manual", "manually scheduled"), ("manual_start", "start"),
    ("manual_finish", "finish"), ("active", "active"), ("calendar_uid", "calendar"),
    ("percent_complete", "% complete"), ("actual_start", "actual start"),
    ("actual_finish", "actual finish"),
)
ACTUALS = ("actual_start", "actual_finish", "percent_complete", "actual_duration",
           "remaining_duration", "resume")


@dataclass
class PlanUpdate:
    """What applying a file to a plan changes, in lines a planner reads."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    status_date: str | None = None  # "2026-03-01 → 2016-01-15", when it changes
    tasks: list[wsp.TaskRow] = field(default_factory=list)
    links: list[wsp.LinkRow] = field(default_factory=list)
    new_status_date: dt.date | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.status_date)

    def lines(self) -> list[str]:
        out = [f"Added: {x}" for x in self.added]
        out += [f"Removed: {x}" for x in self.removed]
        out += [f"Changed: {x}" for x in self.changed]
        out += [f"Kept: {x}" for x in self.kept]
        if self.status_date:
            out.append(f"Status date: {self.status_date}")
        return out or ["Nothing changes: the plan already matches the file."]


# The apps where people record work on tasks say which tasks of a project have some (the
# timesheets app registers in its AppConfig.ready).
_RECORDED: list[Callable[[Project], set[int]]] = []


def recorded_work_from(source: Callable[[Project], set[int]]) -> None:
    if source not in _RECORDED:
        _RECORDED.append(source)


def recorded_task_uids(project: Project) -> set[int]:
    """The tasks someone has booked time on (their assignments have timesheet lines)."""
    return set().union(*(source(project) for source in _RECORDED))


def _label(row: wsp.TaskRow) -> str:
    return f"task UID {row.uid} {row.name!r}"


def _shown(name: str, value: object, row: wsp.TaskRow, units: Units) -> str:
    if value is None or value == "":
        return "none"
    if name == "duration" and isinstance(value, int):
        return format_duration(value, row.display_unit, row.elapsed, units)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _links_of(links: Sequence[wsp.LinkRow]) -> dict[int, set[tuple[int, str, float, str]]]:
    found: dict[int, set[tuple[int, str, float, str]]] = {}
    for ln in links:
        found.setdefault(ln.successor, set()).add(
            (ln.predecessor, ln.type, float(ln.lag), ln.lag_kind))
    return found


def merge(project: Project, tasks: Sequence[wsp.TaskRow], links: Sequence[wsp.LinkRow],
          status_date: dt.date | None, units: Units) -> PlanUpdate:
    """The plan after the file is applied, and the list of what that changes."""
    update = PlanUpdate(new_status_date=status_date)
    plan = queries.get_plan(project)
    ws = wsp.load(plan) if plan is not None else None
    current = ws.by_uid() if ws is not None else {}
    recorded = recorded_task_uids(project) if current else set()
    merged: list[wsp.TaskRow] = []
    for row in tasks:
        old = current.get(row.uid)
        if old is None:
            update.added.append(_label(row))
            merged.append(row)
            continue
        if row.actual_start is None and old.actual_start is not None:
            # The office recorded progress the file does not know about: it stays.
            row = wsp.copy_row(row, **{n: getattr(old, n) for n in ACTUALS})
            update.kept.append(f"{_label(row)}: its recorded progress (the file has none)")
        diffs = [f"{label} {_shown(n, getattr(old, n), old, units)} → "
                 f"{_shown(n, getattr(row, n), row, units)}"
                 for n, label in COMPARED if getattr(old, n) != getattr(row, n)]
        if diffs:
            update.changed.append(f"{_label(row)}: " + "; ".join(diffs))
        merged.append(row)
    in_file = {row.uid for row in tasks}
    for uid, old in current.items():
        if uid in in_file:
            continue
        if uid in recorded:
            merged.append(wsp.copy_row(old, outline_level=1))
            update.kept.append(f"{_label(old)}: time is recorded on it, so it stays although "
                               "the file lacks it")
        else:
            update.removed.append(_label(old))
    live = {row.uid for row in merged}
    kept_links = list(links)
    update.links = [ln for ln in kept_links if ln.predecessor in live and ln.successor in live]
    if ws is not None:
        before, after = _links_of(ws.links), _links_of(update.links)
        for uid in sorted(in_file & set(current)):
            if before.get(uid, set()) != after.get(uid, set()):
                names = sorted(p for p, *_ in after.get(uid, set()))
                update.changed.append(
                    f"{_label(current[uid])}: predecessors now "
                    f"{', '.join(f'UID {p}' for p in names) or 'none'}")
        old_status = ws.plan.status_date
        if old_status != status_date:
            update.status_date = (f"{old_status.isoformat() if old_status else 'none'} → "
                                  f"{status_date.isoformat() if status_date else 'none'}")
    update.tasks = merged
    return update


# --- the file between the preview and the confirmation ------------------------------------

def _folder() -> Path:
    from django.conf import settings

    folder = Path(settings.DATA_DIR) / "plan-updates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def hold(data: bytes) -> str:
    """Keeps an uploaded file until the planner confirms the update; returns its token."""
    token = hashlib.sha256(data).hexdigest()
    (_folder() / f"{token}.plan").write_bytes(data)
    return token


def held(token: str) -> bytes | None:
    """The file kept under ``token``, or None (unknown, expired, or not a token at all)."""
    if not re.fullmatch(r"[0-9a-f]{64}", token or ""):
        return None
    path = _folder() / f"{token}.plan"
    return path.read_bytes() if path.is_file() else None


def release(token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{64}", token or ""):
        (_folder() / f"{token}.plan").unlink(missing_ok=True)
