"""Weekly timesheets: one per person, project and week (Monday), with one line per
assignment or non-project time code and seven days of hours."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment

USER = settings.AUTH_USER_MODEL


class TimeCode(models.TextChoices):
    LEAVE = "leave", "Leave"
    ADMIN = "admin", "Administration"
    TRAINING = "training", "Training"


class TimesheetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved (locked)"
    REJECTED = "rejected", "Rejected"


EDITABLE = (TimesheetStatus.DRAFT, TimesheetStatus.REJECTED)


class Timesheet(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="timesheets")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="timesheets")
    week_start = models.DateField(help_text="the Monday of the week")
    status = models.CharField(max_length=10, choices=TimesheetStatus.choices,
                              default=TimesheetStatus.DRAFT)
    comment = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-week_start", "person"]
        constraints = [models.UniqueConstraint(fields=["project", "person", "week_start"],
                                               name="one_timesheet_per_week")]

    def __str__(self) -> str:
        return f"{self.person} · {self.project.code} · week of {self.week_start}"


class TimeLine(models.Model):
    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="lines")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="time_lines")
    time_code = models.CharField(max_length=10, choices=TimeCode.choices, blank=True)
    hours = models.JSONField(help_text="seven decimal strings, Monday first")
    overtime = models.BooleanField(default=False,
                                   help_text="hours costed at the overtime rate")
    note = models.CharField(max_length=500, blank=True,
                            help_text="what the time was spent on, for the approver")

    class Meta:
        ordering = ["timesheet", "pk"]

    def day_hours(self) -> list[Decimal]:
        return [Decimal(h) for h in self.hours]


class TimeAdjustment(models.Model):
    """A correction to approved (locked) time: signed hours on one day of an assignment, at
    the standard rate or, when ``overtime``, at the overtime rate of that day."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE,
                                  related_name="adjustments")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    overtime = models.BooleanField(default=False,
                                   help_text="hours costed at the overtime rate")
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
