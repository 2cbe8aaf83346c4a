"""Every write to document control: versions, check-out, review and approval, distribution.

The document itself (title, type, owner, withdrawal) is a register item written through the
kernel's actions; these add what is particular to documents. Each runs in one transaction,
checks its permission, locks the rows it changes and records the audit trail.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import check_version, create_object, lock_for_update
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import has_perm, project_permissions, require_global
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import create_item, notify
from projectoffice.registers.models import NotificationKind
from projectoffice.search.index import index_item

from .extract import extract_text
from .models import (
    Acknowledgement,
    Decision,
    Document,
    DocumentTemplate,
    DocumentVersion,
    Recipient,
    Review,
    VersionState,
)
from .registers import DOCUMENTS
from .templating import check_template, fill, to_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Office documents, PDF, text and images; nothing a browser or a shell would execute.
ALLOWED_SUFFIXES = frozenset({
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".doc", ".xls", ".ppt",
    ".txt", ".md", ".csv", ".rtf", ".png", ".jpg", ".jpeg", ".gif", ".vsdx", ".mpp", ".xml",
    ".zip",
})


def _require(actor: User, document: Document, perm: str) -> frozenset[str]:
    perms = project_permissions(actor, document.project)
    if "project.view" not in perms:
        raise NotFound(f"No project {document.project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {document.project.code}")
    return perms


def check_upload(upload: UploadedFile[Any]) -> str:
    """Returns the clean file name, or raises InvalidInput naming the `file` field."""
    raw = upload.name or ""
    if "/" in raw or "\\" in raw or raw in ("", ".", "..") or "\x00" in raw:
        raise InvalidInput.field("file", "the file name must be a plain name without folders")
    if upload.size is None or upload.size == 0:
        raise InvalidInput.field("file", "is empty")
    limit = settings.PMO_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        raise InvalidInput.field("file", f"is larger than the limit of {limit:,} bytes")
    suffix = PurePath(raw).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise InvalidInput.field(
            "file", f"files of type {suffix or '(none)'!r} are not accepted; use one of "
                    + ", ".join(sorted(ALLOWED_SUFFIXES)))
    return raw[:255]


def _lock(document: Document) -> Document:
    return lock_for_update(Document, document.pk)


@transaction.atomic
def upload_version(*, actor: User, document: Document, upload: UploadedFile[Any],
                   note: str = "") -> DocumentVersion:
    """Adds a new draft version. If the uploader holds the check-out this checks it in;
    while someone else holds it, nothing is stored."""
    _require(actor, document, "document.change")
    name = check_upload(upload)
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput.field("note", "is longer than 500 characters")
    locked = _lock(document)
    if locked.is_closed:
        raise Conflict(f"{locked.code} is withdrawn; reinstate it before adding versions")
    if locked.checked_out_by_id and locked.checked_out_by_id != actor.pk:
        raise Conflict(f"{locked.code} is checked out by {locked.checked_out_by}; "
                       "they must check it in first", {"file": ["document is checked out"]})
    data = b"".join(upload.chunks())
    upload.seek(0)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first()
    version = DocumentVersion(
        document=locked, project=locked.project, number=(last or 0) + 1, filename=name,
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor,
        mime_type=(upload.content_type or mimetypes.guess_type(name)[0]
                   or "application/octet-stream")[:100],
        note=note, text=extract_text(name, data))
    version.file.save(name, upload, save=False)
    version.save()
    changes: dict[str, Any] = {"version": [None, f"v{version.number} {name} ({len(data)} "
                                                   f"bytes, SHA-256 {version.sha256[:12]})"]}
    if locked.checked_out_by_id:
        changes["checked_out_by"] = [str(locked.checked_out_by), None]
    locked.checked_out_by = None
    locked.checked_out_at = None
    locked.review_state = VersionState.DRAFT
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="uploaded", changes=changes)
    index_item(locked)
    return version


@transaction.atomic
def check_out_document(*, actor: User, document: Document, version: int | None) -> Document:
    _require(actor, document, "document.change")
    locked = _lock(document)
    check_version(locked, version)
    if locked.is_closed:
        raise Conflict(f"{locked.code} is withdrawn")
    if locked.checked_out_by_id:
        who = "you" if locked.checked_out_by_id == actor.pk else str(locked.checked_out_by)
        raise Conflict(f"{locked.code} is already checked out by {who}")
    locked.checked_out_by = actor
    locked.checked_out_at = timezone.now()
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="checked out",
                  changes={"checked_out_by": [None, str(actor)]})
    return locked


@transaction.atomic
def release_check_out(*, actor: User, document: Document, version: int | None) -> Document:
    """Checks a document in without a new version. The holder may; so may whoever controls
    the project's documents (for someone who left it checked out)."""
    perms = _require(actor, document, "document.view")
    locked = _lock(document)
    check_version(locked, version)
    if not locked.checked_out_by_id:
        raise Conflict(f"{locked.code} is not checked out")
    if locked.checked_out_by_id != actor.pk and "document.transition" not in perms:
        raise Forbidden(f"{locked.code} is checked out by {locked.checked_out_by}; only they "
                        "or a document controller can release it")
    before = str(locked.checked_out_by)
    locked.checked_out_by = None
    locked.checked_out_at = None
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="checked in",
                  changes={"checked_out_by": [before, None]})
    return locked


