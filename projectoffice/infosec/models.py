"""Information security: the controls register, a catalogue's controls (ISO 27001 Annex A,
OWASP ASVS…) with their applicability, owner, implementation, evidence and test result."""

from __future__ import annotations

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
