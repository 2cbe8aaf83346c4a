"""The support desk over the API. Tickets and assets have the kernel's register operations
(/projects/{code}/tickets, /projects/{code}/assets); these add the desk, service-level
clocks, internal notes, closing with a rating, articles, check-outs and the targets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, provided, require_not_null, user_by_username, username
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    object_operation,
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import Priority
from projectoffice.registers.queries import get_item

from . import actions, queries
from .models import Article, Asset, AssetCheckout, Ticket, TicketCategory
from .registers import ASSETS, HANDLE, TICKETS

router = Router(tags=["Support desk"])



class ClockOut(Schema):
    state: str
    target_minutes: int
    used_minutes: int
    due: dt.datetime
    stopped: dt.datetime | None


class ServiceLevelOut(Schema):
    reference: str
    project: str
    title: str
    status: str
    priority: str
    requester: str | None
    owner: str | None
    opened_at: dt.datetime
    response: ClockOut
    resolution: ClockOut
    satisfaction: int | None


class NoteIn(StrictIn):
    body: str = Field(..., min_length=1, max_length=10000)


class NoteOut(Schema):
    id: int
    author: str | None
    body: str
    created_at: dt.datetime


class CloseIn(StrictIn):
    version: int
    rating: int = Field(..., ge=1, le=5, description="Satisfaction, 1 (poor) to 5")
    comment: str = Field("", max_length=2000)


class ArticleLinkIn(StrictIn):
    article: int = Field(..., description="The article's id")


class CheckoutIn(StrictIn):
    holder: str = Field(..., description="User name of a member of the asset's project")
    due_back: dt.date | None = None
    note: str = Field("", max_length=300)


class CheckoutOut(Schema):
    id: int
    holder: str
    checked_out_on: dt.date
    due_back: dt.date | None
    returned_on: dt.date | None
    note: str


class ArticleIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    category: TicketCategory | None = None
    body: str = Field(..., min_length=1, max_length=50000)


class ArticlePatch(StrictIn):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    category: TicketCategory | None = None
    body: str | None = Field(None, min_length=1, max_length=50000)


class ArticleOut(Schema):
    id: int
    version: int
    title: str
    category: str
    body: str
    author: str | None
    updated_at: dt.datetime


class ServiceLevelIn(StrictIn):
    version: int = Field(0, description="0 while the priority is on the defaults")
    response_minutes: int = Field(..., ge=1, le=525600)
    resolution_minutes: int = Field(..., ge=1, le=525600)


class LevelOut(Schema):
    priority: str
    version: int
    response_minutes: int
    resolution_minutes: int


def _clock_out(clock: Any) -> dict[str, Any]:
    return {"state": clock.state, "target_minutes": clock.target, "used_minutes": clock.used,
            "due": queries.aware(clock.due),
            "stopped": queries.aware(clock.stopped) if clock.stopped else None}


def level_out(ticket: Ticket, clocks: queries.TicketClocks) -> dict[str, Any]:
    return {"reference": ticket.reference, "project": ticket.project.code,
            "title": ticket.title, "status": ticket.status, "priority": ticket.priority,
            "requester": username(ticket.created_by), "owner": username(ticket.owner),
            "opened_at": ticket.opened_at, "response": _clock_out(clocks.response),
            "resolution": _clock_out(clocks.resolution), "satisfaction": ticket.satisfaction}


def _ticket(request: AuthedRequest, project: Project, ref: str) -> Ticket:
    item = get_item(TICKETS, project, ref, request.user)
    if not isinstance(item, Ticket):
        raise NotFound(f"No ticket {ref!r} in {project.code}")
    return item


def _asset(request: AuthedRequest, project: Project, ref: str) -> Asset:
    item = get_item(ASSETS, project, ref)
    if not isinstance(item, Asset):
        raise NotFound(f"No asset {ref!r} in {project.code}")
    return item


def checkout_out(c: AssetCheckout) -> dict[str, Any]:
    return {"id": c.pk, "holder": c.holder.username, "checked_out_on": c.checked_out_on,
            "due_back": c.due_back, "returned_on": c.returned_on, "note": c.note}


def article_out(a: Article) -> dict[str, Any]:
    return {"id": a.pk, "version": a.version, "title": a.title, "category": a.category,
            "body": a.body, "author": username(a.author), "updated_at": a.updated_at}


@router.get("/support/desk", response=list[ServiceLevelOut],
            summary="Tickets with their service-level clocks: the queue of the projects "
                    "you support, those assigned to you, or those you raised")
@office_operation("authenticated")
def desk(request: AuthedRequest, scope: str = "mine") -> list[dict[str, Any]]:
    if scope not in ("queue", "assigned", "mine"):
        raise InvalidInput.field("scope", "use queue, assigned or mine")
    qs = queries.desk_tickets(request.user, scope=scope)
    if scope != "mine":
        qs = qs.filter(status__in=("new", "in_progress", "waiting", "resolved"))
    now, calendars, levels = timezone.now(), queries.Calendars(), queries.targets()
    return [level_out(t, queries.clocks(t, now=now, calendars=calendars, levels=levels))
            for t in qs[:500]]


@router.get("/projects/{code}/tickets/{ref}/service-level", response=ServiceLevelOut,
            summary="A ticket's response and "
            "resolution clocks, in working time on the project's calendar")
@project_operation("ticket.view")
def service_level(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
    ticket = _ticket(request, project, ref)
    return level_out(ticket, queries.clocks(ticket, now=timezone.now()))


@router.get("/projects/{code}/tickets/{ref}/notes", response=list[NoteOut],
            summary="The support team's internal notes")
@project_operation(HANDLE)
def notes(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    ticket = _ticket(request, project, ref)
    return [{"id": n.pk, "author": username(n.author), "body": n.body,
             "created_at": n.created_at} for n in queries.notes_of(ticket)]


@router.post("/projects/{code}/tickets/{ref}/notes", response={201: NoteOut},
             summary="Add an internal note (never shown to the requester)")
@project_operation(HANDLE)
def add_note(request: AuthedRequest, project: Project, ref: str, payload: NoteIn) -> Status[Any]:
    ticket = _ticket(request, project, ref)
    n = actions.add_ticket_note(actor=request.user, ticket=ticket, body=payload.body)
    return Status(201, {"id": n.pk, "author": username(n.author), "body": n.body,
                        "created_at": n.created_at})


@router.post("/projects/{code}/tickets/{ref}/close", response=ServiceLevelOut,
             summary="The requester closes their resolved ticket with a rating")
@project_operation("ticket.add")
def close(request: AuthedRequest, project: Project, ref: str, payload: CloseIn) -> dict[str, Any]:
    ticket = _ticket(request, project, ref)
    closed = actions.close_ticket(actor=request.user, ticket=ticket, version=payload.version,
                                  rating=payload.rating, comment=payload.comment)
    return level_out(closed, queries.clocks(closed, now=timezone.now()))


@router.post("/projects/{code}/tickets/{ref}/articles", response=list[ArticleOut],
             summary="Link a knowledge-base article")
@project_operation(HANDLE)
def link_article(request: AuthedRequest, project: Project, ref: str,
                 payload: ArticleLinkIn) -> list[dict[str, Any]]:
    ticket = _ticket(request, project, ref)
    article = Article.objects.filter(pk=payload.article).first()
    if article is None:
        raise InvalidInput.field("article", f"no article {payload.article}")
    actions.link_article(actor=request.user, ticket=ticket, article=article)
    return [article_out(a) for a in ticket.articles.all()]


@router.get("/projects/{code}/assets/{ref}/checkouts", response=list[CheckoutOut],
            summary="Who holds the asset, and held it")
@project_operation("asset.view")
def checkouts(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    asset = _asset(request, project, ref)
    return [checkout_out(c) for c in queries.checkouts_of(asset)]


@router.post("/projects/{code}/assets/{ref}/checkouts", response={201: CheckoutOut},
             summary="Check the asset (a seat of a licence) out to a member")
@project_operation("asset.change")
def check_out(request: AuthedRequest, project: Project, ref: str, payload: CheckoutIn
              ) -> Status[Any]:
    asset = _asset(request, project, ref)
    holder = user_by_username(payload.holder, "holder")
    assert holder is not None
    c = actions.check_out_asset(actor=request.user, asset=asset, holder=holder,
                                today=timezone.localdate(), due_back=payload.due_back,
                                note=payload.note)
    return Status(201, checkout_out(c))


@router.post("/projects/{code}/assets/{ref}/checkouts/{checkout_id}/return",
             response=CheckoutOut,
             summary="Record the asset's return")
@project_operation("asset.change")
def return_asset(request: AuthedRequest, project: Project, ref: str, checkout_id: int
                 ) -> dict[str, Any]:
    asset = _asset(request, project, ref)
    c = AssetCheckout.objects.filter(pk=checkout_id, asset=asset).select_related(
        "asset__project", "holder").first()
    if c is None:
        raise NotFound(f"No check-out {checkout_id} of {asset.reference}")
    return checkout_out(actions.return_asset(actor=request.user, checkout=c,
                                             today=timezone.localdate()))


@router.get("/support/articles", response=list[ArticleOut],
            summary="The knowledge base (search the title and text with q)")
@office_operation("authenticated")
def articles(request: AuthedRequest, q: str = "", category: str = "") -> list[dict[str, Any]]:
    return [article_out(a) for a in queries.articles(q[:100], category)]


@router.get("/support/articles/{article_id}", response=ArticleOut,
            summary="One article")
@office_operation("authenticated")
def article(request: AuthedRequest, article_id: int) -> dict[str, Any]:
    found = Article.objects.filter(pk=article_id).first()
    if found is None:
        raise NotFound(f"No article {article_id}")
    return article_out(found)


@router.post("/support/articles", response={201: ArticleOut},
             summary="Write an article (the support team)")
@object_operation("support.handle anywhere")
def create_article(request: AuthedRequest, payload: ArticleIn) -> Status[Any]:
    a = actions.create_article(actor=request.user, title=payload.title, body=payload.body,
                               category=payload.category or "")
    return Status(201, article_out(a))


@router.patch("/support/articles/{article_id}", response=ArticleOut,
              summary="Change an article (the support team)")
@object_operation("support.handle anywhere")
def update_article(request: AuthedRequest, article_id: int,
                   payload: ArticlePatch) -> dict[str, Any]:
    found = Article.objects.filter(pk=article_id).first()
    if found is None:
        raise NotFound(f"No article {article_id}")
    data = provided(payload)
    require_not_null(data, ("title", "body"))
    if "category" in data:
        data["category"] = data["category"] or ""
    return article_out(actions.update_article(actor=request.user, article=found,
                                              version=payload.version, changes=data))


@router.get("/support/service-levels", response=list[LevelOut],
            summary="Response and resolution targets per priority, in working minutes")
@office_operation("authenticated")
def levels(request: AuthedRequest) -> list[dict[str, Any]]:
    return [{k: row[k] for k in ("priority", "version", "response_minutes",
                                 "resolution_minutes")} for row in queries.service_levels()]


@router.patch("/support/service-levels/{priority}", response=LevelOut,
              summary="Set a priority's targets")
@object_operation(actions.CONFIGURE)
def set_level(request: AuthedRequest, priority: Priority,
              payload: ServiceLevelIn) -> dict[str, Any]:
    level = actions.set_service_level(actor=request.user, priority=priority,
                                      version=payload.version,
                                      response_minutes=payload.response_minutes,
                                      resolution_minutes=payload.resolution_minutes)
    return {"priority": level.priority, "version": level.version,
            "response_minutes": level.response_minutes,
            "resolution_minutes": level.resolution_minutes}
