"""Reads of organisational design: each organisation's positions as chart roles, the
charts, and the differences between the current and the future organisation."""

from __future__ import annotations

from dataclasses import dataclass

from projectoffice.engine import orgchart
from projectoffice.portfolio.models import Project

from .models import Design, Position


def positions(project: Project, design: str) -> list[Position]:
    return list(Position.objects.filter(project=project, design=design)
                .exclude(status="withdrawn")
                .select_related("unit", "reports_to", "future_position", "impact")
                .order_by("number"))


def role_of(p: Position) -> orgchart.Role:
    return orgchart.Role(
        key=str(p.pk), title=p.title, unit=p.unit.title if p.unit else "", grade=p.grade,
        fte=float(p.fte), reports_to=str(p.reports_to_id) if p.reports_to_id else None,
        holder=p.holder, reference=p.reference,
        maps_to=str(p.future_position_id) if p.future_position_id else None)


@dataclass(frozen=True)
class OrgDesign:
    current: list[Position]
    future: list[Position]
    differences: orgchart.Differences
    current_svg: str
    future_svg: str


def design(project: Project) -> OrgDesign:
    current, future = positions(project, Design.CURRENT), positions(project, Design.FUTURE)
    cur_roles, fut_roles = [role_of(p) for p in current], [role_of(p) for p in future]
    diff = orgchart.differences(cur_roles, fut_roles)
    cur_status, fut_status = diff.status()
    return OrgDesign(current, future, diff,
                   orgchart.chart_svg(cur_roles, "Current organisation chart", cur_status),
                   orgchart.chart_svg(fut_roles, "Future organisation chart", fut_status))
