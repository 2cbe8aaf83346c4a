"""Rules a workflow move must meet beyond its permission, called by the kernel's
transition_item under the row lock (RegisterSpec.transition_guard)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projectoffice.accounts.roles import PROJECT_ROLE_PERMISSIONS
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.portfolio.access import is_pmo_manager
from projectoffice.portfolio.models import Membership
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.workflow import Transition

from .actions import apply_change
from .models import ChangeRequest, Decision, project_controls

DECIDING_MOVES = ("approve", "reject", "defer")


def approval_thresholds(project: Any = None) -> tuple[Decimal, int]:
    """The project's thresholds (cost, delay in working days); PMO_CHANGE_APPROVAL_COST and
    _DAYS for a project that has not set its own."""
    controls = project_controls(project)
    return Decimal(controls.approval_cost), int(controls.approval_days)


def above_threshold(change: ChangeRequest) -> list[str]:
    """Why the change needs the sponsor or a PMO manager (empty: the project may decide)."""
    cost_limit, days_limit = approval_thresholds(change.project)
    cost, delay = change.cost_impact, change.delay_days
    if change.impact:
        # Figures typed over an assessment cannot bring a change under the threshold.
        assessed_cost = Decimal(str(change.impact.get("cost", "0")))
        assessed_delay = int(change.impact.get("finish_days", 0))
        cost = assessed_cost if cost is None else max(cost, assessed_cost)
        delay = assessed_delay if delay is None else max(delay, assessed_delay)
    reasons = []
    if cost is not None and cost > cost_limit:
        reasons.append(f"costs {cost:,.0f} {change.project.currency} "
                       f"(threshold {cost_limit:,.0f})")
    if delay is not None and delay > days_limit:
        reasons.append(f"delays the finish by {delay} days (threshold {days_limit})")
    return reasons


def is_sponsor(actor: Any, change: ChangeRequest) -> bool:
    project = change.project
    sponsors = {project.sponsor_id}
    if project.programme_id is not None:
        sponsors.add(project.programme.sponsor_id)  # type: ignore[union-attr]
    return actor.pk in sponsors - {None}


def may_approve_above_threshold(actor: Any, change: ChangeRequest) -> bool:
    if is_pmo_manager(actor):
        return True
    return is_sponsor(actor, change)


def decides_through_project_role(actor: Any, change: ChangeRequest) -> bool:
    """Whether one of the actor's roles on the project (not a global role) lets them decide."""
    roles = Membership.objects.filter(project_id=change.project_id, user=actor).values_list(
        "role", flat=True)
    return any("change.approve" in PROJECT_ROLE_PERMISSIONS.get(r, frozenset()) for r in roles)


def check_decider(actor: Any, change: ChangeRequest) -> None:
    """Within the threshold the project decides (its manager), or the sponsor or a PMO
    manager; above it only the sponsor or a PMO manager. An executive decides only the
    changes of the projects and programmes they sponsor."""
    reasons = above_threshold(change)
    if reasons:
        if not may_approve_above_threshold(actor, change):
            raise Forbidden(f"{change.reference} {' and '.join(reasons)}: the sponsor or a PMO "
                            "manager must decide it")
        return
    if is_pmo_manager(actor):
        return
    if is_sponsor(actor, change) or decides_through_project_role(actor, change):
        return
    raise Forbidden(f"{change.reference} is decided by {change.project.code}'s manager, its "
                    "sponsor or a PMO manager")


def change_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    assert isinstance(item, ChangeRequest)
    if move.key == "submit":
        if not item.change_detail.strip():
            raise InvalidInput.field("change_detail", "say what changes before submitting")
        if not item.reason.strip():
            raise InvalidInput.field("reason", "say why the change is needed before submitting")
    elif move.key == "assess":
        if item.plan_edits and item.impact is None:
            raise InvalidInput.field("impact", "assess the impact of its plan edits on a "
                                     "what-if plan first")
        missing = {name: "enter it to complete the assessment"
                   for name in ("cost_impact", "delay_days") if getattr(item, name) is None}
        if missing:
            raise InvalidInput("Enter the cost impact and the delay before completing the "
                               "assessment", {k: [v] for k, v in missing.items()})
    elif move.key in DECIDING_MOVES:
        if move.key == "approve" and item.plan_edits and item.impact is None:
            raise Conflict(f"{item.reference} changed since it was assessed: assess its "
                           "impact again before deciding", {"impact": ["re-assess first"]})
        check_decider(actor, item)
    elif move.key == "apply":
        apply_change(actor, item)


def decision_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    assert isinstance(item, Decision)
    if move.key == "decide":
        missing = {name: "record it before marking the decision as made"
                   for name in ("decision", "rationale") if not getattr(item, name).strip()}
        if item.decided_by_id is None:
            missing["decided_by"] = "record who decided"
        if missing:
            raise InvalidInput("Record the decision, its rationale and who made it first",
                               {k: [v] for k, v in missing.items()})
