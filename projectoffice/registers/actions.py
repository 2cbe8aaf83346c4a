"""Every write to any register goes through these actions.

Each takes the acting user, checks the permission its register declares, validates, writes in
one transaction, records the audit trail and returns the saved object.
"""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import apply_changes, check_version, lock_for_update, validate
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import has_perm, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.search.index import index_item

from .models import (
    Attachment,
    Comment,
    ItemLink,
    LinkKind,
    ReferenceCounter,
    RegisterItem,
    TransitionRecord,
)
from .spec import RegisterSpec, all_specs

KERNEL_FIELDS = ("title", "description", "owner", "priority", "due_date")
AUDITED_FIELDS = (*KERNEL_FIELDS, "status")


def editable_fields(spec: RegisterSpec) -> tuple[str, ...]:
    return (*KERNEL_FIELDS, *spec.fields)


def _require(actor: User, project: Project, perm: str) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def _check_people(spec: RegisterSpec, project: Project, values: dict[str, Any]) -> None:
    """People named on an item must be able to see its project."""
    for name, value in values.items():
        field = spec.model._meta.get_field(name)
        if (isinstance(field, models.ForeignKey) and field.related_model is User
                and value is not None and not has_perm(value, project, "project.view")):
            raise InvalidInput.field(name, f"{value.username} is not a member of {project.code}")


def _next_number(project: Project, spec: RegisterSpec) -> int:
    counter, _ = ReferenceCounter.objects.get_or_create(project=project, register=spec.key)
    counter = lock_for_update(ReferenceCounter, counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def create_item(
    *, actor: User, spec: RegisterSpec, project: Project, data: dict[str, Any],
    today: date | None = None,
) -> RegisterItem:
    _require(actor, project, spec.perm("add"))
    unknown = sorted(set(data) - set(editable_fields(spec)))
    if unknown:
        raise InvalidInput.field(unknown[0], "is not a field of this register")
    _check_people(spec, project, data)
    item = spec.model(
        project=project, status=spec.workflow.initial, created_by=actor,
        raised_on=today or timezone.localdate(), **data,
    )
    validate(item, exclude=("number", "reference"))
    item.number = _next_number(project, spec)
    item.reference = f"{spec.prefix}-{item.number:04d}"
    item.save()
    record_creation(actor=actor, obj=item, fields=("reference", *AUDITED_FIELDS, *spec.fields))
    index_item(item)
    return item


@transaction.atomic
def update_item(
    *, actor: User, item: RegisterItem, version: int | None, changes: dict[str, Any]
) -> RegisterItem:
    spec = item.register_spec
    _require(actor, item.project, spec.perm("change"))
    _check_people(spec, item.project, changes)
    saved = apply_changes(actor=actor, obj=item, expected_version=version, changes=changes,
                          editable=editable_fields(spec))
    index_item(saved)
    return saved


@transaction.atomic
def transition_item(
    *, actor: User, item: RegisterItem, transition: str, version: int | None,
    comment: str = "", today: date | None = None,
) -> RegisterItem:
    spec = item.register_spec
    _require(actor, item.project, spec.perm("view"))
    move = spec.workflow.transition(transition)
    if move is None:
        raise InvalidInput.field("transition", f"{transition!r} is not a move of the "
                                 f"{spec.label.lower()}")
    _require(actor, item.project, move.permission)
    locked = lock_for_update(type(item), item.pk)
    check_version(locked, version)
    if locked.status not in move.sources:
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}; "
                       f"'{move.label}' is not possible from there",
                       {"transition": ["not allowed from the current status"]})
    comment = comment.strip()
    if move.needs_comment and not comment:
        raise InvalidInput.field("comment", f"say why ('{move.label}' needs a comment)")
    if len(comment) > 5000:
        raise InvalidInput.field("comment", "is longer than 5000 characters")
    before = locked.status
    locked.status = move.target
    closing = spec.workflow.state(move.target).closed
    locked.closed_on = (today or timezone.localdate()) if closing else None
    locked.version += 1
    locked.save()
    TransitionRecord.objects.create(
        project=locked.project, content_type=ContentType.objects.get_for_model(locked),
        object_id=locked.pk, actor=actor, transition=move.key, from_state=before,
        to_state=move.target, comment=comment,
    )
    changes: dict[str, Any] = {"status": [before, move.target]}
    if comment:
        changes["comment"] = [None, comment]
    record_change(actor=actor, obj=locked, verb=move.key, changes=changes)
    return locked


@transaction.atomic
def add_comment(*, actor: User, item: RegisterItem, body: str) -> Comment:
    _require(actor, item.project, "comment.add")
    body = body.strip()
    if not body:
        raise InvalidInput.field("body", "is empty")
    if len(body) > 10000:
        raise InvalidInput.field("body", "is longer than 10000 characters")
    comment = Comment.objects.create(
        project=item.project, content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk, author=actor, body=body,
    )
    record_change(actor=actor, obj=item, verb="commented", changes={"comment": [None, body]})
    return comment


@transaction.atomic
def add_attachment(*, actor: User, item: RegisterItem, upload: UploadedFile[Any]) -> Attachment:
    _require(actor, item.project, "attachment.add")
    if upload.size is None or upload.size == 0:
        raise InvalidInput.field("file", "is empty")
    if upload.size > settings.PMO_MAX_ATTACHMENT_BYTES:
        raise InvalidInput.field(
            "file", f"is larger than {settings.PMO_MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[:255]
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        project=item.project, content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk, uploaded_by=actor, filename=name, size=upload.size,
        sha256=digest.hexdigest(),
        mime_type=(upload.content_type or mimetypes.guess_type(name)[0]
                   or "application/octet-stream")[:100],
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_change(actor=actor, obj=item, verb="attached",
                  changes={"attachment": [None, f"{name} ({upload.size} bytes)"]})
    return attachment


@transaction.atomic
def link_items(
    *, actor: User, item: RegisterItem, target_reference: str, kind: str = LinkKind.RELATES
) -> ItemLink:
    spec = item.register_spec
    _require(actor, item.project, spec.perm("change"))
    if kind not in LinkKind.values:
        raise InvalidInput.field("kind", f"use one of {', '.join(LinkKind.values)}")
    target = find_item_by_reference(item.project, target_reference)
    if target is None:
        raise InvalidInput.field("target", f"no item {target_reference!r} in {item.project.code}")
    if target == item:
        raise InvalidInput.field("target", "an item cannot be linked to itself")
    ct, target_ct = (ContentType.objects.get_for_model(item),
                     ContentType.objects.get_for_model(target))
    if ItemLink.objects.filter(content_type=ct, object_id=item.pk, target_type=target_ct,
                               target_id=target.pk, kind=kind).exists():
        raise InvalidInput.field("target", f"{target.reference} is linked already")
    link = ItemLink.objects.create(
        project=item.project, content_type=ct, object_id=item.pk, target_type=target_ct,
        target_id=target.pk, kind=kind, created_by=actor,
    )
    record_change(actor=actor, obj=item, verb="linked",
                  changes={"link": [None, f"{LinkKind(kind).label} {target.reference}"]})
    return link


def find_item_by_reference(project: Project, reference: str) -> RegisterItem | None:
    """Finds ISS-0042 or ACT-0007 in a project, whichever register the prefix names."""
    prefix, _, _ = reference.strip().upper().partition("-")
    for spec in all_specs():
        if spec.prefix == prefix:
            item: RegisterItem | None = spec.model.objects.filter(
                project=project, reference=reference.strip().upper()).first()
            return item
    return None


