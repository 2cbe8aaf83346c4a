"""Org units and positions of the current and the future organisation, declared on the
kernel, and the Organisation design service with its org charts page."""

from __future__ import annotations

from typing import Any

from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind, RegisterItem
from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import OrgUnit, Position, StaffingRequest

UNIT_WORKFLOW = Workflow(
    initial="active",
    states=(
        State("active", "In the design", tone="progress"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("withdraw", "Withdraw", ("active",), "withdrawn", "orgunit.close",
                   needs_comment=True),
        Transition("reinstate", "Reinstate", ("withdrawn",), "active", "orgunit.transition"),
    ),
)

POSITION_WORKFLOW = Workflow(
    initial="proposed",
    states=(
        State("proposed", "Proposed", tone="info"),
        State("approved", "Approved", tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("approve", "Approve", ("proposed",), "approved", "position.transition"),
        Transition("withdraw", "Withdraw", ("proposed", "approved"), "withdrawn",
                   "position.close", needs_comment=True),
        Transition("reopen", "Reopen", ("withdrawn",), "proposed", "position.transition"),
    ),
)

SERVICE_KEY = "orgdesign"

register_service(Service(
    key=SERVICE_KEY, label="Organisation design", order=43,
    description="The current and the future organisation — units, positions and reporting "
                "lines — drawn side by side, with what changes and who has no future role.",
    pages=(
        ServicePage("Org charts", "orgdesign-charts", "position.view",
                    "Current and future org charts and the differences between them"),
        ServicePage("Skills gaps", "orgdesign-skills", "position.view",
                    "The skills each position needs against those its holder has, by "
                    "group, proposing the training needs that close them"),
    ),
))

UNITS = register(RegisterSpec(
    key="org-units", model=OrgUnit, prefix="ORG", area="orgunit",
    label="Org units", item_label="Org unit", workflow=UNIT_WORKFLOW,
    fields=("design", "parent"),
    list_columns=("design", "parent"),
    list_related=("parent",),
    filters=("design",),
    description="Departments, teams and sites of the current and the future organisation, "
                "as a tree.",
    icon="layers", service=SERVICE_KEY,
))

POSITIONS = register(RegisterSpec(
    key="positions", model=Position, prefix="POS", area="position",
    label="Positions", item_label="Position", workflow=POSITION_WORKFLOW,
    fields=("design", "unit", "grade", "fte", "reports_to", "holder", "person",
            "future_position", "impact", "job_description"),
    list_columns=("design", "unit", "grade", "fte", "reports_to", "holder"),
    list_related=("unit", "reports_to"),
    filters=("design",),
    detail_main_template="orgdesign/position_panel.html",
    description="Roles of the current and the future organisation: grade, FTE, reporting "
                "line, who holds them, where they move to, their job description and the "
                "skills they need.",
    icon="users", service=SERVICE_KEY,
))

STAFFING_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="info"),
        State("submitted", "Submitted", tone="progress"),
        State("approved", "Approved", tone="success"),
        State("rejected", "Rejected", closed=True, tone="danger"),
        State("done", "Done", closed=True, tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("submit", "Submit for approval", ("draft",), "submitted",
                   "staffingrequest.transition"),
        Transition("approve", "Approve", ("submitted",), "approved",
                   "staffingrequest.approve"),
        Transition("reject", "Reject", ("submitted",), "rejected", "staffingrequest.approve",
                   needs_comment=True),
        Transition("redraft", "Back to draft", ("submitted",), "draft",
                   "staffingrequest.transition", needs_comment=True),
        Transition("complete", "Mark done", ("approved",), "done", "staffingrequest.close"),
        Transition("withdraw", "Withdraw", ("draft", "submitted", "approved"), "withdrawn",
                   "staffingrequest.close", needs_comment=True),
    ),
)


def tell_staffing_people(actor: Any, item: RegisterItem, move: Transition,
                         comment: str) -> None:
    """A submitted request goes to the project's manager to decide; the decision goes back
    to whoever raised it and to its owner."""
    assert isinstance(item, StaffingRequest)
    what = f"{item.reference} ({item.get_kind_display().lower()}, {item.position.title})"
    if move.key == "submit":
        notify(recipient=item.project.manager, item=item, kind=NotificationKind.REQUEST,
               actor=actor, message=f"{actor} asks you to decide staffing request {what}")
    elif move.key in ("approve", "reject", "redraft"):
        verb = {"approve": "approved", "reject": "rejected",
                "redraft": "sent back"}[move.key]
        told = {u.pk: u for u in (item.created_by, item.owner) if u is not None}
        for user in told.values():
            notify(recipient=user, item=item, kind=NotificationKind.REQUEST, actor=actor,
                   message=f"{actor} {verb} staffing request {what}"
                           + (f": {comment[:150]}" if comment else ""))


STAFFING = register(RegisterSpec(
    key="staffing-requests", model=StaffingRequest, prefix="STF", area="staffingrequest",
    label="Staffing requests", item_label="Staffing request", workflow=STAFFING_WORKFLOW,
    fields=("kind", "position", "person", "starts_on", "ends_on", "reason", "cost"),
    list_columns=("kind", "position", "person", "starts_on", "cost"),
    list_related=("position",),
    filters=("kind",),
    read_only_states=("approved", "rejected", "done", "withdrawn"),
    after_transition=tell_staffing_people,
    # The cost is a money figure: read and set by those who see costs (the project's
    # manager, the finance roles and the Project Office).
    guarded=(("cost", "cost.view"),),
    description="Recruit, redeploy or release people for positions, with dates, reason "
                "and cost, approved by the project's manager or the Project Office.",
    icon="users", service=SERVICE_KEY,
))
