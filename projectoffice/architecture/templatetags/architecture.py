"""The decision record's supersession panel and the component's interfaces panel."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.architecture.models import (
    Component,
    ComponentInterface,
    DecisionRecord,
)

register = template.Library()


@register.simple_tag
def adr_panel(item: DecisionRecord) -> dict[str, Any]:
    candidates = (DecisionRecord.objects.filter(project=item.project,
                                                status__in=("proposed", "accepted"))
                  .exclude(pk=item.pk).order_by("-number"))
    return {"superseded_by": item.superseded_by,
            "supersedes": list(item.supersedes.all()),
            "candidates": list(candidates) if item.status == "accepted" else []}


@register.simple_tag
def component_panel(item: Component) -> dict[str, Any]:
    related = ComponentInterface.objects.select_related("source", "target")
    return {"outgoing": list(related.filter(source=item)),
            "incoming": list(related.filter(target=item)),
            "others": list(Component.objects.filter(project=item.project)
                           .exclude(pk=item.pk).exclude(status="retired").order_by("number"))}
