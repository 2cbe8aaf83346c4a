"""The document register, declared on the kernel: numbering, pages, API, exports and
history come from the declaration; versions and reviews live in actions.py."""

from __future__ import annotations

from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Document

DOCUMENT_WORKFLOW = Workflow(
    initial="active",
    states=(
        State("active", "Active", tone="info"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("withdraw", "Withdraw", ("active",), "withdrawn", "document.close",
                   needs_comment=True),
        Transition("reinstate", "Reinstate", ("withdrawn",), "active", "document.transition",
                   needs_comment=True),
    ),
)

DOCUMENTS = register(RegisterSpec(
    key="documents", model=Document, prefix="DOC", area="document", label="Documents",
    item_label="Document", workflow=DOCUMENT_WORKFLOW,
    fields=("doc_type",),
    list_columns=("code", "doc_type", "review_state"),
    filters=("doc_type", "review_state"),
    detail_extra_template="documents/document_panel.html",
    list_buttons_template="documents/list_buttons.html",
    description="Controlled documents with versions, review and approval, and "
                "distribution.",
    icon="file",
))
