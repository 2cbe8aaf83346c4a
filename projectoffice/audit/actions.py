"""Recording the audit trail. Every action calls one of these inside its transaction, so
an entry exists exactly when the change it describes was committed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.dispatch import Signal

from .models import AuditEntry, ProjectVersion

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, readable in the history view."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> Snapshot:
    """The plain values of `fields`; choice fields are kept as their stored value."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# The keys by which a row without a project of its own belongs to one (an invoice by its
# order, a payment by its invoice, a rate by its resource, a budget line by its budget…).
PARENTS = ("plan", "order", "invoice", "budget", "resource", "timesheet", "benefit",
           "baseline")

# Sent once a transaction that wrote to projects has committed, with their pks: their data
# versions have changed (the figures kept under the old ones are no longer read).
projects_changed = Signal()


def _project_id(obj: models.Model) -> int | None:
    if obj._meta.label == "portfolio.Project":
        return int(obj.pk)
    project_id = getattr(obj, "project_id", None)
    if project_id is not None:
        return int(project_id)
    for name in PARENTS:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one or (field.one_to_one and field.concrete):
            parent = getattr(obj, name, None)
            if isinstance(parent, models.Model):
                return _project_id(parent)
    return None


_pending = threading.local()  # .ids: the projects written since a commit last announced them


def _changed() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    ids: set[int] = _pending.ids
    return ids


def _announce() -> None:
    changed = sorted(_changed())
    _changed().clear()
    if changed:
        projects_changed.send(sender=AuditEntry, project_ids=changed)


def note_version(project_id: int, entry_id: int) -> None:
    """Sets the project's data version to ``entry_id`` in the surrounding transaction (the
    row stays locked until it commits), and announces the change once it has committed."""
    ProjectVersion.objects.bulk_create(
        [ProjectVersion(project_id=project_id, entry_id=entry_id)], update_conflicts=True,
        unique_fields=["project"], update_fields=["entry_id"])
    _changed().add(project_id)
    if not any(pending[1] is _announce for pending in connection.run_on_commit):
        transaction.on_commit(_announce, robust=True)


def record_change(
    *, actor: Any, obj: models.Model, verb: str, changes: dict[str, Any]
) -> AuditEntry:
    project_id = _project_id(obj)
    entry = AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:250],
        project_id=project_id,
        changes=changes,
    )
    if project_id is not None:
        note_version(project_id, entry.pk)
    return entry


def record_creation(*, actor: Any, obj: models.Model, fields: Iterable[str]) -> AuditEntry:
    return record_change(actor=actor, obj=obj, verb="created", changes=snapshot(obj, fields))
