"""Reads of the support desk: service-level clocks of tickets (on the project's working
calendar), the desk's queue, internal notes, seats in use and the knowledge base."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from projectoffice.engine import calendars as cal
from projectoffice.engine import service_levels as sl
from projectoffice.planning.models import Plan
from projectoffice.planning.queries import working_time
from projectoffice.portfolio.access import project_permissions, projects_with, visible_projects
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import Priority
from projectoffice.registers.queries import comments_of, items_across_projects

from .models import Article, Asset, AssetCheckout, ServiceLevel, Ticket, TicketNote
from .registers import TICKETS

HANDLE = "support.handle"

# Working minutes: respond / resolve. Used until the office sets its own (ServiceLevel).
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    Priority.CRITICAL: (60, 480),
    Priority.HIGH: (240, 960),
    Priority.MEDIUM: (480, 2400),
    Priority.LOW: (960, 4800),
}


def targets() -> dict[str, tuple[int, int]]:
    found = dict(DEFAULT_TARGETS)
    for level in ServiceLevel.objects.all():
        found[level.priority] = (level.response_minutes, level.resolution_minutes)
    return found


def service_levels() -> list[dict[str, Any]]:
    """Every priority's targets, most urgent first, with the row's version when set."""
    rows = {level.priority: level for level in ServiceLevel.objects.all()}
    out = []
    for key, label in reversed(Priority.choices):
        response, resolution = DEFAULT_TARGETS[key]
        level = rows.get(key)
        out.append({"priority": key, "label": label,
                    "response_minutes": level.response_minutes if level else response,
                    "resolution_minutes": level.resolution_minutes if level else resolution,
                    "version": level.version if level else 0,
                    "response_text": sl.describe(level.response_minutes if level else response),
                    "resolution_text": sl.describe(
                        level.resolution_minutes if level else resolution)})
    return out


class Calendars:
    """Each project's working calendar (its plan's, else the standard week), compiled once
    per request or check."""

    def __init__(self) -> None:
        self._cache: dict[int, cal.WorkingTime] = {}

    def of(self, project: Project) -> cal.WorkingTime:
        clock = self._cache.get(project.pk)
        if clock is None:
            plan = Plan.objects.filter(project_id=project.pk).first()
            try:
                clock = working_time(plan) if plan is not None and plan.calendars.exists() \
                    else cal.WorkingTime(cal.standard_calendar())
            except cal.NoWorkingTime:
                clock = cal.WorkingTime(cal.standard_calendar())
            self._cache[project.pk] = clock
        return clock


def local(moment: dt.datetime) -> dt.datetime:
    """An aware instant as the naive local wall clock the calendars count in."""
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment)


def first_response(ticket: Ticket) -> dt.datetime | None:
    """When the support team first answered the requester: the first reply by someone
    holding support.handle on the project who is not the requester."""
    for comment in comments_of(ticket):
        author = comment.author
        if author is None or author.pk == ticket.created_by_id:
            continue
        if HANDLE in project_permissions(author, ticket.project):
            created: dt.datetime = comment.created_at
            return created
    return None


@dataclass(frozen=True)
class TicketClocks:
    response: sl.Clock
    resolution: sl.Clock
    responded_at: dt.datetime | None

    @property
    def worst(self) -> str:
        states = (self.response.state, self.resolution.state)
        for state in (sl.BREACHED, sl.AT_RISK, sl.RUNNING):
            if state in states:
                return state
        return sl.MET

    @property
    def response_due(self) -> dt.datetime:
        return aware(self.response.due)

    @property
    def resolution_due(self) -> dt.datetime:
        return aware(self.resolution.due)

    @property
    def response_left(self) -> str:
        return _left(self.response)

    @property
    def resolution_left(self) -> str:
        return _left(self.resolution)


def _left(clock: sl.Clock) -> str:
    """ "2 h 10 min left", or "1 d 3 h over" once breached."""
    if clock.remaining < 0:
        return f"{sl.describe(-clock.remaining)} over"
    return f"{sl.describe(clock.remaining)} left"


def clocks(ticket: Ticket, *, now: dt.datetime, calendars: Calendars | None = None,
           levels: dict[str, tuple[int, int]] | None = None) -> TicketClocks:
    """Both clocks of a ticket at ``now``. A withdrawn or closed ticket's resolution clock
    stopped when it was resolved (or closed)."""
    clock = (calendars or Calendars()).of(ticket.project)
    response_target, resolution_target = (levels or targets())[ticket.priority]
    responded = first_response(ticket)
    resolved = ticket.resolved_at
    if resolved is None and ticket.is_closed:
        resolved = ticket.updated_at
    opened = local(ticket.opened_at)
    return TicketClocks(
        response=sl.measure(opened=opened, target=response_target, now=local(now),
                            stopped=local(responded) if responded else (
                                local(resolved) if resolved else None), clock=clock),
        resolution=sl.measure(opened=opened, target=resolution_target, now=local(now),
                              stopped=local(resolved) if resolved else None, clock=clock),
        responded_at=responded)


def handled_projects(user: Any) -> QuerySet[Project]:
    return projects_with(user, HANDLE)


def is_support_person(user: Any) -> bool:
    """Whether the person answers tickets anywhere (and so keeps the knowledge base)."""
    return bool(user.is_authenticated and handled_projects(user).exists())


def desk_tickets(user: Any, *, scope: str = "queue", project: Project | None = None
                 ) -> QuerySet[Ticket]:
    """The queue (open tickets of the projects the person supports), their own tickets
    ("mine": raised by them) or those assigned to them ("assigned")."""
    qs: QuerySet[Ticket] = Ticket.objects.select_related("project", "owner", "created_by",
                                                         "asset")
    if scope == "mine":
        qs = qs.filter(created_by=user, project__in=visible_projects(user))
    elif scope == "assigned":
        qs = qs.filter(owner=user, project__in=handled_projects(user))
    else:
        qs = qs.filter(project__in=handled_projects(user))
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("opened_at", "id")


def notes_of(ticket: Ticket) -> QuerySet[TicketNote]:
    return ticket.notes.select_related("author")


def open_checkouts(asset: Asset) -> QuerySet[AssetCheckout]:
    return asset.checkouts.filter(returned_on__isnull=True).select_related("holder")


def checkouts_of(asset: Asset) -> QuerySet[AssetCheckout]:
    return asset.checkouts.select_related("holder", "checked_out_by")


def seats_used(asset: Asset) -> int:
    return int(open_checkouts(asset).count())


def assets_with_use(project: Project) -> QuerySet[Asset]:
    qs: QuerySet[Asset] = Asset.objects.filter(project=project)
    return qs.annotate(
        in_use=Count("checkouts", filter=Q(checkouts__returned_on__isnull=True)))


def articles(text: str = "", category: str = "") -> QuerySet[Article]:
    qs = Article.objects.select_related("author")
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
    if category:
        qs = qs.filter(category=category)
    return qs


def visible_tickets_for_article(article: Article, user: Any) -> QuerySet[Ticket]:
    qs: QuerySet[Ticket] = items_across_projects(TICKETS, user).filter(articles=article)
    return qs
