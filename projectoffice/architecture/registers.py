"""Decision records, components and technology standards on the register kernel, and the
"Architecture" service that groups them with the component diagram."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Component, DecisionRecord, Standard

ADR_WORKFLOW = Workflow(
    initial="proposed",
    states=(
        State("proposed", "Proposed", tone="info"),
        State("accepted", "Accepted", tone="success"),
        State("rejected", "Rejected", closed=True, tone="danger"),
        State("superseded", "Superseded", closed=True, tone="muted"),
        State("deprecated", "Deprecated", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("accept", "Accept", ("proposed",), "accepted", "adr.transition"),
        Transition("reject", "Reject", ("proposed",), "rejected", "adr.transition",
                   needs_comment=True),
        Transition("supersede", "Superseded", ("accepted",), "superseded", "adr.transition"),
        Transition("deprecate", "Deprecate", ("accepted",), "deprecated", "adr.close",
                   needs_comment=True),
    ),
)


def adr_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    if move.key == "supersede" and isinstance(item, DecisionRecord) \
            and item.superseded_by_id is None:
        raise InvalidInput.field("by", "name the decision record that supersedes it "
                                 "(“Record the supersession” on its page)")


DECISION_RECORDS = register(RegisterSpec(
    key="adrs", model=DecisionRecord, prefix="ADR", area="adr",
    label="Architecture decisions", item_label="Decision record", workflow=ADR_WORKFLOW,
    fields=("context", "options", "decision", "consequences"),
    read_only_states=("rejected", "superseded", "deprecated"),
    transition_guard=adr_guard,
    detail_main_template="architecture/_adr_panel.html",
    description="Architecture decision records: the context, the options considered, the "
                "decision and its consequences; proposed, accepted, superseded by a later one.",
    icon="decision",
    service="architecture",
))

COMPONENT_WORKFLOW = Workflow(
    initial="planned",
    states=(
        State("planned", "Planned", tone="muted"),
        State("building", "In development", tone="progress"),
        State("live", "Live", tone="success"),
        State("retiring", "Retiring", tone="warning"),
        State("retired", "Retired", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("build", "Start development", ("planned",), "building",
                   "component.transition"),
        Transition("go_live", "Go live", ("planned", "building"), "live",
                   "component.transition"),
        Transition("phase_out", "Phase out", ("live",), "retiring", "component.transition",
                   needs_comment=True),
        Transition("retire", "Retire", ("planned", "building", "live", "retiring"), "retired",
                   "component.close", needs_comment=True),
    ),
)

COMPONENTS = register(RegisterSpec(
    key="components", model=Component, prefix="CMP", area="component",
    label="Solution components", item_label="Component", workflow=COMPONENT_WORKFLOW,
    fields=("component_type", "technology", "version_label", "hosting"),
    list_columns=("component_type", "technology"),
    filters=("component_type",),
    read_only_states=("retired",),
    detail_main_template="architecture/_component_panel.html",
    description="Applications, services, interfaces, data stores and infrastructure: owner, "
                "technology and lifecycle, with the interfaces between them.",
    icon="box",
    service="architecture",
))

STANDARD_WORKFLOW = Workflow(
    initial="proposed",
    states=(
        State("proposed", "Proposed", tone="info"),
        State("approved", "Approved", tone="success"),
        State("tolerated", "Tolerated", tone="warning"),
        State("retiring", "Retiring", tone="danger"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("approve", "Approve", ("proposed", "tolerated", "retiring"), "approved",
                   "standard.transition"),
        Transition("tolerate", "Tolerate", ("proposed", "approved"), "tolerated",
                   "standard.transition", needs_comment=True),
        Transition("phase_out", "Retire", ("approved", "tolerated"), "retiring",
                   "standard.transition", needs_comment=True),
        Transition("withdraw", "Withdraw", ("proposed", "approved", "tolerated", "retiring"),
                   "withdrawn", "standard.close", needs_comment=True),
    ),
)

STANDARDS = register(RegisterSpec(
    key="standards", model=Standard, prefix="STD", area="standard",
    label="Technology standards", item_label="Standard", workflow=STANDARD_WORKFLOW,
    fields=("category", "technology", "rationale", "review_on"),
    list_columns=("category", "technology", "review_on"),
    filters=("category",),
    description="The technologies the project approves, tolerates or is retiring.",
    icon="list",
    service="architecture",
))

ARCHITECTURE = register_service(Service(
    key="architecture", label="Architecture", order=70,
    description="Solutions and technology architecture: decision records, the solution's "
                "components and their interfaces, technology standards.",
    pages=(ServicePage("Component diagram", "component-diagram", "component.view",
                       "The components in layers with the interfaces between them"),),
))
