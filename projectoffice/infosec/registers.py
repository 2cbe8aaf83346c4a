"""The security controls register on the kernel (its CSV/XLSX import takes a control
catalogue: ID, Title, Description, Catalogue columns), in the "Security" service."""

from __future__ import annotations

from typing import Any

from projectoffice.accounts.models import User
from projectoffice.accounts.roles import GlobalRole, ProjectRole
from projectoffice.errors import InvalidInput
from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind, RegisterItem
from projectoffice.registers.services import Service, register_service
from projectoffice.registers.spec import RegisterSpec, register, when_created
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import AccessReview, LineDecision, SecurityControl, SecurityIncident, TestResult

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

INCIDENT_WORKFLOW = Workflow(
    initial="reported",
    states=(
        State("reported", "Reported", tone="info"),
        State("investigating", "Investigating", tone="progress"),
        State("contained", "Contained", tone="warning"),
        State("resolved", "Resolved", closed=True, tone="success"),
        State("dismissed", "Not an incident", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("investigate", "Investigate", ("reported",), "investigating",
                   "incident.transition"),
        Transition("contain", "Contained", ("reported", "investigating"), "contained",
                   "incident.transition"),
        Transition("resolve", "Resolve", ("investigating", "contained"), "resolved",
                   "incident.close"),
        Transition("dismiss", "Not an incident", ("reported", "investigating"), "dismissed",
                   "incident.close", needs_comment=True),
        Transition("reopen", "Reopen", ("resolved", "dismissed"), "investigating",
                   "incident.close", needs_comment=True),
    ),
)


def incident_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """Contained needs what was done; resolved needs the resolution and the lessons."""
    if not isinstance(item, SecurityIncident):
        return
    if move.key == "contain" and not item.containment.strip():
        raise InvalidInput.field("containment", "record how the incident was contained")
    if move.key == "resolve":
        if not item.resolution.strip():
            raise InvalidInput.field("resolution", "record the resolution before resolving")
        if not item.lessons.strip():
            raise InvalidInput.field("lessons", "record the lessons learned before resolving")


SECURITY_INCIDENTS = register(RegisterSpec(
    key="security-incidents", model=SecurityIncident, prefix="SIN", area="incident",
    label="Security incidents", item_label="Security incident", workflow=INCIDENT_WORKFLOW,
    fields=("severity", "detected_at", "personal_data", "detection", "containment",
            "resolution", "lessons"),
    list_columns=("severity", "detected_at", "personal_data"),
    filters=("severity",),
    transition_guard=incident_guard,
    description="Security incidents: severity, detection, containment, resolution and "
                "lessons. Read only by the security manager, the Project Office manager and "
                "whoever reported or owns each one.",
    icon="alert",
    service="security",
    restricted_to="incident.oversee",
))



def security_managers(project: Any) -> list[Any]:
    """Who hears of a new incident: the project's security managers, or — where the project
    has none — the Project Office managers, who oversee every project's incidents."""
    managers = list(User.objects.filter(
        is_active=True, memberships__project=project,
        memberships__role=ProjectRole.SECURITY_MANAGER).distinct().order_by("username"))
    if managers:
        return managers
    return list(User.objects.filter(is_active=True, global_role=GlobalRole.PMO_MANAGER)
                .order_by("username"))


def tell_security_managers(actor: Any, item: RegisterItem) -> None:
    """A new incident is told at once to those who handle it (in the office, and by e-mail
    after commit through the mail queue, as each prefers); not to the reporter."""
    assert isinstance(item, SecurityIncident)
    for manager in security_managers(item.project):
        notify(recipient=manager, item=item, kind=NotificationKind.INCIDENT, actor=actor,
               message=f"{actor} reported a {item.get_severity_display().lower()} security "
                       f"incident on {item.project.code}: {item.reference} {item.title}")


when_created(SECURITY_INCIDENTS.key, tell_security_managers)

REVIEW_WORKFLOW = Workflow(
    initial="in_progress",
    states=(
        State("in_progress", "In progress", tone="progress"),
        State("complete", "Complete", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("complete", "Complete", ("in_progress",), "complete",
                   "accessreview.close"),
        Transition("cancel", "Cancel", ("in_progress",), "cancelled", "accessreview.close",
                   needs_comment=True),
    ),
)


def review_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """A review is complete when every line has its decision and its evidence is noted."""
    if not isinstance(item, AccessReview) or move.key != "complete":
        return
    pending = item.lines.filter(decision=LineDecision.PENDING).count()
    if pending:
        raise InvalidInput.field("transition", f"{pending} line{'s' if pending != 1 else ''} "
                                 "still to confirm or revoke")
    if not item.lines.exists():
        raise InvalidInput.field("transition", "load the project's roles into the review "
                                 "first")
    if not item.evidence.strip():
        raise InvalidInput.field("evidence", "record what the review checked before "
                                 "completing it")


ACCESS_REVIEWS = register(RegisterSpec(
    key="access-reviews", model=AccessReview, prefix="ACR", area="accessreview",
    label="Access reviews", item_label="Access review", workflow=REVIEW_WORKFLOW,
    fields=("period", "evidence"),
    list_columns=("period",),
    read_only_states=("complete", "cancelled"),
    transition_guard=review_guard,
    detail_main_template="infosec/_review_panel.html",
    description="Periodic reviews of who holds which role on the project: the project's "
                "manager confirms or revokes each line; revocations take effect at once.",
    icon="users",
    service="security",
))

SECURITY = register_service(Service(
    key="security", label="Security", order=80,
    description="Information security: the controls that apply to the project, security "
                "incidents, and reviews of who has access to it.",
))
