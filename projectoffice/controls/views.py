from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.registers.views import _item, item_url
from projectoffice.web.shortcuts import office_view

from . import actions, queries
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
