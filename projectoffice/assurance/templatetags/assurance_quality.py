"""Panels of the quality and configuration registers' item pages: a review's checklist and
follow-ups, an audit's non-conformances, a non-conformance's corrective actions, a
configuration item's versions and baselines."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.assurance import configuration, quality
from projectoffice.assurance.config_models import BaselineEntry, ItemVersion
from projectoffice.assurance.quality_models import CheckResult, NonConformance
from projectoffice.assurance.quality_views import follow_up_form
from projectoffice.controls.models import ChangeRequest

register = template.Library()


@register.simple_tag
def review_panel(item: Any) -> dict[str, Any]:
    checks = list(item.checks.all())
    return {"checks": checks, "results": CheckResult.choices[1:],
            "open": sum(1 for c in checks if c.result == CheckResult.OPEN),
            "not_met": sum(1 for c in checks if c.result == CheckResult.NOT_MET),
            "follow_ups": list(quality.follow_ups(item)),
            "form": follow_up_form(item.project, "follow-up"),
            "planned": quality.checklist_for(item) if not checks else []}


@register.simple_tag
def nc_panel(item: Any) -> dict[str, Any]:
    return {"actions": list(quality.capa_actions(item)),
            "form": follow_up_form(item.project, "corrective")}


@register.simple_tag
def audit_panel(item: Any) -> list[Any]:
    return list(NonConformance.objects.filter(audit=item).select_related("owner")
                .order_by("number"))


@register.simple_tag
def ci_panel(item: Any) -> dict[str, Any]:
    return {"versions": list(ItemVersion.objects.filter(item=item)
                             .select_related("change", "document_version__document",
                                             "created_by").order_by("-id")),
            "baselines": list(BaselineEntry.objects.filter(item=item)
                              .select_related("baseline", "version")
                              .order_by("-baseline__created_at", "-baseline_id")),
            "baselined": configuration.baselined(item),
            "changes": list(ChangeRequest.objects.filter(
                project=item.project, status__in=configuration.AUTHORISING_STATES)
                .order_by("number"))}
