"""Server-side SVG charts of schedule risk and health: the finish histogram, the S-curve
(with an earlier run to compare), the tornado of drivers and the DCMA trend.  Every text is
escaped; no script, no external resource."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, GRID = "#1f2a44", "#5b6372", "#e3e6ec"
BAR, COMPARE, MARK = "#3b6fd8", "#9aa3b5", "#c0392b"



def _count_grid(out: list[str], left: float, right: float, top: float, base: float,
                top_count: int, *, shares: bool = False) -> None:
    """A histogram's horizontal grid: iterations counted on the left and, under an S-curve,
    the cumulative share on the right."""
    for k in range(5):
        y = base - (base - top) * k / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{MUTED}" '
                   f'text-anchor="end">{round(top_count * k / 4)}</text>')
        if shares:
            out.append(f'<text x="{right + 6}" y="{y + 4:.1f}" font-size="11" '
                       f'fill="{MUTED}">{25 * k}%</text>')

def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _open(width: int, height: int, title: str, css: str) -> list[str]:
    return [f'<svg class="{css}" viewBox="0 0 {width} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(title)}" '
            f'style="max-width:{width}px">', f"<title>{escape(title)}</title>"]


def _date_axis(lo: float, hi: float, left: float, right: float, base: float,
               out: list[str], ticks: int = 5) -> None:
    for k in range(ticks + 1):
        value = lo + (hi - lo) * k / ticks
        x = left + (right - left) * k / ticks
        label = dt.datetime.fromtimestamp(value, dt.UTC).strftime("%-d %b %y")
        anchor = "start" if k == 0 else "end" if k == ticks else "middle"
        out.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" '
                   f'stroke="{MUTED}"/>'
                   f'<text x="{x:.1f}" y="{base + 17}" font-size="11" fill="{MUTED}" '
                   f'text-anchor="{anchor}">{escape(label)}</text>')


def _ts(text: str) -> float:
    return _when(text).replace(tzinfo=dt.UTC).timestamp()


def _marker(x: float, top: float, base: float, label: str, colour: str,
            out: list[str], row: int = 0) -> None:
    out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}" stroke="{colour}" '
               f'stroke-dasharray="4 3"/>'
               f'<text x="{x + 3:.1f}" y="{top + 10 + 12 * row}" font-size="11" '
               f'fill="{colour}">{escape(label)}</text>')


def histogram_svg(results: dict[str, Any], title: str = "Finish date distribution") -> SafeString:
    bins = results.get("histogram") or []
    width, height, left, right, top, base = 560, 250, 40, 530, 16, 210
    out = _open(width, height, title, "risk-histogram")
    if not bins:
        out.append("</svg>")
        return mark_safe("".join(out))
    lo, hi = _ts(bins[0][0]), _ts(bins[-1][1])
    hi = hi if hi > lo else lo + 86400
    top_count = max(n for _, _, n in bins) or 1
    scale_x = (right - left) / (hi - lo)
    _count_grid(out, left, right, top, base, top_count)
    for a, b, n in bins:
        x0, x1 = left + (_ts(a) - lo) * scale_x, left + (_ts(b) - lo) * scale_x
        h = (base - top) * n / top_count
        out.append(f'<rect x="{x0:.1f}" y="{base - h:.1f}" width="{max(x1 - x0 - 1, 1):.1f}" '
                   f'height="{h:.1f}" fill="{BAR}"><title>{escape(a[:10])} – '
                   f'{escape(b[:10])}: {n} iterations</title></rect>')
    _date_axis(lo, hi, left, right, base, out)
    for row, (label, key, colour) in enumerate((("Plan", "deterministic_finish", INK),
                                                ("P50", "50", MUTED), ("P80", "80", MARK))):
        text = results["deterministic_finish"] if key == "deterministic_finish" \
            else results["finish"][key]
        x = left + (_ts(text) - lo) * scale_x
        _marker(min(max(x, left), right), top, base, label, colour, out, row)
    out.append(f'<text x="{left}" y="{height - 6}" font-size="11" fill="{MUTED}">'
               f'Iterations finishing in each period</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def scurve_svg(curves: Sequence[tuple[str, dict[str, Any]]],
               title: str = "Probability of finishing by a date") -> SafeString:
    """One S-curve per (label, results); the first is drawn strong, the others for compare."""
    width, height, left, right, top, base = 560, 250, 40, 530, 16, 210
    out = _open(width, height, title, "risk-scurve")
    points = [(label, [(p, _ts(f)) for p, f in r.get("cdf", [])]) for label, r in curves]
    stamps = [t for _, pts in points for _, t in pts]
    if not stamps:
        out.append("</svg>")
        return mark_safe("".join(out))
    lo, hi = min(stamps), max(stamps)
    hi = hi if hi > lo else lo + 86400
    scale_x = (right - left) / (hi - lo)
    for k in range(5):
        y = base - (base - top) * k / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{MUTED}" '
                   f'text-anchor="end">{25 * k}%</text>')
    for index, (label, pts) in reversed(list(enumerate(points))):
        path = " ".join(f"{'M' if k == 0 else 'L'}{left + (t - lo) * scale_x:.1f},"
                        f"{base - (base - top) * p:.1f}" for k, (p, t) in enumerate(pts))
        colour, stroke = (BAR, 2.5) if index == 0 else (COMPARE, 1.5)
        dash = "" if index == 0 else ' stroke-dasharray="5 4"'
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"'
                   f'{dash}><title>{escape(label)}</title></path>')
    first = curves[0][1]
    x = left + (_ts(first["deterministic_finish"]) - lo) * scale_x
    _marker(min(max(x, left), right), top, base, "Plan", INK, out)
    _date_axis(lo, hi, left, right, base, out)
    legend_x = left
    for index, (label, _) in enumerate(points):
        colour = BAR if index == 0 else COMPARE
        out.append(f'<rect x="{legend_x}" y="{height - 16}" width="12" height="4" '
                   f'fill="{colour}"/><text x="{legend_x + 16}" y="{height - 10}" '
                   f'font-size="11" fill="{MUTED}">{escape(label)}</text>')
        legend_x += 20 + 7 * len(label) + 16
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def tornado_svg(drivers: Sequence[dict[str, Any]], title: str = "What drives the finish"
                ) -> SafeString:
    rows = list(drivers)[:10]
    width, label_w, bar_w, row_h, top = 720, 300, 360, 24, 24
    height = top + row_h * max(len(rows), 1) + 26
    out = _open(width, height, title, "risk-tornado")
    centre = label_w + bar_w / 2
    out.append(f'<line x1="{centre}" y1="{top - 6}" x2="{centre}" '
               f'y2="{top + row_h * len(rows)}" stroke="{MUTED}"/>')
    for k, d in enumerate(rows):
        y = top + k * row_h
        value = float(d["correlation"])
        length = bar_w / 2 * min(abs(value), 1.0)
        x = centre if value >= 0 else centre - length
        colour = MARK if d["kind"] == "risk" else BAR
        name = str(d["name"])
        short = name if len(name) <= 42 else name[:41] + "…"
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" fill="{INK}" '
                   f'text-anchor="end">{escape(short)}</text>'
                   f'<rect x="{x:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" '
                   f'height="{row_h - 8}" fill="{colour}"><title>{escape(name)}: '
                   f'{value:+.2f}</title></rect>'
                   f'<text x="{centre + (length + 6 if value >= 0 else -length - 6):.1f}" '
                   f'y="{y + 15}" font-size="11" fill="{MUTED}" '
                   f'text-anchor="{"start" if value >= 0 else "end"}">{value:+.2f}</text>')
    out.append(f'<text x="{label_w}" y="{height - 8}" font-size="11" fill="{MUTED}">'
               f'Correlation with the finish · blue: task duration · red: risk event</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def health_trend_svg(records: Sequence[Any], title: str = "Checks passed by status date"
                     ) -> SafeString:
    width, height, left, right, top, base = 720, 200, 70, 650, 16, 160
    out = _open(width, height, title, "health-trend")
    for k in (0, 7, 14):
        y = base - (base - top) * k / 14
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{MUTED}" '
                   f'text-anchor="end">{k}</text>')
    n = len(records)
    if n:
        step = (right - left) / max(n - 1, 1)
        coords = [(left + (step * k if n > 1 else (right - left) / 2),
                   base - (base - top) * r.passed / 14) for k, r in enumerate(records)]
        if n > 1:
            path = " ".join(f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}"
                            for k, (x, y) in enumerate(coords))
            out.append(f'<path d="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
        for (x, y), r in zip(coords, records, strict=True):
            label = r.status_date.strftime("%-d %b %Y")
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BAR}">'
                       f'<title>{escape(label)}: {r.passed} passed, {r.failed} failed</title>'
                       f'</circle><text x="{x:.1f}" y="{base + 16}" font-size="11" '
                       f'fill="{MUTED}" text-anchor="middle">{escape(label)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def _money(value: float) -> str:
    for size, unit in ((1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{unit}"
    return f"{value:,.0f}"


def cost_svg(cost: dict[str, Any], title: str = "Cost distribution") -> SafeString:
    """The plan's cost: a histogram of iterations (bars, left scale) with the S-curve of the
    probability of staying within each cost (line, right scale), the planned cost, P50 and
    P80 marked."""
    bins = cost.get("histogram") or []
    width, height, left, right, top, base = 560, 250, 40, 510, 16, 210
    out = _open(width, height, title, "risk-cost")
    if not bins:
        out.append("</svg>")
        return mark_safe("".join(out))
    lo, hi = float(bins[0][0]), float(bins[-1][1])
    lo = min(lo, float(cost["planned"]))
    hi = hi if hi > lo else lo + 1
    top_count = max(n for _, _, n in bins) or 1
    scale_x = (right - left) / (hi - lo)
    _count_grid(out, left, right, top, base, top_count, shares=True)
    for a, b, n in bins:
        x0, x1 = left + (float(a) - lo) * scale_x, left + (float(b) - lo) * scale_x
        h = (base - top) * n / top_count
        out.append(f'<rect x="{x0:.1f}" y="{base - h:.1f}" width="{max(x1 - x0 - 1, 1):.1f}" '
                   f'height="{h:.1f}" fill="{COMPARE}"><title>{escape(_money(float(a)))} – '
                   f'{escape(_money(float(b)))}: {n} iterations</title></rect>')
    curve = cost.get("cdf") or []
    if curve:
        path = " ".join(f"{'M' if k == 0 else 'L'}{left + (float(v) - lo) * scale_x:.1f},"
                        f"{base - (base - top) * float(p):.1f}"
                        for k, (p, v) in enumerate(curve))
        out.append(f'<path d="{path}" fill="none" stroke="{BAR}" stroke-width="2.5">'
                   f'<title>Probability of costing at most</title></path>')
    for k in range(5):
        value = lo + (hi - lo) * k / 4
        x = left + (right - left) * k / 4
        anchor = "start" if k == 0 else "end" if k == 4 else "middle"
        out.append(f'<text x="{x:.1f}" y="{base + 17}" font-size="11" fill="{MUTED}" '
                   f'text-anchor="{anchor}">{escape(_money(value))}</text>')
    for row, (label, key, colour) in enumerate((("Plan", "planned", INK),
                                                ("P50", "50", MUTED), ("P80", "80", MARK))):
        x = left + (float(cost[key]) - lo) * scale_x
        _marker(min(max(x, left), right), top, base, label, colour, out, row)
    out.append(f'<text x="{left}" y="{height - 6}" font-size="11" fill="{MUTED}">'
               f'{escape(cost.get("currency", ""))} · bars: iterations at each cost · line: '
               f'probability of costing at most</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
