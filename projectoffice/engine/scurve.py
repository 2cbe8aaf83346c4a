"""S-curve series for charts: cumulative PV, EV and AC by period, and the forecast to EAC.

Plain data, drawn as SVG elsewhere. The history comes from earlier analyses (one per past
status date), because earned value is measured at status dates and not reconstructed.
The forecast runs in straight lines from today's EV and AC to BAC and EAC at the forecast
finish: earned schedule's IEAC(t) when it is measurable, the planned finish otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from projectoffice.engine.errors import InvalidInput
from projectoffice.engine.evm import Analysis
from projectoffice.engine.money import DECIMAL_CONTEXT, Money, round_div


@dataclass(frozen=True, slots=True)
class SCurvePoint:
    """Cumulative amounts at one date; None where a series has no value at that date."""

    day: date
    position: Decimal
    pv: Money
    ev: Money | None = None
    ac: Money | None = None
    forecast_ev: Money | None = None
    forecast_ac: Money | None = None


@dataclass(frozen=True, slots=True)
class SCurve:
    node_id: str
    points: tuple[SCurvePoint, ...]
    bac: Money
    eac: Money
    forecast_finish: date | None


def _along(start: int, end: int, done: Decimal, span: Decimal) -> int:
    """Straight line from ``start`` to ``end`` after ``done`` of ``span``, in minor units."""
    numerator, denominator = DECIMAL_CONTEXT.divide(done, span).as_integer_ratio()
    return start + round_div((end - start) * numerator, denominator)


def s_curve(history: Sequence[Analysis], node_id: str) -> SCurve:
    """Chart series for one node from analyses at successive status dates (latest last).

    See docs/earned-value.md ("S-curve series").
    """
    if not history:
        raise InvalidInput("history", "needs at least the current analysis")
    dates = [a.status_date for a in history]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise InvalidInput("history", "analyses must be at distinct, increasing status dates")
    current = history[-1]
    grid, currency = current.grid, current.currency
    curve = current.node_pv_curves[node_id]
    now = current.node(node_id)
    measured = {a.status_date: a.node(node_id) for a in history}

    status_position = grid.position(current.status_date)
    finish_position: Decimal | None = None
    if now.ieac_t is not None:
        finish_position = DECIMAL_CONTEXT.add(Decimal(now.origin), now.ieac_t)
    elif now.planned_duration is not None:
        finish_position = Decimal(now.origin + now.planned_duration)
    eac = now.eac.to_minor()

    def money(minor: int) -> Money:
        return Money.from_minor(minor, currency)

    def forecast(position: Decimal) -> tuple[Money | None, Money | None]:
        if finish_position is None or position < status_position:
            return None, None
        if position >= finish_position or finish_position == status_position:
            return money(now.bac_minor), money(eac)
        done, span = position - status_position, finish_position - status_position
        return (
            money(_along(now.ev_minor, now.bac_minor, done, span)),
            money(_along(now.ac_minor, eac, done, span)),
        )

    points: list[SCurvePoint] = []
    for index, end in enumerate(grid.ends):
        position = Decimal(index + 1)
        past = measured.get(end)
        forecast_ev, forecast_ac = forecast(position)
        points.append(
            SCurvePoint(
                day=end,
                position=position,
                pv=money(curve[index]),
                ev=None if past is None else past.ev,
                ac=None if past is None else past.ac,
                forecast_ev=forecast_ev,
                forecast_ac=forecast_ac,
            )
        )
    if current.status_date not in grid.ends:
        # A mid-period status date gets its own point, so the lines start where we are.
        index = grid.index_of(current.status_date, "status_date")
        before = curve[index - 1] if index else 0
        planned = _along(before, curve[index], status_position - index, Decimal(1))
        points.append(
            SCurvePoint(current.status_date, status_position, money(planned), now.ev, now.ac,
                        now.ev, now.ac)
        )
    if finish_position is not None and finish_position > grid.count:
        points.append(
            SCurvePoint(grid.date_at(finish_position), finish_position, money(now.bac_minor),
                        None, None, money(now.bac_minor), money(eac))
        )
    points.sort(key=lambda p: p.position)
    return SCurve(
        node_id=node_id,
        points=tuple(points),
        bac=now.bac,
        eac=now.eac,
        forecast_finish=None if finish_position is None else grid.date_at(finish_position),
    )
