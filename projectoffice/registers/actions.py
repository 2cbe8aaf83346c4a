"""Every write to any register goes through these actions.

Each takes the acting user, checks the permission its register declares, validates, writes in
one transaction, records the audit trail and returns the saved object.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import apply_changes, check_version, lock_for_update, validate
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound, OfficeError
from projectoffice.mail import send_plain
from projectoffice.portfolio.access import has_perm, project_permissions
from projectoffice.portfolio.models import Project

from .mentions import mentioned_users
from .models import (
    Attachment,
    Comment,
    DigestLog,
    EmailDelivery,
    ItemLink,
    LinkKind,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReferenceCounter,
    RegisterItem,
    TransitionRecord,
)
from .queries import item_visible
from .spec import RegisterSpec, all_specs, created_listeners, saved_listeners

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


def _require_item(actor: User, item: RegisterItem, perm: str) -> None:
    """As _require, and the item must be one the actor may see (restricted registers)."""
    _require(actor, item.project, perm)
    if not _visible(item, actor):
        raise NotFound(f"No {item.register_spec.item_label.lower()} {item.reference!r} in "
                       f"{item.project.code}")


def _check_people(spec: RegisterSpec, project: Project, values: dict[str, Any],
                  actor: User | None = None) -> None:
    """People named on an item must be able to see its project; projects named on it (an
    internal dependency) must be visible to the one who names them."""
    for name, value in values.items():
        field = spec.model._meta.get_field(name)
        if not isinstance(field, models.ForeignKey) or value is None:
            continue
        if field.related_model is User and not has_perm(value, project, "project.view"):
            raise InvalidInput.field(name, f"{value.username} is not a member of {project.code}")
        if (field.related_model is Project and actor is not None
                and not has_perm(actor, value, "project.view")):
            # The same words as for a code that does not exist: existence does not leak.
            raise InvalidInput.field(name, f"no project {value.code!r}")


def _next_number(project: Project, spec: RegisterSpec) -> int:
    counter, _ = ReferenceCounter.objects.get_or_create(project=project, register=spec.key)
    counter = lock_for_update(ReferenceCounter, counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _check_guarded(spec: RegisterSpec, project: Project, data: dict[str, Any],
                   actor: User) -> None:
    """A guarded field is set only by those who may read it."""
    for name, perm in spec.guarded:
        if name in data and not has_perm(actor, project, perm):
            label = getattr(spec.model._meta.get_field(name), "verbose_name", name)
            raise Forbidden(f"You may not set the {label} of this {spec.item_label.lower()}",
                            {name: [f"only people who may see costs set the {label}"]
                             if perm == "cost.view" else [f"needs {perm}"]})


@transaction.atomic
def create_item(
    *, actor: User, spec: RegisterSpec, project: Project, data: dict[str, Any],
    today: date | None = None,
) -> RegisterItem:
    _require(actor, project, spec.perm("add"))
    return _create(actor=actor, spec=spec, project=project, data=data, today=today)


@transaction.atomic
def derive_item(
    *, actor: User, spec: RegisterSpec, project: Project, data: dict[str, Any],
    today: date | None = None,
) -> RegisterItem:
    """Creates an item another write implies (a training need from a change impact). The
    write that implies it has checked its own permission; the new item is numbered, audited
    and indexed like any other."""
    return _create(actor=actor, spec=spec, project=project, data=data, today=today)


def _create(*, actor: User, spec: RegisterSpec, project: Project,
            data: dict[str, Any], today: date | None) -> RegisterItem:
    unknown = sorted(set(data) - set(editable_fields(spec)))
    if unknown:
        raise InvalidInput.field(unknown[0], "is not a field of this register")
    _check_guarded(spec, project, data, actor)
    _check_people(spec, project, data, actor)
    item = spec.model(
        project=project, status=spec.workflow.initial, created_by=actor,
        raised_on=today or timezone.localdate(), **data,
    )
    validate(item, exclude=("number", "reference"))
    item.number = _next_number(project, spec)
    item.reference = f"{spec.prefix}-{item.number:04d}"
    item.save()
    record_creation(actor=actor, obj=item, fields=("reference", *AUDITED_FIELDS, *spec.fields))
    _notify_assignments(spec, item, actor, {})
    for saved in saved_listeners():
        saved(item)
    for listener in created_listeners(spec.key):
        listener(actor, item)
    return item


@transaction.atomic
def update_item(
    *, actor: User, item: RegisterItem, version: int | None, changes: dict[str, Any]
) -> RegisterItem:
    spec = item.register_spec
    _require_item(actor, item, spec.perm("change"))
    if item.status in spec.read_only_states:
        raise Conflict(f"{item.reference} is {item.state.label.lower()} and can no longer be "
                       "edited")
    _check_guarded(spec, item.project, changes, actor)
    _check_people(spec, item.project, changes, actor)
    before = {name: getattr(item, name) for name in spec.notify_fields}
    saved = apply_changes(actor=actor, obj=item, expected_version=version, changes=changes,
                          editable=editable_fields(spec))
    _notify_assignments(spec, saved, actor, before)
    for listener in saved_listeners():
        listener(saved)
    return saved


@transaction.atomic
def transition_item(
    *, actor: User, item: RegisterItem, transition: str, version: int | None,
    comment: str = "", today: date | None = None,
) -> RegisterItem:
    spec = item.register_spec
    _require_item(actor, item, spec.perm("view"))
    move = spec.workflow.transition(transition)
    if move is None:
        raise InvalidInput.field("transition", f"{transition!r} is not a move of the "
                                 f"{spec.label.lower()}")
    _require_item(actor, item, move.permission)
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
    if spec.transition_guard is not None:
        spec.transition_guard(actor, locked, move)
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
    if spec.after_transition is not None:
        spec.after_transition(actor, locked, move, comment)
    return locked


@transaction.atomic
def add_comment(*, actor: User, item: RegisterItem, body: str) -> Comment:
    _require_item(actor, item, "comment.add")
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
    # Whoever the comment mentions hears of it, when they may see the project (notify checks).
    for person in mentioned_users(body):
        notify(recipient=person, item=item, kind=NotificationKind.MENTION, actor=actor,
               message=f"{actor} mentioned you on {item.reference}: {body[:200]}")
    return comment


@transaction.atomic
def add_attachment(*, actor: User, item: RegisterItem, upload: UploadedFile[Any]) -> Attachment:
    _require_item(actor, item, "attachment.add")
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
    _require_item(actor, item, spec.perm("change"))
    if kind not in LinkKind.values:
        raise InvalidInput.field("kind", f"use one of {', '.join(LinkKind.values)}")
    target = find_item_by_reference(item.project, target_reference)
    if target is None or not _visible(target, actor):
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


def _visible(item: RegisterItem, user: User) -> bool:
    return item_visible(item, user)


def find_item_by_reference(project: Project, reference: str) -> RegisterItem | None:
    """Finds ISS-0042 or ACT-0007 in a project, whichever register the prefix names."""
    prefix, _, _ = reference.strip().upper().partition("-")
    for spec in all_specs():
        if spec.prefix == prefix:
            item: RegisterItem | None = spec.model.objects.filter(
                project=project, reference=reference.strip().upper()).first()
            return item
    return None




@dataclass(frozen=True)
class ImportResult:
    created: list[RegisterItem]


def _column_map(spec: RegisterSpec, headers: list[str]) -> dict[int, str]:
    """Which editable field each column fills. Columns the export writes but an import
    cannot set (reference, status, scores…) are skipped; anything else is an error."""
    model = spec.model
    names: dict[str, str] = {}
    for f in model._meta.get_fields():
        if not getattr(f, "concrete", False):
            continue
        for key in (f.name, str(getattr(f, "verbose_name", f.name))):
            names[key.strip().lower()] = f.name
    editable = set(editable_fields(spec))
    mapping: dict[int, str] = {}
    for col, header in enumerate(headers):
        if not header:
            continue
        name = names.get(header.lower().replace("_", " ")) or names.get(header.lower())
        if name is None:
            raise InvalidInput(f"Row 1: column {header!r} is not a field of the "
                               f"{spec.label.lower()}", {f"row 1.{header}": ["unknown column"]})
        if name in editable:
            if name in mapping.values():
                raise InvalidInput(f"Row 1: column {header!r} appears twice",
                                   {f"row 1.{header}": ["appears twice"]})
            mapping[col] = name
    if "title" not in mapping.values():
        raise InvalidInput("Row 1: a Title column is required", {"row 1.title": ["missing"]})
    return mapping


def _cell_value(spec: RegisterSpec, name: str, raw: Any,
                project: Project | None = None) -> Any:
    field: Any = spec.model._meta.get_field(name)
    if isinstance(raw, str):
        raw = raw.strip()
        if raw[:2] in ("'=", "'+", "'-", "'@"):  # the export's guard against formulas
            raw = raw[1:]
    if field.choices:
        text = str(raw).strip().lower()
        for key, label in field.flatchoices:
            if text in (str(key).lower(), str(label).lower()):
                return key
        raise InvalidInput.field(name, f"{raw!r} is not one of "
                                 f"{', '.join(str(k) for k, _ in field.flatchoices)}")
    if isinstance(field, models.ForeignKey):
        if field.related_model is User:
            user = User.objects.filter(username=str(raw), is_active=True).first()
            if user is None:
                raise InvalidInput.field(name, f"no active user {raw!r}")
            return user
        if field.related_model is Project:
            project = Project.objects.filter(code=str(raw).upper()).first()
            if project is None:
                raise InvalidInput.field(name, f"no project {str(raw).upper()!r}")
            return project
        text = str(raw).strip()
        related = field.related_model
        columns = {f.name for f in related._meta.fields}
        row = None
        if text.isdigit():
            row = related._default_manager.filter(pk=int(text)).first()
        elif "reference" in columns and project is not None:
            # Another item of the project by its reference ("STK-0003 Store managers", as
            # the export writes it, or just "STK-0003").
            row = related._default_manager.filter(
                project=project, reference=text.split()[0].upper()).first()
        elif "name" in columns:  # a catalogue row by its name (a skill)
            row = related._default_manager.filter(name__iexact=text).first()
        if row is None:
            raise InvalidInput.field(name, f"no {field.related_model._meta.verbose_name} "
                                           f"{text!r}")
        return row
    try:
        if isinstance(field, models.DateField):
            if isinstance(raw, datetime):
                return raw.date()
            if isinstance(raw, date):
                return raw
            return date.fromisoformat(str(raw))
        if isinstance(field, models.DecimalField):
            return Decimal(str(raw).replace(",", ""))
        if isinstance(field, models.IntegerField):
            number = float(raw)
            if number != int(number):
                raise ValueError(raw)
            return int(number)
    except (ValueError, InvalidOperation) as exc:
        kind = {models.DateField: "a date (YYYY-MM-DD)", models.DecimalField: "a number"}
        wanted = next((v for k, v in kind.items() if isinstance(field, k)), "a whole number")
        raise InvalidInput.field(name, f"{raw!r} is not {wanted}") from exc
    return str(raw)


@transaction.atomic
def import_items(
    *, actor: User, spec: RegisterSpec, project: Project, headers: list[str],
    rows: list[list[Any]], today: date | None = None,
) -> ImportResult:
    """Creates one item per row, all or nothing: if any row is wrong nothing is kept and the
    error names every wrong row (its line in the file) and field."""
    _require(actor, project, spec.perm("add"))
    mapping = _column_map(spec, headers)
    errors: dict[str, list[str]] = {}
    created: list[RegisterItem] = []
    for index, row in enumerate(rows):
        line = index + 2
        data: dict[str, Any] = {}
        for col, name in mapping.items():
            raw = row[col] if col < len(row) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                data[name] = _cell_value(spec, name, raw, project)
            except InvalidInput as exc:
                for field_name, messages in exc.errors.items():
                    errors.setdefault(f"row {line}.{field_name}", []).extend(messages)
        if any(key.startswith(f"row {line}.") for key in errors):
            continue
        try:
            with transaction.atomic():
                created.append(create_item(actor=actor, spec=spec, project=project, data=data,
                                           today=today))
        except OfficeError as exc:
            for field_name, messages in (exc.errors or {"row": [exc.message]}).items():
                errors.setdefault(f"row {line}.{field_name}", []).extend(messages)
    if errors:
        first, messages = next(iter(errors.items()))
        row_part, _, field_part = first.partition(".")
        raise InvalidInput(
            f"Nothing was imported: {len({k.partition('.')[0] for k in errors})} row(s) have "
            f"errors; first {row_part.capitalize()}, {field_part}: {messages[0]}", errors)
    return ImportResult(created=created)


# ---------------------------------------------------------------------------------------------
# Notifications: the people named on an item hear when it is assigned to them, escalated,
# due or overdue — in the top bar at once, and by e-mail once the transaction commits.


def _item_path(item: RegisterItem) -> str:
    return f"/projects/{item.project.code}/{item.register_spec.key}/{item.reference}/"


def notify(*, recipient: User | None, item: RegisterItem, kind: str, message: str,
           actor: User | None = None) -> Notification | None:
    """Tells the recipient about a register item. Must run inside the caller's transaction;
    nobody is told about their own doing, nor about a project they cannot see."""
    if recipient is None or not has_perm(recipient, item.project, "project.view"):
        return None
    return deliver(recipient=recipient, obj=item, project=item.project, kind=kind,
                   message=message, url=_item_path(item), actor=actor,
                   detail=f"{item.reference} {item.title}")


def preference_of(user: User, kind: str) -> tuple[bool, str]:
    """(shown in the app, e-mail delivery) for one kind; the default is both at once."""
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return (pref.in_app, pref.email) if pref else (True, EmailDelivery.IMMEDIATE)


def deliver(*, recipient: User | None, obj: models.Model, project: Project | None, kind: str,
            message: str, url: str, actor: User | None = None,
            detail: str = "") -> Notification | None:
    """Records a notification about any object and e-mails it after commit, as the recipient
    prefers: shown in the app or not; e-mailed at once, kept for the daily digest, or not
    e-mailed. A notification meant for the digest is kept even when not shown in the app,
    so the digest can list it. Must run inside the caller's transaction."""
    if recipient is None or not recipient.is_active or recipient == actor:
        return None
    in_app, email = preference_of(recipient, kind)
    note: Notification | None = None
    if in_app or email == EmailDelivery.DIGEST:
        note = Notification.objects.create(
            project=project, content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk, recipient=recipient, kind=kind, message=message[:300],
            url=url[:300])
    if recipient.email and email == EmailDelivery.IMMEDIATE:
        prefix = f"[{project.code}] " if project is not None else ""
        address, subject = recipient.email, f"{prefix}{message}"[:200]
        body = (f"{message}\n\n{detail + chr(10) if detail else ''}"
                f"{getattr(settings, 'PMO_BASE_URL', '')}{url}\n")
        transaction.on_commit(lambda: send_plain(subject, body, address))
    return note


