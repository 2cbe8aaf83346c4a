"""Which announcements a person sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.errors import NotFound
from projectoffice.portfolio.access import require_global, visible_projects
from projectoffice.portfolio.models import Project

from .models import Announcement, Audience, OutboxMessage


def current(today: dt.date) -> QuerySet[Announcement]:
    return (Announcement.objects.filter(withdrawn_at__isnull=True)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            .select_related("project", "programme", "author"))


def visible_announcements(user: Any, today: dt.date,
                          include_expired: bool = False) -> QuerySet[Announcement]:
    """Everyone's announcements, and those of the projects (and their programmes) the user
    can see; a programme's manager also sees the programme's."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    qs = (Announcement.objects.select_related("project", "programme", "author")
          if include_expired else current(today))
    projects = visible_projects(user)
    return qs.filter(
        Q(audience=Audience.EVERYONE)
        | Q(audience=Audience.PROJECT, project__in=projects.values("pk"))
        | Q(audience=Audience.PROGRAMME, programme__in=projects.values("programme"))
        | Q(audience=Audience.PROGRAMME, programme__manager=user))


def project_announcements(project: Project, today: dt.date) -> QuerySet[Announcement]:
    """Shown on a project's page (to those who can see the project): its own and its
    programme's."""
    q = Q(audience=Audience.PROJECT, project=project)
    if project.programme_id:
        q |= Q(audience=Audience.PROGRAMME, programme_id=project.programme_id)
    return current(today).filter(q)


def outbox(user: Any, text: str = "") -> QuerySet[OutboxMessage]:
    """The kept e-mail, newest first, for whoever may read the outbox; `text` narrows it to
    messages whose recipients or subject contain it."""
    require_global(user, "outbox.view")
    messages = OutboxMessage.objects.all()
    if text:
        messages = messages.filter(Q(to__icontains=text) | Q(subject__icontains=text))
    return messages


def outbox_message(user: Any, pk: int) -> OutboxMessage:
    message = outbox(user).filter(pk=pk).first()
    if message is None:
        raise NotFound(f"No message {pk} in the outbox")
    return message
