"""The quality and configuration registers on the kernel — quality reviews, audits,
non-conformances and configuration items — with the rules their moves obey."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from . import quality
from .config_models import ConfigurationItem
from .quality import capa_actions, follow_ups
from .quality_models import CheckResult, NonConformance, QualityAudit, QualityReview

SERVICE = "assurance"
CONFIGURATION_SERVICE = "configuration"

REVIEW_WORKFLOW = Workflow(
    initial="planned",
    states=(
        State("planned", "Planned", tone="info"),
        State("in_review", "In review", tone="progress"),
        State("passed", "Passed", closed=True, tone="success"),
        State("conditional", "Passed with conditions", closed=True, tone="warning"),
        State("failed", "Failed", closed=True, tone="danger"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start review", ("planned",), "in_review",
                   "qualityreview.change"),
        Transition("pass", "Pass", ("in_review",), "passed", "qualityreview.close"),
        Transition("conditional", "Pass with conditions", ("in_review",), "conditional",
                   "qualityreview.close", needs_comment=True),
        Transition("fail", "Fail", ("in_review",), "failed", "qualityreview.close",
                   needs_comment=True),
        Transition("cancel", "Cancel", ("planned", "in_review"), "cancelled",
                   "qualityreview.close", needs_comment=True),
    ),
)

AUDIT_WORKFLOW = Workflow(
    initial="planned",
    states=(
        State("planned", "Planned", tone="info"),
        State("in_progress", "In progress", tone="progress"),
        State("reported", "Reported", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start audit", ("planned",), "in_progress",
                   "qualityaudit.change"),
        Transition("report", "Report", ("in_progress",), "reported", "qualityaudit.close"),
        Transition("cancel", "Cancel", ("planned", "in_progress"), "cancelled",
                   "qualityaudit.close", needs_comment=True),
    ),
)

NC_WORKFLOW = Workflow(
    initial="open",
    states=(
        State("open", "Open", tone="danger"),
        State("actions_planned", "Actions planned", tone="progress"),
        State("awaiting_verification", "Awaiting verification", tone="warning"),
        State("closed", "Closed (verified)", closed=True, tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("plan", "Actions planned", ("open",), "actions_planned",
                   "nonconformance.change"),
        Transition("done", "Actions done", ("actions_planned",), "awaiting_verification",
                   "nonconformance.change"),
        Transition("verify", "Verify and close", ("awaiting_verification",), "closed",
                   "nonconformance.close", needs_comment=True),
        Transition("reject", "Not effective", ("awaiting_verification",), "actions_planned",
                   "nonconformance.close", needs_comment=True),
        Transition("withdraw", "Withdraw", ("open",), "withdrawn", "nonconformance.close",
                   needs_comment=True),
        Transition("reopen", "Reopen", ("closed", "withdrawn"), "open",
                   "nonconformance.transition", needs_comment=True),
    ),
)

CI_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="info"),
        State("controlled", "Under control", tone="success"),
        State("retired", "Retired", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("control", "Place under control", ("draft",), "controlled",
                   "configitem.transition"),
        Transition("retire", "Retire", ("draft", "controlled"), "retired", "configitem.close",
                   needs_comment=True),
        Transition("reinstate", "Reinstate", ("retired",), "controlled",
                   "configitem.transition", needs_comment=True),
    ),
)


def review_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """An outcome is given once the checklist is worked through; a pass has no criterion
    unmet; a conditional pass or a fail says what follows up in the Actions register."""
    if move.key not in ("pass", "conditional", "fail"):
        return
    assert isinstance(item, QualityReview)
    checks = list(item.checks.all())
    if not checks:
        raise InvalidInput.field("checklist", "the review has no checklist: add the "
                                              "criteria to check first")
    unchecked = [c.position for c in checks if c.result == CheckResult.OPEN]
    if unchecked:
        raise InvalidInput.field("checklist", f"check criterion {unchecked[0]} before "
                                              f"'{move.label}'")
    if move.key == "pass" and any(c.result == CheckResult.NOT_MET for c in checks):
        raise InvalidInput.field("checklist", "a criterion is not met: pass with conditions "
                                              "or fail")
    if move.key in ("conditional", "fail") and not follow_ups(item).exists():
        raise InvalidInput.field("follow_up", f"add a follow-up action before "
                                              f"'{move.label}'")


def review_moved(actor: Any, item: RegisterItem, move: Transition, comment: str) -> None:
    assert isinstance(item, QualityReview)
    if move.key == "start":
        quality.start_review(actor, item)
    elif move.key in ("pass", "conditional", "fail"):
        quality.tell_review_outcome(actor, item, move)


def audit_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    if move.key == "report" and not getattr(item, "findings", "").strip():
        raise InvalidInput.field("findings", "write the findings before reporting the audit")


def nc_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """A non-conformance closes only through a corrective action that is written, done in
    the Actions register and verified."""
    assert isinstance(item, NonConformance)
    if move.key in ("plan", "done", "verify"):
        if not item.corrective_action.strip():
            raise InvalidInput.field("corrective_action",
                                     f"write the corrective action before '{move.label}'")
        actions = list(capa_actions(item))
        if not actions:
            raise InvalidInput.field("actions", "raise at least one corrective action in the "
                                                f"Actions register before '{move.label}'")
        if move.key in ("done", "verify"):
            undone = [a.reference for a in actions if a.status != "done"]
            if undone:
                raise InvalidInput.field("actions", f"{undone[0]} is not done yet: a "
                                                    "non-conformance closes on verified "
                                                    "actions")


def nc_moved(actor: Any, item: RegisterItem, move: Transition, comment: str) -> None:
    from django.utils import timezone

    assert isinstance(item, NonConformance)
    if move.key == "verify":
        item.verified_by, item.verified_on = actor, item.closed_on or timezone.localdate()
    elif move.key in ("reopen", "reject"):
        item.verified_by, item.verified_on = None, None
    item.save(update_fields=["verified_by", "verified_on"])


QUALITY_REVIEWS = register(RegisterSpec(
    key="quality-reviews", model=QualityReview, prefix="QRV", area="qualityreview",
    label="Quality reviews", item_label="Quality review", workflow=REVIEW_WORKFLOW,
    fields=("subject_reference", "document_version", "method", "reviewer", "other_reviewers",
            "findings"),
    list_columns=("subject_reference", "method", "reviewer"),
    filters=("method",),
    transition_guard=review_guard, after_transition=review_moved,
    notify_fields=("owner", "reviewer"),
    detail_main_template="assurance/review_main.html",
    description="Reviews of a deliverable or a document version against the quality plan's "
                "criteria: checklist, findings, outcome and follow-up actions.",
    icon="check", service=SERVICE,
))

QUALITY_AUDITS = register(RegisterSpec(
    key="quality-audits", model=QualityAudit, prefix="AUD", area="qualityaudit",
    label="Quality audits", item_label="Audit", workflow=AUDIT_WORKFLOW,
    fields=("scope", "standard", "auditor", "audit_date", "findings"),
    list_columns=("standard", "auditor", "audit_date"),
    transition_guard=audit_guard,
    notify_fields=("owner", "auditor"),
    detail_main_template="assurance/audit_main.html",
    description="Audits of the project's work against a standard or its quality plan, "
                "and the non-conformances they find.",
    icon="shield", service=SERVICE,
))

NONCONFORMANCES = register(RegisterSpec(
    key="nonconformances", model=NonConformance, prefix="NCR", area="nonconformance",
    label="Non-conformances", item_label="Non-conformance", workflow=NC_WORKFLOW,
    fields=("audit_reference", "severity", "requirement", "root_cause", "corrective_action",
            "preventive_action"),
    list_columns=("severity", "audit_reference"),
    filters=("severity",),
    transition_guard=nc_guard, after_transition=nc_moved,
    detail_main_template="assurance/nc_main.html",
    description="What fails a requirement or standard, with its corrective and preventive "
                "actions, closed only once they are verified.",
    icon="alert", service=SERVICE,
))

CONFIGURATION_ITEMS = register(RegisterSpec(
    key="config-items", model=ConfigurationItem, prefix="CI", area="configitem",
    label="Configuration items", item_label="Configuration item", workflow=CI_WORKFLOW,
    fields=("identifier", "ci_type", "deliverable_reference", "component_reference"),
    list_columns=("identifier", "ci_type", "deliverable_reference"),
    filters=("ci_type",),
    detail_main_template="assurance/ci_main.html",
    description="Deliverables, documents, software components and environments under "
                "version control, with every version recorded.",
    icon="box", service=CONFIGURATION_SERVICE,
))

register_service(Service(
    key=CONFIGURATION_SERVICE, label="Configuration",
    description="Configuration items under version control, baselines and releases frozen "
                "from them, status accounting and the configuration audit.",
    order=12,
    pages=(
        ServicePage("Baselines & releases", "assurance-configuration", "configitem.view",
                    "Frozen sets of item versions: what changed since each, side-by-side "
                    "comparison and the audit of a release."),
    ),
))