def _notify_assignments(spec: RegisterSpec, item: RegisterItem, actor: User,
                        before: dict[str, Any]) -> None:
    for name in spec.notify_fields:
        person = getattr(item, name)
        if person is not None and person != before.get(name):
            field: Any = spec.model._meta.get_field(name)
            role = str(field.verbose_name)
            notify(recipient=person, item=item, kind=NotificationKind.ASSIGNED, actor=actor,
                   message=f"{actor} made you {role} of {item.reference}: {item.title}")


def notify_due_items(*, today: date, due_within_days: int = 2) -> int:
    """Tells owners about open items due within `due_within_days` days or overdue, once per
    item and kind. Run daily (`pmo notify`). Returns how many notifications were made.
    Each notification is its own transaction (a large office makes thousands; one long
    transaction would hold the office's other writers back), and a run that stops half way
    is simply run again: what was told already is not told twice."""
    made = 0
    for spec in all_specs():
        ct = ContentType.objects.get_for_model(spec.model)
        open_items = spec.model.objects.filter(
            status__in=spec.workflow.open_states, due_date__isnull=False,
            due_date__lte=today + timedelta(days=due_within_days)).select_related("project")
        for item in open_items:
            kind = NotificationKind.OVERDUE if item.due_date < today else NotificationKind.DUE
            for name in spec.notify_fields:
                person = getattr(item, name)
                if person is None or Notification.objects.filter(
                        content_type=ct, object_id=item.pk, recipient=person,
                        kind=kind).exists():
                    continue
                when = (f"was due on {item.due_date:%d %b}" if kind == NotificationKind.OVERDUE
                        else f"is due on {item.due_date:%d %b}")
                with transaction.atomic():
                    told = notify(recipient=person, item=item, kind=kind,
                                  message=f"{item.reference} {when}: {item.title}")
                made += bool(told)
    return made


