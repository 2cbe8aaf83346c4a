"""Declarations of the project-control registers built on the kernel."""

from __future__ import annotations

from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .guards import change_guard, decision_guard
from .handoffs import tell_change_people
from .models import (
    Action,
    Assumption,
    ChangeRequest,
    Constraint,
    Decision,
    Dependency,
    Issue,
    Risk,
)

ISSUE_WORKFLOW = Workflow(
    initial="open",
    states=(
        State("open", "Open", tone="info"),
        State("in_progress", "In progress", tone="progress"),
        State("resolved", "Resolved", tone="success"),
        State("closed", "Closed", closed=True, tone="muted"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start work", ("open",), "in_progress", "issue.change"),
        Transition("resolve", "Mark resolved", ("open", "in_progress"), "resolved",
                   "issue.transition"),
        Transition("close", "Close", ("resolved",), "closed", "issue.close"),
        Transition("reopen", "Reopen", ("resolved", "closed"), "open", "issue.transition",
                   needs_comment=True),
        Transition("withdraw", "Withdraw", ("open", "in_progress"), "withdrawn",
                   "issue.close", needs_comment=True),
    ),
)

ACTION_WORKFLOW = Workflow(
    initial="open",
    states=(
        State("open", "Open", tone="info"),
        State("in_progress", "In progress", tone="progress"),
        State("done", "Done", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start", ("open",), "in_progress", "action.change"),
        Transition("complete", "Mark done", ("open", "in_progress"), "done", "action.change"),
        Transition("reopen", "Reopen", ("done", "cancelled"), "open", "action.change",
                   needs_comment=True),
        Transition("cancel", "Cancel", ("open", "in_progress"), "cancelled", "action.close",
                   needs_comment=True),
    ),
)

ISSUES = register(RegisterSpec(
    key="issues", model=Issue, prefix="ISS", area="issue", label="Issue log",
    item_label="Issue", workflow=ISSUE_WORKFLOW,
    fields=("issue_type", "severity", "impact", "resolution"),
    list_columns=("severity", "escalation_level"),
    filters=("severity", "escalation_level", "issue_type"),
    detail_extra_template="controls/issue_escalation.html",
    description="Problems the project must resolve, escalated to programme or portfolio "
                "when it cannot.",
    icon="alert",
))

ACTIONS = register(RegisterSpec(
    key="actions", model=Action, prefix="ACT", area="action", label="Actions",
    item_label="Action", workflow=ACTION_WORKFLOW,
    fields=("assignee", "source", "outcome"),
    list_columns=("assignee",),
    filters=(),
    notify_fields=("owner", "assignee"),
    description="Things someone must do, from meetings, reviews and issues, tracked to "
                "closure.",
    icon="check",
))


# ---------------------------------------------------------------------------------------------
# RAID, decisions and change control.

RISK_WORKFLOW = Workflow(
    initial="identified",
    states=(
        State("identified", "Identified", tone="info"),
        State("assessed", "Assessed", tone="progress"),
        State("responding", "Response in progress", tone="warning"),
        State("occurred", "Occurred", closed=True, tone="danger"),
        State("closed", "Closed", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("assess", "Mark assessed", ("identified",), "assessed", "risk.change"),
        Transition("respond", "Start response", ("identified", "assessed"), "responding",
                   "risk.transition"),
        Transition("occur", "Record as occurred", ("identified", "assessed", "responding"),
                   "occurred", "risk.close", needs_comment=True),
        Transition("close", "Close", ("identified", "assessed", "responding"), "closed",
                   "risk.close", needs_comment=True),
        Transition("reopen", "Reopen", ("occurred", "closed"), "assessed", "risk.transition",
                   needs_comment=True),
    ),
)

ASSUMPTION_WORKFLOW = Workflow(
    initial="open",
    states=(
        State("open", "To validate", tone="info"),
        State("valid", "Validated", closed=True, tone="success"),
        State("invalid", "Proved false", closed=True, tone="danger"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("validate", "Confirm as valid", ("open",), "valid", "assumption.transition"),
        Transition("invalidate", "Record as false", ("open",), "invalid",
                   "assumption.transition", needs_comment=True),
        Transition("withdraw", "Withdraw", ("open",), "withdrawn", "assumption.close",
                   needs_comment=True),
        Transition("reopen", "Reopen", ("valid", "invalid", "withdrawn"), "open",
                   "assumption.transition", needs_comment=True),
    ),
)

DEPENDENCY_WORKFLOW = Workflow(
    initial="identified",
    states=(
        State("identified", "Identified", tone="info"),
        State("agreed", "Agreed", tone="progress"),
        State("at_risk", "At risk", tone="danger"),
        State("met", "Met", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("agree", "Mark agreed", ("identified", "at_risk"), "agreed",
                   "dependency.change"),
        Transition("flag", "Flag at risk", ("identified", "agreed"), "at_risk",
                   "dependency.change", needs_comment=True),
        Transition("meet", "Mark met", ("identified", "agreed", "at_risk"), "met",
                   "dependency.transition"),
        Transition("cancel", "Cancel", ("identified", "agreed", "at_risk"), "cancelled",
                   "dependency.close", needs_comment=True),
    ),
)

CONSTRAINT_WORKFLOW = Workflow(
    initial="active",
    states=(
        State("active", "Active", tone="info"),
        State("lifted", "Lifted", closed=True, tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("lift", "Mark lifted", ("active",), "lifted", "constraint.transition",
                   needs_comment=True),
        Transition("withdraw", "Withdraw", ("active",), "withdrawn", "constraint.close",
                   needs_comment=True),
        Transition("reinstate", "Reinstate", ("lifted", "withdrawn"), "active",
                   "constraint.transition", needs_comment=True),
    ),
)

DECISION_WORKFLOW = Workflow(
    initial="proposed",
    states=(
        State("proposed", "To decide", tone="info"),
        State("decided", "Decided", tone="success"),
        State("superseded", "Superseded", closed=True, tone="muted"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("decide", "Record as decided", ("proposed",), "decided",
                   "decision.transition"),
        Transition("supersede", "Supersede", ("decided",), "superseded",
                   "decision.transition", needs_comment=True),
        Transition("withdraw", "Withdraw", ("proposed",), "withdrawn", "decision.close",
                   needs_comment=True),
    ),
)

CHANGE_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="neutral"),
        State("submitted", "Submitted", tone="info"),
        State("assessed", "Assessed", tone="progress"),
        State("approved", "Approved", tone="success"),
        State("deferred", "Deferred", tone="warning"),
        State("rejected", "Rejected", closed=True, tone="danger"),
        State("applied", "Applied", closed=True, tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("submit", "Submit", ("draft",), "submitted", "change.change"),
        Transition("assess", "Complete assessment", ("submitted",), "assessed",
                   "change.transition"),
        Transition("approve", "Approve", ("assessed",), "approved", "change.approve",
                   needs_comment=True),
        Transition("reject", "Reject", ("assessed",), "rejected", "change.approve",
                   needs_comment=True),
        Transition("defer", "Defer", ("assessed",), "deferred", "change.approve",
                   needs_comment=True),
        Transition("resubmit", "Resubmit", ("deferred",), "submitted", "change.change"),
        Transition("apply", "Apply to the plan", ("approved",), "applied", "change.transition"),
        Transition("withdraw", "Withdraw", ("draft", "submitted", "deferred"), "withdrawn",
                   "change.close", needs_comment=True),
    ),
)

RISKS = register(RegisterSpec(
    key="risks", model=Risk, prefix="RSK", area="risk", label="Risk register",
    item_label="Risk", workflow=RISK_WORKFLOW,
    fields=("kind", "category", "cause", "event", "effect", "inherent_probability",
            "inherent_time", "inherent_cost", "inherent_quality", "residual_probability",
            "residual_time", "residual_cost", "residual_quality", "proximity",
            "response_strategy", "response", "triggers", "review_date", "task_reference"),
    list_columns=("inherent_score", "residual_score", "proximity"),
    filters=("kind", "category", "proximity", "response_strategy"),
    list_extra_template="controls/risk_summary.html",
    detail_extra_template="controls/risk_assessment.html",
    description="Threats and opportunities, scored on probability and impact before and "
                "after the response. Link response actions from the Actions register.",
    icon="risk",
))

ASSUMPTIONS = register(RegisterSpec(
    key="assumptions", model=Assumption, prefix="ASM", area="assumption",
    label="Assumptions", item_label="Assumption", workflow=ASSUMPTION_WORKFLOW,
    fields=("validate_by", "basis", "consequence"),
    list_columns=("validate_by",),
    description="What the plan takes as true, who confirms it and by when, and what happens "
                "if it is false.",
))

DEPENDENCIES = register(RegisterSpec(
    key="dependencies", model=Dependency, prefix="DEP", area="dependency",
    label="Dependencies", item_label="Dependency", workflow=DEPENDENCY_WORKFLOW,
    fields=("dependency_type", "direction", "other_project", "other_reference", "party",
            "party_type", "needed_by", "promised_on"),
    list_columns=("dependency_type", "other_project", "party", "needed_by"),
    computed_columns=(("expected_on", "Expected"),),
    list_related=("other_project", "other_task"),
    filters=("dependency_type", "direction", "party_type"),
    detail_extra_template="controls/dependency_link.html",
    description="Deliverables passing between this project and other projects (internal), "
                "linked live to a task of their plan, or customers, suppliers and the "
                "business (external).",
))

CONSTRAINTS = register(RegisterSpec(
    key="constraints", model=Constraint, prefix="CON", area="constraint",
    label="Constraints", item_label="Constraint", workflow=CONSTRAINT_WORKFLOW,
    fields=("constraint_type", "source", "impact"),
    list_columns=("constraint_type",),
    filters=("constraint_type",),
    description="Limits the project must work within: dates, budgets, regulations, "
                "resources.",
))

DECISIONS = register(RegisterSpec(
    key="decisions", model=Decision, prefix="DEC", area="decision", label="Decision log",
    item_label="Decision", workflow=DECISION_WORKFLOW,
    fields=("options", "decision", "rationale", "decided_by", "decided_on"),
    list_columns=("decided_by", "decided_on"),
    transition_guard=decision_guard,
    description="Decisions taken: the options considered, what was decided and why, by "
                "whom and when.",
))

CHANGES = register(RegisterSpec(
    key="changes", model=ChangeRequest, prefix="CR", area="change",
    label="Change requests", item_label="Change request", workflow=CHANGE_WORKFLOW,
    fields=("change_type", "change_detail", "reason", "requested_by", "cost_impact",
            "delay_days", "assessment", "plan_reference"),
    list_columns=("change_type", "requested_by", "cost_impact", "delay_days"),
    filters=("change_type",),
    transition_guard=change_guard,
    after_transition=tell_change_people,
    read_only_states=("approved", "rejected", "applied", "withdrawn"),
    notify_fields=("owner", "requested_by"),
    guarded=(("cost_impact", "cost.view"),),
    detail_extra_template="controls/change_approval.html",
    detail_main_template="controls/change_plan.html",
    description="Requests to change scope, tasks, durations, links or budget: assessed, "
                "then decided — above the threshold by the sponsor or a PMO manager.",
))
