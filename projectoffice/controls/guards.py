"""Rules a workflow move must meet beyond its permission, called by the kernel's
transition_item under the row lock (RegisterSpec.transition_guard)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.workflow import Transition

from .models import ChangeRequest, Decision

DECIDING_MOVES = ("approve", "reject")


def approval_thresholds() -> tuple[Decimal, int]:
    return Decimal(settings.PMO_CHANGE_APPROVAL_COST), int(settings.PMO_CHANGE_APPROVAL_DAYS)


def above_threshold(change: ChangeRequest) -> list[str]:
    """Why the change needs the sponsor or a PMO manager (empty: the project may decide)."""
    cost_limit, days_limit = approval_thresholds()
    reasons = []
    if change.cost_impact is not None and change.cost_impact > cost_limit:
        reasons.append(f"costs {change.cost_impact:,.0f} {change.project.currency} "
                       f"(threshold {cost_limit:,.0f})")
    if change.delay_days is not None and change.delay_days > days_limit:
        reasons.append(f"delays the finish by {change.delay_days} days "
                       f"(threshold {days_limit})")
    return reasons


def may_approve_above_threshold(actor: Any, change: ChangeRequest) -> bool:
    project = change.project
    if actor.is_superuser or actor.global_role == "pmo_manager":
        return True
    sponsors = {project.sponsor_id}
    if project.programme_id is not None:
        sponsors.add(project.programme.sponsor_id)  # type: ignore[union-attr]
    return actor.pk in sponsors - {None}


def change_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    assert isinstance(item, ChangeRequest)
    if move.key == "submit":
        if not item.change_detail.strip():
            raise InvalidInput.field("change_detail", "say what changes before submitting")
        if not item.reason.strip():
            raise InvalidInput.field("reason", "say why the change is needed before submitting")
    elif move.key == "assess":
        missing = {name: "enter it to complete the assessment"
                   for name in ("cost_impact", "delay_days") if getattr(item, name) is None}
        if missing:
            raise InvalidInput("Enter the cost impact and the delay before completing the "
                               "assessment", {k: [v] for k, v in missing.items()})
    elif move.key in DECIDING_MOVES:
        reasons = above_threshold(item)
        if reasons and not may_approve_above_threshold(actor, item):
            raise Forbidden(f"{item.reference} {' and '.join(reasons)}: the sponsor or a PMO "
                            "manager must decide it")


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
