"""Which announcements a person sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Project

from .models import Announcement, Audience


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
