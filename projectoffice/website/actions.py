"""Writes of the project's website: choosing the status page's content, publishing it under
an unguessable link and revoking that link."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.architecture.models import Component
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import apply_changes
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.access import access_project
from projectoffice.portfolio.models import Project

from .models import StatusPage

PUBLISH = "statuspage.publish"
FIELDS = ("headline", "message", "show_rag", "show_milestones")


def _made(actor: User, project: Project) -> tuple[StatusPage, bool]:
    """The project's page, made on first use; the actor must be allowed to publish."""
    access_project(actor, project.code, PUBLISH)
    page, made = StatusPage.objects.get_or_create(project=project)
    if made:
        record_creation(actor=actor, obj=page, fields=FIELDS)
    return page, made


def _page(actor: User, project: Project) -> StatusPage:
    return _made(actor, project)[0]


@transaction.atomic
def update_status_page(*, actor: User, project: Project, version: int | None,
                       changes: dict[str, Any],
                       components: Sequence[str] | None = None) -> StatusPage:
    """Sets what the page shows; `components` are references of the project's components
    (CMP-0003), replacing the chosen ones. The first edit, which makes the page, needs no
    version; later ones send the version they read."""
    page, made = _made(actor, project)
    if made and version is None:
        version = page.version
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InvalidInput.field(unknown[0], "is not part of the status page")
    saved = apply_changes(actor=actor, obj=page, expected_version=version, changes=changes,
                          editable=FIELDS)
    if components is not None:
        refs = [r.strip().upper() for r in components if r.strip()]
        found = list(Component.objects.filter(project=project, reference__in=refs)
                     .order_by("number"))
        missing = sorted(set(refs) - {c.reference for c in found})
        if missing:
            raise InvalidInput.field("components", f"no component {missing[0]} in "
                                     f"{project.code}")
        before = sorted(saved.components.values_list("reference", flat=True))
        if before != sorted(c.reference for c in found):
            saved.components.set(found)
            StatusPage.objects.filter(pk=saved.pk).update(version=saved.version + 1)
            saved.version += 1
            record_change(actor=actor, obj=saved, verb="updated",
                          changes={"components": [", ".join(before),
                                                  ", ".join(c.reference for c in found)]})
    return saved


@transaction.atomic
def publish_status_page(*, actor: User, project: Project) -> StatusPage:
    """Gives the page a public link (a new one if it had none); anyone holding it reads the
    page signed out."""
    page = _page(actor, project)
    locked = StatusPage.objects.select_for_update().get(pk=page.pk)
    if locked.token:
        return locked
    locked.token = secrets.token_urlsafe(32)
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.version += 1
    locked.save(update_fields=["token", "published_at", "published_by", "version",
                               "updated_at"])
    record_change(actor=actor, obj=locked, verb="published", changes={"public link": [
        None, "published"]})
    return locked


@transaction.atomic
def revoke_status_page(*, actor: User, project: Project) -> StatusPage:
    """Revokes the public link: it answers 404 from now on; publishing again gives a new
    link. Members still read the page inside the office."""
    page = _page(actor, project)
    locked = StatusPage.objects.select_for_update().get(pk=page.pk)
    if not locked.token:
        raise InvalidInput.field("token", "the page has no public link to revoke")
    locked.token = ""
    locked.published_at = None
    locked.version += 1
    locked.save(update_fields=["token", "published_at", "version", "updated_at"])
    record_change(actor=actor, obj=locked, verb="revoked", changes={"public link": [
        "published", None]})
    return locked
