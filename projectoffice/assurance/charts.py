"""The test burn-up as server-side SVG: cases executed and passed over time against the
cases planned, with the test milestone marked. Every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .queries import BurnPoint


def burn_up_svg(points: Sequence[BurnPoint], planned: int, title: str,
                milestone: tuple[date, str] | None = None) -> SafeString:
    width, height, left, right, top, bottom = 640, 230, 44, 16, 30, 34
    inner_w, inner_h = width - left - right, height - top - bottom
    out = [f'<svg class="assurance-burnup" viewBox="0 0 {width} {height}" width="100%" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
           f'<text x="{left}" y="18" font-size="13" font-weight="600" fill="#1f2a44">'
           f'{escape(title)}</text>']
    if not points:
        out.append(f'<text x="{left}" y="{top + inner_h / 2}" font-size="12" fill="#666">'
                   'No executions yet.</text></svg>')
        return mark_safe("".join(out))  # every text above is escaped
    days = [p.day for p in points]
    first, last = days[0], max(days[-1], milestone[0] if milestone else days[-1])
    if last == first:
        last = first + timedelta(days=1)
    span = (last - first).days
    peak = max(planned, *(p.executed for p in points), 1)

    def x(day: date) -> float:
        return round(left + inner_w * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(top + inner_h - inner_h * value / peak, 1)

    step = max(1, -(-peak // 5))
    peak = -(-peak // step) * step
    for value in range(0, peak + 1, step):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value)}" y2="{y(value)}" '
                   f'stroke="#e3e6ec"/><text x="{left - 6}" y="{y(value) + 4}" '
                   f'text-anchor="end" font-size="11" fill="#666">{value}</text>')
    out.append(f'<text x="{left}" y="{height - 10}" font-size="11" fill="#666">'
               f'{first:%d %b %Y}</text><text x="{width - right}" y="{height - 10}" '
               f'text-anchor="end" font-size="11" fill="#666">{last:%d %b %Y}</text>')
    if planned:
        out.append(f'<line class="planned" x1="{left}" x2="{width - right}" y1="{y(planned)}" '
                   f'y2="{y(planned)}" stroke="#1f2a44" stroke-dasharray="5 4"/>'
                   f'<text x="{width - right}" y="{y(planned) - 5}" text-anchor="end" '
                   f'font-size="11" fill="#1f2a44">{planned} cases planned</text>')
    if milestone:
        mx = x(milestone[0])
        out.append(f'<line class="milestone" x1="{mx}" x2="{mx}" y1="{top}" '
                   f'y2="{top + inner_h}" stroke="#b45309" stroke-dasharray="3 3"/>'
                   f'<text x="{mx - 4}" y="{top + 10}" text-anchor="end" font-size="11" '
                   f'fill="#b45309">{escape(milestone[1])} {milestone[0]:%d %b}</text>')
    for attr, colour, label in (("executed", "#2563eb", "Executed"),
                                ("passed", "#15803d", "Passed")):
        coords = " ".join(f"{x(p.day)},{y(getattr(p, attr))}" for p in points)
        out.append(f'<polyline class="{attr}" points="{coords}" fill="none" stroke="{colour}" '
                   f'stroke-width="2.5"/>')
        for p in points:
            value = getattr(p, attr)
            out.append(f'<circle cx="{x(p.day)}" cy="{y(value)}" r="3" fill="{colour}">'
                       f'<title>{label} {value} by {p.day:%d %b %Y}</title></circle>')
    mid = left + inner_w / 2 - 80
    out.append(f'<g font-size="11"><rect x="{mid}" y="{height - 16}" width="10" height="3" '
               f'fill="#2563eb"/><text x="{mid + 14}" y="{height - 11}" fill="#333">Executed '
               f'{points[-1].executed}</text><rect x="{mid + 100}" y="{height - 16}" '
               f'width="10" height="3" fill="#15803d"/><text x="{mid + 114}" '
               f'y="{height - 11}" fill="#333">Passed {points[-1].passed}</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
