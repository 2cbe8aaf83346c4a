"""Server-side SVG charts of reporting: the earned-value trend of a project and the RAG
spread of a portfolio pack; ``png`` turns one into a PNG (cairosvg) for PDFs and slides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

RAG_COLOURS = {"green": "#2e7d32", "amber": "#e69500", "red": "#c62828", None: "#9e9e9e"}
FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""


def png(svg: str, scale: float = 2.0) -> bytes:
    import cairosvg

    return bytes(cairosvg.svg2png(bytestring=svg.encode(), scale=scale))


def ev_trend_svg(points: Sequence[Mapping[str, Any]], width: int = 560,
                 height: int = 220) -> str:
    """SPI and CPI by reporting period, with the 1.0 line."""
    left, right, top, bottom = 44, 16, 18, 40
    values = [float(p[k]) for p in points for k in ("spi", "cpi") if p.get(k) is not None]
    low = min([0.6, *values]) if values else 0.6
    high = max([1.2, *values]) if values else 1.2
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" '
             f'aria-label="SPI and CPI by reporting period">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>']
    for tick in (low, 1.0, high):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="{"#555" if tick == 1.0 else "#ddd"}" '
                     f'stroke-dasharray="{"4 3" if tick == 1.0 else ""}"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" {FONT} fill="#444">{tick:.2f}</text>')
    for key, colour in (("spi", "#1565c0"), ("cpi", "#6a1b9a")):
        pts = [(x(i), y(float(p[key]))) for i, p in enumerate(points) if p.get(key) is not None]
        if len(pts) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"/>')
        for px, py in pts:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>')
    for i, p in enumerate(points):
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'font-size="10" {FONT} fill="#444">{escape(str(p["period"])[2:])}</text>')
    parts.append(f'<text x="{left}" y="{height - 6}" font-size="11" {FONT} fill="#1565c0">'
                 f'● SPI</text><text x="{left + 60}" y="{height - 6}" font-size="11" {FONT} '
                 f'fill="#6a1b9a">● CPI</text>')
    if not values:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
                     f'font-size="12" {FONT} fill="#666">No earned value yet</text>')
    parts.append("</svg>")
    return "".join(parts)


def rag_spread_svg(rows: Sequence[tuple[str, Mapping[str, int]]], width: int = 560,
                   height: int = 240) -> str:
    """One horizontal bar per dimension, split into green, amber, red and not judged."""
    left, right, top = 90, 16, 12
    bar = (height - top - 30) / max(len(rows), 1)
    total = max((sum(c.values()) for _, c in rows), default=1) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" '
             f'aria-label="RAG of the projects by dimension">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>']
    for i, (label, counts) in enumerate(rows):
        yy = top + i * bar
        parts.append(f'<text x="{left - 8}" y="{yy + bar * 0.55 + 4:.1f}" text-anchor="end" '
                     f'font-size="12" {FONT} fill="#222">{escape(label)}</text>')
        xx = float(left)
        for rag in ("green", "amber", "red", None):
            n = counts.get(rag or "none", 0)
            if not n:
                continue
            w = (width - left - right) * n / total
            parts.append(f'<rect x="{xx:.1f}" y="{yy + 4:.1f}" width="{w:.1f}" '
                         f'height="{bar - 8:.1f}" fill="{RAG_COLOURS[rag]}"/>')
            parts.append(f'<text x="{xx + w / 2:.1f}" y="{yy + bar * 0.55 + 4:.1f}" '
                         f'text-anchor="middle" font-size="11" {FONT} fill="#fff">{n}</text>')
            xx += w
    legend = [("green", "Green"), ("amber", "Amber"), ("red", "Red"), (None, "Not judged")]
    for i, (rag, label) in enumerate(legend):
        lx = left + i * 100
        parts.append(f'<rect x="{lx}" y="{height - 18}" width="10" height="10" '
                     f'fill="{RAG_COLOURS[rag]}"/><text x="{lx + 14}" y="{height - 9}" '
                     f'font-size="11" {FONT} fill="#333">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)
