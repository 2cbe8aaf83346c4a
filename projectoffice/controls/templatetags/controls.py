from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from projectoffice.controls import charts, queries
from projectoffice.controls.guards import above_threshold, approval_thresholds
from projectoffice.controls.models import risk_scale, score_band

register = template.Library()


@register.inclusion_tag("controls/_heat_maps.html")
def risk_heat_maps(project: Any) -> dict[str, Any]:
    risks = list(queries.open_risks(project))
    scale = risk_scale()
    return {
        "project": project, "count": len(risks),
        "inherent": charts.heat_map_svg(queries.risk_cells(risks, "inherent"), scale,
                                        "Inherent (before response)"),
        "residual": charts.heat_map_svg(queries.risk_cells(risks, "residual"), scale,
                                        "Residual (after response)"),
    }


@register.simple_tag
def risk_burn_down(project: Any) -> Any:
    return charts.burn_down_svg(queries.risk_burn_down(project, timezone.localdate()),
                                "Open risk exposure, last 12 weeks")


@register.filter
def band(score: int | None) -> str:
    return score_band(score)


@register.simple_tag
def change_thresholds(change: Any) -> dict[str, Any]:
    cost, days = approval_thresholds()
    return {"cost": cost, "days": days, "reasons": above_threshold(change)}
