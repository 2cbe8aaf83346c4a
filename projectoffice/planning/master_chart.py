"""The master schedule as a timeline: each plan a summary bar with its milestones, grouped
by programme, the links between plans drawn from predecessor to successor, and the driving
path across projects (links whose both ends are critical in the consolidated network)
highlighted.  Drawn on the server as SVG from the consolidated schedule (consolidation.py),
so the page, its PNG and the figures in the table below it come from one calculation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .consolidation import Master, MasterView, figures

ZOOMS = {"month": 3.0, "quarter": 1.2, "year": 0.45}  # pixels per day
LABEL = 190  # the column of project names
ROW = 34
GROUP = 26
HEAD = 40
STUB = 22  # a link to a plan outside the window: its length


@dataclass
class Milestone:
    name: str
    at: dt.datetime
    critical: bool


@dataclass
class Lane:
    code: str
    name: str
    start: dt.datetime | None
    finish: dt.datetime | None
    critical: bool  # the plan has work on the consolidated critical path
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class Group:
    label: str
    lanes: list[Lane]


@dataclass
class CrossLink:
    source: str  # project codes
    target: str
    start: dt.datetime  # where the arrow leaves (the predecessor's finish or start)
    end: dt.datetime  # where it arrives (the successor's start or finish)
    driving: bool
    title: str


@dataclass
class Timeline:
    groups: list[Group]
    links: list[CrossLink]

    @property
    def lanes(self) -> list[Lane]:
        return [lane for g in self.groups for lane in g.lanes]


def timeline(master: Master | MasterView) -> Timeline:
    """Lanes per plan (grouped by programme, in code order) and the links between plans."""
    found = master.figures if isinstance(master, MasterView) else figures(master)
    plans = {p.pk: p for p in master.plans}
    groups: dict[str, Group] = {}
    for each in found.plans:
        project = plans[each.plan].project
        lane = Lane(project.code, project.name, each.start, each.finish, each.on_path,
                    [Milestone(m.name, m.finish, m.critical) for m in each.milestones])
        programme = project.programme
        label = f"{programme.code} · {programme.name}" if programme else "Not in a programme"
        groups.setdefault(label, Group(label, [])).lanes.append(lane)
    links = [CrossLink(plans[ln.source].project.code, plans[ln.target].project.code,
                       ln.leaves, ln.arrives, ln.driving, ln.title) for ln in found.between]
    ordered = sorted(groups.values(), key=lambda g: (g.label == "Not in a programme", g.label))
    return Timeline(ordered, links)


def window(line: Timeline, codes: set[str]) -> Timeline:
    """The part of ``line`` with the lanes of ``codes`` (a page of a large portfolio's),
    keeping every link with an end among them: one leading to or from a plan outside the
    window is drawn as a stub naming that plan."""
    groups = [Group(g.label, [lane for lane in g.lanes if lane.code in codes])
              for g in line.groups]
    return Timeline([g for g in groups if g.lanes],
                    [ln for ln in line.links if ln.source in codes or ln.target in codes])


def _day(moment: dt.date | None) -> str:
    """A day as the page writes it (13 Mar 2026): formatted here, not by the template's
    date filter, which takes a thousand times longer and is called thousands of times."""
    return "" if moment is None else f"{moment.day} {moment:%b %Y}"


def table(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the page's table of plans (``consolidation.master_out``'s projects) as
    text: the finish, the network's finish where it differs, and the first six milestones."""
    rows = []
    for p in summary["projects"]:
        network = p["network_finish"]
        rows.append({
            "project": p["project"], "tasks": str(p["tasks"]), "critical": str(p["critical"]),
            "finish": _day(p["finish"]) or "–",
            "network": _day(network) if network and network != p["finish"] else "",
            "milestones": [f'{m["row"]} {m["name"]} · {_day(m["finish"])}'
                           for m in p["milestones"][:6]]})
    return rows


def _short(name: str, size: int = 27) -> str:
    return name if len(name) <= size else name[:size - 1].rstrip() + "…"


def _span(line: Timeline, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    moments = [m for lane in line.lanes for m in (lane.start, lane.finish) if m is not None]
    moments.append(dt.datetime.combine(today, dt.time()))
    first = min(moments).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last = max(moments) + dt.timedelta(days=45)
    return first, last.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def render(line: Timeline, today: dt.date, zoom: str = "quarter",
           standalone: bool = False) -> str:
    """The timeline as SVG; ``standalone`` adds the namespace and styles for a file."""
    ppd = ZOOMS.get(zoom, ZOOMS["quarter"])
    origin, end = _span(line, today)
    width = LABEL + int((end - origin).days * ppd) + 20
    rows: list[Group | Lane] = []
    for g in line.groups:
        rows.append(g)
        rows.extend(g.lanes)
    height = HEAD + sum(GROUP if isinstance(r, Group) else ROW for r in rows) + 8

    def x(moment: dt.datetime) -> float:
        return round(LABEL + (moment - origin).total_seconds() / 86400 * ppd, 1)

    out: list[str] = []
    add = out.append
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    add(f'<svg{ns} class="master-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="group" aria-labelledby="master-chart-title" '
        f'font-family="system-ui, sans-serif" font-size="11">'
        f'<title id="master-chart-title">Master schedule timeline: {len(line.lanes)} plans, '
        f'{len(line.links)} links between them</title>')
    add('<defs><marker id="m-arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#6b7385"/></marker>'
        '<marker id="m-arrow-drive" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#b42f25"/></marker>'
        '</defs>')
    add(f'<rect x="0" y="0" width="{width}" height="{HEAD}" fill="#fafbfc"/>')
    # Time scale: a line per month; labels per month, quarter or year by zoom, always with
    # the year so that no date on the chart is ambiguous.
    month = origin.date()
    while month <= end.date():
        mx = x(dt.datetime.combine(month, dt.time()))
        label = ""
        if zoom == "month":
            label = month.strftime("%b %Y")
        elif zoom == "quarter" and month.month % 3 == 1:
            label = f"Q{(month.month - 1) // 3 + 1} {month.year}"
        elif zoom == "year" and month.month == 1:
            label = str(month.year)
        strong = label != ""
        add(f'<line x1="{mx}" y1="{HEAD - (14 if strong else 6)}" x2="{mx}" y2="{height}" '
            f'stroke="{"#d9dde5" if strong else "#eef0f4"}"/>')
        if label:
            add(f'<text x="{mx + 4}" y="{HEAD - 16}" fill="#1f2a44" font-weight="600">'
                f'{label}</text>')
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    add(f'<line x1="0" y1="{HEAD}" x2="{width}" y2="{HEAD}" stroke="#d9dde5"/>')
    y = HEAD
    centre: dict[str, float] = {}
    for item in rows:
        if isinstance(item, Group):
            add(f'<rect x="0" y="{y}" width="{width}" height="{GROUP}" fill="#f1f4f9"/>'
                f'<text x="8" y="{y + 17}" fill="#1f2a44" font-weight="700">'
                f'{escape(item.label)}</text>')
            y += GROUP
            continue
        lane = item
        mid = y + ROW / 2
        centre[lane.code] = mid
        add(f'<a href="/projects/{escape(lane.code)}/plan/"><text x="8" y="{mid - 2}" '
            f'fill="#1d4ed8" font-weight="600">{escape(lane.code)}</text>'
            f'<text x="8" y="{mid + 11}" fill="#4b5563">{escape(_short(lane.name))}'
            f'<title>{escape(lane.name)}</title></text></a>')
        if lane.start is not None and lane.finish is not None:
            x0, x1 = x(lane.start), x(lane.finish)
            colour = "#1f2a44" if not lane.critical else "#7a1d15"
            add(f'<rect x="{x0}" y="{mid - 5}" width="{max(round(x1 - x0, 1), 2)}" height="10" '
                f'rx="2" fill="{colour}" opacity=".85"><title>{escape(lane.code)}: '
                f'{lane.start:%d %b %Y} – {lane.finish:%d %b %Y}</title></rect>')
        for m in lane.milestones:
            mx = x(m.at)
            fill = "#b42f25" if m.critical else "#1d4ed8"
            add(f'<path d="M{mx},{mid - 9} l7,7 l-7,7 l-7,-7 z" fill="{fill}" stroke="#fff">'
                f'<title>{escape(m.name)} · {m.at:%d %b %Y}</title></path>')
        add(f'<line x1="0" y1="{y + ROW}" x2="{width}" y2="{y + ROW}" stroke="#eef0f4"/>')
        y += ROW
    for link in line.links:
        style = ('stroke="#b42f25" stroke-width="2" marker-end="url(#m-arrow-drive)"'
                 if link.driving else
                 'stroke="#6b7385" stroke-width="1.2" stroke-dasharray="4 3" '
                 'marker-end="url(#m-arrow)"')
        colour = "#b42f25" if link.driving else "#4b5563"
        if link.source in centre and link.target in centre:
            x0, y0 = x(link.start), centre[link.source]
            x1, y1 = x(link.end), centre[link.target]
            bend = max(abs(x1 - x0) / 2, 18)
            add(f'<path d="M{x0},{y0} C{x0 + bend},{y0} {x1 - bend},{y1} {x1},{y1}" '
                f'fill="none" {style}><title>{escape(link.title)}</title></path>')
        elif link.target in centre:  # from a plan outside the window: a stub arriving
            x1, y1 = x(link.end), centre[link.target]
            add(f'<g class="link-stub"><path d="M{x1 - STUB},{y1 - 12} L{x1},{y1}" fill="none" '
                f'{style}/><text x="{x1 - STUB - 2}" y="{y1 - 14}" text-anchor="end" '
                f'fill="{colour}" font-size="10">from {escape(link.source)}</text>'
                f'<title>{escape(link.title)}</title></g>')
        elif link.source in centre:  # to a plan outside the window: a stub leaving
            x0, y0 = x(link.start), centre[link.source]
            add(f'<g class="link-stub"><path d="M{x0},{y0} L{x0 + STUB},{y0 + 12}" fill="none" '
                f'{style}/><text x="{x0 + STUB + 2}" y="{y0 + 22}" fill="{colour}" '
                f'font-size="10">to {escape(link.target)}</text>'
                f'<title>{escape(link.title)}</title></g>')
    tx = x(dt.datetime.combine(today, dt.time(12)))
    add(f'<line x1="{tx}" y1="{HEAD - 6}" x2="{tx}" y2="{height}" stroke="#1d4ed8" '
        f'stroke-width="1.5"><title>Today {today:%d %b %Y}</title></line>'
        f'<text x="{tx + 3}" y="{HEAD - 3}" fill="#1d4ed8" font-size="10">today</text>')
    add("</svg>")
    return "".join(out)
