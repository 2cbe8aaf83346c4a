"""Recording the audit trail. Every action calls one of these inside its transaction, so
an entry exists exactly when the change it describes was committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry

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


def _project_id(obj: models.Model) -> int | None:
    if obj._meta.label == "portfolio.Project":
        return int(obj.pk)
    project_id = getattr(obj, "project_id", None)
    return int(project_id) if project_id is not None else None


def record_change(
    *, actor: Any, obj: models.Model, verb: str, changes: dict[str, Any]
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:250],
        project_id=_project_id(obj),
        changes=changes,
    )


def record_creation(*, actor: Any, obj: models.Model, fields: Iterable[str]) -> AuditEntry:
    return record_change(actor=actor, obj=obj, verb="created", changes=snapshot(obj, fields))
