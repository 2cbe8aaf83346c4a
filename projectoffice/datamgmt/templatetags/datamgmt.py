"""A migration's runs on its page."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.datamgmt.models import DataMigration, RunKind

register = template.Library()


@register.simple_tag
def migration_panel(item: DataMigration) -> dict[str, Any]:
    runs = list(item.runs.select_related("defect", "recorded_by").order_by("run_on", "id"))
    return {"runs": runs, "kinds": RunKind.choices,
            "may_cut_over": item.status == "ready"}
