"""The component diagram as SVG, drawn from the register: the layout is the engine's
(engine/component_layout.py); this module only turns it into shapes and words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import QuerySet

from projectoffice.engine.component_layout import Node, layout
from projectoffice.portfolio.models import Project

from .models import LAYERS, Component, ComponentInterface, ComponentType

TONES = {"planned": "#5d6679", "building": "#6b3fd6", "live": "#1a7a45",
         "retiring": "#935a00", "retired": "#5d6679"}
FILLS = {ComponentType.APPLICATION: "#e4edfe", ComponentType.INTERFACE: "#f3eefe",
         ComponentType.SERVICE: "#e2f5ea", ComponentType.DATA_STORE: "#fdf0d9",
         ComponentType.INFRASTRUCTURE: "#eef0f3"}
BAND_NAMES = {LAYERS[ComponentType(t)]: label for t, label in ComponentType.choices}


@dataclass(frozen=True)
class Diagram:
    svg: str
    components: list[Component]
    interfaces: list[ComponentInterface]


def _text(value: str, limit: int) -> str:
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return escape(value)


def components_of(project: Project, include_retired: bool = False) -> QuerySet[Component]:
    qs: QuerySet[Component] = Component.objects.filter(project=project).select_related("owner")
    return qs if include_retired else qs.exclude(status="retired")


def build(project: Project, *, link: Any = None, include_retired: bool = False) -> Diagram:
    """``link(component)`` gives each box's URL (None: boxes without links)."""
    components = list(components_of(project, include_retired).order_by("number"))
    keys = {c.pk for c in components}
    interfaces = [i for i in ComponentInterface.objects.filter(project=project)
                  .select_related("source", "target")
                  if i.source_id in keys and i.target_id in keys]
    nodes = [Node(str(c.pk), LAYERS[ComponentType(c.component_type)]) for c in components]
    placed = layout(nodes, [(str(i.source_id), str(i.target_id)) for i in interfaces])
    by_key = {str(c.pk): c for c in components}
    w, h = round(placed.width), round(placed.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
           f'height="{h}" role="group" aria-labelledby="cd-title" class="component-diagram" '
           'font-family="system-ui, sans-serif">',
           f'<title id="cd-title">Components of {escape(project.code)} and the interfaces '
           'between them</title>',
           '<defs><marker id="cd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#4a5468"/></marker></defs>']
    for layer, top, height in placed.bands:
        out.append(f'<rect x="8" y="{top:.1f}" width="{w - 16}" height="{height:.1f}" rx="6" '
                   f'fill="{"#fafbfc" if layer % 2 == 0 else "#f4f6f9"}"/>')
        out.append(f'<text x="18" y="{top + height / 2 + 4:.1f}" font-size="12" '
                   f'font-weight="600" fill="#4a5468">{escape(BAND_NAMES[layer])}</text>')
    for line, interface in zip(placed.lines, interfaces, strict=True):
        # The name and protocol are the line's tooltip and the table under the diagram:
        # words on crossing lines would cover the boxes.
        label = interface.name + (f" · {interface.protocol}" if interface.protocol else "")
        out.append(f'<g class="cd-interface"><title>{escape(interface.source.reference)} → '
                   f'{escape(interface.target.reference)}: {escape(label)}</title>'
                   f'<line x1="{line.x1:.1f}" y1="{line.y1:.1f}" x2="{line.x2:.1f}" '
                   f'y2="{line.y2:.1f}" stroke="#4a5468" stroke-width="1.4" '
                   'marker-end="url(#cd-arrow)"/></g>')
    for box in placed.boxes:
        c = by_key[box.key]
        tone = TONES.get(c.status, "#5d6679")
        dashed = ' stroke-dasharray="5 3"' if c.status in ("planned", "retiring") else ""
        rounded = 14 if c.component_type == "data_store" else 6
        shape = (f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
                 f'height="{box.height:.1f}" rx="{rounded}" '
                 f'fill="{FILLS[ComponentType(c.component_type)]}" stroke="{tone}" '
                 f'stroke-width="{2 if c.status == "live" else 1.4}"'
                 f'{dashed}/>')
        words = (f'<text x="{box.x + 10:.1f}" y="{box.y + 21:.1f}" font-size="13" '
                 f'font-weight="600" fill="#1d2433">{_text(c.title, 22)}</text>'
                 f'<text x="{box.x + 10:.1f}" y="{box.y + 40:.1f}" font-size="11" '
                 f'fill="#4a5468">{escape(c.reference)} · '
                 f'{_text(c.technology or c.state.label, 16)}</text>')
        tip = f"<title>{escape(c.reference)} {escape(c.title)} — {escape(c.state.label)}</title>"
        url = link(c) if link else None
        if url:
            out.append(f'<a href="{escape(url)}" class="cd-box">{tip}{shape}{words}</a>')
        else:
            out.append(f'<g class="cd-box">{tip}{shape}{words}</g>')
    if not components:
        out.append(f'<text x="{w / 2:.0f}" y="{h / 2:.0f}" text-anchor="middle" font-size="13" '
                   'fill="#5d6679">No components yet.</text>')
    out.append("</svg>")
    return Diagram("".join(out), components, interfaces)
