"""Declarations of the project-control registers built on the kernel."""

from __future__ import annotations

from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Action, Issue

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
    description="Things someone must do, from meetings, reviews and issues, tracked to "
                "closure.",
    icon="check",
))
