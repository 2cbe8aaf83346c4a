"""The security controls register on the kernel (its CSV/XLSX import takes a control
catalogue: ID, Title, Description, Catalogue columns), in the "Security" service."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.services import Service, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import SecurityControl, TestResult

CONTROL_WORKFLOW = Workflow(
    initial="identified",
    states=(
        State("identified", "Identified", tone="info"),
        State("implementing", "Implementing", tone="progress"),
        State("implemented", "Implemented", tone="warning"),
        State("verified", "Verified", tone="success"),
        State("not_applicable", "Not applicable", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start implementing", ("identified",), "implementing",
                   "control.transition"),
        Transition("implement", "Implemented", ("identified", "implementing"), "implemented",
                   "control.transition"),
        Transition("verify", "Verified", ("implemented",), "verified", "control.transition"),
        Transition("reopen", "Reopen", ("implemented", "verified"), "implementing",
                   "control.transition", needs_comment=True),
        Transition("exclude", "Not applicable", ("identified", "implementing"),
                   "not_applicable", "control.close", needs_comment=True),
        Transition("include", "Applicable after all", ("not_applicable",), "identified",
                   "control.close", needs_comment=True),
    ),
)


def control_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """Implemented needs its evidence; verified needs a passed test."""
    if not isinstance(item, SecurityControl):
        return
    if move.key == "implement" and not item.evidence.strip():
        raise InvalidInput.field("evidence", "record the evidence that the control is in place "
                                 "before marking it implemented")
    if move.key == "verify" and item.test_result != TestResult.PASSED:
        raise InvalidInput.field("test_result", "record a passed test before verifying")


SECURITY_CONTROLS = register(RegisterSpec(
    key="security-controls", model=SecurityControl, prefix="SEC", area="control",
    label="Security controls", item_label="Security control", workflow=CONTROL_WORKFLOW,
    fields=("control_id", "catalogue", "justification", "evidence", "test_result",
            "tested_on"),
    list_columns=("control_id", "test_result", "tested_on"),
    filters=("test_result",),
    transition_guard=control_guard,
    description="The security requirements and controls that apply to the project — import "
                "a catalogue (ISO 27001 Annex A, OWASP ASVS) as CSV or XLSX with ID, Title "
                "and Description columns — with owner, implementation, evidence and tests.",
    icon="shield",
    service="security",
))

SECURITY = register_service(Service(
    key="security", label="Security", order=80,
    description="Information security: the controls that apply to the project, their "
                "implementation, evidence and test results.",
))
