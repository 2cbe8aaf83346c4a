"""Earned value by method, and the validation that ties progress to a task's method.

Shared by the baseline (which checks a task's milestone plan) and the status analysis.
Field names in errors look like ``task[T-3].milestones`` or ``status[T-3].percent_complete``.
"""

from __future__ import annotations

from decimal import Decimal

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput
from projectoffice.engine.evm_inputs import EarnedValueMethod, Milestone, Task, TaskStatus
from projectoffice.engine.money import Money, minor_units, round_div

HUNDRED = Decimal(100)


def field_name(kind: str, ident: str, name: str) -> str:
    return f"{kind}[{ident}].{name}"


def to_minor(amount: Money, currency: str, kind: str, ident: str, name: str) -> int:
    """Minor units of an input amount; the field name is only formatted for an error."""
    if amount.currency != currency:
        raise CurrencyMismatch(
            field_name(kind, ident, name),
            f"is in {amount.currency} but this analysis is in {currency}; "
            "convert at a stated rate before the analysis",
        )
    numerator, denominator = amount.amount.as_integer_ratio()
    scale: int = 10 ** minor_units(currency)
    if denominator == 1:
        return numerator * scale
    return round_div(numerator * scale, denominator)


def _check_milestones(task: Task) -> frozenset[str]:
    if not task.milestones:
        raise InvalidInput(
            field_name("task", task.id, "milestones"),
            "the weighted-milestones method needs at least one milestone",
        )
    names = [m.name for m in task.milestones]
    if len(set(names)) != len(names):
        raise InvalidInput(field_name("task", task.id, "milestones"), "milestone names repeat")
    total = Decimal(0)
    for milestone in task.milestones:
        if milestone.weight < 0:
            raise InvalidInput(
                field_name("task", task.id, "milestones"),
                f"milestone {milestone.name!r} has a negative weight",
            )
        total += milestone.weight
    if total != HUNDRED:
        raise InvalidInput(
            field_name("task", task.id, "milestones"),
            f"milestone weights must sum to 100 %, they sum to {total} %",
        )
    return frozenset(names)


def earned_value(
    task: Task,
    bac: int,
    status: TaskStatus | None,
    checked: dict[int, tuple[tuple[Milestone, ...], frozenset[str]]],
) -> int:
    """Earned value in minor units of one task by its method; validates the fit.

    ``checked`` remembers milestone sets already validated, by identity: tasks made from
    one template share the tuple, and hashing it field by field would cost more than the
    check itself.
    """
    method = task.method
    if method is EarnedValueMethod.WEIGHTED_MILESTONES:
        known = checked.get(id(task.milestones))
        if known is None:
            known = (task.milestones, _check_milestones(task))
            checked[id(task.milestones)] = known
        names = known[1]
    elif task.milestones:
        raise InvalidInput(
            field_name("task", task.id, "milestones"),
            f"milestones only apply to the weighted-milestones method, not {method.value}",
        )
    if status is None:
        return 0
    if method is EarnedValueMethod.PHYSICAL_PERCENT:
        percent = status.percent_complete
        if not 0 <= percent <= HUNDRED:
            raise InvalidInput(
                field_name("status", task.id, "percent_complete"),
                f"must be between 0 and 100, got {percent}",
            )
        numerator, denominator = percent.as_integer_ratio()
        return round_div(bac * numerator, denominator * 100)
    if status.percent_complete:
        raise InvalidInput(
            field_name("status", task.id, "percent_complete"),
            f"does not apply to a task measured by the {method.value} method",
        )
    if method is EarnedValueMethod.WEIGHTED_MILESTONES:
        weight = Decimal(0)
        by_name = {m.name: m.weight for m in task.milestones}
        if len(set(status.milestones_done)) != len(status.milestones_done):
            raise InvalidInput(
                field_name("status", task.id, "milestones_done"), "a milestone is listed twice"
            )
        for name in status.milestones_done:
            if name not in names:
                raise InvalidInput(
                    field_name("status", task.id, "milestones_done"),
                    f"{name!r} is not a milestone of this task",
                )
            weight += by_name[name]
        numerator, denominator = weight.as_integer_ratio()
        return round_div(bac * numerator, denominator * 100)
    if status.milestones_done:
        raise InvalidInput(
            field_name("status", task.id, "milestones_done"),
            f"does not apply to a task measured by the {method.value} method",
        )
    if status.finished:
        return bac
    if method is EarnedValueMethod.FIFTY_FIFTY and status.started:
        return round_div(bac, 2)
    return 0


def status_amounts(
    task: Task, status: TaskStatus, currency: str
) -> tuple[int, int | None]:
    """(actual cost, bottom-up ETC or None) of one task, in minor units."""
    actual = to_minor(status.actual_cost, currency, "status", task.id, "actual_cost")
    if actual < 0:
        raise InvalidInput(field_name("status", task.id, "actual_cost"), "must not be negative")
    if status.estimate_to_complete is None:
        return actual, None
    etc = to_minor(status.estimate_to_complete, currency, "status", task.id, "estimate_to_complete")
    if etc < 0:
        raise InvalidInput(
            field_name("status", task.id, "estimate_to_complete"), "must not be negative"
        )
    return actual, etc
