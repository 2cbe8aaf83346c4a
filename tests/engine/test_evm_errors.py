"""Bad input raises InvalidInput (a ValueError) whose ``field`` names the value to fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput
from projectoffice.engine.evm import (
    EarnedValueMethod,
    Milestone,
    Node,
    Task,
    TaskStatus,
    analyse,
)
from projectoffice.engine.money import Money

from .evm_fixtures import months, phased_task, project, usd

GRID = months(3)
STATUS_DATE = date(2025, 2, 28)


def linear(task_id: str = "T", budget: Money | None = None, **kwargs: object) -> Task:
    fields: dict[str, object] = {"start": date(2025, 1, 1), "finish": date(2025, 3, 31)}
    fields.update(kwargs)
    return Task(task_id, "P", budget or usd(300), **fields)  # type: ignore[arg-type]


def run(tasks: list[Task], statuses: tuple[TaskStatus, ...] | list[TaskStatus] = (),
        nodes: list[Node] | None = None, **kwargs: object) -> None:
    analyse(GRID, nodes or project(), tasks, statuses, STATUS_DATE, currency="USD",
            **kwargs)  # type: ignore[arg-type]


def field_of(exc: pytest.ExceptionInfo[InvalidInput]) -> str:
    return exc.value.field


def test_milestone_weights_must_sum_to_100() -> None:
    task = linear(method=EarnedValueMethod.WEIGHTED_MILESTONES,
                  milestones=(Milestone("a", Decimal(40)), Milestone("b", Decimal(50))))
    with pytest.raises(InvalidInput, match="sum to 90") as exc:
        run([task])
    assert field_of(exc) == "task[T].milestones"


def test_method_must_fit_the_progress_given() -> None:
    zero_hundred = linear(method=EarnedValueMethod.ZERO_HUNDRED)
    with pytest.raises(InvalidInput) as exc:
        run([zero_hundred], [TaskStatus("T", usd(1), percent_complete=Decimal(20))])
    assert field_of(exc) == "status[T].percent_complete"
    with pytest.raises(InvalidInput) as exc:
        run([zero_hundred], [TaskStatus("T", usd(1), milestones_done=("a",))])
    assert field_of(exc) == "status[T].milestones_done"
    with pytest.raises(InvalidInput) as exc:
        run([linear(milestones=(Milestone("a", Decimal(100)),))])
    assert field_of(exc) == "task[T].milestones"
    weighted = linear(method=EarnedValueMethod.WEIGHTED_MILESTONES,
                      milestones=(Milestone("a", Decimal(100)),))
    with pytest.raises(InvalidInput) as exc:
        run([weighted], [TaskStatus("T", usd(1), milestones_done=("zz",))])
    assert field_of(exc) == "status[T].milestones_done"


@pytest.mark.parametrize("percent", [Decimal(-1), Decimal("100.01")])
def test_percent_complete_between_0_and_100(percent: Decimal) -> None:
    with pytest.raises(InvalidInput) as exc:
        run([linear()], [TaskStatus("T", usd(1), percent_complete=percent)])
    assert field_of(exc) == "status[T].percent_complete"


def test_negative_costs_are_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        run([linear(budget=usd(-5))])
    assert field_of(exc) == "task[T].budget"
    with pytest.raises(InvalidInput) as exc:
        run([linear()], [TaskStatus("T", usd(-1))])
    assert field_of(exc) == "status[T].actual_cost"
    with pytest.raises(InvalidInput) as exc:
        run([linear()], [TaskStatus("T", usd(1), estimate_to_complete=usd(-1))])
    assert field_of(exc) == "status[T].estimate_to_complete"


def test_mixed_currencies_are_refused() -> None:
    with pytest.raises(CurrencyMismatch) as exc:
        run([linear(budget=Money(Decimal(300), "EUR"))])
    assert field_of(exc) == "task[T].budget"
    with pytest.raises(CurrencyMismatch) as exc:
        run([linear()], [TaskStatus("T", Money(Decimal(1), "EUR"))])
    assert field_of(exc) == "status[T].actual_cost"


def test_baseline_spread_problems() -> None:
    with pytest.raises(InvalidInput) as exc:
        run([linear(finish=date(2025, 4, 1))])
    assert field_of(exc) == "task[T].finish"
    with pytest.raises(InvalidInput) as exc:
        run([linear(start=date(2024, 12, 31))])
    assert field_of(exc) == "task[T].start"
    with pytest.raises(InvalidInput) as exc:
        run([linear(start=date(2025, 3, 1), finish=date(2025, 2, 1))])
    assert field_of(exc) == "task[T].finish"
    with pytest.raises(InvalidInput) as exc:
        run([Task("T", "P", usd(300))])
    assert field_of(exc) == "task[T].start"
    bad_sum = phased_task("T", ["100", "100", "100"], GRID)
    bad_sum = Task("T", "P", usd(301), period_amounts=bad_sum.period_amounts)
    with pytest.raises(InvalidInput, match="sum to") as exc:
        run([bad_sum])
    assert field_of(exc) == "task[T].period_amounts"


def test_hierarchy_problems() -> None:
    with pytest.raises(InvalidInput) as exc:
        run([linear()], nodes=[Node("P", "X")])
    assert field_of(exc) == "node[P].parent"
    with pytest.raises(InvalidInput, match="cycle"):
        run([linear()], nodes=[Node("P", "Q"), Node("Q", "P")])
    with pytest.raises(InvalidInput) as exc:
        analyse(GRID, project(), [Task("T", "nowhere", usd(1), date(2025, 1, 1),
                                       date(2025, 1, 2))], [], STATUS_DATE, currency="USD")
    assert field_of(exc) == "task[T].parent"
    with pytest.raises(InvalidInput) as exc:
        run([linear()], [TaskStatus("ghost", usd(1))])
    assert field_of(exc) == "status[ghost].task_id"


def test_status_date_outside_the_periods() -> None:
    with pytest.raises(InvalidInput) as exc:
        analyse(GRID, project(), [linear()], [], date(2025, 4, 1), currency="USD")
    assert field_of(exc) == "status_date"


def test_errors_are_value_errors() -> None:
    assert issubclass(InvalidInput, ValueError)
    assert issubclass(CurrencyMismatch, InvalidInput)
