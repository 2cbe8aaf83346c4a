"""The org charts page: the current and the future organisation side by side, the
differences, and who has no role in the future organisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.web.shortcuts import office_view

from . import queries
from .models import Position


@login_required
@office_view
def charts(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "position.view")
    found = queries.design(project)
    by_pk = {str(p.pk): p for p in [*found.current, *found.future]}

    def item(role_key: str) -> Position:
        return by_pk[role_key]

    diff = found.differences
    return render(request, "orgdesign/charts.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "found": found,
        # The engine escapes every text it writes into the SVG.
        "current_svg": mark_safe(found.current_svg),
        "future_svg": mark_safe(found.future_svg),
        "new": [item(r.key) for r in diff.new],
        "removed": [item(r.key) for r in diff.removed],
        "changed": [(item(c.current.key), item(c.future.key), c.what) for c in diff.changed],
        "unplaced": [item(r.key) for r in diff.unplaced],
        "moves": [p for p in found.current if p.holder and p.future_position_id]})
