"""Shared builders for the earned value tests: monthly grids and one-task projects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from projectoffice.engine.evm import Node, NodeKind, Task
from projectoffice.engine.money import Money
from projectoffice.engine.periods import PeriodGrid

MONTH_ENDS_2025 = (
    date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30),
    date(2025, 5, 31), date(2025, 6, 30), date(2025, 7, 31), date(2025, 8, 31),
    date(2025, 9, 30), date(2025, 10, 31), date(2025, 11, 30), date(2025, 12, 31),
)
MONTH_ENDS_2026 = (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31))


def usd(value: str | int) -> Money:
    return Money(Decimal(value), "USD")


def months(count: int) -> PeriodGrid:
    return PeriodGrid(date(2025, 1, 1), (MONTH_ENDS_2025 + MONTH_ENDS_2026)[:count])


def project(node_id: str = "P") -> list[Node]:
    return [Node(node_id, None, NodeKind.PROJECT)]


def phased_task(task_id: str, increments: list[str], grid: PeriodGrid, parent: str = "P") -> Task:
    """A task whose baseline is the given amount per period (padded with zeros)."""
    amounts = [usd(a) for a in increments] + [usd(0)] * (grid.count - len(increments))
    total = sum((Decimal(a) for a in increments), Decimal(0))
    return Task(task_id, parent, usd(str(total)), period_amounts=tuple(amounts))
