"""The status pages inside the office — a project's and a programme's (members read them;
publishers choose their content, post announcements, publish and revoke them) — and the
public page behind its link, readable signed out, with its chosen documents."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from projectoffice.architecture.models import Component
from projectoffice.documents.models import DocumentVersion, VersionState
from projectoffice.errors import NotFound, OfficeError
from projectoffice.files import file_response
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    has_perm,
    object_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project
from projectoffice.web.shortcuts import field_errors, flash_errors, office_view

from . import actions, queries
from .models import StatusPage

PUBLISH = actions.PUBLISH
R = TypeVar("R", bound=HttpResponseBase)
PUBLISHED = (VersionState.APPROVED, VersionState.SUPERSEDED)


def _public_url(request: AuthedRequest, page: StatusPage) -> str:
    return (request.build_absolute_uri(reverse("status-public", args=[page.token]))
            if page.token else "")


def _document_choices(user: Any, projects: list[Project],
                      page: StatusPage) -> list[tuple[DocumentVersion, bool]]:
    chosen = {v.pk for v in queries.chosen_documents(page)}
    readable = [p for p in projects if has_perm(user, p, "document.view")]
    versions = (DocumentVersion.objects.filter(project__in=readable, state__in=PUBLISHED)
                .select_related("document").order_by("document__code", "-number"))
    return [(v, v.pk in chosen) for v in versions]


def _version(request: AuthedRequest, page: StatusPage) -> int | None:
    try:
        return int(request.POST.get("version", "")) if page.pk else None
    except ValueError:
        return None


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _context(request: AuthedRequest, code: str) -> dict[str, Any]:
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
        "documents": _document_choices(request.user, [project], page) if may_publish else [],
        "posts": list(page.announcements.all()) if page.pk else [],
        "public_url": _public_url(request, page),
        "announce_url": reverse("status-announce", args=["projects", project.code]),
        "kind": "projects", "code": project.code,
    }


@login_required
@office_view
@object_operation("project.view")  # read by members; saved with statuspage.publish
def status_page(request: AuthedRequest, code: str) -> HttpResponse:
    context = _context(request, code)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        project = context["project"]
        try:
            actions.update_status_page(
                actor=request.user, project=project,
                version=_version(request, context["page"]),
                changes={"headline": request.POST.get("headline", "").strip(),
                         "message": request.POST.get("message", "").strip(),
                         "show_rag": request.POST.get("show_rag") == "1",
                         "show_milestones": request.POST.get("show_milestones") == "1"},
                components=request.POST.getlist("components"),
                documents=_ids(request.POST.getlist("documents")))
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
@project_operation("project.view")
def status_publish(request: AuthedRequest, project: Project) -> HttpResponse:
    with flash_errors(request):
        if request.POST.get("action") == "revoke":
            actions.revoke_status_page(actor=request.user, project=project)
            messages.success(request, "The public link is revoked: it no longer opens.")
        else:
            actions.publish_status_page(actor=request.user, project=project)
            messages.success(request, "The status page is published: share its link.")
    return redirect("status-page", project.code)


def _programme_context(request: AuthedRequest, code: str) -> dict[str, Any]:
    try:
        programme = actions.access_programme(request.user, code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    page = queries.programme_page_of(programme)
    may_publish = actions.may_publish_programme(request.user, programme)
    projects = actions.programme_projects(request.user, programme)
    chosen = {p.pk for p in queries.chosen_projects(page)}
    return {
        "programme": programme, "page": page, "content": queries.page_content(page),
        "may_publish": may_publish,
        "projects": [(p, p.pk in chosen) for p in projects] if may_publish else [],
        "documents": _document_choices(request.user, projects, page) if may_publish else [],
        "posts": list(page.announcements.all()) if page.pk else [],
        "public_url": _public_url(request, page),
        "announce_url": reverse("status-announce", args=["programmes", programme.code]),
        "kind": "programmes", "code": programme.code,
    }


@login_required
@office_view
def programme_status_page(request: AuthedRequest, code: str) -> HttpResponse:
    context = _programme_context(request, code)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            actions.update_programme_page(
                actor=request.user, programme=context["programme"],
                version=_version(request, context["page"]),
                changes={"headline": request.POST.get("headline", "").strip(),
                         "message": request.POST.get("message", "").strip()},
                projects=request.POST.getlist("projects"),
                documents=_ids(request.POST.getlist("documents")))
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, str(exc))
        else:
            messages.success(request, "The programme's status page is saved.")
            return redirect("programme-status-page", code)
    return render(request, "website/programme_page.html", {**context, "errors": errors})


@login_required
@require_POST
@office_view
def programme_status_publish(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme_context(request, code)["programme"]
    with flash_errors(request):
        if request.POST.get("action") == "revoke":
            actions.revoke_programme_page(actor=request.user, programme=programme)
            messages.success(request, "The public link is revoked: it no longer opens.")
        else:
            actions.publish_programme_page(actor=request.user, programme=programme)
            messages.success(request, "The status page is published: share its link.")
    return redirect("programme-status-page", code)


def _page_for(request: AuthedRequest, kind: str, code: str) -> tuple[StatusPage, str]:
    """The page (made on first use by the publishing action) and where to go back to."""
    if kind == "programmes":
        context = _programme_context(request, code)
        back = reverse("programme-status-page", args=[code])
    elif kind == "projects":
        context = _context(request, code)
        back = reverse("status-page", args=[code])
    else:
        raise Http404("No such page")
    page: StatusPage = context["page"]
    if page.pk is None:  # made (and checked) by the first content edit
        if kind == "programmes":
            page = actions.update_programme_page(actor=request.user,
                                                 programme=context["programme"],
                                                 version=None, changes={})
        else:
            page = actions.update_status_page(actor=request.user, project=context["project"],
                                              version=None, changes={})
    return page, back


@login_required
@require_POST
@office_view
def status_announce(request: AuthedRequest, kind: str, code: str) -> HttpResponse:
    back = reverse("programme-status-page" if kind == "programmes" else "status-page",
                   args=[code])
    with flash_errors(request):
        page, back = _page_for(request, kind, code)
        if request.POST.get("remove"):
            actions.remove_status_announcement(actor=request.user, page=page,
                                               post_id=int(request.POST["remove"]))
            messages.success(request, "The announcement is removed.")
        else:
            actions.post_status_announcement(actor=request.user, page=page,
                                             title=request.POST.get("title", ""),
                                             body=request.POST.get("body", ""))
            messages.success(request, "The announcement is posted.")
    return redirect(back + "#announcements")


def _public_page(token: str) -> StatusPage:
    page = queries.page_by_token(token)
    if page is None:
        raise Http404("No such page")
    return page


def _private(response: R) -> R:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def status_public(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link, signed in or not. Only `page_content` reaches the template,
    so nothing else of the office is shown or linked."""
    page = _public_page(token)
    return _private(render(request, "website/public.html",
                           {"content": queries.page_content(page), "token": page.token}))


@require_GET
def status_public_file(request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    """One of the page's chosen document versions; any other id is 404, like a revoked
    link."""
    version = queries.page_document(_public_page(token), pk)
    if version is None:
        raise Http404("No such document")
    try:
        response = file_response(version.file, version.filename, version.mime_type)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return _private(response)
