"""Shared mechanics of an edit: lock the row, check its version, validate, save, audit.

Every mutable model carries a ``version`` that starts at 1 and grows by one per write; a
caller that read version N must send N back, and gets 409 if someone else wrote in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.audit.actions import diff, record_change, record_creation, snapshot
from projectoffice.errors import InvalidInput, StaleVersion

M = TypeVar("M", bound=models.Model)


def lock_for_update(model: type[M], pk: Any) -> M:
    """Re-reads the row inside the transaction, locked on PostgreSQL (SQLite takes its write
    lock at BEGIN IMMEDIATE, which serialises writers the same way)."""
    return model._default_manager.select_for_update().get(pk=pk)


def check_version(obj: models.Model, expected: int | None) -> None:
    current = int(obj.version)  # type: ignore[attr-defined]
    if expected is None:
        raise InvalidInput.field("version", "is required: send the version you last read")
    if expected != current:
        raise StaleVersion(str(obj._meta.verbose_name).capitalize(), expected, current)


def _null_text(obj: models.Model, exclude: Iterable[str]) -> None:
    """full_clean lets None through a blank text field that cannot hold null (the database
    would refuse it later): such a field sent as null is an input error naming it."""
    skipped = set(exclude)
    for f in obj._meta.concrete_fields:
        if (isinstance(f, (models.CharField, models.TextField)) and f.editable and f.blank
                and not f.null and f.name not in skipped and getattr(obj, f.attname) is None):
            raise InvalidInput.field(f.name, "cannot be null: send an empty text instead")


def validate(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    """full_clean, with Django's errors turned into InvalidInput naming each field."""
    _null_text(obj, exclude)
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first_field, first_msgs = next(iter(errors.items()))
        label = "" if first_field == "__all__" else f"{first_field}: "
        raise InvalidInput(label + " ".join(first_msgs), errors) from exc


def apply_changes(
    *,
    actor: Any,
    obj: M,
    expected_version: int | None,
    changes: Mapping[str, Any],
    editable: Iterable[str],
    verb: str = "updated",
) -> M:
    """Sets `changes` on a locked, version-checked row, validates, saves and audits it.

    Must run inside a transaction (the calling action's). Returns the saved object.
    """
    editable = tuple(editable)
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise InvalidInput.field(unknown[0], "cannot be changed here")
    locked = lock_for_update(type(obj), obj.pk)
    check_version(locked, expected_version)
    before = snapshot(locked, editable)
    for name, value in changes.items():
        setattr(locked, name, value)
    validate(locked)
    after = snapshot(locked, editable)
    changed = diff(before, after)
    if changed:
        locked.version += 1  # type: ignore[attr-defined]
        locked.save()
        record_change(actor=actor, obj=locked, verb=verb, changes=changed)
    return locked


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def create_object(*, actor: Any, obj: M, audit_fields: Iterable[str]) -> M:
    """Validates, saves and audits a new object. Must run inside the caller's transaction."""
    validate(obj)
    obj.save()
    record_creation(actor=actor, obj=obj, fields=audit_fields)
    return obj
