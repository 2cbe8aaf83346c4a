from __future__ import annotations

from datetime import date
from decimal import Decimal

from projectoffice.engine.evm import TaskStatus, analyse
from projectoffice.engine.scurve import s_curve

from .evm_fixtures import months, phased_task, project, usd
from .test_evm_examples import EV_HISTORY, PLAN

GRID = months(12)


def history_until(month: int) -> list:  # type: ignore[type-arg]
    task = phased_task("W", PLAN, GRID)
    result = []
    for m in range(1, month + 1):
        ev = EV_HISTORY[m]
        status = TaskStatus("W", usd(ev + 10_000 * m),
                            percent_complete=Decimal(ev * 100) / Decimal(3_000_000))
        result.append(analyse(GRID, project(), [task], [status], GRID.ends[m - 1],
                              currency="USD"))
    return result


def test_s_curve_history_and_forecast() -> None:
    curve = s_curve(history_until(7), "P")
    points = {p.position: p for p in curve.points}
    assert [p.pv for p in curve.points[:12]][-1] == usd(3_000_000)
    assert points[Decimal(3)].ev == usd(380_000) and points[Decimal(3)].ac == usd(410_000)
    assert points[Decimal(8)].ev is None
    # Forecast starts where we are and reaches BAC and EAC at PD / SPI(t) = 15.27 months.
    assert points[Decimal(7)].forecast_ev == usd(1_150_000)
    assert curve.points[-1].position == Decimal(12) / (Decimal("5.5") / 7)
    assert curve.points[-1].forecast_ev == usd(3_000_000)
    assert curve.points[-1].forecast_ac == curve.eac
    # 3.2727 periods past 31 December, at the last period's 31 days: day 102 -> 12 April.
    assert curve.forecast_finish == date(2026, 4, 12)
    eight = points[Decimal(8)]
    assert eight.forecast_ev is not None and usd(1_150_000) < eight.forecast_ev < usd(3_000_000)


def test_mid_period_status_gets_its_own_point() -> None:
    task = phased_task("W", PLAN, GRID)
    status = TaskStatus("W", usd(1_000_000), percent_complete=Decimal(30))
    now = analyse(GRID, project(), [task], [status], date(2025, 7, 16), currency="USD")
    curve = s_curve([now], "P")
    point = next(p for p in curve.points if p.day == date(2025, 7, 16))
    # 1,300,000 + 300,000 x 16/31 = 1,454,838.709... -> 1,454,838.71
    assert point.pv == usd("1454838.71")
    assert point.ev == point.forecast_ev == usd(900_000)
    assert point.position == 6 + Decimal(16) / Decimal(31)
