"""Status reports: one per project and reporting period, written by the project manager,
reviewed and published by the Project Office. A report FREEZES the figures it reports in
``snapshot`` when it is submitted: a report is the record of what was reported, so this is
the one place where the office keeps a copy of data that lives elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.portfolio.models import Project

USER = settings.AUTH_USER_MODEL


class PeriodKind(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class ReportingSetup(VersionedModel):
    """A project's reporting period and who receives its published reports besides its
    members (outside stakeholders, one e-mail address a line)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE,
                                   related_name="reporting_setup")
    period = models.CharField("reporting period", max_length=8, choices=PeriodKind.choices,
                              default=PeriodKind.MONTHLY)
    recipients = models.TextField("other recipients", blank=True, max_length=5000,
                                  help_text="Stakeholders outside the project: one e-mail "
                                  "address a line")

    class Meta:
        verbose_name = "reporting set-up"

    def __str__(self) -> str:
        return f"Reporting of {self.project.code}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned with comments"
    ACCEPTED = "accepted", "Accepted"
    PUBLISHED = "published", "Published"


EDITABLE_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class StatusReport(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="status_reports")
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    # The project manager's words: RAG declared per dimension ({key: rag}, with "reason")
    # and commentary per section ({section: text}).
    declared = models.JSONField(default=dict, blank=True)
    commentary = models.JSONField(default=dict, blank=True)
    # The figures as they stood when the report was submitted (None while a draft).
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, max_length=5000)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "period_start"],
                                               name="one_report_per_period")]
        ordering = ["project", "-period_start"]
        verbose_name = "status report"

    def __str__(self) -> str:
        return f"{self.project.code} status report {self.period_start:%Y-%m-%d}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATES


class ReportRevision(models.Model):
    """Every saved edit of a report's words, kept: revision N is the report as saved the
    Nth time."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE,
                               related_name="revisions")
    number = models.PositiveIntegerField()
    declared = models.JSONField(default=dict)
    commentary = models.JSONField(default=dict)
    saved_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "number"],
                                               name="report_revision_number")]
        ordering = ["report", "-number"]

    def __str__(self) -> str:
        return f"{self.report} revision {self.number}"
