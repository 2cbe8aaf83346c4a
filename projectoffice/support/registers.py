"""The asset register and the support desk's tickets, declared on the kernel, and the
"Support" service that groups them in a project's navigation."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.portfolio.access import has_perm
from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind, RegisterItem
from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Asset, Ticket

HANDLE = "support.handle"

ASSET_WORKFLOW = Workflow(
    initial="in_service",
    states=(
        State("ordered", "Ordered", tone="muted"),
        State("in_service", "In service", tone="success"),
        State("in_repair", "In repair", tone="warning"),
        State("retired", "Retired", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("receive", "Received", ("ordered",), "in_service", "asset.transition"),
        Transition("repair", "Send for repair", ("in_service",), "in_repair",
                   "asset.transition", needs_comment=True),
        Transition("restore", "Back in service", ("in_repair",), "in_service",
                   "asset.transition"),
        Transition("retire", "Retire", ("ordered", "in_service", "in_repair"), "retired",
                   "asset.close", needs_comment=True),
    ),
)


def asset_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    if move.key == "retire" and isinstance(item, Asset) \
            and item.checkouts.filter(returned_on__isnull=True).exists():
        raise InvalidInput.field("transition", f"{item.reference} is still held: have it "
                                 "returned before it is retired")


ASSETS = register(RegisterSpec(
    key="assets", model=Asset, prefix="AST", area="asset",
    label="Assets", item_label="Asset", workflow=ASSET_WORKFLOW,
    fields=("asset_type", "asset_tag", "vendor", "location", "seats", "expires_on"),
    list_columns=("asset_type", "vendor", "seats", "expires_on"),
    filters=("asset_type",),
    read_only_states=("retired",),
    transition_guard=asset_guard,
    detail_main_template="support/_asset_panel.html",
    description="Hardware, software licences with their seats and expiry, and environments: "
                "who holds each, checked out and returned.",
    icon="box",
    service="support",
))

TICKET_WORKFLOW = Workflow(
    initial="new",
    states=(
        State("new", "New", tone="info"),
        State("in_progress", "In progress", tone="progress"),
        State("waiting", "Waiting for requester", tone="warning"),
        State("resolved", "Resolved", tone="success"),
        State("closed", "Closed", closed=True, tone="success"),
        State("cancelled", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start work", ("new",), "in_progress", "ticket.transition"),
        Transition("wait", "Ask the requester", ("in_progress",), "waiting",
                   "ticket.transition", needs_comment=True),
        Transition("resume", "Resume", ("waiting",), "in_progress", "ticket.transition"),
        Transition("resolve", "Resolve", ("new", "in_progress", "waiting"), "resolved",
                   "ticket.transition", needs_comment=True),
        Transition("reopen", "Reopen", ("resolved",), "in_progress", "ticket.add",
                   needs_comment=True),
        Transition("close", "Close", ("resolved",), "closed", "ticket.add"),
        Transition("withdraw", "Withdraw", ("new", "in_progress", "waiting"), "cancelled",
                   "ticket.add", needs_comment=True),
    ),
)

# Moves the requester makes on their own ticket (the support team may make them too).
REQUESTER_MOVES = ("reopen", "close", "withdraw")


def is_handler(user: Any, item: RegisterItem) -> bool:
    return has_perm(user, item.project, HANDLE)


def ticket_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    if move.key not in REQUESTER_MOVES or is_handler(actor, item):
        return
    if actor != item.created_by:
        raise Forbidden(f"Only the requester or the support team may "
                        f"{move.label.lower()} {item.reference}")
    if move.key == "close" and isinstance(item, Ticket) and item.satisfaction is None:
        raise InvalidInput.field("satisfaction", "rate the help you had (1 to 5) to close "
                                 "the ticket")


def after_ticket_move(actor: Any, item: RegisterItem, move: Transition, comment: str) -> None:
    """Resolution stops the resolution clock (a reopen starts it again); the requester
    hears of each move the support team makes, the team of each move the requester makes."""
    assert isinstance(item, Ticket)
    resolved_at = timezone.now() if move.target == "resolved" else (
        None if move.key == "reopen" else item.resolved_at)
    if resolved_at != item.resolved_at:
        Ticket.objects.filter(pk=item.pk).update(resolved_at=resolved_at)
        item.resolved_at = resolved_at
    why = f" — {comment}" if comment else ""
    message = f"{actor} moved {item.reference} to {item.state.label.lower()}: {item.title}{why}"
    if actor != item.created_by:
        notify(recipient=item.created_by, item=item, kind=NotificationKind.REQUEST,
               actor=actor, message=message)
    elif item.owner is not None and item.owner != actor:
        notify(recipient=item.owner, item=item, kind=NotificationKind.REQUEST, actor=actor,
               message=message)


TICKETS = register(RegisterSpec(
    key="tickets", model=Ticket, prefix="TKT", area="ticket",
    label="Support tickets", item_label="Ticket", workflow=TICKET_WORKFLOW,
    fields=("category", "asset", "resolution"),
    list_columns=("category", "asset"),
    filters=("category",),
    read_only_states=("closed", "cancelled"),
    transition_guard=ticket_guard,
    after_transition=after_ticket_move,
    detail_main_template="support/_ticket_panel.html",
    detail_extra_template="support/_ticket_side.html",
    description="Requests for help from the project's people: answered by the support team "
                "within the service level of their priority, closed with a rating.",
    icon="help",
    service="support",
    # A ticket may speak of a person's own account or equipment: it is read by its
    # requester, the support team and the project's managers, not by every member.
    restricted_to="ticket.oversee",
))

SUPPORT = register_service(Service(
    key="support", label="Support", order=60,
    description="Technical support: the project's assets and licences, and its support "
                "tickets answered within service levels.",
    pages=(ServicePage("Support desk", "support-desk-project", "ticket.view",
                       "Open tickets with their service-level clocks"),),
))
