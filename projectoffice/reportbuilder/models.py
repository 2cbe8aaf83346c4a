"""Saved reports of the report builder: a source (a register or list), the chosen columns,
filters, grouping and totals, who may read it, and an optional e-mail schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.portfolio.models import Project

USER = settings.AUTH_USER_MODEL


class Scope(models.TextChoices):
    PRIVATE = "private", "Only me"
    PROJECT = "project", "A project's members"
    OFFICE = "office", "Everyone in the office"


class Schedule(models.TextChoices):
    NONE = "", "Not e-mailed"
    WEEKLY = "weekly", "Weekly (Mondays)"
    MONTHLY = "monthly", "Monthly (the 1st)"


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook (XLSX)"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


class SavedReport(VersionedModel):
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, max_length=2000)
    source = models.CharField("source", max_length=40)
    # {"columns": [...], "filters": [{"field", "op", "value"}], "group_by", "totals", "sort"}
    definition = models.JSONField(default=dict)
    scope = models.CharField("shared with", max_length=8, choices=Scope.choices,
                             default=Scope.PRIVATE)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="saved_reports")
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="saved_reports")
    schedule = models.CharField("e-mail schedule", max_length=8, choices=Schedule.choices,
                                blank=True, default=Schedule.NONE)
    recipients = models.TextField("distribution list", blank=True, max_length=5000,
                                  help_text="One e-mail address a line")
    export_format = models.CharField("e-mailed as", max_length=4, choices=ExportFormat.choices,
                                     default=ExportFormat.XLSX)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