@transaction.atomic
def submit_for_review(*, actor: User, doc_version: DocumentVersion, reviewers: list[User],
                      version: int | None) -> DocumentVersion:
    document = doc_version.document
    _require(actor, document, "document.change")
    if not reviewers:
        raise InvalidInput.field("reviewers", "name at least one reviewer")
    for person in reviewers:
        if person == actor:
            raise InvalidInput.field("reviewers", "name someone else: nobody reviews their "
                                                  "own submission")
        if not has_perm(person, document.project, "document.view"):
            raise InvalidInput.field("reviewers",
                                     f"{person.username} cannot see {document.project.code}")
    locked_doc = _lock(document)
    locked = lock_for_update(DocumentVersion, doc_version.pk)
    check_version(locked, version)
    if locked.state not in (VersionState.DRAFT, VersionState.REJECTED):
        raise Conflict(f"{locked} is {locked.get_state_display().lower()}; only a draft or "
                       "rejected version can be sent for review")
    Review.objects.filter(version=locked).delete()
    for person in dict.fromkeys(reviewers):
        Review.objects.create(version=locked, reviewer=person, requested_by=actor)
    before = locked.state
    locked.state = VersionState.IN_REVIEW
    locked.version += 1
    locked.save()
    _set_review_state(locked_doc, locked)
    record_change(actor=actor, obj=locked_doc, verb="sent for review", changes={
        "state": [f"v{locked.number} {before}", f"v{locked.number} in_review"],
        "reviewers": [None, ", ".join(p.username for p in dict.fromkeys(reviewers))]})
    for person in dict.fromkeys(reviewers):
        notify(recipient=person, item=locked_doc, kind=NotificationKind.REVIEW, actor=actor,
               message=f"{actor} asks you to review {locked_doc.reference} "
                       f"v{locked.number}: {locked_doc.title}")
    return locked


def _tell_outcome(actor: User, document: Document, doc_version: DocumentVersion,
                  comment: str) -> None:
    """The version's outcome (rejected, or approved by every reviewer) goes to whoever sent
    it for review and to the document's owner."""
    asked = Review.objects.filter(version=doc_version).values_list("requested_by_id",
                                                                   flat=True)
    ids = {pk for pk in (*asked, document.owner_id) if pk is not None}
    people = User.objects.filter(pk__in=ids)
    outcome = ("approved" if doc_version.state == VersionState.APPROVED
               else f"rejected by {actor}")
    why = f": {comment}" if doc_version.state == VersionState.REJECTED and comment else ""
    for person in people.order_by("pk"):
        notify(recipient=person, item=document, kind=NotificationKind.REVIEW, actor=actor,
               message=f"{document.reference} v{doc_version.number} is {outcome}{why}")


def _set_review_state(document: Document, version: DocumentVersion) -> None:
    latest = document.versions.order_by("-number").values_list("pk", flat=True).first()
    if latest == version.pk:
        document.review_state = version.state
    document.version += 1
    document.save()


@transaction.atomic
def decide_review(*, actor: User, doc_version: DocumentVersion, decision: str,
                  comment: str = "", version: int | None) -> DocumentVersion:
    """Records a reviewer's approval or rejection. One rejection rejects the version; when
    every reviewer has approved, the version becomes current and the previous current one
    is superseded. Two decisions racing on one version: the second gets a stale version."""
    document = doc_version.document
    _require(actor, document, "document.view")
    if decision not in (Decision.APPROVED, Decision.REJECTED):
        raise InvalidInput.field("decision", "use 'approved' or 'rejected'")
    comment = comment.strip()
    if decision == Decision.REJECTED and not comment:
        raise InvalidInput.field("comment", "say why the version is rejected")
    if len(comment) > 5000:
        raise InvalidInput.field("comment", "is longer than 5000 characters")
    locked_doc = _lock(document)
    locked = lock_for_update(DocumentVersion, doc_version.pk)
    check_version(locked, version)
    if locked.state != VersionState.IN_REVIEW:
        raise Conflict(f"{locked} is {locked.get_state_display().lower()}, not in review")
    review = Review.objects.select_for_update().filter(version=locked, reviewer=actor).first()
    if review is None:
        raise Forbidden(f"You are not a reviewer of {locked}")
    if review.decision != Decision.PENDING:
        raise Conflict(f"You have already {review.decision} {locked}")
    now = timezone.now()
    review.decision = decision
    review.comment = comment
    review.decided_at = now
    review.save()
    changes: dict[str, Any] = {"review": [None, f"v{locked.number} {decision} by {actor}"]}
    if comment:
        changes["comment"] = [None, comment]
    if decision == Decision.REJECTED:
        locked.state = VersionState.REJECTED
        locked.decided_at = now
    elif not Review.objects.filter(version=locked, decision=Decision.PENDING).exists():
        previous = locked_doc.current_version
        if previous is not None and previous.pk != locked.pk:
            previous = lock_for_update(DocumentVersion, previous.pk)
            previous.state = VersionState.SUPERSEDED
            previous.version += 1
            previous.save()
            changes["superseded"] = [None, f"v{previous.number}"]
        locked.state = VersionState.APPROVED
        locked.decided_at = now
        locked_doc.current_version = locked
        changes["current_version"] = [f"v{previous.number}" if previous else None,
                                      f"v{locked.number}"]
    locked.version += 1
    locked.save()
    _set_review_state(locked_doc, locked)
    verb = "approved" if decision == Decision.APPROVED else "rejected"
    record_change(actor=actor, obj=locked_doc, verb=verb, changes=changes)
    index_item(locked_doc)
    if locked.state in (VersionState.APPROVED, VersionState.REJECTED):
        _tell_outcome(actor, locked_doc, locked, comment)
    return locked