@transaction.atomic
def mark_notifications_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Marks the actor's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_notification_preferences(*, actor: User,
                                 preferences: dict[str, tuple[bool, str]]) -> int:
    """Saves how the actor hears of each kind: {kind: (in the app, e-mail delivery)}.
    Returns how many kinds changed."""
    for kind, (_, email) in preferences.items():
        if kind not in NotificationKind.values:
            raise InvalidInput.field("kind", f"{kind!r} is not a kind of notification; use "
                                             f"one of {', '.join(NotificationKind.values)}")
        if email not in EmailDelivery.values:
            raise InvalidInput.field("email", f"use one of {', '.join(EmailDelivery.values)}")
    changes: dict[str, Any] = {}
    for kind, (in_app, email) in preferences.items():
        before = preference_of(actor, kind)
        if before == (bool(in_app), email):
            continue
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"in_app": bool(in_app), "email": email})
        changes[kind] = [f"app={before[0]} email={before[1]}",
                         f"app={bool(in_app)} email={email}"]
    if changes:
        record_change(actor=actor, obj=actor, verb="notification preferences",
                      changes=changes)
    return len(changes)


def digest_text(user: User, notes: list[Notification]) -> tuple[str, str]:
    """The subject and body of one person's digest."""
    base = getattr(settings, "PMO_BASE_URL", "")
    subject = f"Project Office digest: {len(notes)} unread notification" + (
        "s" if len(notes) != 1 else "")
    lines = [f"Hello {user.display_name or user.username},", "",
             "Here is what happened since your last digest:", ""]
    for kind, label in NotificationKind.choices:
        group = [n for n in notes if n.kind == kind]
        if not group:
            continue
        lines.append(f"{label} ({len(group)})")
        for n in group:
            where = f"[{n.project.code}] " if n.project is not None else ""
            lines.append(f"  - {where}{n.message}")
            lines.append(f"    {base}{n.url}")
        lines.append("")
    lines.append(f"Choose what arrives here: {base}/notifications/preferences/")
    return subject, "\n".join(lines) + "\n"


