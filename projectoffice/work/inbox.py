"""The inbox: everything waiting for a person's decision, across every project they may
decide in. Each kind of hand-off is a source — a declaration naming how to find what waits
for the user and the partial template that lets them decide in place — so a new kind of
decision is added by declaring a source, not by changing the inbox page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from projectoffice.controls.models import ChangeRequest
from projectoffice.documents.models import Decision, Review, VersionState
from projectoffice.facilities.models import FacilityRequest
from projectoffice.portfolio.access import projects_with, visible_projects
from projectoffice.portfolio.models import Project
from projectoffice.registers.views import item_url


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
    entries: Callable[[Any], list[InboxEntry]]
    template: str  # renders one entry's decision controls; gets `entry`


SOURCES: list[InboxSource] = []


def register_source(source: InboxSource) -> InboxSource:
    if any(s.key == source.key for s in SOURCES):
        raise ValueError(f"inbox source {source.key!r} is declared twice")
    SOURCES.append(source)
    return source


def inbox(user: Any) -> list[tuple[InboxSource, list[InboxEntry]]]:
    """Each source with what waits for the user there (empty sources included, so the page
    can say so), oldest first within a source."""
    def oldest_first(entry: InboxEntry) -> tuple[int, str]:
        since = entry.since
        if isinstance(since, dt.datetime):
            since = since.date()
        return (since or dt.date.max).toordinal(), entry.key

    return [(source, sorted(source.entries(user), key=oldest_first)) for source in SOURCES]


def inbox_count(user: Any) -> int:
    return sum(len(entries) for _, entries in inbox(user))


# Documents to review -------------------------------------------------------------------

def _reviews(user: Any) -> list[InboxEntry]:
    reviews = (Review.objects.filter(reviewer=user, decision=Decision.PENDING,
                                     version__state=VersionState.IN_REVIEW,
                                     version__document__project__in=visible_projects(user))
               .select_related("version__document__project", "requested_by"))
    entries = []
    for review in reviews:
        version = review.version
        document = version.document
        asker = review.requested_by.display_name if review.requested_by else "Someone"
        entries.append(InboxEntry(
            source="reviews", key=f"review-{review.pk}", project=document.project,
            title=f"{document.code} {document.title} v{version.number}",
            url=item_url(document), since=review.created_at, obj=version,
            what=f"{asker} asks you to review v{version.number} ({version.filename})",
            extra={"download": reverse("document-download", args=[
                document.project.code, document.reference, version.number])}))
    return entries


# Register items waiting for a decision (change requests, facility requests) ------------

def _decisions(model: Any, state: str, perm: str, source: str,
               what: Callable[[Any], str]) -> Callable[[Any], list[InboxEntry]]:
    def entries(user: Any) -> list[InboxEntry]:
        items = (model.objects.filter(status=state, project__in=projects_with(user, perm))
                 .select_related("project", "created_by"))
        return [InboxEntry(source=source, key=f"{source}-{item.pk}", project=item.project,
                           title=f"{item.reference} {item.title}", url=item_url(item),
                           since=item.updated_at, what=what(item), obj=item)
                for item in items]
    return entries


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
    key="reviews", label="Documents to review", entries=_reviews,
    template="work/decide_review.html"))
register_source(InboxSource(
    key="changes", label="Change requests to decide",
    entries=_decisions(ChangeRequest, "assessed", "change.approve", "changes", _change_what),
    template="work/decide_item.html"))
register_source(InboxSource(
    key="requests", label="Requests to approve",
    entries=_decisions(FacilityRequest, "submitted", "request.transition", "requests",
                       _request_what),
    template="work/decide_item.html"))
