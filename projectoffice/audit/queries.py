from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from projectoffice.accounts.roles import is_pmo_manager

from .models import AuditEntry


def history_of(obj: models.Model) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


def without_fields(entries: Iterable[AuditEntry], names: frozenset[str]) -> list[AuditEntry]:
    """The entries as read, with the changes of ``names`` left out (fields the reader may not
    see, such as a cost); an entry left with no change it may show is dropped."""
    if not names:
        return list(entries)
    kept = []
    for entry in entries:
        if names & set(entry.changes or {}):
            entry.changes = {k: v for k, v in entry.changes.items() if k not in names}
            if not entry.changes and entry.verb != "created":
                continue
        kept.append(entry)
    return kept


# Rules that hide entries from a reader, each giving the entries to hide.  Apps above the
# audit trail declare them (a restricted register hides its items' entries from those who
# may not read the items), so every way of reading the trail honours them.
HiddenEntries = Callable[[Any], Q | None]
_HIDING_RULES: list[HiddenEntries] = []


def hide_entries_with(rule: HiddenEntries) -> None:
    if rule not in _HIDING_RULES:
        _HIDING_RULES.append(rule)


def readable_by(user: Any, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    for rule in _HIDING_RULES:
        hidden = rule(user)
        if hidden is not None:
            entries = entries.exclude(hidden)
    return entries


def entries_for_projects(project_ids: Any, user: Any) -> QuerySet[AuditEntry]:
    return readable_by(user, AuditEntry.objects.filter(project_id__in=project_ids)
                       .select_related("actor", "content_type", "project")
                       .order_by("-at", "-id"))


def auditable_entries(user: Any, allowed: Any) -> QuerySet[AuditEntry]:
    """Entries of the projects `allowed` (those whose audit trail the user may read, as
    portfolio.access.projects_with(user, "audit.view") answers); entries outside any project
    (users, portfolios) only for superusers and the Project Office manager."""
    scope = Q(project_id__in=allowed)
    if is_pmo_manager(user):
        scope |= Q(project__isnull=True)
    return readable_by(user, AuditEntry.objects.filter(scope)
                       .select_related("actor", "content_type", "project")
                       .order_by("-at", "-id"))
