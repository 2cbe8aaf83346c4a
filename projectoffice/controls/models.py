from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.registers.models import RegisterItem


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class EscalationLevel(models.TextChoices):
    PROJECT = "project", "Project"
    PROGRAMME = "programme", "Programme"
    PORTFOLIO = "portfolio", "Portfolio"


class IssueType(models.TextChoices):
    PROBLEM = "problem", "Problem / concern"
    REQUEST = "request", "Request for change"
    OFF_SPEC = "off_specification", "Off-specification"
    DEFECT = "defect", "Defect"


class Issue(RegisterItem):
    """The issue log: problems the project must resolve, escalated when it cannot."""

    issue_type = models.CharField(max_length=20, choices=IssueType.choices,
                                  default=IssueType.PROBLEM)
    severity = models.CharField(max_length=10, choices=Severity.choices,
                                default=Severity.MEDIUM)
    escalation_level = models.CharField(max_length=10, choices=EscalationLevel.choices,
                                        default=EscalationLevel.PROJECT, editable=False)
    impact = models.TextField(blank=True, max_length=5000)
    resolution = models.TextField(blank=True, max_length=5000)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_issue_number")]


class Action(RegisterItem):
    """An action someone must do, tracked to closure."""

    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200, blank=True,
                              help_text="Where it came from: a meeting, review, issue…")
    outcome = models.TextField(blank=True, max_length=5000)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_action_number")]

    @property
    def done(self) -> bool:
        return self.status == "done"
