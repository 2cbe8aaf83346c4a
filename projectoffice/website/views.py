"""The status page inside the office (members read it; publishers choose its content,
publish and revoke it) and the public page behind its link, readable signed out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from projectoffice.architecture.models import Component
from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, has_perm
from projectoffice.web.shortcuts import field_errors, flash_errors, office_view

from . import actions, queries

PUBLISH = actions.PUBLISH


def _context(request: AuthedRequest, code: str) -> dict[str, object]:
    project = access_project(request.user, code, "project.view")
    page = queries.page_of(project)
    may_publish = has_perm(request.user, project, PUBLISH)
    chosen = {c.pk for c in queries.chosen_components(page)}
    return {
        "project": project, "page": page, "content": queries.page_content(page),
        "may_publish": may_publish,
        "components": [(c, c.pk in chosen) for c in
                       Component.objects.filter(project=project).order_by("number")]
        if may_publish else [],
        "public_url": request.build_absolute_uri(reverse("status-public", args=[page.token]))
        if page.token else "",
    }


@login_required
@office_view
def status_page(request: AuthedRequest, code: str) -> HttpResponse:
    context = _context(request, code)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        project = context["project"]
        try:
            version = int(request.POST.get("version", "")) if context["page"].pk else None  # type: ignore[attr-defined]
        except ValueError:
            version = None
        try:
            actions.update_status_page(
                actor=request.user, project=project, version=version,  # type: ignore[arg-type]
                changes={"headline": request.POST.get("headline", "").strip(),
                         "message": request.POST.get("message", "").strip(),
                         "show_rag": request.POST.get("show_rag") == "1",
                         "show_milestones": request.POST.get("show_milestones") == "1"},
                components=request.POST.getlist("components"))
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, str(exc))
        else:
            messages.success(request, "The status page is saved.")
            return redirect("status-page", code)
    return render(request, "website/status_page.html", {**context, "errors": errors})


@login_required
@require_POST
@office_view
def status_publish(request: AuthedRequest, code: str) -> HttpResponse:
    project = access_project(request.user, code, "project.view")
    with flash_errors(request):
        if request.POST.get("action") == "revoke":
            actions.revoke_status_page(actor=request.user, project=project)
            messages.success(request, "The public link is revoked: it no longer opens.")
        else:
            actions.publish_status_page(actor=request.user, project=project)
            messages.success(request, "The status page is published: share its link.")
    return redirect("status-page", code)


@require_GET
def status_public(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link, signed in or not. Only `page_content` reaches the template,
    so nothing else of the office is shown or linked."""
    page = queries.page_by_token(token)
    if page is None:
        raise Http404("No such page")
    response = render(request, "website/public.html", {"content": queries.page_content(page)})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
