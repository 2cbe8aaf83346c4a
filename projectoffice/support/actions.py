"""Every write of the support desk and the asset register. Items themselves are created,
edited and moved by the register kernel's actions; these add what the kernel does not
know: raising a ticket routed to the support team, internal notes, closing with a rating,
articles, service-level targets, check-outs and the clocks' and licences' alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import apply_changes, check_version, lock_for_update, validate
from projectoffice.engine import service_levels as sl
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import has_perm, require_global
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import NotificationKind, Priority

from . import queries
from .models import Article, Asset, AssetCheckout, AssetType, ServiceLevel, Ticket, TicketNote
from .registers import HANDLE, TICKETS

CONFIGURE = "support.configure"
# Owners hear of a licence or warranty ending this many days ahead.
EXPIRY_NOTICE_DAYS = 30


def _require(actor: User, project: Project, perm: str) -> None:
    if not has_perm(actor, project, "project.view"):
        raise NotFound(f"No project {project.code!r}")
    if not has_perm(actor, project, perm):
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def support_team(project: Project) -> list[User]:
    """Who answers the project's tickets: its members holding support.handle, else the
    office's staff who hold it everywhere."""
    members = User.objects.filter(memberships__project=project, is_active=True).distinct()
    team = [u for u in members if has_perm(u, project, HANDLE)
            and not (u.global_role or u.is_superuser)]
    if team:
        return team
    office = User.objects.filter(is_active=True, global_role__in=("pmo_staff",))
    return [u for u in office if has_perm(u, project, HANDLE)]


@transaction.atomic
def raise_ticket(*, actor: User, project: Project, data: dict[str, Any],
                 today: dt.date | None = None) -> Ticket:
    """A member raises a ticket; the support team (or the person it is assigned to) hears
    of it at once."""
    ticket = kernel.create_item(actor=actor, spec=TICKETS, project=project, data=data,
                                today=today)
    assert isinstance(ticket, Ticket)
    recipients = [ticket.owner] if ticket.owner is not None else support_team(project)
    for person in recipients:
        kernel.notify(recipient=person, item=ticket, kind=NotificationKind.ASSIGNED,
                      actor=actor, message=f"New {ticket.get_priority_display().lower()} "
                      f"ticket {ticket.reference} from {actor}: {ticket.title}")
    return ticket


@transaction.atomic
def reply_to_ticket(*, actor: User, ticket: Ticket, body: str, internal: bool = False
                    ) -> Any:
    """A reply the requester reads (a comment on the ticket, which stops the response
    clock when the support team gives it), or an internal note of the support team."""
    if internal:
        return add_ticket_note(actor=actor, ticket=ticket, body=body)
    comment = kernel.add_comment(actor=actor, item=ticket, body=body)
    if actor != ticket.created_by:
        kernel.notify(recipient=ticket.created_by, item=ticket, kind=NotificationKind.REQUEST,
                      actor=actor, message=f"{actor} replied on {ticket.reference}: "
                      f"{body.strip()[:200]}")
    elif ticket.owner is not None:
        kernel.notify(recipient=ticket.owner, item=ticket, kind=NotificationKind.REQUEST,
                      actor=actor, message=f"{actor} replied on {ticket.reference}: "
                      f"{body.strip()[:200]}")
    return comment


@transaction.atomic
def add_ticket_note(*, actor: User, ticket: Ticket, body: str) -> TicketNote:
    _require(actor, ticket.project, HANDLE)
    body = body.strip()
    if not body:
        raise InvalidInput.field("body", "is empty")
    if len(body) > 10000:
        raise InvalidInput.field("body", "is longer than 10000 characters")
    note = TicketNote.objects.create(ticket=ticket, author=actor, body=body)
    # The trail says a note was made, not what it says: the trail is read more widely.
    record_change(actor=actor, obj=ticket, verb="noted", changes={"internal note": [None,
                                                                                    "added"]})
    return note


@transaction.atomic
def close_ticket(*, actor: User, ticket: Ticket, version: int | None, rating: int,
                 comment: str = "", today: dt.date | None = None) -> Ticket:
    """The requester closes their resolved ticket with a satisfaction rating (1–5)."""
    _require(actor, ticket.project, "ticket.add")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput.field("rating", "give a rating from 1 to 5")
    comment = comment.strip()
    if len(comment) > 2000:
        raise InvalidInput.field("comment", "is longer than 2000 characters")
    locked = lock_for_update(Ticket, ticket.pk)
    check_version(locked, version)
    if actor != locked.created_by:
        raise Forbidden(f"Only the requester rates {locked.reference}")
    if locked.status != "resolved":
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}; only a resolved "
                       "ticket is closed with a rating", {"rating": ["not resolved yet"]})
    Ticket.objects.filter(pk=locked.pk).update(satisfaction=rating,
                                               satisfaction_comment=comment)
    locked.satisfaction = rating
    locked.satisfaction_comment = comment
    record_change(actor=actor, obj=locked, verb="rated",
                  changes={"satisfaction": [None, rating],
                           **({"satisfaction comment": [None, comment]} if comment else {})})
    closed = kernel.transition_item(actor=actor, item=locked, transition="close",
                                    version=locked.version, comment=comment, today=today)
    assert isinstance(closed, Ticket)
    return closed


