"""Org units and positions of the current and the future organisation, declared on the
kernel, and the Organisation design service with its org charts page."""

from __future__ import annotations

from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import OrgUnit, Position

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
    fields=("design", "unit", "grade", "fte", "reports_to", "holder", "future_position",
            "impact", "skills"),
    list_columns=("design", "unit", "grade", "fte", "reports_to", "holder"),
    list_related=("unit", "reports_to"),
    filters=("design",),
    description="Roles of the current and the future organisation: grade, FTE, reporting "
                "line, who holds them and where they move to.",
    icon="users", service=SERVICE_KEY,
))
