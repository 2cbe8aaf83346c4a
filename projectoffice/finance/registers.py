"""The benefits register, declared on the kernel: numbering (BEN-0003), pages, filters,
exports, imports, history and the API come from the declaration; the measurements, the
realisation chart and the roll-up live in the finance app."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Benefit, BenefitType

BENEFIT_WORKFLOW = Workflow(
    initial="identified",
    states=(
        State("identified", "Identified", tone="info"),
        State("planned", "Planned", tone="progress"),
        State("realising", "Realising", tone="warning"),
        State("realised", "Realised", closed=True, tone="success"),
        State("not_realised", "Not realised", closed=True, tone="danger"),
    ),
    transitions=(
        Transition("plan", "Mark planned", ("identified",), "planned", "benefit.change"),
        Transition("start", "Start realising", ("identified", "planned"), "realising",
                   "benefit.transition"),
        Transition("realise", "Mark realised", ("realising",), "realised", "benefit.close"),
        Transition("abandon", "Record as not realised", ("identified", "planned", "realising"),
                   "not_realised", "benefit.close", needs_comment=True),
        Transition("reopen", "Reopen", ("realised", "not_realised"), "realising",
                   "benefit.transition", needs_comment=True),
    ),
)

# Planning a measurable benefit needs what its trajectory is drawn from.
PLAN_NEEDS = ("baseline_value", "baseline_date", "target_value", "realisation_start",
              "full_realisation")


def benefit_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """A measurable benefit is planned (or starts realising) only once its baseline,
    target and realisation dates are set."""
    if move.key not in ("plan", "start"):
        return
    if getattr(item, "benefit_type", "") == BenefitType.QUALITATIVE:
        return
    missing = [name for name in PLAN_NEEDS if getattr(item, name) is None]
    if missing:
        raise InvalidInput.field(missing[0], f"set it before '{move.label}' (the trajectory "
                                             "runs from the baseline to the target)")


BENEFITS = register(RegisterSpec(
    key="benefits", model=Benefit, prefix="BEN", area="benefit", label="Benefits",
    item_label="Benefit", workflow=BENEFIT_WORKFLOW,
    fields=("benefit_type", "measure", "unit", "baseline_value", "baseline_date",
            "target_value", "realisation_start", "full_realisation", "annual_value",
            "milestone_uid"),
    list_columns=("benefit_type", "measure", "target_value", "full_realisation",
                  "annual_value"),
    filters=("benefit_type",),
    detail_main_template="finance/benefit_realisation.html",
    list_buttons_template="finance/benefit_buttons.html",
    transition_guard=benefit_guard,
    description="What the project is for: each benefit measured from its baseline towards "
                "its target, with its realisation tracked over time.",
    icon="trend",
))
