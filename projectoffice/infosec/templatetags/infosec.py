"""The access review's lines on its page."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.infosec.actions import DECIDE, DECIDE_GLOBAL
from projectoffice.infosec.models import AccessReview, LineDecision, RoleScope
from projectoffice.portfolio.access import has_global, has_perm

register = template.Library()


@register.simple_tag
def review_panel(item: AccessReview, user: Any) -> dict[str, Any]:
    """The lines, project roles first, each with whether `user` may decide it now: a
    project role needs the project's membership.manage, an office-wide one roles.manage
    (and is never one's own)."""
    lines = list(item.lines.select_related("user", "decided_by"))
    open_review = item.status == "in_progress"
    manages = has_perm(user, item.project, DECIDE)
    manages_roles = manages and has_global(user, DECIDE_GLOBAL)
    rows = []
    for line in lines:
        if line.scope == RoleScope.GLOBAL:
            may = manages_roles and line.user_id != user.pk
        else:
            may = manages
        rows.append({"line": line, "may_decide": open_review and not line.decision and may})
    pending = sum(1 for line in lines if line.decision == LineDecision.PENDING)
    return {"lines": lines, "rows": rows, "pending": pending,
            "global_lines": sum(1 for line in lines if line.scope == RoleScope.GLOBAL),
            "revoked": sum(1 for line in lines if line.decision == LineDecision.REVOKED),
            "confirmed": sum(1 for line in lines if line.decision == LineDecision.CONFIRMED)}
