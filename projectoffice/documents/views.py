"""Document pages beyond the register kernel's: versions, check-out, review, distribution."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.files import file_response
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.views import item_or_404, item_url
from projectoffice.web.shortcuts import flash_errors, office_view

from . import actions
from .models import Document, DocumentTemplate, DocumentType, DocumentVersion, TemplateKind
from .registers import DOCUMENTS
from .templating import PLACEHOLDERS


def _document(request: AuthedRequest, project: Project, ref: str) -> Document:
    document = item_or_404(DOCUMENTS, project, ref, request.user)
    assert isinstance(document, Document)
    return document


def _version_of(document: Document, number: int) -> DocumentVersion:
    found = document.versions.filter(number=number).first()
    if found is None:
        raise Http404(f"No version {number} of {document.code}")
    return found


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _users(names: list[str]) -> list[User]:
    people = list(User.objects.filter(username__in=names, is_active=True))
    if len(people) != len(set(names)):
        raise InvalidInput.field("reviewers", "unknown user")
    return people


@login_required
@require_POST
@office_view
@project_operation("document.view")
def upload(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    document = _document(request, project, ref)
    with flash_errors(request):
        file = request.FILES.get("file")
        if file is None:
            raise InvalidInput.field("file", "choose a file to upload")
        version = actions.upload_version(actor=request.user, document=document, upload=file,
                                         note=request.POST.get("note", ""))
        messages.success(request, f"Version {version.number} of {document.code} uploaded.")
    return redirect(item_url(document))


@login_required
@require_POST
@office_view
@project_operation("document.view")
def check_out(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    document = _document(request, project, ref)
    with flash_errors(request):
        actions.check_out_document(actor=request.user, document=document,
                                   version=_int(request.POST.get("version")))
        messages.success(request, f"{document.code} is checked out to you.")
    return redirect(item_url(document))


@login_required
@require_POST
@office_view
@project_operation("document.view")
def release(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    document = _document(request, project, ref)
    with flash_errors(request):
        actions.release_check_out(actor=request.user, document=document,
                                  version=_int(request.POST.get("version")))
        messages.success(request, f"{document.code} is checked in.")
    return redirect(item_url(document))


@login_required
@require_POST
@office_view
@project_operation("document.view")
def send_for_review(request: AuthedRequest, project: Project,
                    ref: str, number: int) -> HttpResponse:
    document = _document(request, project, ref)
    version = _version_of(document, number)
    with flash_errors(request):
        actions.submit_for_review(actor=request.user, doc_version=version,
                                  reviewers=_users(request.POST.getlist("reviewers")),
                                  version=_int(request.POST.get("version")))
        messages.success(request, f"v{number} sent for review.")
    return redirect(item_url(document))


@login_required
@require_POST
@office_view
@project_operation("document.view")
def decide(request: AuthedRequest, project: Project, ref: str, number: int) -> HttpResponse:
    document = _document(request, project, ref)
    version = _version_of(document, number)
    with flash_errors(request):
        saved = actions.decide_review(actor=request.user, doc_version=version,
                                      decision=request.POST.get("decision", ""),
                                      comment=request.POST.get("comment", ""),
                                      version=_int(request.POST.get("version")))
        messages.success(request, f"v{number} is {saved.get_state_display().lower()}.")
    return redirect(item_url(document))


@login_required
@require_POST
@office_view
@project_operation("document.view")
def add_recipient(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    document = _document(request, project, ref)
    with flash_errors(request):
        person = User.objects.filter(username=request.POST.get("user", "")).first()
        if person is None:
            raise InvalidInput.field("user", "unknown user")
        actions.add_recipient(actor=request.user, document=document, user=person)
        messages.success(request, f"{person} added to the distribution list.")
    return redirect(item_url(document))


@login_required
@require_POST
@office_view
@project_operation("document.view")
def acknowledge(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    document = _document(request, project, ref)
    with flash_errors(request):
        actions.acknowledge_document(actor=request.user, document=document)
        messages.success(request, "Thank you: your reading is recorded.")
    return redirect(item_url(document))


@login_required
@office_view
@project_operation("document.view")
def download(request: AuthedRequest, project: Project, ref: str, number: int) -> HttpResponseBase:
    version = _version_of(_document(request, project, ref), number)
    return file_response(version.file, version.filename, version.mime_type)


@login_required
@office_view
@project_operation("document.view")
def templates(request: AuthedRequest, project: Project) -> HttpResponse:
    """Templates for this project and the whole office; make a document from one, or add one."""
    available = DocumentTemplate.objects.filter(Q(project=None) | Q(project=project))
    error: OfficeError | None = None
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("op") == "add":
                actions.create_document_template(
                    actor=request.user, project=project, name=p.get("name", ""),
                    kind=p.get("kind", TemplateKind.DOCUMENT),
                    doc_type=p.get("doc_type", DocumentType.OTHER), body=p.get("body", ""))
                messages.success(request, "Template added.")
                return redirect("document-templates", project.code)
            template = available.filter(pk=_int(p.get("template")) or 0).first()
            if template is None:
                raise InvalidInput.field("template", "choose a template")
            document = actions.create_from_template(
                actor=request.user, project=project, template=template,
                title=p.get("title", ""), recipient=p.get("recipient", ""),
                subject=p.get("subject", ""))
            messages.success(request, f"{document.code} made from “{template.name}”.")
            return redirect(item_url(document))
        except OfficeError as exc:
            error = exc
    return render(request, "documents/templates.html", {
        "project": project, "templates": available, "error": error, "post": request.POST,
        "perms": project_permissions(request.user, project), "kinds": TemplateKind.choices,
        "types": DocumentType.choices, "placeholders": PLACEHOLDERS})