@transaction.atomic
def link_article(*, actor: User, ticket: Ticket, article: Article) -> Ticket:
    _require(actor, ticket.project, HANDLE)
    if ticket.articles.filter(pk=article.pk).exists():
        raise InvalidInput.field("article", f"“{article.title}” is linked already")
    ticket.articles.add(article)
    record_change(actor=actor, obj=ticket, verb="linked",
                  changes={"article": [None, article.title]})
    return ticket


def _require_support_person(actor: User) -> None:
    if not queries.is_support_person(actor):
        raise Forbidden("Only the support team keeps the knowledge base")


ARTICLE_FIELDS = ("title", "category", "body")


@transaction.atomic
def create_article(*, actor: User, title: str, body: str, category: str = "") -> Article:
    _require_support_person(actor)
    article = Article(title=title.strip(), body=body.strip(), category=category, author=actor)
    validate(article)
    article.save()
    record_creation(actor=actor, obj=article, fields=ARTICLE_FIELDS)
    return article


@transaction.atomic
def update_article(*, actor: User, article: Article, version: int | None,
                   changes: dict[str, Any]) -> Article:
    _require_support_person(actor)
    return apply_changes(actor=actor, obj=article, expected_version=version,
                         changes={k: (v.strip() if isinstance(v, str) else v)
                                  for k, v in changes.items()}, editable=ARTICLE_FIELDS)


@transaction.atomic
def set_service_level(*, actor: User, priority: str, version: int | None,
                      response_minutes: int, resolution_minutes: int) -> ServiceLevel:
    """Sets the targets of one priority. ``version`` 0 (or None) for a priority still on
    the office's defaults."""
    require_global(actor, CONFIGURE)
    if priority not in Priority.values:
        raise InvalidInput.field("priority", f"use one of {', '.join(Priority.values)}")
    level = ServiceLevel.objects.filter(priority=priority).first()
    values = {"response_minutes": response_minutes, "resolution_minutes": resolution_minutes}
    if level is None:
        if version not in (None, 0):
            raise Conflict("These targets were changed by someone else; reload the page",
                           {"version": ["stale"]})
        level = ServiceLevel(priority=priority, **values)
        validate(level)
        level.save()
        record_creation(actor=actor, obj=level, fields=("priority", *values))
        return level
    return apply_changes(actor=actor, obj=level, expected_version=version, changes=values,
                         editable=tuple(values))


# --- assets ------------------------------------------------------------------------------

@transaction.atomic
def check_out_asset(*, actor: User, asset: Asset, holder: User, today: dt.date,
                    due_back: dt.date | None = None, note: str = "") -> AssetCheckout:
    """Gives one seat of an asset to a member of its project. Refused beyond its seats,
    to someone holding it already, or while it is not in service."""
    _require(actor, asset.project, "asset.change")
    locked = lock_for_update(Asset, asset.pk)
    if locked.status != "in_service":
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}; only an asset in "
                       "service is checked out", {"holder": ["not in service"]})
    if not has_perm(holder, locked.project, "project.view"):
        raise InvalidInput.field("holder", f"{holder.username} is not a member of "
                                 f"{locked.project.code}")
    held = list(queries.open_checkouts(locked))
    if any(c.holder_id == holder.pk for c in held):
        raise InvalidInput.field("holder", f"{holder} holds {locked.reference} already")
    if len(held) >= locked.seats:
        noun = "seat" if locked.seats == 1 else "seats"
        raise InvalidInput.field("holder", f"all {locked.seats} {noun} of {locked.reference} "
                                 "are taken: have one returned first")
    if due_back is not None and due_back < today:
        raise InvalidInput.field("due_back", "must be on or after the day it is checked out")
    if len(note) > 300:
        raise InvalidInput.field("note", "is longer than 300 characters")
    checkout = AssetCheckout.objects.create(asset=locked, holder=holder, checked_out_on=today,
                                            due_back=due_back, checked_out_by=actor,
                                            note=note.strip())
    record_change(actor=actor, obj=locked, verb="checked out",
                  changes={"holder": [None, holder.username]})
    kernel.notify(recipient=holder, item=locked, kind=NotificationKind.ASSIGNED, actor=actor,
                  message=f"{actor} checked {locked.reference} out to you: {locked.title}")
    if locked.seats > 1 and len(held) + 1 >= locked.seats:
        kernel.notify(recipient=locked.owner, item=locked, kind=NotificationKind.DUE,
                      actor=actor, message=f"Every seat of {locked.reference} is now taken "
                      f"({locked.seats} of {locked.seats}): {locked.title}")
    return checkout


