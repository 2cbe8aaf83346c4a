from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, project_permissions, visible_projects
from projectoffice.portfolio.models import Programme
from projectoffice.registers.views import _item, item_url
from projectoffice.web.shortcuts import is_htmx, office_view

from . import actions, charts, queries
from .models import Issue
from .registers import ISSUES, RISKS


@login_required
@require_POST
@office_view
def escalate(request: AuthedRequest, code: str, ref: str) -> HttpResponse:
    project = access_project(request.user, code, "issue.view")
    issue = _item(ISSUES, project, ref)
    assert isinstance(issue, Issue)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        issue = actions.escalate_issue(actor=request.user, issue=issue, version=version,
                                       reason=request.POST.get("reason", ""))
        messages.success(request, f"{issue.reference} escalated to the "
                                  f"{issue.get_escalation_level_display().lower()}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(item_url(issue))


@login_required
@office_view
def risk_overview(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "risk.view")
    risks = list(queries.open_risks(project))
    return render(request, "controls/risk_overview.html", {
        "project": project, "spec": RISKS, "top": queries.top_risks(risks, 10),
        "perms": project_permissions(request.user, project), "count": len(risks)})


def raid_filter(request: AuthedRequest) -> queries.RaidFilter:
    g = request.GET
    return queries.RaidFilter(
        programme=g.get("programme", ""), owner=g.get("owner", ""),
        severity=g.get("severity", ""), overdue=g.get("overdue") == "1",
        register=g.get("register", ""), q=g.get("q", "").strip())


@login_required
@office_view
def raid(request: AuthedRequest) -> HttpResponse:
    """Every open RAID item across the portfolio, escalated issues, overdue actions and the
    dependency map between projects."""
    today = timezone.localdate()
    f = raid_filter(request)
    rows = queries.raid_rows(request.user, f, today)
    nodes, edges = queries.dependency_map(request.user)
    visible = visible_projects(request.user)
    context = {
        "f": f, "rows": rows, "today": today,
        "programmes": Programme.objects.filter(projects__in=visible).distinct(),
        "people": User.objects.filter(is_active=True).order_by("display_name", "username"),
        "severities": queries.SEVERITIES, "registers": queries.RAID_SPECS,
        "escalated": queries.escalated_issues(request.user)[:50],
        "overdue_actions": queries.overdue_actions(request.user, today)[:10],
        "overdue_count": queries.overdue_actions(request.user, today).count(),
        "depmap": charts.dependency_map_svg(nodes, edges,
                                            "Dependencies between projects"),
        "edges": edges,
    }
    template = "controls/_raid_table.html" if is_htmx(request) else "controls/raid.html"
    return render(request, template, context)
