"""Finance charts as SVG strings: the S-curve (cumulative PV, EV and AC by period and the
forecast), the cash flow by month and a benefit's realisation (trajectory and measurements)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from projectoffice.engine.scurve import SCurve

from .cashflow import CashFlow, CashFlowRollup

if TYPE_CHECKING:
    from .benefits import BenefitState

W, H, LEFT, BOTTOM, TOP, RIGHT = 760, 300, 70, 34, 16, 110
SERIES = (("pv", "Planned value (PV)", "#2454d6", ""), ("ev", "Earned value (EV)", "#1f9d55", ""),
          ("ac", "Actual cost (AC)", "#d64545", ""),
          ("forecast_ev", "EV forecast", "#1f9d55", "5 4"),
          ("forecast_ac", "AC forecast (to EAC)", "#d64545", "5 4"))


def s_curve_svg(curve: SCurve) -> str:
    points = curve.points
    if not points:
        return ""
    top = max([curve.bac.amount, curve.eac.amount] + [
        getattr(p, name).amount for p in points for name, *_ in SERIES
        if getattr(p, name) is not None]) or Decimal(1)
    first, last = Decimal(0), points[-1].position  # position 0: the grid's start, nothing yet
    span = (last - first) or Decimal(1)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(pos: Decimal) -> float:
        return LEFT + float((pos - first) / span) * plot_w

    def y(amount: Decimal) -> float:
        return TOP + plot_h - float(amount / top) * plot_h

    out = [f'<svg class="scurve" viewBox="0 0 {W} {H}" width="100%" role="img" '
           f'aria-label="S-curve of planned value, earned value and actual cost">']
    for k in range(5):
        value = top * k / 4
        yy = y(value)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="#e5e8ef"/><text x="{LEFT - 6}" y="{yy + 4:.1f}" font-size="11" '
                   f'text-anchor="end" fill="#6b7280">{value:,.0f}</text>')
    step = max(1, len(points) // 8)
    for p in points[::step]:
        out.append(f'<text x="{x(p.position):.1f}" y="{H - 12}" font-size="11" '
                   f'text-anchor="middle" fill="#6b7280">{p.day:%d %b}</text>')
    for n, (name, label, colour, dash) in enumerate(SERIES):
        coords = [f"{x(p.position):.1f},{y(getattr(p, name).amount):.1f}" for p in points
                  if getattr(p, name) is not None]
        if coords and not name.startswith("forecast"):
            coords.insert(0, f"{x(first):.1f},{y(Decimal(0)):.1f}")
        if coords:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline data-series="{name}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dashed} points="{" ".join(coords)}"/>')
        ly = TOP + 14 + n * 18
        out.append(f'<line x1="{W - RIGHT + 10}" x2="{W - RIGHT + 28}" y1="{ly - 4}" '
                   f'y2="{ly - 4}" stroke="{colour}" stroke-width="2"'
                   f'{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>'
                   f'<text x="{W - RIGHT + 32}" y="{ly}" font-size="11" fill="#374151">'
                   f'{escape(label.split(" (")[0])}</text>')
    out.append("</svg>")
    return "".join(out)


CASH_SERIES = (("cum_planned", "Planned (cumulative)", "#2454d6", "5 4"),
               ("cum_actual", "Actual cost (cumulative)", "#d64545", ""),
               ("cum_cash_out", "Cash out (cumulative)", "#1f9d55", ""))


def cash_flow_svg(flow: CashFlow | CashFlowRollup) -> str:
    """Monthly cash out as bars and the cumulative planned cost, actual cost and cash out as
    lines, one slot per month."""
    rows = flow.rows
    if not rows:
        return ""
    top = max([getattr(r, name) for r in rows for name, *_ in CASH_SERIES]
              + [r.cash_out for r in rows]) or Decimal(1)
    right = RIGHT + 30  # room for the legend's longer labels
    plot_w, plot_h = W - LEFT - right, H - TOP - BOTTOM
    slot = plot_w / len(rows)

    def x(n: int) -> float:
        return LEFT + slot * (n + 0.5)

    def y(amount: Decimal) -> float:
        return TOP + plot_h - float(max(amount, Decimal(0)) / top) * plot_h

    out = [f'<svg class="cashflow" viewBox="0 0 {W} {H}" width="100%" role="img" '
           f'aria-label="Cash flow by month: planned cost, actual cost and cash out">']
    for k in range(5):
        value = top * k / 4
        yy = y(value)
        out.append(f'<line x1="{LEFT}" x2="{W - right}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="#e5e8ef"/><text x="{LEFT - 6}" y="{yy + 4:.1f}" font-size="11" '
                   f'text-anchor="end" fill="#6b7280">{value:,.0f}</text>')
    bar = max(2.0, slot * 0.6)
    for n, r in enumerate(rows):
        if r.cash_out > 0:
            out.append(f'<rect data-month="{r.label}" x="{x(n) - bar / 2:.1f}" '
                       f'y="{y(r.cash_out):.1f}" width="{bar:.1f}" '
                       f'height="{TOP + plot_h - y(r.cash_out):.1f}" fill="#a7dcbc">'
                       f'<title>{r.label}: cash out {r.cash_out:,.2f}</title></rect>')
    step = max(1, -(-len(rows) // 9))
    for n, r in list(enumerate(rows))[::step]:
        out.append(f'<text x="{x(n):.1f}" y="{H - 12}" font-size="11" text-anchor="middle" '
                   f'fill="#6b7280">{r.month:%b %y}</text>')
    # Actual lines end with the last month that has actual cost or cash: the months after it
    # are still to come, not months of nothing.
    booked = [k for k, r in enumerate(rows) if r.actual or r.cash_out]
    last_booked = booked[-1] if booked else -1
    for n, (name, label, colour, dash) in enumerate(CASH_SERIES):
        shown = rows if name == "cum_planned" else rows[:last_booked + 1]
        coords = " ".join(f"{x(k):.1f},{y(getattr(r, name)):.1f}" for k, r in enumerate(shown))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline data-series="{name}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dashed} points="{coords}"/>')
        ly = TOP + 14 + n * 18
        out.append(f'<line x1="{W - right + 10}" x2="{W - right + 28}" y1="{ly - 4}" '
                   f'y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dashed}/>'
                   f'<text x="{W - right + 32}" y="{ly}" font-size="11" fill="#374151">'
                   f'{escape(label.split(" (")[0])}</text>')
    ly = TOP + 14 + len(CASH_SERIES) * 18
    out.append(f'<rect x="{W - right + 10}" y="{ly - 9}" width="18" height="9" '
               f'fill="#a7dcbc"/><text x="{W - right + 32}" y="{ly}" font-size="11" '
               f'fill="#374151">Cash out a month</text>')
    out.append("</svg>")
    return "".join(out)


def benefit_svg(state: BenefitState, today: dt.date) -> str:
    """A benefit's planned trajectory (baseline until realisation starts, straight to the
    target at full realisation) and its measurements, with today marked."""
    b = state.benefit
    if b.baseline_value is None or b.target_value is None:
        return ""
    days = [d for d in (b.baseline_date, b.realisation_start, b.full_realisation, today)
            if d is not None] + [m.measured_on for m in state.measurements]
    first, last = min(days), max(days)
    last = max(last, first + dt.timedelta(days=30))
    values = [b.baseline_value, b.target_value] + [m.value for m in state.measurements]
    low, high = min(values), max(values)
    pad = (high - low) / 10 or Decimal(1)
    low, high = low - pad, high + pad
    w, h, left, right, top, bottom = 760, 280, 70, 150, 16, 34
    plot_w, plot_h = w - left - right, h - top - bottom
    span = (last - first).days or 1

    def x(day: dt.date) -> float:
        return left + (day - first).days / span * plot_w

    def y(value: Decimal) -> float:
        return top + plot_h - float((value - low) / (high - low)) * plot_h

    unit = f" {b.unit}" if b.unit else ""
    out = [f'<svg class="benefit-chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
           f'aria-label="Planned realisation of {escape(b.reference)} and its measurements">']
    for k in range(5):
        value = low + (high - low) * k / 4
        yy = y(value)
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="#e5e8ef"/><text x="{left - 6}" y="{yy + 4:.1f}" font-size="11" '
                   f'text-anchor="end" fill="#6b7280">{value:,.{_places(high - low)}f}</text>')
    months = _month_starts(first, last)
    step = max(1, -(-len(months) // 7))
    for day in months[::step]:
        out.append(f'<text x="{x(day):.1f}" y="{h - 12}" font-size="11" text-anchor="middle" '
                   f'fill="#6b7280">{day:%b %y}</text>')
    if first <= today <= last:
        out.append(f'<line data-series="today" x1="{x(today):.1f}" x2="{x(today):.1f}" '
                   f'y1="{top}" y2="{top + plot_h}" stroke="#9ca3af" stroke-dasharray="2 3"/>'
                   f'<text x="{x(today) - 3:.1f}" y="{top + 10}" font-size="10" '
                   f'text-anchor="end" fill="#6b7280">today</text>')
    plan = [(first, b.baseline_value)]
    if b.realisation_start and b.full_realisation:
        plan += [(b.realisation_start, b.baseline_value), (b.full_realisation, b.target_value)]
    plan.append((last, b.target_value if b.full_realisation else b.baseline_value))
    coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in sorted(plan, key=lambda p: p[0]))
    out.append(f'<polyline data-series="planned" fill="none" stroke="#2454d6" '
               f'stroke-width="2" stroke-dasharray="6 4" points="{coords}"/>')
    out.append(f'<line data-series="target" x1="{left}" x2="{w - right}" '
               f'y1="{y(b.target_value):.1f}" y2="{y(b.target_value):.1f}" stroke="#1f9d55" '
               f'stroke-opacity="0.35"/>')
    if state.measurements:
        pts = " ".join(f"{x(m.measured_on):.1f},{y(m.value):.1f}" for m in state.measurements)
        out.append(f'<polyline data-series="actual" fill="none" stroke="#d97706" '
                   f'stroke-width="2" points="{pts}"/>')
        for m in state.measurements:
            out.append(f'<circle data-point="{m.measured_on.isoformat()}" '
                       f'cx="{x(m.measured_on):.1f}" cy="{y(m.value):.1f}" r="4" '
                       f'fill="#d97706"><title>{m.measured_on:%d %b %Y}: '
                       f'{m.value.normalize():f}{escape(unit)}</title></circle>')
    for n, (label, colour, dash) in enumerate((("Planned trajectory", "#2454d6", "6 4"),
                                               ("Measured", "#d97706", ""),
                                               ("Target", "#1f9d55", ""))):
        ly = top + 14 + n * 18
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{w - right + 10}" x2="{w - right + 28}" y1="{ly - 4}" '
                   f'y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dashed}/>'
                   f'<text x="{w - right + 32}" y="{ly}" font-size="11" fill="#374151">'
                   f'{label}</text>')
    out.append("</svg>")
    return "".join(out)


def _places(span: Decimal) -> int:
    return 0 if span >= 20 else (1 if span >= 2 else 2)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first.replace(day=1)
    if day < first:
        day = (day + dt.timedelta(days=32)).replace(day=1)
    months = []
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months or [first]
