"""Document control: a register of controlled documents, each with immutable versions that
go through review and approval; distribution lists with read acknowledgements."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel, lock_for_update
from projectoffice.registers.models import ReferenceCounter, RegisterItem

USER = settings.AUTH_USER_MODEL


class DocumentType(models.TextChoices):
    PLAN = "PLN", "Plan"
    REPORT = "RPT", "Report"
    SPECIFICATION = "SPC", "Specification"
    MINUTES = "MIN", "Minutes"
    LETTER = "LET", "Letter"
    CONTRACT = "CON", "Contract"
    PROCEDURE = "PRC", "Procedure"
    OTHER = "OTH", "Other"


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class Document(RegisterItem):
    """A controlled document. Its code (``MTX-PLN-003``) is numbered per project and type
    when it is first saved, inside the creating action's transaction."""

    doc_type = models.CharField("type", max_length=3, choices=DocumentType.choices,
                                default=DocumentType.OTHER)
    code = models.CharField("document number", max_length=40, blank=True, editable=False)
    review_state = models.CharField("latest version", max_length=12, default="none",
                                    editable=False,
                                    choices=[("none", "No version yet"), *VersionState.choices])
    current_version = models.ForeignKey("DocumentVersion", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        editable=False)
    checked_out_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", editable=False)
    checked_out_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_document_number")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            counter, _ = ReferenceCounter.objects.get_or_create(
                project=self.project, register=f"documents:{self.doc_type}")
            counter = lock_for_update(ReferenceCounter, counter.pk)
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
            self.code = f"{self.project.code}-{self.doc_type}-{counter.last_number:03d}"
        super().save(*args, **kwargs)

    def latest_version(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()

    def search_body(self) -> str:
        latest = self.latest_version()
        return "\n".join(filter(None, [self.code, self.get_doc_type_display(),
                                       self.description, latest.text if latest else ""]))


def version_path(instance: DocumentVersion, filename: str) -> str:
    return f"documents/{instance.project_id}/{instance.sha256[:2]}/{instance.sha256}"


class DocumentVersion(VersionedModel):
    """One uploaded revision. The file and its fingerprint never change after upload; only
    the review state moves (draft → in review → approved / rejected → superseded)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    project = models.ForeignKey("portfolio.Project", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, max_length=300)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    mime_type = models.CharField(max_length=100)
    note = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=12, choices=VersionState.choices,
                             default=VersionState.DRAFT)
    text = models.TextField(blank=True, editable=False)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"],
                                               name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.document.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A stored version's file and fingerprint never change; only its state does."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list(
                "document_id", "number", "file", "sha256", "size").first()
            if stored and stored != (self.document_id, self.number, self.file.name,
                                     self.sha256, self.size):
                raise ValueError(f"{self} is immutable: upload a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{self} is part of the document's history and cannot be deleted")

    @property
    def label(self) -> str:
        return f"v{self.number}"


class Decision(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Review(models.Model):
    """A reviewer asked to approve or reject one version."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE,
                                related_name="reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    comment = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "reviewer"],
                                               name="unique_reviewer_per_version")]


class Recipient(models.Model):
    """A person on a document's distribution list."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE,
                                 related_name="recipients")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "user"],
                                               name="unique_recipient")]


class Acknowledgement(models.Model):
    """A recipient confirms they have read one approved version."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE,
                                related_name="acknowledgements")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "user"],
                                               name="unique_acknowledgement")]


class TemplateKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    LETTER = "letter", "Letter"


class DocumentTemplate(VersionedModel):
    """A document or letter with placeholders such as ``{{ project.name }}`` filled from the
    project when a new document is made from it. Without a project it serves every project."""

    project = models.ForeignKey("portfolio.Project", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=TemplateKind.choices,
                            default=TemplateKind.DOCUMENT)
    doc_type = models.CharField("document type", max_length=3, choices=DocumentType.choices,
                                default=DocumentType.OTHER)
    body = models.TextField(max_length=50000)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
