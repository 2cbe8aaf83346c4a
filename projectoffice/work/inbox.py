"""The inbox: everything waiting for a person's decision, across every project they may
decide in. Each kind of hand-off is a source — a declaration naming how to find what waits
for the user and the partial template that lets them decide in place — so a new kind of
decision is added by declaring a source, not by changing the inbox page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from projectoffice.controls.models import ChangeRequest
from projectoffice.documents.models import Review
from projectoffice.documents.queries import reviews_awaiting
from projectoffice.facilities.models import FacilityRequest
from projectoffice.people.models import Absence
from projectoffice.people.queries import absence_view, awaiting_absences
from projectoffice.portfolio.access import projects_with
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.views import item_url
from projectoffice.timesheets.models import Timesheet
from projectoffice.timesheets.week_queries import parts_awaiting


@dataclass(frozen=True)
class InboxEntry:
    source: str
    key: str  # unique within the inbox: the element id of the entry on the page
    project: Project | None
    title: str
    url: str
    since: dt.datetime | dt.date | None
    what: str  # one line: who asks for what
    obj: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InboxSource:
    key: str
    label: str
    waiting: Callable[[Any], QuerySet[Any]]  # what waits for the user, oldest first
    entry: Callable[[Any, Any], InboxEntry]  # one row of `waiting`, for the user
    template: str  # renders one entry's decision controls; gets `entry`
    order: int  # where the kind stands in the inbox, the most frequent first


@dataclass(frozen=True)
class InboxSection:
    source: InboxSource
    count: int
    entries: list[InboxEntry]

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


SOURCES: list[InboxSource] = []
# The page shows the oldest this many of each kind (and how many more wait), so that a
# Project Office manager over a thousand projects still gets it at once.
SHOWN_PER_SOURCE = 25


def register_source(source: InboxSource) -> InboxSource:
    if any(s.key == source.key for s in SOURCES):
        raise ValueError(f"inbox source {source.key!r} is declared twice")
    SOURCES.append(source)
    return source


def inbox(user: Any, limit: int = SHOWN_PER_SOURCE) -> list[InboxSection]:
    """Each source with how many things wait for the user there and the oldest `limit` of
    them: two queries a source, however many projects."""
    sections = []
    for source in sorted(SOURCES, key=lambda s: s.order):
        waiting = source.waiting(user)
        shown = [source.entry(row, user) for row in waiting[:limit]]
        count = len(shown) if len(shown) < limit else waiting.count()
        sections.append(InboxSection(source=source, count=count, entries=shown))
    return sections


def inbox_count(user: Any) -> int:
    return sum(source.waiting(user).count() for source in SOURCES)


# Documents to review -------------------------------------------------------------------

def _review_entry(review: Review, user: Any) -> InboxEntry:
    version = review.version
    document = version.document
    asker = review.requested_by.display_name if review.requested_by else "Someone"
    return InboxEntry(
        source="reviews", key=f"review-{review.pk}", project=document.project,
        title=f"{document.code} {document.title} v{version.number}",
        url=item_url(document), since=review.created_at, obj=version,
        what=f"{asker} asks you to review v{version.number} ({version.filename})",
        extra={"download": reverse("document-download", args=[
            document.project.code, document.reference, version.number])})


# Register items waiting for a decision (change requests, facility requests) ------------

def _waiting_items(model: type[RegisterItem], state: str, perm: str
                   ) -> Callable[[Any], QuerySet[Any]]:
    def waiting(user: Any) -> QuerySet[Any]:
        items: QuerySet[Any] = model.objects.all()
        return (items.filter(status=state, project__in=projects_with(user, perm))
                .select_related("project", "created_by").order_by("updated_at", "pk"))
    return waiting


def _item_entry(source: str, what: Callable[[Any], str]) -> Callable[[Any, Any], InboxEntry]:
    def entry(item: Any, user: Any) -> InboxEntry:
        return InboxEntry(source=source, key=f"{source}-{item.pk}", project=item.project,
                          title=f"{item.reference} {item.title}", url=item_url(item),
                          since=item.updated_at, what=what(item), obj=item)
    return entry


def _asker(item: Any) -> str:
    return item.created_by.display_name if item.created_by else "Someone"


def _change_what(change: ChangeRequest) -> str:
    parts = [f"{_asker(change)} asks for a decision"]
    if change.delay_days:
        parts.append(f"finish {change.delay_days:+d} working days")
    if change.cost_impact:
        parts.append(f"cost {change.cost_impact:+,.2f} {change.project.currency}")
    return " · ".join(parts)


def _request_what(request: FacilityRequest) -> str:
    return f"{_asker(request)} asks for approval"


register_source(InboxSource(
    key="reviews", label="Documents to review", waiting=reviews_awaiting, entry=_review_entry,
    template="work/decide_review.html", order=30))
register_source(InboxSource(
    key="changes", label="Change requests to decide",
    waiting=_waiting_items(ChangeRequest, "assessed", "change.approve"),
    entry=_item_entry("changes", _change_what), template="work/decide_item.html", order=40))
register_source(InboxSource(
    key="requests", label="Requests to approve",
    waiting=_waiting_items(FacilityRequest, "submitted", "request.transition"),
    entry=_item_entry("requests", _request_what), template="work/decide_item.html",
    order=50))


# Absences to approve ---------------------------------------------------------------------

def _absence_entry(absence: Absence, user: Any) -> InboxEntry:
    view = absence_view(absence, user)  # sickness reads as "Absent" to whoever may not see it
    days = f"{absence.start:%a %d %b}" + (
        f" – {absence.end:%a %d %b %Y}" if absence.end != absence.start else "")
    return InboxEntry(
        source="absences", key=f"absence-request-{absence.pk}", project=None,
        title=f"{absence.person} · {view.label}", url=reverse("absences-awaiting"),
        since=absence.created_at, obj=view,
        what=f"{days} · {absence.days:g} day{'s' if absence.days != 1 else ''}"
             + (f" · “{view.note}”" if view.note else ""))


register_source(InboxSource(
    key="absences", label="Absences to approve", waiting=awaiting_absences,
    entry=_absence_entry, template="work/decide_absence.html", order=20))


# Timesheets to approve -------------------------------------------------------------------

def _timesheet_entry(sheet: Timesheet, user: Any) -> InboxEntry:
    lines = list(sheet.lines.all())
    hours = sum((h for line in lines for h in line.day_hours()), Decimal(0))
    return InboxEntry(
        source="timesheets", key=f"timesheet-{sheet.pk}", project=sheet.project,
        title=f"{sheet.person} · week of {sheet.week_start:%d %b %Y}",
        url=reverse("timesheet-part", args=[sheet.pk]), since=sheet.week_start, obj=sheet,
        what=f"{hours.normalize():f} h on {len(lines)} line{'s' if len(lines) != 1 else ''}",
        extra={"lines": reverse("my-work-timesheet-lines", args=[sheet.pk])})


register_source(InboxSource(
    key="timesheets", label="Timesheets to approve", waiting=parts_awaiting,
    entry=_timesheet_entry, template="work/decide_timesheet.html", order=10))
