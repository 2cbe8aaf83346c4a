"""The enquiry log: calls, e-mails and visits about a project, on the register kernel.

Routing an enquiry is making someone its owner; the kernel tells them in the app and by
e-mail. An enquiry is answered once its response is written, then closed."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Enquiry

ENQUIRY_WORKFLOW = Workflow(
    initial="open",
    states=(
        State("open", "Open", tone="info"),
        State("answered", "Answered", tone="success"),
        State("closed", "Closed", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("answer", "Mark answered", ("open",), "answered", "enquiry.change"),
        Transition("close", "Close", ("open", "answered"), "closed", "enquiry.close",
                   needs_comment=True),
        Transition("reopen", "Reopen", ("answered", "closed"), "open", "enquiry.transition",
                   needs_comment=True),
    ),
)


def enquiry_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """An enquiry is answered only once the response given is recorded."""
    if move.key == "answer" and not getattr(item, "response", "").strip():
        raise InvalidInput.field("response", "write the response given before marking the "
                                             "enquiry answered")


ENQUIRIES = register(RegisterSpec(
    key="enquiries", model=Enquiry, prefix="ENQ", area="enquiry", label="Enquiries",
    item_label="Enquiry", workflow=ENQUIRY_WORKFLOW,
    fields=("contact", "caller", "channel", "received_at", "response"),
    list_columns=("channel", "received_at"),
    filters=("channel",),
    transition_guard=enquiry_guard,
    detail_extra_template="people/enquiry_contact.html",
    description="Calls, e-mails and visits about the project, routed to an owner who "
                "answers them.",
    icon="phone",
))