@transaction.atomic
def add_recipient(*, actor: User, document: Document, user: User) -> Recipient:
    _require(actor, document, "document.change")
    if not has_perm(user, document.project, "document.view"):
        raise InvalidInput.field("user", f"{user.username} cannot see "
                                         f"{document.project.code}")
    if Recipient.objects.filter(document=document, user=user).exists():
        raise InvalidInput.field("user", f"{user.username} is on the list already")
    recipient = Recipient.objects.create(document=document, user=user, added_by=actor)
    record_change(actor=actor, obj=document, verb="distributed",
                  changes={"recipient": [None, str(user)]})
    return recipient


@transaction.atomic
def acknowledge_document(*, actor: User, document: Document) -> Acknowledgement:
    """A recipient confirms they have read the current approved version."""
    _require(actor, document, "document.view")
    current = document.current_version
    if current is None:
        raise Conflict(f"{document.code} has no approved version to acknowledge")
    if not Recipient.objects.filter(document=document, user=actor).exists():
        raise Forbidden(f"You are not on the distribution list of {document.code}")
    if Acknowledgement.objects.filter(version=current, user=actor).exists():
        raise Conflict(f"You have already acknowledged {current}")
    ack = Acknowledgement.objects.create(version=current, user=actor)
    record_change(actor=actor, obj=document, verb="acknowledged",
                  changes={"read": [None, f"v{current.number} by {actor}"]})
    return ack


@transaction.atomic
def create_document_template(*, actor: User, project: Project | None, name: str, kind: str,
                             doc_type: str, body: str) -> DocumentTemplate:
    """A template for one project (needs document.change there) or, without a project, for
    every project (needs portfolio.manage)."""
    if project is None:
        require_global(actor, "portfolio.manage")
    else:
        perms = project_permissions(actor, project)
        if "project.view" not in perms:
            raise NotFound(f"No project {project.code!r}")
        if "document.change" not in perms:
            raise Forbidden(f"You need the 'document.change' permission on {project.code}")
    check_template(body)
    template = DocumentTemplate(project=project, name=name.strip(), kind=kind,
                                doc_type=doc_type, body=body, created_by=actor)
    return create_object(actor=actor, obj=template,
                         audit_fields=("name", "kind", "doc_type", "body"))


@transaction.atomic
def create_from_template(*, actor: User, project: Project, template: DocumentTemplate,
                         title: str, recipient: str = "", subject: str = "",
                         today: date | None = None) -> Document:
    """A new document whose first version is the template filled from the project (DOCX)."""
    if template.project_id not in (None, project.pk):
        raise InvalidInput.field("template", "belongs to another project")
    day = today or timezone.localdate()
    if len(recipient) > 300 or len(subject) > 300:
        raise InvalidInput.field("recipient", "is longer than 300 characters")
    document = create_item(actor=actor, spec=DOCUMENTS, project=project, today=day,
                           data={"title": title.strip(), "doc_type": template.doc_type,
                                 "owner": actor,
                                 "description": f"Made from the template “{template.name}”."})
    assert isinstance(document, Document)
    text = fill(template.body, project=project, author=actor, today=day, recipient=recipient,
                subject=subject)
    name = re.sub(r"[^A-Za-z0-9]+", "-", f"{document.code} {title}").strip("-")[:120]
    upload = SimpleUploadedFile(f"{name}.docx", to_docx(title, text), content_type=DOCX)
    upload_version(actor=actor, document=document, upload=upload,
                   note=f"From the template {template.name}")
    made: Document = Document.objects.get(pk=document.pk)
    return made
