"""The Gantt chart as SVG, drawn on the server from the stored schedule, and the plan grid's
rows as HTML.  Both are built as strings in one pass: a 2,000-task plan renders in tens of
milliseconds, far faster than a template loop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from . import columns as cols
from .queries import PlanView

ROW = 26
HEAD = 44
ZOOMS = {"day": 30.0, "week": 9.0, "month": 3.0, "quarter": 1.1}


def visible_rows(view: PlanView, collapsed: Iterable[int]) -> list[dict[str, Any]]:
    hidden_below: int | None = None
    closed = set(collapsed)
    rows = []
    for row in view.rows:
        if hidden_below is not None:
            if row["outline_level"] > hidden_below:
                continue
            hidden_below = None
        rows.append(row)
        if row["summary"] and row["uid"] in closed:
            hidden_below = row["outline_level"]
    return rows


def _span(view: PlanView) -> tuple[dt.datetime, dt.datetime]:
    starts = [r["start"] for r in view.rows if r["start"]]
    finishes = [r["finish"] for r in view.rows if r["finish"]]
    for r in view.rows:
        if r.get("baseline_start"):
            starts.append(r["baseline_start"])
            finishes.append(r["baseline_finish"])
    if view.plan is not None and view.plan.status_date:
        moment = dt.datetime.combine(view.plan.status_date, dt.time())
        starts.append(moment)
        finishes.append(moment)
    if not starts:
        start = view.plan.start if view.plan else dt.datetime(2026, 1, 1)  # noqa: DTZ001
        return start, start + dt.timedelta(days=30)
    first = min(starts).replace(hour=0, minute=0)
    first -= dt.timedelta(days=first.weekday() + 7)
    return first, max(finishes) + dt.timedelta(days=14)


def render_svg(view: PlanView, rows: list[dict[str, Any]], zoom: str = "week",
               standalone: bool = False, stop: int | None = None,
               today: dt.date | None = None) -> str:
    """The chart of ``rows``, sized for all of them; only the first ``stop`` rows are drawn
    (all when None) — ``render_svg_rows`` draws the others.  ``today`` draws a line on that
    day; the chart names its first day and scale (``data-origin``, ``data-ppd``) and the day
    the page opens it at (``data-focus``: the status date, else today) for the editor's
    scrolling and zooming."""
    ppd = ZOOMS.get(zoom, ZOOMS["week"])
    origin, end = _span(view)
    width = int((end - origin).total_seconds() / 86400 * ppd) + 40
    height = HEAD + ROW * len(rows) + 4

    def x(moment: dt.datetime) -> float:
        return round((moment - origin).total_seconds() / 86400 * ppd, 1)

    out: list[str] = []
    add = out.append
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    focus = (view.plan.status_date if view.plan is not None and view.plan.status_date
             else today)
    data = "" if standalone else (
        f' data-origin="{origin:%Y-%m-%d}" data-ppd="{ppd}"'
        + (f' data-focus="{focus:%Y-%m-%d}"' if focus else ""))
    add(f'<svg{ns} class="gantt" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Gantt chart" '
        f'font-family="system-ui, sans-serif" font-size="11"{data}>')
    if standalone:
        add("<style>.g-bar{fill:#5b8def}.g-crit{fill:#d64545}.g-sum{fill:#1f2a44}"
            ".g-ms{fill:#1f2a44}.g-ms.g-crit{fill:#d64545}.g-base{fill:#c5cad6}"
            ".g-done{fill:#1d3f8f;opacity:.55}.g-link{stroke:#6b7385;fill:none}"
            ".g-link.g-crit{stroke:#d64545}.g-grid{stroke:#eef0f4}.g-status{stroke:#e08a00}"
            ".g-weekend{fill:#f6f7fa}.g-head{fill:#fafbfc}</style>")
    add('<defs><marker id="arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#6b7385"/></marker>'
        '<marker id="arrow-crit" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#d64545"/></marker>'
        '</defs>')
    # The time scale is drawn last, on top, in its own group: the editor keeps it in view
    # as the rows scroll (a sticky time scale, moved by plan.js).
    head: list[str] = [f'<rect class="g-head" x="0" y="0" width="{width}" height="{HEAD}"/>']
    # Time scale: weekends shaded at day zoom and week zoom; ticks per unit.
    day = origin.date()
    last = end.date()
    if ppd >= 6:
        d = day
        while d <= last:
            if d.weekday() == 5:
                add(f'<rect class="g-weekend" x="{x(dt.datetime.combine(d, dt.time()))}" '
                    f'y="{HEAD}" width="{round(2 * ppd, 1)}" height="{height - HEAD}"/>')
            d += dt.timedelta(days=1)
    d = day
    last_label_end = -1000.0
    while d <= last:
        mx = x(dt.datetime.combine(d, dt.time()))
        if d.day == 1 or d == day:
            label = d.strftime("%b %Y") if ppd < 20 else d.strftime("%B %Y")
            if zoom == "quarter":
                label = f"Q{(d.month - 1) // 3 + 1} {d.year}" if d.month % 3 == 1 else ""
            # A label that would run into the one before (the chart's first, partial month)
            # is left out rather than overlapped.
            if label and mx + 3 >= last_label_end + 6:
                head.append(f'<text x="{mx + 3}" y="16" fill="#1f2a44" font-weight="600">'
                            f'{label}</text>')
                last_label_end = mx + 3 + 6.5 * len(label)
            add(f'<line class="g-grid" x1="{mx}" y1="0" x2="{mx}" y2="{height}"/>')
            head.append(f'<line class="g-grid" x1="{mx}" y1="0" x2="{mx}" y2="{HEAD}"/>')
        if ppd >= 20:
            head.append(f'<text x="{mx + ppd / 2}" y="36" fill="#6b7385" text-anchor="middle">'
                        f'{d.strftime("%a")[0]}{d.day}</text>')
        elif ppd >= 6 and d.weekday() == 0:
            head.append(f'<text x="{mx + 2}" y="36" fill="#6b7385">{d.day}</text>')
            add(f'<line class="g-grid" x1="{mx}" y1="{HEAD}" x2="{mx}" y2="{height}"/>')
        d += dt.timedelta(days=1)
    head.append(f'<line x1="0" y1="{HEAD}" x2="{width}" y2="{HEAD}" stroke="#d9dde5"/>')
    status_x: float | None = None
    if view.plan is not None and view.plan.status_date:
        status_x = x(dt.datetime.combine(view.plan.status_date, dt.time(23, 59)))
        add(f'<line class="g-status" x1="{status_x}" y1="{HEAD - 6}" x2="{status_x}" '
            f'y2="{height}" stroke-width="1.5" stroke-dasharray="5 3"><title>Status date '
            f'{view.plan.status_date:%d %b %Y}</title></line>')
    if today is not None and origin.date() <= today <= last:
        today_x = x(dt.datetime.combine(today, dt.time(12)))
        add(f'<line class="g-today" x1="{today_x}" y1="{HEAD - 6}" x2="{today_x}" '
            f'y2="{height}" stroke="#1d4ed8" stroke-width="1.5"><title>Today '
            f'{today:%d %b %Y}</title></line>')
    stop = len(rows) if stop is None else min(stop, len(rows))
    out.append(_body(view, rows, x, 0, stop, status_x))
    if status_x is not None and view.plan is not None and view.plan.status_date:
        head.append(f'<text x="{status_x + 3}" y="{HEAD - 2}" fill="#b36b00" font-size="9">'
                    f'status {view.plan.status_date:%d %b}</text>')
    add(f'<g class="g-headband">{"".join(head)}</g>')
    add("</svg>")
    return "".join(out)


def render_svg_rows(view: PlanView, rows: list[dict[str, Any]], zoom: str, start: int,
                    stop: int) -> str:
    """The bars, links and progress line of ``rows[start:stop]`` as a group to add to the
    chart drawn by ``render_svg`` with the same view and zoom (the page draws large plans
    a window at a time)."""
    ppd = ZOOMS.get(zoom, ZOOMS["week"])
    origin, _ = _span(view)

    def x(moment: dt.datetime) -> float:
        return round((moment - origin).total_seconds() / 86400 * ppd, 1)

    status_x = (x(dt.datetime.combine(view.plan.status_date, dt.time(23, 59)))
                if view.plan is not None and view.plan.status_date else None)
    return _body(view, rows, x, start, min(stop, len(rows)), status_x)


def _body(view: PlanView, rows: list[dict[str, Any]], x: Any, start: int, stop: int,
          status_x: float | None) -> str:
    """Rows ``start``..``stop`` of the chart; a link is drawn with the later of its two
    rows, so that windows drawn one after another draw every link once."""
    out: list[str] = [f'<g class="g-rows" data-start="{start}" data-stop="{stop}">']
    add = out.append
    index = {r["id"]: k for k, r in enumerate(rows)}
    spans: dict[int, tuple[float, float]] = {}

    def span(row_id: int) -> tuple[float, float] | None:
        if row_id not in spans:
            r = rows[index[row_id]]
            if r["start"] is None or r["finish"] is None:
                return None
            spans[row_id] = (x(r["start"]), x(r["finish"]))
        return spans[row_id]

    def y_of(row_id: int) -> int:
        return HEAD + ROW * index[row_id]

    for r in rows[start:stop]:
        bar = span(r["id"])
        if bar is None:
            continue
        y = y_of(r["id"])
        x1, x2 = bar
        crit = " g-crit" if r["critical"] else ""
        title = (f'<title>{r["id"]} {escape(r["name"])}: {r["start"]:%d %b %Y %H:%M} → '
                 f'{r["finish"]:%d %b %Y %H:%M}{" · critical" if r["critical"] else ""}'
                 f'</title>')
        if r.get("baseline_start") and r.get("baseline_finish"):
            bx1, bx2 = x(r["baseline_start"]), x(r["baseline_finish"])
            add(f'<rect class="g-base" x="{bx1}" y="{y + 17}" width="{max(bx2 - bx1, 2)}" '
                f'height="4" rx="1"/>')
        if r["summary"]:
            w = max(x2 - x1, 2)
            add(f'<g data-row="{r["id"]}">{title}<path class="g-sum" d="M{x1},{y + 7} '
                f'h{w} v9 l-4,-4 h{-(w - 8)} l-4,4 z"/></g>')
        elif r["milestone"]:
            cy = y + ROW / 2
            add(f'<g data-row="{r["id"]}">{title}<path class="g-ms{crit}" d="M{x2},{cy - 7} '
                f'l7,7 l-7,7 l-7,-7 z"/></g>')
            add(f'<text x="{x2 + 10}" y="{cy + 4}" fill="#4a5266">'
                f'{r["finish"]:%d %b}</text>')
        else:
            w = max(x2 - x1, 2)
            # What dragging the bar changes: its start (moved), finish (its end dragged) and
            # predecessors (another bar dragged onto it), without the grid's columns.
            add(f'<g data-row="{r["id"]}" data-uid="{r["uid"]}" '
                f'data-start="{r["start"]:%Y-%m-%d}" data-finish="{r["finish"]:%Y-%m-%d}" '
                f'data-preds="{escape(r.get("predecessors_text", ""))}">{title}'
                f'<rect class="g-bar{crit}" x="{x1}" y="{y + 6}" width="{w}" height="12" '
                f'rx="2"/>')
            if r["percent_complete"]:
                add(f'<rect class="g-done" x="{x1}" y="{y + 10}" '
                    f'width="{round(w * r["percent_complete"] / 100, 1)}" height="4"/>')
            add("</g>")
    for pred, succ, type_ in view.links:
        if pred not in index or succ not in index:
            continue
        if not start <= max(index[pred], index[succ]) < stop:
            continue
        pred_span, succ_span = span(pred), span(succ)
        if pred_span is None or succ_span is None:
            continue
        (p1, p2), (s1, s2) = pred_span, succ_span
        py, sy = y_of(pred) + ROW / 2, y_of(succ) + ROW / 2
        px = p2 if type_ in ("FS", "FF") else p1
        sx = s1 if type_ in ("FS", "SS") else s2
        both = rows[index[pred]]["critical"] and rows[index[succ]]["critical"]
        crit = " g-crit" if both else ""
        going = 1 if type_ in ("FS", "SS") else -1
        elbow = px + 6 if type_ in ("FS", "FF") else px - 6
        if type_ == "FS" and sx >= px + 6:
            path = f"M{px},{py} H{sx + 3} V{sy - 6 if sy > py else sy + 6}"
        else:
            path = (f"M{px},{py} H{elbow} V{(py + sy) / 2 if abs(sy - py) > ROW else sy} "
                    f"H{sx - 6 * going} V{sy} H{sx - 1 * going}")
        marker = "arrow-crit" if crit else "arrow"
        add(f'<path class="g-link{crit}" d="{path}" marker-end="url(#{marker})"/>')
    for ext in view.external:
        if ext["successor"] not in index or not start <= index[ext["successor"]] < stop:
            continue
        succ_span = span(ext["successor"])
        if succ_span is None:
            continue
        s1 = succ_span[0]
        sy = y_of(ext["successor"]) + ROW / 2
        add(f'<g><title>from {escape(ext["project"])} row {ext["row"]} '
            f'{escape(ext["name"])}</title><path class="g-link" d="M{s1 - 18},{sy} H{s1 - 1}" '
            f'stroke-dasharray="3 2" marker-end="url(#arrow)"/>'
            f'<text x="{s1 - 20}" y="{sy - 4}" text-anchor="end" fill="#6b3fd6">'
            f'{escape(ext["project"])}:{ext["row"]}</text></g>')
    if status_x is not None:
        # The progress line: through each started task at its progress point.
        sx = status_x
        top, bottom = HEAD + ROW * start, HEAD + ROW * stop
        points = [f"{sx},{top}"]
        for r in rows[start:stop]:
            if r["summary"] or r["start"] is None or r["milestone"]:
                continue
            if r["actual_start"] and not r["actual_finish"]:
                mid = y_of(r["id"]) + ROW / 2
                bar = span(r["id"])
                assert bar is not None
                b1, b2 = bar
                at = b1 + (b2 - b1) * r["percent_complete"] / 100
                points.append(f"{sx},{mid - 8} {round(at, 1)},{mid} {sx},{mid + 8}")
        if len(points) > 1:
            points.append(f"{sx},{bottom}")
            add(f'<polyline class="g-status" fill="none" points="{" ".join(points)}" '
                f'stroke-width="1.2"/>')
    add("</g>")
    return "".join(out)


def render_rows(rows: list[dict[str, Any]], editable: bool, collapsed: Iterable[int],
                errors: dict[tuple[int, str], str] | None = None,
                attempted: dict[tuple[int, str], str] | None = None,
                calendars: list[tuple[int, str]] | None = None,
                columns: Sequence[cols.Column] | None = None, per_day: int = 480) -> str:
    """The grid's rows: ID and name, then the chosen columns (``columns.py``)."""
    errors = errors or {}
    attempted = attempted or {}
    calendars = calendars or []
    chosen = list(columns) if columns is not None else cols.chosen(None)
    closed = set(collapsed)
    out = []
    for r in rows:
        classes = ["plan-row"]
        if r["summary"]:
            classes.append("summary")
        if r["critical"]:
            classes.append("critical")
        if r["milestone"]:
            classes.append("milestone")
        if not r["active"]:
            classes.append("inactive")
        toggle = ""
        if r["summary"]:
            sign = "▸" if r["uid"] in closed else "▾"
            toggle = (f'<button type="button" class="twisty" data-toggle="{r["uid"]}" '
                      f'aria-label="{"Expand" if r["uid"] in closed else "Collapse"} '
                      f'{escape(r["name"])}">{sign}</button>')
        indent = (r["outline_level"] - 1) * 14
        name_value = attempted.get((r["uid"], "name"), r["name"])
        name_error = errors.get((r["uid"], "name"))
        if editable:
            name = (f'<input class="cell" name="name" data-uid="{r["uid"]}" '
                    f'value="{escape(name_value)}" aria-label="Name of row {r["id"]}" '
                    f'autocomplete="off">')
        else:
            name = escape(r["name"])
        name_td = (f'<td class="name{" has-error" if name_error else ""}"><div class="name-wrap" '
                   f'style="padding-left:{indent}px">{toggle}{name}</div>')
        if name_error:
            name_td += f'<div class="cell-error" role="alert">{escape(name_error)}</div>'
        name_td += "</td>"
        out.append(
            f'<tr class="{" ".join(classes)}" data-uid="{r["uid"]}" data-row="{r["id"]}">'
            f'<td class="num rowid">{r["id"]}</td>{name_td}'
            + "".join(cols.cell(c, r, editable, errors, attempted, calendars, per_day)
                      for c in chosen)
            + "</tr>")
    return "".join(out)
