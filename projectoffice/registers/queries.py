"""Reads of register items shared by the views, API and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse

from projectoffice.portfolio.access import (
    has_perm,
    project_permissions,
    projects_with,
    visible_projects,
)
from projectoffice.portfolio.models import Project

from .models import Attachment, Comment, ItemLink, Notification, RegisterItem, TransitionRecord
from .services import Service
from .spec import RegisterSpec, all_specs, service_specs

SORTS = ("reference", "title", "status", "priority", "due_date", "raised_on", "owner",
         "updated_at")
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class ItemFilter:
    q: str = ""
    status: str = ""  # a state key, "open" or "closed"
    priority: str = ""
    owner: str = ""  # a username, or "me"
    overdue: bool = False
    sort: str = "-reference"
    extra: dict[str, str] = field(default_factory=dict)


def filter_items(spec: RegisterSpec, qs: QuerySet[Any], f: ItemFilter, user: Any,
                 today: date) -> QuerySet[Any]:
    wf = spec.workflow
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(reference__icontains=f.q)
                       | Q(description__icontains=f.q))
    if f.status == "open":
        qs = qs.filter(status__in=wf.open_states)
    elif f.status == "closed":
        qs = qs.exclude(status__in=wf.open_states)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.owner == "me":
        qs = qs.filter(owner=user)
    elif f.owner:
        qs = qs.filter(owner__username=f.owner)
    if f.overdue:
        qs = qs.filter(due_date__lt=today, status__in=wf.open_states)
    for name, value in f.extra.items():
        if name in spec.filters and value:
            qs = qs.filter(**{name: value})
    key = f.sort.lstrip("-")
    if key not in SORTS:
        key = "reference"
    order = {"reference": "number", "owner": "owner__username"}.get(key, key)
    prefix = "-" if f.sort.startswith("-") else ""
    return qs.order_by(prefix + order, "-number")


def sees_every_item(spec: RegisterSpec, user: Any, project: Project) -> bool:
    return not spec.restricted_to or has_perm(user, project, spec.restricted_to)


def _own(user: Any) -> Q:
    return Q(created_by=user) | Q(owner=user)


def hidden_fields(spec: RegisterSpec, user: Any, project: Project) -> frozenset[str]:
    """The register's guarded fields ``user`` may not read or set in ``project``."""
    if not spec.guarded:
        return frozenset()
    perms = project_permissions(user, project)
    return frozenset(name for name, perm in spec.guarded if perm not in perms)


def project_items(spec: RegisterSpec, project: Project, user: Any = None) -> QuerySet[Any]:
    """The project's items of one register; given the reader, only those they may see (a
    restricted register shows the rest of its readers only what they raised or own)."""
    qs: QuerySet[Any] = spec.model.objects.filter(project=project)
    if user is not None and not sees_every_item(spec, user, project):
        qs = qs.filter(_own(user)) if user.is_authenticated else qs.none()
    return qs.select_related("owner", "project")


def restriction(spec: RegisterSpec, user: Any) -> Q:
    """Which items of a register the reader may see wherever they read it from (lists,
    reports, search): all of a restricted register's items only where they hold its
    permission, elsewhere those they raised or own."""
    if not spec.restricted_to:
        return Q()
    return Q(project__in=projects_with(user, spec.restricted_to)) | _own(user)


def restricted_entries(user: Any) -> Q | None:
    """The audit entries of restricted registers' items the reader may not see (the audit
    trail hides them, see audit.queries.hide_entries_with)."""
    hidden: Q | None = None
    for spec in all_specs():
        if not spec.restricted_to:
            continue
        seen = (spec.model.objects.filter(restriction(spec, user))
                .annotate(key=Cast("pk", CharField())).values("key"))
        rule = (Q(content_type=ContentType.objects.get_for_model(spec.model))
                & ~Q(object_id__in=seen))
        hidden = rule if hidden is None else hidden | rule
    return hidden


def items_across_projects(spec: RegisterSpec, user: Any) -> QuerySet[Any]:
    qs: QuerySet[Any] = spec.model.objects.filter(project__in=visible_projects(user))
    return qs.filter(restriction(spec, user)).select_related("owner", "project")


def get_item(spec: RegisterSpec, project: Project, reference: str,
             user: Any = None) -> RegisterItem | None:
    """One item by reference; given the reader, None when they may not see it (so it reads
    as missing, like an item of another project)."""
    item: RegisterItem | None = project_items(spec, project, user).filter(
        reference=reference.upper()).first()
    return item


def item_visible(item: RegisterItem, user: Any) -> bool:
    spec = item.register_spec
    return sees_every_item(spec, user, item.project) or (
        user.is_authenticated and user.pk in (item.created_by_id, item.owner_id))


def _annex(model: type[Any], item: RegisterItem) -> QuerySet[Any]:
    qs: QuerySet[Any] = model.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
    return qs


def comments_of(item: RegisterItem) -> QuerySet[Comment]:
    return _annex(Comment, item).select_related("author")


def attachments_of(item: RegisterItem) -> QuerySet[Attachment]:
    return _annex(Attachment, item).select_related("uploaded_by")


def transitions_of(item: RegisterItem) -> QuerySet[TransitionRecord]:
    return _annex(TransitionRecord, item).select_related("actor")


def links_of(item: RegisterItem, user: Any = None) -> list[tuple[str, RegisterItem]]:
    """Outgoing and incoming links, each as (phrase, other item); given the reader, only
    to items they may see."""
    ct = ContentType.objects.get_for_model(item)
    out = [(link.get_kind_display(), link.target) for link in
           ItemLink.objects.filter(content_type=ct, object_id=item.pk).prefetch_related("target")]
    incoming = [(f"{link.get_kind_display()} (from)", link.item) for link in
                ItemLink.objects.filter(target_type=ct, target_id=item.pk)
                .prefetch_related("item")]
    return [(phrase, other) for phrase, other in out + incoming if other is not None
            and (user is None or item_visible(other, user))]


def notifications_of(user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).select_related("project")
    return qs.filter(read_at__isnull=True) if unread_only else qs


@dataclass(frozen=True)
class ServiceEntry:
    label: str
    url: str
    description: str
    open_items: int | None  # a register's open items; None for a page


def service_entries(service: Service, project: Project, perms: frozenset[str],
                    user: Any = None) -> list[ServiceEntry]:
    """What a service offers on one project that this person may open: its registers (with
    their open items) and its pages."""
    entries = []
    for spec in service_specs(service.key):
        if spec.perm("view") not in perms:
            continue
        open_count = project_items(spec, project, user).filter(
            status__in=spec.workflow.open_states).count()
        entries.append(ServiceEntry(spec.label, reverse("register-list",
                                                        args=[project.code, spec.key]),
                                    spec.description, open_count))
    for page in service.pages:
        if page.perm in perms:
            entries.append(ServiceEntry(page.label, reverse(page.url_name, args=[project.code]),
                                        page.description, None))
    return entries
