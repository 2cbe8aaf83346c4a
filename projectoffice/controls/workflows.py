"""The workflows of the project-control registers (registers.py declares the registers with
them; actions and queries read their states without loading the registers' guards)."""

from __future__ import annotations

from projectoffice.registers.workflow import State, Transition, Workflow

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
