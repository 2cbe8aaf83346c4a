"""Posting and withdrawing announcements. The PMO (staff or manager) speaks to everyone, a
programme's manager to the programme, a project manager to their project; the people
addressed hear of it as their notification preferences say."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import check_version, create_object, lock_for_update
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import project_permissions, require_global
from projectoffice.portfolio.models import Programme, Project
from projectoffice.registers.actions import deliver
from projectoffice.registers.models import NotificationKind

from .models import Announcement, Audience

EVERYONE = "announcement.everyone"
POST = "announcement.post"


def may_speak_to_everyone(actor: User) -> bool:
    try:
        require_global(actor, EVERYONE)
    except Forbidden:
        return False
    return True


def check_author(actor: User, audience: str, project: Project | None,
                 programme: Programme | None) -> None:
    """Raises Forbidden (or NotFound for a project the actor cannot see) unless the actor
    may address this audience."""
    if audience == Audience.EVERYONE:
        require_global(actor, EVERYONE)
    elif audience == Audience.PROJECT:
        if project is None:
            raise InvalidInput.field("project", "name the project")
        perms = project_permissions(actor, project)
        if "project.view" not in perms:
            raise NotFound(f"No project {project.code!r}")
        if POST not in perms:
            raise Forbidden(f"You need the {POST!r} permission on {project.code}")
    elif audience == Audience.PROGRAMME:
        if programme is None:
            raise InvalidInput.field("programme", "name the programme")
        if programme.manager_id != actor.pk and not may_speak_to_everyone(actor):
            raise Forbidden(f"Only the manager of {programme.code} or the office can "
                            "announce to the programme")
    else:
        raise InvalidInput.field("audience", f"use one of {', '.join(Audience.values)}")


def audience_of(announcement: Announcement) -> list[User]:
    """The people an announcement is for."""
    users = User.objects.filter(is_active=True)
    if announcement.audience == Audience.PROJECT:
        users = users.filter(Q(memberships__project=announcement.project)
                             | Q(pk=announcement.project.manager_id if announcement.project
                                 else None))
    elif announcement.audience == Audience.PROGRAMME:
        programme = announcement.programme
        users = users.filter(Q(memberships__project__programme=programme)
                             | Q(pk=programme.manager_id if programme else None))
    return list(users.distinct().order_by("pk"))


@transaction.atomic
def post_announcement(*, actor: User, audience: str, title: str, body: str = "",
                      expires_on: dt.date | None = None, project: Project | None = None,
                      programme: Programme | None = None,
                      today: dt.date | None = None) -> Announcement:
    check_author(actor, audience, project, programme)
    today = today or timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise InvalidInput.field("expires_on", "must be today or later")
    announcement = Announcement(
        audience=audience, title=title.strip(), body=body.strip(), expires_on=expires_on,
        author=actor, project=project if audience == Audience.PROJECT else None,
        programme=programme if audience == Audience.PROGRAMME else None)
    create_object(actor=actor, obj=announcement,
                  audit_fields=("audience", "project", "programme", "title", "expires_on"))
    url = reverse("announcements")
    for person in audience_of(announcement):
        deliver(recipient=person, obj=announcement, project=announcement.project,
                kind=NotificationKind.ANNOUNCEMENT, actor=actor, url=url,
                # A project's own announcement is already marked with its code.
                message=announcement.title if announcement.project is not None
                else f"{announcement.audience_label}: {announcement.title}",
                detail=announcement.body)
    return announcement


@transaction.atomic
def withdraw_announcement(*, actor: User, announcement: Announcement,
                          version: int | None) -> Announcement:
    """Takes an announcement down before it expires: its author or whoever may address the
    same audience."""
    if announcement.author_id != actor.pk:
        check_author(actor, announcement.audience, announcement.project,
                     announcement.programme)
    locked = lock_for_update(Announcement, announcement.pk)
    check_version(locked, version)
    if locked.withdrawn_at is not None:
        raise Conflict("This announcement is already withdrawn",
                       {"withdrawn_at": ["already withdrawn"]})
    locked.withdrawn_at = timezone.now()
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="withdrawn",
                  changes={"withdrawn_at": [None, locked.withdrawn_at.isoformat()]})
    return locked
