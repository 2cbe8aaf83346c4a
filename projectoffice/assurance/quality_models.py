"""Quality management: the project's quality plan and criteria, quality reviews of a
deliverable or document version with their checklist, audits and the non-conformances they
find, each closed only once its corrective action is verified."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.documents.models import Document
from projectoffice.editing import VersionedModel
from projectoffice.registers.models import RegisterItem

from .models import Deliverable

USER = settings.AUTH_USER_MODEL


class QualityPlan(VersionedModel):
    """How one project assures its products: the standards it applies, its review methods
    and the criteria each type of deliverable is reviewed against."""

    project = models.OneToOneField("portfolio.Project", on_delete=models.CASCADE,
                                   related_name="+")
    standards = models.TextField("standards applied", max_length=5000, blank=True,
                                 help_text="e.g. ISO 9001:2015, WCAG 2.2 AA, the office's "
                                           "coding standard")
    review_methods = models.TextField(max_length=5000, blank=True,
                                      help_text="How products are reviewed: inspection, "
                                                "walkthrough, peer review, testing…")
    approach = models.TextField("quality approach", max_length=10000, blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Quality plan of {self.project_id}"


class QualityCriterion(models.Model):
    """One criterion a type of deliverable must meet; reviews draw their checklist from
    these."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="criteria")
    product_type = models.CharField("deliverable type", max_length=100)
    position = models.PositiveIntegerField()
    text = models.CharField("criterion", max_length=500)

    class Meta:
        ordering = ["plan", "product_type", "position"]

    def __str__(self) -> str:
        return f"{self.product_type}: {self.text}"


class ReviewMethod(models.TextChoices):
    INSPECTION = "inspection", "Inspection"
    WALKTHROUGH = "walkthrough", "Walkthrough"
    PEER = "peer", "Peer review"
    TEST = "test", "Test review"
    DEMONSTRATION = "demonstration", "Demonstration"


class QualityReview(RegisterItem):
    """A review of one deliverable or one version of a document against the plan's
    criteria; its outcome is its closing state (passed, passed with conditions, failed)."""

    subject_reference = models.CharField(
        "deliverable or document", max_length=20,
        help_text="The reference of what is reviewed, e.g. DLV-0002 or DOC-0004")
    document_version = models.PositiveIntegerField(
        "document version", null=True, blank=True,
        help_text="For a document: the version number reviewed (the current one if empty)")
    method = models.CharField("review method", max_length=15, choices=ReviewMethod.choices,
                              default=ReviewMethod.INSPECTION)
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="lead reviewer")
    other_reviewers = models.CharField(
        max_length=300, blank=True,
        help_text="User names of the other reviewers, separated by commas")
    findings = models.TextField(max_length=10000, blank=True)
    deliverable = models.ForeignKey("assurance.Deliverable", null=True, blank=True,
                                    editable=False, on_delete=models.SET_NULL,
                                    related_name="quality_reviews")
    document = models.ForeignKey("documents.Document", null=True, blank=True, editable=False,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_qualityreview_number")]

    @property
    def product_type(self) -> str:
        if self.deliverable is not None:
            return self.deliverable.product_type
        if self.document is not None:
            return "document"
        return ""

    def clean(self) -> None:
        super().clean()

        ref = self.subject_reference.strip().upper()
        self.subject_reference = ref
        if self.project_id is None:  # a form's first look: the action checks it again
            return
        errors: dict[str, str] = {}
        self.deliverable = Deliverable.objects.filter(project_id=self.project_id,
                                                      reference=ref).first()
        self.document = None if self.deliverable else Document.objects.filter(
            project_id=self.project_id, reference=ref).first()
        if self.deliverable is None and self.document is None:
            errors["subject_reference"] = (f"no deliverable or document {ref or '(none)'} in "
                                           "this project")
        if self.document_version is not None:
            if self.document is None:
                errors["document_version"] = "a version is given for a document only"
            elif not self.document.versions.filter(number=self.document_version).exists():
                errors["document_version"] = (f"{self.document.reference} has no version "
                                              f"{self.document_version}")
        self.other_reviewers = ", ".join(dict.fromkeys(
            n.strip() for n in self.other_reviewers.replace(";", ",").split(",") if n.strip()))
        if errors:
            raise ValidationError(errors)


class CheckResult(models.TextChoices):
    OPEN = "", "Not yet checked"
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    NA = "na", "Not applicable"


class ReviewCheck(models.Model):
    """One line of a review's checklist, drawn from the quality plan's criteria."""

    review = models.ForeignKey(QualityReview, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveIntegerField()
    criterion = models.CharField(max_length=500)
    result = models.CharField(max_length=8, choices=CheckResult.choices, blank=True,
                              default=CheckResult.OPEN)
    note = models.CharField("finding", max_length=2000, blank=True)

    class Meta:
        ordering = ["review", "position"]
        constraints = [models.UniqueConstraint(fields=["review", "position"],
                                               name="unique_check_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.criterion[:60]}"


class QualityAudit(RegisterItem):
    """An audit of the project's work against a standard or its own plan."""

    scope = models.TextField(max_length=5000, blank=True)
    standard = models.CharField("standard or clause", max_length=200, blank=True)
    auditor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    audit_date = models.DateField("audit date", null=True, blank=True)
    findings = models.TextField(max_length=10000, blank=True)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_qualityaudit_number")]


class NcSeverity(models.TextChoices):
    OBSERVATION = "observation", "Observation"
    MINOR = "minor", "Minor"
    MAJOR = "major", "Major"
    CRITICAL = "critical", "Critical"


class NonConformance(RegisterItem):
    """Something that does not meet a requirement or standard: found by an audit or a
    review, corrected and prevented from recurring by actions in the Actions register, and
    closed only once those are verified."""

    audit_reference = models.CharField(
        "found by audit", max_length=20, blank=True,
        help_text="The reference of the audit that found it, e.g. AUD-0001")
    audit = models.ForeignKey(QualityAudit, null=True, blank=True, editable=False,
                              on_delete=models.SET_NULL, related_name="nonconformances")
    severity = models.CharField(max_length=12, choices=NcSeverity.choices,
                                default=NcSeverity.MINOR)
    requirement = models.CharField("requirement not met", max_length=200, blank=True,
                                   help_text="The clause, criterion or procedure")
    root_cause = models.TextField(max_length=5000, blank=True)
    corrective_action = models.TextField(max_length=5000, blank=True,
                                         help_text="What removes this non-conformance")
    preventive_action = models.TextField(max_length=5000, blank=True,
                                         help_text="What stops it happening again")
    verified_by = models.ForeignKey(USER, null=True, blank=True, editable=False,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = "non-conformance"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_nonconformance_number")]

    def clean(self) -> None:
        super().clean()
        ref = self.audit_reference.strip().upper()
        self.audit_reference = ref
        self.audit = None
        if not ref or self.project_id is None:
            return
        self.audit = QualityAudit.objects.filter(project_id=self.project_id,
                                                 reference=ref).first()
        if self.audit is None:
            raise ValidationError({"audit_reference": f"no audit {ref} in this project"})