def _mailer(subject: str, body: str, address: str) -> Any:
    def send() -> None:
        send_plain(subject, body, address)
    return send


@transaction.atomic
def send_digests(*, now: datetime | None = None) -> int:
    """E-mails each person who chose the digest for some kind a summary of their unread
    notifications of those kinds since their last digest (`pmo digest`, daily). Each
    digest is recorded so the next one starts after it. Returns how many were sent."""
    now = now or timezone.now()
    digest_kinds: dict[int, set[str]] = {}
    for user_id, kind in NotificationPreference.objects.filter(
            email=EmailDelivery.DIGEST).values_list("user_id", "kind"):
        digest_kinds.setdefault(user_id, set()).add(kind)
    sent = 0
    for user in User.objects.filter(pk__in=digest_kinds, is_active=True).order_by("pk"):
        last = DigestLog.objects.filter(user=user).order_by("-sent_at").first()
        notes = Notification.objects.filter(
            recipient=user, read_at__isnull=True, kind__in=digest_kinds[user.pk],
            created_at__lte=now).select_related("project").order_by("created_at", "id")
        if last is not None:
            notes = notes.filter(created_at__gt=last.sent_at)
        rows = list(notes)
        if not rows or not user.email:
            continue
        subject, body = digest_text(user, rows)
        log = DigestLog.objects.create(user=user, sent_at=now, count=len(rows))
        record_change(actor=None, obj=log, verb="digest sent", changes={"count": [None,
                                                                                  len(rows)]})
        transaction.on_commit(_mailer(subject, body, user.email))
        sent += 1
    return sent
