"""Server-side SVG pictures: the probability × impact heat map, the risk burn-down and the
dependency map between projects. Every text is escaped; no script, no external resource."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape  # as Django's, without its lazy-text check per call

from django.utils.safestring import SafeString, mark_safe

from .models import score_band

BAND_FILL = {"low": "#d9f2e3", "medium": "#fff1c2", "high": "#ffd8b0", "critical": "#f8c4c4"}


def heat_map_svg(cells: dict[tuple[int, int], list[str]], scale: int, title: str,
                 links: dict[str, str] | None = None) -> SafeString:
    """A scale × scale grid, probability up and impact across; each cell shows how many risks
    sit there and lists their references in its tooltip (and links when given)."""
    size, left, top = 46, 54, 26
    width, height = left + scale * size + 10, top + scale * size + 42
    out = [f'<svg class="heatmap" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{escape(title)}">',
           f'<title>{escape(title)}</title>']
    for p in range(1, scale + 1):
        for i in range(1, scale + 1):
            x, y = left + (i - 1) * size, top + (scale - p) * size
            refs = cells.get((p, i), [])
            band = score_band(p * i, scale)
            out.append(f'<g class="cell" data-probability="{p}" data-impact="{i}" '
                       f'data-count="{len(refs)}">')
            tip = f"P{p} × I{i} = {p * i}: " + (", ".join(refs) if refs else "no risk")
            out.append(f'<title>{escape(tip)}</title>')
            out.append(f'<rect x="{x}" y="{y}" width="{size - 2}" height="{size - 2}" rx="4" '
                       f'fill="{BAND_FILL[band]}" stroke="#c8ccd4" stroke-width="0.5"/>')
            if refs:
                cx, cy = x + (size - 2) / 2, y + (size - 2) / 2
                out.append(f'<circle cx="{cx}" cy="{cy}" r="14" fill="#1f2a44"/>'
                           f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="14" '
                           f'font-weight="600" fill="#fff">{len(refs)}</text>')
            out.append("</g>")
    for n in range(1, scale + 1):
        out.append(f'<text x="{left - 8}" y="{top + (scale - n) * size + size / 2 + 4}" '
                   f'text-anchor="end" font-size="12" fill="#555">{n}</text>')
        out.append(f'<text x="{left + (n - 1) * size + size / 2 - 1}" '
                   f'y="{top + scale * size + 14}" text-anchor="middle" font-size="12" '
                   f'fill="#555">{n}</text>')
    out.append(f'<text x="{left + scale * size / 2}" y="{height - 6}" text-anchor="middle" '
               f'font-size="12" fill="#333">Impact →</text>')
    out.append(f'<text x="14" y="{top + scale * size / 2}" text-anchor="middle" '
               f'font-size="12" fill="#333" transform="rotate(-90 14 {top + scale * size / 2})">'
               f'Probability →</text>')
    out.append(f'<text x="{left}" y="16" font-size="13" font-weight="600" '
               f'fill="#1f2a44">{escape(title)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def burn_down_svg(points: Sequence[tuple[date, int, int]], title: str) -> SafeString:
    """Total open score over time: (day, inherent total, residual total) per point."""
    width, height, left, bottom, top = 640, 220, 44, 30, 26
    inner_w, inner_h = width - left - 14, height - top - bottom
    peak = max([1, *(max(a, b) for _, a, b in points)])
    peak = int(math.ceil(peak / 10.0) * 10)
    out = [f'<svg class="burndown" viewBox="0 0 {width} {height}" width="100%" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
           f'<text x="{left}" y="16" font-size="13" font-weight="600" fill="#1f2a44">'
           f'{escape(title)}</text>']
    for k in range(0, 5):
        y = top + inner_h - inner_h * k / 4
        out.append(f'<line x1="{left}" x2="{width - 14}" y1="{y}" y2="{y}" stroke="#e3e6ec"/>'
                   f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" font-size="11" '
                   f'fill="#666">{int(peak * k / 4)}</text>')
    if points:
        step = inner_w / max(1, len(points) - 1)

        def line(values: list[int], colour: str, dash: str) -> str:
            coords = " ".join(f"{left + n * step:.1f},{top + inner_h - inner_h * v / peak:.1f}"
                              for n, v in enumerate(values))
            return (f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" {dash}/>')

        out.append(line([a for _, a, _ in points], "#9aa3b5", 'stroke-dasharray="5 4"'))
        out.append(line([b for _, _, b in points], "#c0392b", ""))
        for n, (day, _, _) in enumerate(points):
            if n % max(1, len(points) // 6) == 0 or n == len(points) - 1:
                out.append(f'<text x="{left + n * step:.1f}" y="{height - 10}" '
                           f'text-anchor="middle" font-size="11" fill="#666">'
                           f'{day:%d %b}</text>')
    out.append(f'<g font-size="11"><line x1="{width - 250}" x2="{width - 226}" y1="14" y2="14" '
               f'stroke="#9aa3b5" stroke-width="2.5" stroke-dasharray="5 4"/>'
               f'<text x="{width - 222}" y="18" fill="#333">inherent</text>'
               f'<line x1="{width - 160}" x2="{width - 136}" y1="14" y2="14" stroke="#c0392b" '
               f'stroke-width="2.5"/><text x="{width - 132}" y="18" fill="#333">'
               f'residual (or inherent)</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))


@dataclass(frozen=True)
class MapEdge:
    source: str  # the project that needs the deliverable
    target: str  # the project that provides it
    count: int
    late: int  # of which promised after the date needed, or at risk


def dependency_map_svg(projects: Sequence[tuple[str, str, str]], edges: Sequence[MapEdge],
                       title: str) -> SafeString:
    """Projects (code, name, programme) on a circle, grouped by programme; an arrow from the
    project that depends to the project it depends on, red when a dependency is late."""
    if not projects:
        return mark_safe(f'<svg class="depmap" viewBox="0 0 600 60" width="100%" '
                         f'style="max-width:600px" role="img" aria-label="{escape(title)}">'
                         '<text x="300" y="34" text-anchor="middle" font-size="13" '
                         'fill="#666">No dependencies between projects.</text></svg>')
    n = max(1, len(projects))
    radius = max(140, 26 * n)
    width = height = 2 * radius + 220
    cx, cy = width / 2, height / 2
    pos: dict[str, tuple[float, float]] = {}
    for k, (code, _, _) in enumerate(projects):
        angle = 2 * math.pi * k / n - math.pi / 2
        pos[code] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    out = [f'<svg class="depmap" viewBox="0 0 {width} {height}" width="100%" '
           f'style="max-width:{width}px" role="img" aria-label="{escape(title)}">'
           f'<title>{escape(title)}</title><defs>'
           '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#56627a"/></marker>'
           '<marker id="arrow-late" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#c0392b"/></marker></defs>']
    node_r = 30
    for e in edges:
        if e.source not in pos or e.target not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        d = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        sx, sy, tx, ty = x1 + ux * node_r, y1 + uy * node_r, x2 - ux * node_r, y2 - uy * node_r
        colour, marker = ("#c0392b", "arrow-late") if e.late else ("#56627a", "arrow")
        label = (f"{e.source} depends on {e.target}: {e.count} dependenc"
                 f"{'y' if e.count == 1 else 'ies'}" + (f", {e.late} late or at risk"
                                                        if e.late else ""))
        out.append(f'<g class="edge" data-from="{escape(e.source)}" data-to="{escape(e.target)}">'
                   f'<title>{escape(label)}</title>'
                   f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" '
                   f'stroke="{colour}" stroke-width="{1.5 + min(e.count, 4)}" '
                   f'marker-end="url(#{marker})"/>'
                   f'<text x="{(sx + tx) / 2:.1f}" y="{(sy + ty) / 2 - 4:.1f}" font-size="11" '
                   f'text-anchor="middle" fill="{colour}">{e.count}</text></g>')
    for code, name, programme in projects:
        x, y = pos[code]
        out.append(f'<g class="node" data-project="{escape(code)}"><title>{escape(name)}'
                   f'{" · " + escape(programme) if programme else ""}</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_r}" fill="#eef2fb" '
                   f'stroke="#1f2a44" stroke-width="1.5"/>'
                   f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
                   f'font-weight="600" fill="#1f2a44">{escape(code[:9])}</text>'
                   f'<text x="{x:.1f}" y="{y + node_r + 14:.1f}" text-anchor="middle" '
                   f'font-size="10" fill="#666">{escape(programme or "no programme")}</text></g>')
    if not edges:
        out.append(f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="13" '
                   f'fill="#666">No dependencies between projects.</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
