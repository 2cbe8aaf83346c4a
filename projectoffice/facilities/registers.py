"""The requests register, declared on the kernel: numbering, pages, API, exports and history
come from the declaration; the requester hears of each decision."""

from __future__ import annotations

from typing import Any

from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind, RegisterItem
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import FacilityRequest

REQUEST_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="muted"),
        State("submitted", "Submitted", tone="info"),
        State("approved", "Approved", tone="progress"),
        State("rejected", "Rejected", closed=True, tone="danger"),
        State("fulfilled", "Fulfilled", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("submit", "Submit for approval", ("draft",), "submitted", "request.add"),
        Transition("approve", "Approve", ("submitted",), "approved", "request.transition"),
        Transition("reject", "Reject", ("submitted",), "rejected", "request.transition",
                   needs_comment=True),
        Transition("fulfil", "Mark fulfilled", ("approved",), "fulfilled", "request.close"),
        Transition("cancel", "Cancel", ("draft", "submitted", "approved"), "cancelled",
                   "request.change", needs_comment=True),
    ),
)

DECISIONS = {"approve": "approved", "reject": "rejected", "fulfil": "fulfilled"}


def tell_requester(actor: Any, item: RegisterItem, move: Transition, comment: str) -> None:
    """The requester (or whoever raised the request) hears when it is decided or
    fulfilled, in the app and by e-mail as they prefer."""
    if move.key not in DECISIONS:
        return
    person = getattr(item, "requested_by", None) or item.created_by
    why = f" — {comment}" if comment else ""
    notify(recipient=person, item=item, kind=NotificationKind.REQUEST, actor=actor,
           message=f"{actor} {DECISIONS[move.key]} {item.reference}: {item.title}{why}")


REQUESTS = register(RegisterSpec(
    key="requests", model=FacilityRequest, prefix="REQ", area="request",
    label="Requests", item_label="Request", workflow=REQUEST_WORKFLOW,
    fields=("request_type", "quantity", "unit", "needed_by", "cost_estimate", "requested_by",
            "fulfilment"),
    list_columns=("request_type", "quantity", "needed_by", "cost_estimate", "requested_by"),
    filters=("request_type",),
    read_only_states=("rejected", "fulfilled", "cancelled"),
    notify_fields=("owner", "requested_by"),
    after_transition=tell_requester,
    description="Requests for facilities, services and materials: submitted, approved or "
                "rejected, then fulfilled.",
    icon="box",
))
