"""Inputs of the earned value engine: the hierarchy, the cost-loaded tasks, their status.

See docs/earned-value.md ("Inputs and conventions").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from projectoffice.engine.money import Money

__all__ = ["EarnedValueMethod", "Milestone", "Node", "NodeKind", "Task", "TaskStatus"]

class EarnedValueMethod(enum.Enum):
    """How a task claims earned value (the PMI Practice Standard's discrete methods)."""

    PHYSICAL_PERCENT = "physical_percent"
    ZERO_HUNDRED = "0/100"
    FIFTY_FIFTY = "50/50"
    WEIGHTED_MILESTONES = "weighted_milestones"


class NodeKind(enum.Enum):
    WBS = "wbs"
    PROJECT = "project"
    PROGRAMME = "programme"
    PORTFOLIO = "portfolio"


@dataclass(frozen=True, slots=True)
class Milestone:
    """A weighted milestone of a task; ``weight`` is a percentage of the task's budget."""

    name: str
    weight: Decimal


@dataclass(frozen=True, slots=True)
class Node:
    """An element of the hierarchy that tasks roll up into; ``parent`` is None at the top."""

    id: str
    parent: str | None
    kind: NodeKind = NodeKind.WBS
    name: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """A cost-loaded baseline task (a work package, in EVM terms).

    Give either ``start`` and ``finish`` (inclusive baseline dates; the budget is spread
    linearly over those calendar days) or ``period_amounts`` (one planned amount per period
    of the grid, summing to the budget), for instance a resource-loaded spread from the
    scheduler.
    """

    id: str
    parent: str
    budget: Money
    start: date | None = None
    finish: date | None = None
    period_amounts: tuple[Money, ...] | None = None
    method: EarnedValueMethod = EarnedValueMethod.PHYSICAL_PERCENT
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """A task's progress and cumulative actual cost at the status date.

    Only the fields of the task's method apply: ``percent_complete`` (0-100) for physical %
    complete, ``started``/``finished`` for 0/100 and 50/50, ``milestones_done`` for weighted
    milestones. ``estimate_to_complete`` is the bottom-up ETC, when someone has made one.
    """

    task_id: str
    actual_cost: Money
    percent_complete: Decimal = Decimal(0)
    started: bool = False
    finished: bool = False
    milestones_done: tuple[str, ...] = ()
    estimate_to_complete: Money | None = None
