"""Plan edits as typed values.

The API, the grid, change requests and the other apps describe a change to a plan as a list
of these values; ``editor.apply_edits`` applies such a batch to the plan in memory,
reschedules once and saves.  The API and change requests keep plan edits as JSON objects
with an ``op`` (docs/planning.md): ``from_wire`` turns one into its typed value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A task of the plan: its UID, or ``{"new": k}`` for the k-th task inserted by the same batch.
TaskRef = Any


@dataclass(frozen=True)
class UpdateTask:
    """Sets fields of a task; the values are as typed (``"5d"``, ``"2026-03-02"``) and are
    checked as the grid's cells are."""

    uid: TaskRef
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class InsertTask:
    """A new task before ``before`` (at the end when None), at outline ``level`` (that of the
    row it goes before when None), with the fields of ``UpdateTask``."""

    before: TaskRef = None
    level: Any = None
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeleteTask:
    uid: TaskRef


@dataclass(frozen=True)
class IndentTask:
    """Indents (``by`` 1) or outdents (``by`` -1) a task with its subtasks."""

    uid: TaskRef
    by: int


@dataclass(frozen=True)
class MoveTask:
    """Moves a task with its subtasks before ``before`` (at the end when None)."""

    uid: TaskRef
    before: TaskRef


@dataclass(frozen=True)
class MoveInGroup:
    """Moves a task one place up (``step`` -1) or down (1) among the tasks of its summary."""

    uid: TaskRef
    step: int


@dataclass(frozen=True)
class LinkTasks:
    """Adds (or replaces) the link from ``predecessor`` to ``uid``; ``lag`` as typed
    (``2d``, ``-1d``, ``3ed``, ``20%``)."""

    uid: TaskRef
    predecessor: TaskRef
    type: str = "FS"
    lag: str = ""


@dataclass(frozen=True)
class UnlinkTasks:
    uid: TaskRef
    predecessor: TaskRef


@dataclass(frozen=True)
class SetDurations:
    """Durations in working minutes by task UID, as the work of their assignments makes
    them (the resources app)."""

    minutes: Mapping[int, int]


@dataclass(frozen=True)
class SetLevellingDelays:
    """Every task's levelling delay in working minutes (absent: none), as levelling finds."""

    delays: Mapping[int, int]


Edit = (UpdateTask | InsertTask | DeleteTask | IndentTask | MoveTask | MoveInGroup | LinkTasks
        | UnlinkTasks | SetDurations | SetLevellingDelays)

OPS = ("update", "insert", "delete", "indent", "outdent", "move", "up", "down", "link",
       "unlink")
_NOT_FIELDS = ("op", "uid", "before", "level")


def from_wire(edit: Mapping[str, Any]) -> Edit:
    """The typed value of one edit as the API takes it; ValueError for an unknown ``op``."""
    op = str(edit.get("op", "update"))
    uid = edit.get("uid")
    if op == "update":
        return UpdateTask(uid, {k: v for k, v in edit.items() if k not in _NOT_FIELDS})
    if op == "insert":
        return InsertTask(edit.get("before"), edit.get("level"),
                          {k: v for k, v in edit.items() if k not in _NOT_FIELDS})
    if op == "delete":
        return DeleteTask(uid)
    if op in ("indent", "outdent"):
        return IndentTask(uid, 1 if op == "indent" else -1)
    if op == "move":
        return MoveTask(uid, edit.get("before"))
    if op in ("up", "down"):
        return MoveInGroup(uid, -1 if op == "up" else 1)
    if op == "link":
        return LinkTasks(uid, edit.get("predecessor"), str(edit.get("type") or "FS"),
                         str(edit.get("lag") or ""))
    if op == "unlink":
        return UnlinkTasks(uid, edit.get("predecessor"))
    raise ValueError(f"unknown operation {op!r}; use one of {', '.join(OPS)}")
