"""Task types: work = duration × units, the third following by MS Project's table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projectoffice.engine.task_types import (
    Loading,
    TaskType,
    TaskTypeError,
    recompute,
    share_work,
)

FIVE_DAYS = 5 * 480
BASE = Loading(FIVE_DAYS, Decimal(100), Decimal(40))


def test_fixed_units() -> None:
    t = TaskType.FIXED_UNITS
    assert recompute(t, BASE, duration=10 * 480) == Loading(4800, Decimal(100), Decimal(80))
    assert recompute(t, BASE, work=Decimal(20)) == Loading(1200, Decimal(100), Decimal(20))
    assert recompute(t, BASE, units=Decimal(50)) == Loading(4800, Decimal(50), Decimal(40))


def test_fixed_work() -> None:
    t = TaskType.FIXED_WORK
    assert recompute(t, BASE, duration=10 * 480) == Loading(4800, Decimal(50), Decimal(40))
    assert recompute(t, BASE, units=Decimal(200)) == Loading(1200, Decimal(200), Decimal(40))
    assert recompute(t, BASE, work=Decimal(80)) == Loading(4800, Decimal(100), Decimal(80))


def test_fixed_duration() -> None:
    t = TaskType.FIXED_DURATION
    assert recompute(t, BASE, duration=10 * 480) == Loading(4800, Decimal(100), Decimal(80))
    assert recompute(t, BASE, units=Decimal(50)) == Loading(FIVE_DAYS, Decimal(50), Decimal(20))
    assert recompute(t, BASE, work=Decimal(60)) == Loading(FIVE_DAYS, Decimal(150), Decimal(60))


def test_refusals() -> None:
    with pytest.raises(TaskTypeError):
        recompute(TaskType.FIXED_UNITS, BASE, units=Decimal(0))
    with pytest.raises(TaskTypeError):
        recompute(TaskType.FIXED_WORK, BASE, duration=0)
    with pytest.raises(TaskTypeError):
        recompute(TaskType.FIXED_UNITS, BASE, units=Decimal(50), work=Decimal(1))


def test_effort_driven_sharing() -> None:
    # A second person at 100 % halves a fixed-units task; the 40 h are shared.
    duration, loads = share_work(TaskType.FIXED_UNITS, FIVE_DAYS, [BASE], Decimal(100))
    assert duration == 1200
    assert [a.work for a in loads] == [Decimal(20), Decimal(20)]
    # Fixed duration keeps five days: both work at 50 %.
    duration, loads = share_work(TaskType.FIXED_DURATION, FIVE_DAYS, [BASE], Decimal(100))
    assert duration == FIVE_DAYS
    assert [(a.units, a.work) for a in loads] == [(Decimal(50), Decimal(20))] * 2
