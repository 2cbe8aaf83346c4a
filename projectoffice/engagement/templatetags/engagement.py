from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from projectoffice.engagement import orgchange, queries, readiness
from projectoffice.engagement.models import (
    ADKAR,
    Channel,
    Communication,
    ReadinessAssessment,
    Stakeholder,
)
from projectoffice.engine import engagement as engine
from projectoffice.registers.forms import people_of

register = template.Library()


@register.simple_tag
def stakeholder_panel(item: Stakeholder) -> dict[str, Any]:
    """Where the stakeholder sits and the communications planned for them."""
    comms = (Communication.objects.filter(audience__stakeholder=item)
             .order_by("starts_on", "number"))
    return {"quadrant": engine.quadrant(item.power, item.interest),
            "gap": engine.attitude_gap(item.attitude_now, item.attitude_wanted),
            "communications": comms}


@register.simple_tag
def communication_panel(item: Communication) -> dict[str, Any]:
    """The audience (and who could join it), the milestone, what was sent and how it was
    received, with each send's recipients and survey answers."""
    chosen = queries.audience_ids(item)
    everyone = list(queries.stakeholders(item.project))
    rows = queries.send_rows(item.project, item)
    for row in rows:
        row.send.recipient_list = list(row.send.recipients.all())  # type: ignore[attr-defined]
        row.send.answer_list = list(row.send.responses.all())  # type: ignore[attr-defined]
    return {"audience": [s for s in everyone if s.pk in chosen],
            "candidates": [(s, s.pk in chosen) for s in everyone],
            "without_email": [s for s in everyone if s.pk in chosen and not s.email],
            "milestone": queries.plan_task(item.project, item.milestone_uid),
            "rows": rows, "channels": Channel.choices, "today": timezone.localdate()}


@register.simple_tag
def impact_panel(item: Any) -> dict[str, Any]:
    """The group's latest readiness, the milestone and the change activities (actions)."""
    latest = (ReadinessAssessment.objects.filter(group=item.group)
              .order_by("-assessed_on", "-id").first())
    return {"latest": latest, "dimensions": [(label, getattr(latest, name) if latest else None)
                                             for name, label in ADKAR],
            "milestone": queries.plan_task(item.project, item.milestone_uid),
            "activities": readiness.activities(item),
            "kinds": list(orgchange.ACTIVITY_KINDS.items()),
            "people": people_of(item.project), "today": timezone.localdate()}


@register.filter
def posted(data: Any, name: str) -> str:
    """The value a form sent for `name` (to show it again beside an error)."""
    getter = getattr(data, "get", None)
    return str(getter(name, "")) if getter is not None else ""
