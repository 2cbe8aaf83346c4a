"""Declarations of the project-control registers built on the kernel."""

from __future__ import annotations

from projectoffice.registers.spec import RegisterSpec, register

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
from .workflows import (
    ACTION_WORKFLOW,
    ASSUMPTION_WORKFLOW,
    CHANGE_WORKFLOW,
    CONSTRAINT_WORKFLOW,
    DECISION_WORKFLOW,
    DEPENDENCY_WORKFLOW,
    ISSUE_WORKFLOW,
    RISK_WORKFLOW,
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