@transaction.atomic
def return_asset(*, actor: User, checkout: AssetCheckout, today: dt.date) -> AssetCheckout:
    asset = checkout.asset
    _require(actor, asset.project, "asset.change")
    locked = lock_for_update(AssetCheckout, checkout.pk)
    if locked.returned_on is not None:
        raise Conflict(f"{asset.reference} was returned by {locked.holder} already",
                       {"checkout": ["returned already"]})
    locked.returned_on = max(today, locked.checked_out_on)
    locked.save(update_fields=["returned_on"])
    record_change(actor=actor, obj=asset, verb="returned",
                  changes={"holder": [locked.holder.username, None]})
    return locked


# --- alerts --------------------------------------------------------------------------------

@transaction.atomic
def check_service_levels(*, now: dt.datetime) -> dict[str, int]:
    """Tells the ticket's owner (or the support team) before a clock runs out, and flags
    and tells of a breach: each once per ticket and clock. Run every few minutes
    (`pmo support-check`). Returns how many warnings and breaches were found."""
    found = {"warnings": 0, "breaches": 0}
    calendars = queries.Calendars()
    levels = queries.targets()
    open_tickets = Ticket.objects.filter(
        status__in=("new", "in_progress", "waiting")).select_related("project", "owner")
    for ticket in open_tickets:
        both = queries.clocks(ticket, now=now, calendars=calendars, levels=levels)
        team: list[User] | None = None
        for name, clock in (("response", both.response), ("resolution", both.resolution)):
            warned, breached = f"{name}_warned", f"{name}_breached"
            if clock.state == sl.BREACHED and not getattr(ticket, breached):
                kind, verb, flag = NotificationKind.OVERDUE, "breached", breached
                found["breaches"] += 1
            elif clock.state == sl.AT_RISK and not getattr(ticket, warned) \
                    and not getattr(ticket, breached):
                kind, verb, flag = NotificationKind.DUE, "at risk", warned
                found["warnings"] += 1
            else:
                continue
            Ticket.objects.filter(pk=ticket.pk).update(**{flag: True})
            setattr(ticket, flag, True)
            due = timezone.localtime(queries.aware(clock.due))
            record_change(actor=None, obj=ticket, verb=f"{name} target {verb}",
                          changes={f"{name} due": [None, f"{due:%Y-%m-%d %H:%M}"]})
            if team is None:
                team = [ticket.owner] if ticket.owner else support_team(ticket.project)
            for person in team:
                kernel.notify(recipient=person, item=ticket, kind=kind,
                              message=f"{ticket.reference} {name} target {verb} "
                              f"(due {due:%d %b %H:%M}): {ticket.title}")
    return found


@transaction.atomic
def alert_assets(*, today: dt.date, notice_days: int = EXPIRY_NOTICE_DAYS) -> int:
    """Tells each owner of an asset ending within ``notice_days`` (and again once ended),
    once per stage. Returns how many were told."""
    made = 0
    ending = Asset.objects.filter(
        expires_on__isnull=False, expires_on__lte=today + dt.timedelta(days=notice_days),
        owner__isnull=False).exclude(status="retired").select_related("project", "owner")
    for asset in ending:
        assert asset.expires_on is not None
        expired = asset.expires_on < today
        already = asset.expiry_warned_on is not None and (
            not expired or asset.expiry_warned_on > asset.expires_on)
        if already:
            continue
        noun = "licence" if asset.asset_type == AssetType.LICENCE else "asset"
        when = (f"ended on {asset.expires_on:%d %b %Y}" if expired
                else f"ends on {asset.expires_on:%d %b %Y}")
        if kernel.notify(recipient=asset.owner, item=asset,
                         kind=NotificationKind.OVERDUE if expired else NotificationKind.DUE,
                         message=f"The {noun} {asset.reference} {when}: {asset.title}"):
            made += 1
        Asset.objects.filter(pk=asset.pk).update(expiry_warned_on=today)
    return made
