"""Server-side SVG pictures of engagement: the power/interest grid, the attitude gap and
the effectiveness of communications over time. Every text is escaped; no script."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from projectoffice.engine.engagement import ATTITUDES, SCALE, readiness_band

from .queries import MapRow

INK, MUTED, GRID = "#1f2a44", "#5d6679", "#c8ccd4"
QUADRANT_FILL = {"Manage closely": "#fde2d8", "Keep satisfied": "#fff1c2",
                 "Keep informed": "#dcebfa", "Monitor": "#eef0f4"}


def _open(cls: str, width: int, height: int, title: str, fixed: bool = False) -> list[str]:
    """A fixed picture keeps its size (its box scrolls on a phone); others shrink to fit."""
    size = (f'width="{width}" height="{height}"' if fixed
            else f'width="100%" style="max-width:{width}px"')
    return [f'<svg class="{cls}" viewBox="0 0 {width} {height}" {size} role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>']


def power_interest_svg(rows: Sequence[MapRow]) -> SafeString:
    """Interest across, power up, on the 1–5 scale; the four quadrants shaded and named
    (high is 4 or 5, engine.engagement.quadrant); each stakeholder a dot labelled with their
    name (up to three a cell, the rest counted)."""
    cw, ch, left, top = 118, 70, 46, 12
    width, height = left + cw * SCALE + 12, top + ch * SCALE + 44
    split = int((SCALE + 1) / 2)  # the last "low" score: 3 on a 1–5 scale
    title = "Power and interest grid"
    out = _open("engagement-grid", width, height, title, fixed=True)
    low_w, high_w = cw * split, cw * (SCALE - split)
    low_h, high_h = ch * split, ch * (SCALE - split)
    for (x, y, w, h, label) in (
            (left, top, low_w, high_h, "Keep satisfied"),
            (left + low_w, top, high_w, high_h, "Manage closely"),
            (left, top + high_h, low_w, low_h, "Monitor"),
            (left + low_w, top + high_h, high_w, low_h, "Keep informed")):
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" '
                   f'fill="{QUADRANT_FILL[label]}"/>'
                   f'<text x="{x + w - 8}" y="{y + h - 8}" text-anchor="end" font-size="12" '
                   f'font-weight="600" fill="{MUTED}">{label}</text>')
    for n in range(SCALE + 1):
        out.append(f'<line x1="{left + n * cw}" x2="{left + n * cw}" y1="{top}" '
                   f'y2="{top + ch * SCALE}" stroke="{GRID}" stroke-width="0.6"/>'
                   f'<line x1="{left}" x2="{left + cw * SCALE}" y1="{top + n * ch}" '
                   f'y2="{top + n * ch}" stroke="{GRID}" stroke-width="0.6"/>')
    for n in range(1, SCALE + 1):
        out.append(f'<text x="{left - 8}" y="{top + (SCALE - n) * ch + ch / 2 + 4}" '
                   f'text-anchor="end" font-size="12" fill="{MUTED}">{n}</text>'
                   f'<text x="{left + (n - 1) * cw + cw / 2}" y="{top + ch * SCALE + 16}" '
                   f'text-anchor="middle" font-size="12" fill="{MUTED}">{n}</text>')
    out.append(f'<text x="{left + cw * SCALE / 2}" y="{height - 8}" text-anchor="middle" '
               f'font-size="12" fill="{INK}">Interest →</text>'
               f'<text x="14" y="{top + ch * SCALE / 2}" text-anchor="middle" '
               f'font-size="12" fill="{INK}" '
               f'transform="rotate(-90 14 {top + ch * SCALE / 2})">Power →</text>')
    cells: dict[tuple[int, int], list[MapRow]] = {}
    for row in rows:
        cells.setdefault((row.stakeholder.power, row.stakeholder.interest), []).append(row)
    for (power, interest), found in sorted(cells.items()):
        x0, y0 = left + (interest - 1) * cw, top + (SCALE - power) * ch
        shown = found if len(found) <= 3 else found[:2]
        for n, row in enumerate(shown):
            s = row.stakeholder
            cx, cy = x0 + 11, y0 + 18 + n * 16
            colour = "#c0392b" if row.gap > 0 else "#1e7b4f"
            name = s.title if len(s.title) <= 15 else s.title[:14] + "…"
            out.append(f'<g class="stakeholder" data-reference="{escape(s.reference)}">'
                       f'<title>{escape(s.reference)} {escape(s.title)}: power {power}, '
                       f'interest {interest} — {escape(row.quadrant)}</title>'
                       f'<circle cx="{cx}" cy="{cy - 4}" r="5" fill="{colour}"/>'
                       f'<text x="{cx + 9}" y="{cy}" font-size="11" fill="{INK}">'
                       f'{escape(name)}</text></g>')
        if len(found) > len(shown):
            rest = ", ".join(r.stakeholder.title for r in found[len(shown):])
            out.append(f'<text x="{x0 + 11}" y="{y0 + 18 + len(shown) * 16}" font-size="11" '
                       f'fill="{MUTED}"><title>{escape(rest)}</title>'
                       f'+{len(found) - len(shown)} more</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def attitude_gap_svg(rows: Sequence[MapRow]) -> SafeString:
    """One line per stakeholder across the engagement levels: a hollow ring where they are,
    a filled dot where they should be, an arrow between when they must move."""
    label_w, step, top, row_h = 150, 92, 34, 26
    width = label_w + step * (len(ATTITUDES) - 1) + 50
    height = top + row_h * max(1, len(rows)) + 10
    title = "Attitude now and wanted"
    out = _open("engagement-gap", width, height, title, fixed=True)
    out.append('<defs><marker id="gap-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
               'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
               f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{INK}"/></marker></defs>')
    for n, level in enumerate(ATTITUDES):
        x = label_w + 20 + n * step
        out.append(f'<line x1="{x}" x2="{x}" y1="{top - 8}" y2="{height - 6}" '
                   f'stroke="{GRID}" stroke-width="0.6"/>'
                   f'<text x="{x}" y="{top - 14}" text-anchor="middle" font-size="12" '
                   f'fill="{MUTED}">{level.title()}</text>')
    if not rows:
        out.append(f'<text x="{label_w}" y="{top + 16}" font-size="12" fill="{MUTED}">'
                   'No stakeholders yet.</text>')
    for n, row in enumerate(rows):
        s = row.stakeholder
        y = top + n * row_h + row_h / 2
        now_x = label_w + 20 + ATTITUDES.index(s.attitude_now) * step
        want_x = label_w + 20 + ATTITUDES.index(s.attitude_wanted) * step
        name = s.title if len(s.title) <= 22 else s.title[:21] + "…"
        out.append(f'<g class="gap-row" data-reference="{escape(s.reference)}" '
                   f'data-gap="{row.gap}"><title>{escape(s.title)}: '
                   f'{escape(s.get_attitude_now_display())} now, '
                   f'{escape(s.get_attitude_wanted_display())} wanted</title>'
                   f'<text x="{label_w - 6}" y="{y + 4}" text-anchor="end" font-size="12" '
                   f'fill="{INK}">{escape(name)}</text>')
        if now_x != want_x:
            end = want_x - 9 if want_x > now_x else want_x + 9
            colour = "#c0392b" if row.gap > 0 else MUTED
            out.append(f'<line x1="{now_x}" x2="{end}" y1="{y}" y2="{y}" stroke="{colour}" '
                       'stroke-width="2" marker-end="url(#gap-arrow)"/>')
        out.append(f'<circle cx="{want_x}" cy="{y}" r="6" fill="#1e7b4f"/>'
                   f'<circle cx="{now_x}" cy="{y}" r="6" fill="#fff" stroke="{INK}" '
                   'stroke-width="2"/></g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def effectiveness_svg(points: Sequence[tuple[dt.date, float | None, float | None, str]]
                      ) -> SafeString:
    """Each survey sent: a bar for its response rate (left scale, %) and a point on the line
    of its mean rating (right scale, 1–5), oldest on the left."""
    width, height, left, right, top, bottom = 680, 240, 44, 40, 28, 42
    inner_w, inner_h = width - left - right, height - top - bottom
    title = "Survey response rate and mean rating"
    out = _open("engagement-effect", width, height, title)
    out.append(f'<text x="{left}" y="16" font-size="12" fill="{INK}">'
               '<tspan fill="#7c9bd1">■</tspan> response rate (%)   '
               '<tspan fill="#c77c02">●</tspan> mean rating (1–5)</text>')
    for k in range(5):
        y = top + inner_h - inner_h * k / 4
        out.append(f'<line x1="{left}" x2="{left + inner_w}" y1="{y}" y2="{y}" '
                   f'stroke="#e3e6ec"/><text x="{left - 6}" y="{y + 4}" text-anchor="end" '
                   f'font-size="11" fill="{MUTED}">{25 * k}</text>'
                   f'<text x="{left + inner_w + 6}" y="{y + 4}" font-size="11" '
                   f'fill="{MUTED}">{1 + k}</text>')
    if not points:
        out.append(f'<text x="{left + 10}" y="{top + inner_h / 2}" font-size="12" '
                   f'fill="{MUTED}">No survey sent yet.</text>')
    slot = inner_w / max(1, len(points))
    line: list[str] = []
    for n, (day, rate, mean, ref) in enumerate(points):
        x = left + n * slot + slot / 2
        if rate is not None:
            h = inner_h * rate
            out.append(f'<rect class="rate" x="{x - min(18, slot / 3):.1f}" '
                       f'y="{top + inner_h - h:.1f}" width="{min(36, slot / 1.5):.1f}" '
                       f'height="{h:.1f}" fill="#7c9bd1"><title>{escape(ref)} '
                       f'{day:%d %b}: {rate * 100:.0f} % answered</title></rect>')
        if mean is not None:
            y = top + inner_h - inner_h * (mean - 1) / 4
            line.append(f"{x:.1f},{y:.1f}")
            out.append(f'<circle class="mean" cx="{x:.1f}" cy="{y:.1f}" r="4.5" '
                       f'fill="#c77c02"><title>{escape(ref)} {day:%d %b}: mean rating '
                       f'{mean:.1f}</title></circle>')
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                   f'font-size="11" fill="{MUTED}">{day:%d %b}</text>'
                   f'<text x="{x:.1f}" y="{height - bottom + 30}" text-anchor="middle" '
                   f'font-size="10" fill="{MUTED}">{escape(ref)}</text>')
    if len(line) > 1:
        out.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#c77c02" '
                   'stroke-width="2"/>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


BAND_FILL = {"barrier": "#f8c4c4", "concern": "#fff1c2", "ready": "#d9f2e3"}
LINE_COLOURS = ("#2457c5", "#c0392b", "#1e7b4f", "#935a00", "#6b3fd6", "#0e7490",
                "#9d174d", "#4a5468")


def readiness_heat_svg(rows: Sequence[tuple[str, str, tuple[int, ...] | None,
                                            dt.date | None]],
                       dimensions: Sequence[str]) -> SafeString:
    """Groups down, ADKAR dimensions across (and the overall mean): each cell the group's
    latest score, red for a barrier (below 3), amber for a concern (3), green when ready."""
    label_w, cw, ch, top = 170, 92, 34, 30
    cols = [*dimensions, "Overall"]
    width = label_w + cw * len(cols) + 8
    height = top + ch * max(1, len(rows)) + 8
    title = "Readiness by group and dimension"
    out = _open("engagement-heat", width, height, title, fixed=True)
    for n, label in enumerate(cols):
        out.append(f'<text x="{label_w + n * cw + cw / 2}" y="{top - 10}" text-anchor="middle" '
                   f'font-size="12" font-weight="600" fill="{MUTED}">{escape(label)}</text>')
    if not rows:
        out.append(f'<text x="{label_w}" y="{top + 20}" font-size="12" fill="{MUTED}">'
                   'No group assessed yet.</text>')
    for r, (name, ref, scores, day) in enumerate(rows):
        y = top + r * ch
        short = name if len(name) <= 24 else name[:23] + "…"
        when = f" on {day:%d %b %Y}" if day else ""
        out.append(f'<text x="{label_w - 8}" y="{y + ch / 2 + 4}" text-anchor="end" '
                   f'font-size="12" fill="{INK}">{escape(short)}</text>')
        values: list[float | None] = list(scores) if scores else [None] * len(dimensions)
        values.append(sum(scores) / len(scores) if scores else None)
        for n, value in enumerate(values):
            x = label_w + n * cw
            fill = BAND_FILL[readiness_band(value)] if value is not None else "#f4f6f9"
            text = ("–" if value is None else f"{value:.1f}" if n == len(dimensions)
                    else f"{value:.0f}")
            tip = f"{name} — {cols[n]}: {text}{when}"
            out.append(f'<g class="heat-cell" data-group="{escape(ref)}" '
                       f'data-dimension="{escape(cols[n].lower())}" data-score="{text}">'
                       f'<title>{escape(tip)}</title>'
                       f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" '
                       f'rx="4" fill="{fill}" stroke="#c8ccd4" stroke-width="0.5"/>'
                       f'<text x="{x + cw / 2}" y="{y + ch / 2 + 5}" text-anchor="middle" '
                       f'font-size="13" font-weight="600" fill="{INK}">{text}</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def readiness_trend_svg(series: Sequence[tuple[str, Sequence[tuple[dt.date, float]]]],
                        go_live: dt.date | None, go_live_label: str = "Go-live"
                        ) -> SafeString:
    """Each group's overall readiness (mean of its ADKAR scores, 1–5) over time, the
    'ready' line at 3.5 and the go-live milestone as a dashed line."""
    width, height, left, right, top, bottom = 720, 260, 40, 150, 24, 34
    inner_w, inner_h = width - left - right, height - top - bottom
    title = "Readiness towards go-live"
    out = _open("engagement-trend", width, height, title)
    days = [d for _, points in series for d, _ in points] + ([go_live] if go_live else [])
    if not days:
        out.append(f'<text x="{left}" y="{top + 20}" font-size="12" fill="{MUTED}">'
                   'No assessment yet.</text></svg>')
        return mark_safe("".join(out))
    first, last = min(days), max(days)
    span = max(1, (last - first).days)

    def px(day: dt.date) -> float:
        return left + inner_w * (day - first).days / span

    def py(score: float) -> float:
        return top + inner_h - inner_h * (score - 1) / 4

    for k in range(1, 6):
        out.append(f'<line x1="{left}" x2="{left + inner_w}" y1="{py(k)}" y2="{py(k)}" '
                   f'stroke="#e3e6ec"/><text x="{left - 6}" y="{py(k) + 4}" '
                   f'text-anchor="end" font-size="11" fill="{MUTED}">{k}</text>')
    out.append(f'<line x1="{left}" x2="{left + inner_w}" y1="{py(3.5)}" y2="{py(3.5)}" '
               f'stroke="#1e7b4f" stroke-dasharray="2 3"/><text x="{left + 4}" '
               f'y="{py(3.5) - 4}" font-size="10" fill="#1e7b4f">ready</text>')
    out.append(f'<text x="{left}" y="{height - 10}" font-size="11" fill="{MUTED}">'
               f'{first:%d %b %Y}</text><text x="{left + inner_w}" y="{height - 10}" '
               f'text-anchor="end" font-size="11" fill="{MUTED}">{last:%d %b %Y}</text>')
    if go_live is not None:
        x = px(go_live)
        out.append(f'<line class="go-live" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
                   f'y2="{top + inner_h}" stroke="{INK}" stroke-dasharray="5 4"/>'
                   f'<text x="{x - 4:.1f}" y="{top - 8}" text-anchor="end" font-size="11" '
                   f'fill="{INK}">{escape(go_live_label)} {go_live:%d %b}</text>')
    for n, (name, points) in enumerate(series):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        coords = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in points)
        if len(points) > 1:
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                       'stroke-width="2"/>')
        for d, v in points:
            out.append(f'<circle cx="{px(d):.1f}" cy="{py(v):.1f}" r="3.5" fill="{colour}">'
                       f'<title>{escape(name)} {d:%d %b %Y}: {v:.1f}</title></circle>')
        short = name if len(name) <= 20 else name[:19] + "…"
        out.append(f'<rect x="{left + inner_w + 14}" y="{top + n * 18}" width="10" '
                   f'height="10" fill="{colour}"/><text x="{left + inner_w + 28}" '
                   f'y="{top + n * 18 + 9}" font-size="11" fill="{INK}">{escape(short)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
