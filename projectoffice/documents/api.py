"""Document operations beyond the register kernel's: versions, check-out, review."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from projectoffice.apischema import StrictIn, user_by_username, username
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.files import file_response
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.api import item_out
from projectoffice.registers.queries import get_item

from . import actions
from .models import Document, DocumentVersion
from .registers import DOCUMENTS

router = Router(tags=["Documents"])
BASE = "/projects/{code}/documents/{ref}"


class ReviewOut(Schema):
    reviewer: str | None
    decision: str
    comment: str
    decided_at: Any


class VersionOut(Schema):
    number: int
    version: int
    filename: str
    size: int
    sha256: str
    mime_type: str
    note: str
    state: str
    uploaded_by: str | None
    created_at: Any
    decided_at: Any
    reviews: list[ReviewOut]


class VersionIn(StrictIn):
    version: int


class ReviewIn(StrictIn):
    version: int
    reviewers: list[str] = Field(..., min_length=1, max_length=20)


class DocumentDecisionIn(StrictIn):
    version: int
    decision: str = Field(..., max_length=10)
    comment: str = Field("", max_length=5000)


def _document(request: AuthedRequest, project: Project, ref: str) -> Document:
    document = get_item(DOCUMENTS, project, ref)
    if not isinstance(document, Document):
        raise NotFound(f"No document {ref!r} in {project.code}")
    return document


def _version(document: Document, number: int) -> DocumentVersion:
    found = document.versions.filter(number=number).first()
    if found is None:
        raise NotFound(f"No version {number} of {document.code}")
    return found


def version_out(v: DocumentVersion) -> dict[str, Any]:
    return {"number": v.number, "version": v.version, "filename": v.filename, "size": v.size,
            "sha256": v.sha256, "mime_type": v.mime_type, "note": v.note, "state": v.state,
            "uploaded_by": username(v.uploaded_by), "created_at": v.created_at,
            "decided_at": v.decided_at,
            "reviews": [{"reviewer": username(r.reviewer), "decision": r.decision,
                         "comment": r.comment, "decided_at": r.decided_at}
                        for r in v.reviews.select_related("reviewer")]}


@router.get(BASE + "/versions", response=list[VersionOut],
            summary="Versions, newest first")
@project_operation("document.view")
def versions(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    document = _document(request, project, ref)
    return [version_out(v) for v in document.versions.all()]


@router.post(BASE + "/versions", response={201: VersionOut},
             summary="Upload a new version (checks in the caller's check-out)")
@project_operation("document.change")
def upload(request: AuthedRequest, project: Project, ref: str, file: File[UploadedFile],
           note: Form[str] = "") -> Status[Any]:
    document = _document(request, project, ref)
    return Status(201, version_out(actions.upload_version(
        actor=request.user, document=document, upload=file, note=note)))


@router.get(BASE + "/versions/{number}/content",
            summary="Download a version")
@project_operation("document.view")
def download(request: AuthedRequest, project: Project, ref: str, number: int) -> FileResponse:
    v = _version(_document(request, project, ref), number)
    return file_response(v.file, v.filename, v.mime_type)


@router.post(BASE + "/checkout",
             summary="Check the document out so nobody else uploads meanwhile")
@project_operation("document.change")
def check_out(request: AuthedRequest, project: Project, ref: str,
              payload: VersionIn) -> dict[str, Any]:
    document = _document(request, project, ref)
    return item_out(DOCUMENTS, actions.check_out_document(
        actor=request.user, document=document, version=payload.version))


@router.post(BASE + "/versions/{number}/review", response=VersionOut,
             summary="Send a draft or rejected version to reviewers")
@project_operation("document.change")
def send_for_review(request: AuthedRequest, project: Project, ref: str, number: int,
                    payload: ReviewIn) -> dict[str, Any]:
    document = _document(request, project, ref)
    people = []
    for name in payload.reviewers:
        person = user_by_username(name, "reviewers")
        if person is None:
            raise InvalidInput.field("reviewers", f"no user {name!r}")
        people.append(person)
    return version_out(actions.submit_for_review(
        actor=request.user, doc_version=_version(document, number), reviewers=people,
        version=payload.version))


@router.post(BASE + "/versions/{number}/decision", response=VersionOut,
             openapi_extra={"x-note": "only a reviewer named on the version may decide"},
             summary="Approve or reject a version in review")
@project_operation("document.view")
def decide(request: AuthedRequest, project: Project, ref: str, number: int,
           payload: DocumentDecisionIn) -> dict[str, Any]:
    document = _document(request, project, ref)
    return version_out(actions.decide_review(
        actor=request.user, doc_version=_version(document, number), decision=payload.decision,
        comment=payload.comment, version=payload.version))
