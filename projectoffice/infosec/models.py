"""Information security: the controls register, a catalogue's controls (ISO 27001 Annex A,
OWASP ASVS…) with their applicability, owner, implementation, evidence and test result."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.registers.models import RegisterItem


class TestResult(models.TextChoices):
    NOT_TESTED = "not_tested", "Not tested"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


class SecurityControl(RegisterItem):
    """One control of a catalogue as it applies to the project; its status is its
    implementation (identified → implementing → implemented → verified, or not applicable)."""

    control_id = models.CharField("ID", max_length=30, blank=True,
                                  help_text="The catalogue's identifier, e.g. A.5.15 or V2.1.1")
    catalogue = models.CharField(max_length=80, blank=True,
                                 help_text="e.g. ISO/IEC 27001:2022 Annex A, OWASP ASVS 4.0")
    justification = models.TextField(
        blank=True, max_length=5000,
        help_text="Why it applies or not (the statement of applicability)")
    evidence = models.TextField(blank=True, max_length=10000,
                                help_text="What shows it is in place: documents, settings, "
                                          "records")
    test_result = models.CharField("test result", max_length=12, choices=TestResult.choices,
                                   default=TestResult.NOT_TESTED)
    tested_on = models.DateField("tested on", null=True, blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = "security control"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_security_control_number")]


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class SecurityIncident(RegisterItem):
    """A security event that harmed or could have harmed the project's information: read
    only by its reporter (and owner), the security manager and the Project Office manager
    (the register is restricted: RegisterSpec.restricted_to)."""

    severity = models.CharField(max_length=10, choices=Severity.choices,
                                default=Severity.MODERATE)
    detected_at = models.DateTimeField("detected at", null=True, blank=True)
    detection = models.TextField("how it was detected", blank=True, max_length=5000)
    containment = models.TextField(blank=True, max_length=5000,
                                   help_text="What was done to stop it spreading")
    resolution = models.TextField(blank=True, max_length=5000)
    lessons = models.TextField("lessons learned", blank=True, max_length=5000)
    personal_data = models.BooleanField(
        "personal data involved", default=False,
        help_text="A breach of personal data may have to be reported to the regulator")

    class Meta(RegisterItem.Meta):
        verbose_name = "security incident"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_security_incident_number")]


class AccessReview(RegisterItem):
    """A periodic review of who holds which role on the project: each line is confirmed or
    revoked by the project's manager; a revocation removes the role there and then."""

    period = models.CharField(max_length=40, blank=True, help_text="e.g. 2026 Q1")
    evidence = models.TextField(blank=True, max_length=5000,
                                help_text="What the reviewers checked: leavers list, HR "
                                          "records, contracts")

    class Meta(RegisterItem.Meta):
        verbose_name = "access review"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_access_review_number")]


class LineDecision(models.TextChoices):
    PENDING = "", "To review"
    CONFIRMED = "confirmed", "Confirmed"
    REVOKED = "revoked", "Revoked"


class RoleScope(models.TextChoices):
    PROJECT = "project", "On the project"
    GLOBAL = "global", "Office-wide"


class AccessReviewLine(models.Model):
    """One person's role when the review began — on the project, or an office-wide (global)
    role, which reaches every project — and the decision on it."""

    review = models.ForeignKey(AccessReview, on_delete=models.CASCADE, related_name="lines")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    scope = models.CharField(max_length=8, choices=RoleScope.choices,
                             default=RoleScope.PROJECT)
    role = models.CharField(max_length=30)
    role_label = models.CharField(max_length=80)
    decision = models.CharField(max_length=10, choices=LineDecision.choices, blank=True,
                                default=LineDecision.PENDING)
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scope", "user__username", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "user", "scope", "role"],
                                               name="unique_access_review_scoped_line")]

    def __str__(self) -> str:
        where = " (office-wide)" if self.scope == RoleScope.GLOBAL else ""
        return f"{self.user} as {self.role_label}{where}"
