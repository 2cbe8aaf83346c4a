"""The Gantt chart as PNG and PDF, converted on the server from the same SVG the plan page
draws (``gantt.render_svg``) with CairoSVG.  A column of task IDs and names is added on the
left so that the picture stands on its own; the PDF keeps its text (it can be searched and
copied) and is cut into pages of rows, each repeating the time scale."""

from __future__ import annotations

import datetime as dt
import io
from html import escape
from typing import Any

from django.http import HttpResponse

from projectoffice.engine.health import finish_day
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.models import Project

from . import gantt, queries
from .queries import PlanView

LABEL_WIDTH = 260
TITLE_HEIGHT = 34
MAX_PIXELS = 32_000  # cairo's image surfaces stop at 32,767 pixels a side
MAX_AREA = 24_000_000  # pixels of one PNG: about 100 MB while it is drawn
PAGE_SIZES = {"A4": (842.0, 595.0), "A3": (1191.0, 842.0)}  # landscape, in points
PAGE_MARGIN = 28.0


def _labelled(view: PlanView, rows: list[dict[str, Any]], zoom: str, title: str,
              page: str = "") -> tuple[str, int, int]:
    """A standalone SVG: title, task names on the left, the Gantt chart on the right."""
    chart = gantt.render_svg(view, rows, zoom, standalone=True)
    head = chart[:chart.index(">") + 1]
    chart_width = int(head.split('width="', 1)[1].split('"', 1)[0])
    chart_height = int(head.split('height="', 1)[1].split('"', 1)[0])
    width = LABEL_WIDTH + chart_width
    height = TITLE_HEIGHT + chart_height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
           f'font-size="11">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="8" y="22" font-size="15" font-weight="bold" fill="#1f2a44">'
           f'{escape(title)}</text>']
    if page:
        out.append(f'<text x="{width - 8}" y="22" text-anchor="end" fill="#6b7385">'
                   f'{escape(page)}</text>')
    top = TITLE_HEIGHT
    out.append(f'<rect x="0" y="{top}" width="{LABEL_WIDTH}" height="{gantt.HEAD}" '
               f'fill="#fafbfc"/><text x="8" y="{top + 30}" fill="#6b7385">ID</text>'
               f'<text x="44" y="{top + 30}" fill="#6b7385">Task name</text>')
    for k, row in enumerate(rows):
        y = top + gantt.HEAD + gantt.ROW * k
        name = row["name"] if len(row["name"]) <= 34 else row["name"][:33] + "…"
        indent = 44 + 10 * (row["outline_level"] - 1)
        weight = ' font-weight="bold"' if row["summary"] else ""
        colour = "#d64545" if row["critical"] and not row["summary"] else "#1f2a44"
        out.append(f'<line x1="0" y1="{y + gantt.ROW}" x2="{width}" y2="{y + gantt.ROW}" '
                   f'stroke="#eef0f4"/>'
                   f'<text x="8" y="{y + 17}" fill="#6b7385">{row["id"]}</text>'
                   f'<text x="{indent}" y="{y + 17}" fill="{colour}"{weight}>'
                   f'{escape(name)}</text>')
    out.append(f'<line x1="{LABEL_WIDTH - 0.5}" y1="{top}" x2="{LABEL_WIDTH - 0.5}" '
               f'y2="{height}" stroke="#d9dde5"/>')
    out.append(f'<svg x="{LABEL_WIDTH}" y="{top}"' + head[len('<svg'):]
               .replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)
               .replace('font-family="system-ui, sans-serif"',
                        'font-family="DejaVu Sans, sans-serif"', 1)
               + chart[len(head):])
    out.append("</svg>")
    return "".join(out), width, height


def _title(view: PlanView) -> str:
    plan = view.plan
    day = finish_day(plan.finish) if plan else None
    finish = f" · finishes {day:%d %b %Y}" if day else ""
    return f"{view.project.code} · {view.project.name}{finish}"


def gantt_png(view: PlanView, rows: list[dict[str, Any]], zoom: str = "week",
              scale: float = 2.0) -> bytes:
    import cairosvg

    svg, width, height = _labelled(view, rows, zoom, _title(view))
    scale = min(scale, MAX_PIXELS / width, MAX_PIXELS / height,
                (MAX_AREA / (width * height)) ** 0.5)
    if scale < 0.5:
        raise InvalidInput.field("format", "the chart is too large for one picture: export "
                                 "it as PDF, collapse summaries or choose a coarser zoom")
    png: bytes = cairosvg.svg2png(bytestring=svg.encode(), scale=scale,
                                  background_color="white")
    return png


def gantt_pdf(view: PlanView, rows: list[dict[str, Any]], zoom: str = "week",
              paper: str = "A3", today: dt.date | None = None) -> bytes:
    """Landscape pages of ``paper`` size; the chart is scaled to the page width and its rows
    are cut into pages, each with the title and the time scale."""
    import cairosvg
    from pypdf import PdfReader, PdfWriter

    page_w, page_h = PAGE_SIZES.get(paper, PAGE_SIZES["A3"])
    # Width of the whole picture, to know the scale and so how many rows fit on a page.
    _, full_width, _ = _labelled(view, rows[:1], zoom, "")
    inner_w, inner_h = page_w - 2 * PAGE_MARGIN, page_h - 2 * PAGE_MARGIN
    scale = min(inner_w / full_width, 1.0)
    per_page = max(int((inner_h / scale - TITLE_HEIGHT - gantt.HEAD - 4) // gantt.ROW), 5)
    chunks = [rows[k:k + per_page] for k in range(0, len(rows), per_page)] or [[]]
    writer = PdfWriter()
    stamp = f" · {today:%d %b %Y}" if today else ""
    for n, chunk in enumerate(chunks, start=1):
        svg, _, _ = _labelled(view, chunk, zoom, _title(view) + stamp,
                              f"page {n} of {len(chunks)}")
        page_svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{page_w}pt" '
                    f'height="{page_h}pt" viewBox="0 0 {page_w} {page_h}">'
                    f'<rect width="{page_w}" height="{page_h}" fill="#ffffff"/>'
                    f'<g transform="translate({PAGE_MARGIN},{PAGE_MARGIN}) scale({scale})">'
                    + svg + "</g></svg>")
        pdf = cairosvg.svg2pdf(bytestring=page_svg.encode())
        for page in PdfReader(io.BytesIO(pdf)).pages:
            writer.add_page(page)
    writer.add_metadata({"/Title": _title(view), "/Producer": "Project Office"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def chart_response(project: Project, fmt: str, *, zoom: str = "week",
                   baseline: int | None = None, collapsed: list[int] | None = None,
                   paper: str = "A3", today: dt.date | None = None) -> HttpResponse:
    """The chart as a download: the rows shown are those not folded under a collapsed
    summary."""
    view = queries.plan_view(project, baseline=baseline)
    rows = gantt.visible_rows(view, collapsed or [])
    zoom = zoom if zoom in gantt.ZOOMS else "week"
    body: str | bytes
    if fmt == "svg":
        body = gantt.render_svg(view, rows, zoom, standalone=True)
    elif fmt == "png":
        body = gantt_png(view, rows, zoom)
    elif fmt == "pdf":
        if paper not in PAGE_SIZES:
            raise InvalidInput.field("paper", f"choose one of {', '.join(PAGE_SIZES)}")
        body = gantt_pdf(view, rows, zoom, paper, today)
    else:
        raise InvalidInput.field("format", f"choose one of {', '.join(FORMATS)}")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{project.code}-gantt.{fmt}"'
    return response
