"""The milestone trend chart as SVG: at each reporting (status) date, the forecast finish of
every milestone.  A flat line is a milestone holding its date, a rising line one that slips;
a line meets the diagonal (forecast = reporting date) when the milestone is reached."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

PALETTE = ("#5b8def", "#d64545", "#2e9e6a", "#e08a00", "#6b3fd6", "#0f8ea8", "#b8407f",
           "#7a8b1f", "#1f2a44", "#c2641c")
WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 78, 220, 18, 46


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _ticks(first: dt.date, last: dt.date, most: int) -> tuple[list[dt.date], str]:
    """Dates for the forecast axis and their label format: first days of months, or
    Mondays when the span is short, thinned to at most ``most`` ticks."""
    ticks = []
    if (last - first).days > 120:
        fmt = "%b %Y"
        d = dt.date(first.year, first.month, 1)
        while d <= last:
            if d >= first:
                ticks.append(d)
            d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    else:
        fmt = "%d %b"
        d = first + dt.timedelta(days=-first.weekday() % 7)
        while d <= last:
            ticks.append(d)
            d += dt.timedelta(days=7)
    step = max(1, -(-len(ticks) // most))
    return ticks[::step], fmt


def render_trend_svg(trend: dict[str, Any]) -> str:
    """``trend`` as ``queries.milestone_trend`` gives it; empty when there is no snapshot."""
    dates: list[dt.date] = list(trend["dates"])
    milestones = trend["milestones"]
    if not dates or not milestones:
        return ""
    forecasts = [_day(f) for m in milestones for _, f in m["points"]]
    x0, x1 = dates[0], dates[-1]
    if x0 == x1:
        x0, x1 = x0 - dt.timedelta(days=7), x1 + dt.timedelta(days=7)
    y0 = min(min(forecasts), x0)
    y1 = max(max(forecasts), x1)
    pad = max((y1 - y0).days // 20, 3)
    y0, y1 = y0 - dt.timedelta(days=pad), y1 + dt.timedelta(days=pad)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: dt.date) -> float:
        return round(LEFT + (d - x0).days / max((x1 - x0).days, 1) * plot_w, 1)

    def y(d: dt.date) -> float:
        return round(TOP + plot_h - (d - y0).days / max((y1 - y0).days, 1) * plot_h, 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" width="{WIDTH}" '
           f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="Milestone trend: forecast finish of {len(milestones)} milestone'
           f'{"s" if len(milestones) != 1 else ""} at {len(dates)} reporting date'
           f'{"s" if len(dates) != 1 else ""}" font-family="system-ui, sans-serif" '
           f'font-size="11">',
           f'<rect class="trend-plot" x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" '
           f'fill="#fafbfc" stroke="#d9dde5"/>']
    ticks, fmt = _ticks(y0, y1, 8)
    for d in ticks:
        out.append(f'<line x1="{LEFT}" y1="{y(d)}" x2="{LEFT + plot_w}" y2="{y(d)}" '
                   f'stroke="#eef0f4"/><text x="{LEFT - 6}" y="{y(d) + 4}" text-anchor="end" '
                   f'fill="#6b7385">{d.strftime(fmt)}</text>')
    for d in dates:
        out.append(f'<line x1="{x(d)}" y1="{TOP}" x2="{x(d)}" y2="{TOP + plot_h}" '
                   f'stroke="#eef0f4"/><text x="{x(d)}" y="{TOP + plot_h + 16}" '
                   f'text-anchor="middle" fill="#6b7385">{d:%d %b}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 6}" text-anchor="middle" '
               f'fill="#4a5266">Reporting date</text>'
               f'<text x="14" y="{TOP + plot_h / 2}" text-anchor="middle" fill="#4a5266" '
               f'transform="rotate(-90 14 {TOP + plot_h / 2})">Forecast finish</text>')
    # The diagonal: forecast = reporting date, clipped to the plot.
    low, high = max(x0, y0), min(x1, y1)
    if low <= high:
        out.append(f'<line class="trend-diagonal" x1="{x(low)}" y1="{y(low)}" x2="{x(high)}" '
                   f'y2="{y(high)}" stroke="#8a91a3" stroke-dasharray="5 4">'
                   f'<title>Forecast = reporting date</title></line>')
    for k, m in enumerate(milestones):
        colour = PALETTE[k % len(PALETTE)]
        points = sorted((_day(s), _day(f)) for s, f in m["points"])
        path = " ".join(f"{x(s)},{y(f)}" for s, f in points)
        name = escape(m["name"] or f"UID {m['uid']}")
        first, last = points[0][1], points[-1][1]
        slip = (last - first).days
        out.append(f'<g class="trend-milestone" data-uid="{m["uid"]}">'
                   f'<polyline points="{path}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"/>')
        for s, f in points:
            out.append(f'<circle cx="{x(s)}" cy="{y(f)}" r="3.5" fill="{colour}">'
                       f'<title>{name}: {f:%d %b %Y} at {s:%d %b %Y}</title></circle>')
        out.append("</g>")
        ly = TOP + 8 + 18 * k
        if ly < HEIGHT - BOTTOM:
            label = name if len(name) <= 24 else name[:23] + "…"
            moved = f"+{slip}d" if slip > 0 else (f"{slip}d" if slip < 0 else "held")
            out.append(f'<rect x="{WIDTH - RIGHT + 14}" y="{ly - 8}" width="10" height="10" '
                       f'fill="{colour}"/><text class="trend-legend" '
                       f'x="{WIDTH - RIGHT + 30}" y="{ly + 1}" fill="#1f2a44">{label} '
                       f'<tspan fill="{"#d64545" if slip > 0 else "#6b7385"}">{moved}</tspan>'
                       f'</text>')
    out.append("</svg>")
    return "".join(out)
