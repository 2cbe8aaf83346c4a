"""The access review's lines on its page."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.infosec.models import AccessReview, LineDecision

register = template.Library()


@register.simple_tag
def review_panel(item: AccessReview) -> dict[str, Any]:
    lines = list(item.lines.select_related("user", "decided_by"))
    pending = sum(1 for line in lines if line.decision == LineDecision.PENDING)
    return {"lines": lines, "pending": pending,
            "revoked": sum(1 for line in lines if line.decision == LineDecision.REVOKED),
            "confirmed": sum(1 for line in lines if line.decision == LineDecision.CONFIRMED)}
