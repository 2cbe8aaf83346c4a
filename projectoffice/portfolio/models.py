from __future__ import annotations

from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from projectoffice.accounts.roles import ProjectRole
from projectoffice.editing import VersionedModel
from projectoffice.engine.health import Thresholds as HealthLimits
from projectoffice.engine.health import check_thresholds

USER = settings.AUTH_USER_MODEL


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Phase(models.TextChoices):
    INITIATION = "initiation", "Initiation"
    PLANNING = "planning", "Planning"
    EXECUTION = "execution", "Execution"
    CLOSURE = "closure", "Closure"


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,11}$", "use 2–12 capital letters, digits or dashes, starting with a letter"
)


class Portfolio(VersionedModel):
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(VersionedModel):
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="programmes")
    code = models.CharField(max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, max_length=5000)
    manager = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sponsor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class ProjectOffice(VersionedModel):
    """A project office that serves several projects (a programme office, a hub PMO…)."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True, max_length=5000)
    manager = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    location = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(VersionedModel):
    code = models.CharField(max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(max_length=150)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="projects")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="projects")
    office = models.ForeignKey(ProjectOffice, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="projects")
    manager = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sponsor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    customer = models.CharField(max_length=150, blank=True)
    start_date = models.DateField(null=True, blank=True)
    # The finish is the plan's scheduled finish (portfolio/health.py ``project_finishes``);
    # this stored date is only the target set before a plan exists, and is shown as such.
    finish_date = models.DateField("target finish", null=True, blank=True,
                                   help_text="The date aimed for before the plan is made; "
                                   "once there is a plan, its scheduled finish is the finish")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.INITIATION)
    status = models.CharField(max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.PROPOSED)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.CharField("RAG reason", max_length=500, blank=True)
    description = models.TextField(blank=True, max_length=10000)
    currency = models.CharField(max_length=3, default="GBP",
                                validators=[RegexValidator(r"^[A-Z]{3}$", "use an ISO 4217 code")])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.finish_date and self.finish_date < self.start_date:
            errors["finish_date"] = "must be on or after the start date"
        if (self.programme is not None and self.portfolio_id
                and self.programme.portfolio_id != self.portfolio_id):
            errors["programme"] = "belongs to another portfolio"
        if self.rag in (Rag.AMBER, Rag.RED) and not self.rag_reason.strip():
            errors["rag_reason"] = "say why the project is amber or red"
        if errors:
            raise ValidationError(errors)


_DEFAULT = HealthLimits()


def _index_field(label: str, default: Decimal) -> Any:
    return models.DecimalField(label, max_digits=4, decimal_places=2, default=default)


class HealthThresholds(VersionedModel):
    """The Project Office's limits for computed project health (one row; until it is saved
    the defaults of engine.health.Thresholds apply). Checked by engine.health."""

    slip_amber_days = models.IntegerField(
        "finish slip, amber (days)", default=_DEFAULT.slip_amber_days)
    slip_red_days = models.IntegerField("finish slip, red (days)",
                                        default=_DEFAULT.slip_red_days)
    spi_amber = _index_field("SPI(t), amber below", _DEFAULT.spi_amber)
    spi_red = _index_field("SPI(t), red below", _DEFAULT.spi_red)
    cpi_amber = _index_field("CPI, amber below", _DEFAULT.cpi_amber)
    cpi_red = _index_field("CPI, red below", _DEFAULT.cpi_red)
    vac_amber_percent = models.DecimalField(
        "VAC overrun, amber (% of budget)", max_digits=5, decimal_places=1,
        default=_DEFAULT.vac_amber_percent)
    vac_red_percent = models.DecimalField(
        "VAC overrun, red (% of budget)", max_digits=5, decimal_places=1,
        default=_DEFAULT.vac_red_percent)
    risk_amber_percent = models.IntegerField(
        "worst open risk, amber (% of the top score)", default=_DEFAULT.risk_amber_percent)
    risk_red_percent = models.IntegerField(
        "worst open risk, red (% of the top score)", default=_DEFAULT.risk_red_percent)
    overdue_amber = models.IntegerField("overdue actions and issues, amber",
                                        default=_DEFAULT.overdue_amber)
    overdue_red = models.IntegerField("overdue actions and issues, red",
                                      default=_DEFAULT.overdue_red)
    late_dependencies_amber = models.IntegerField("late internal dependencies, amber",
                                                  default=_DEFAULT.late_dependencies_amber)
    late_dependencies_red = models.IntegerField("late internal dependencies, red",
                                                default=_DEFAULT.late_dependencies_red)

    class Meta:
        verbose_name = "health thresholds"
        verbose_name_plural = "health thresholds"

    def __str__(self) -> str:
        return "Project health thresholds"

    def limits(self) -> HealthLimits:
        return HealthLimits(**{f: getattr(self, f) for f in THRESHOLD_FIELDS})

    def clean(self) -> None:
        problems = check_thresholds(self.limits())
        if problems:
            raise ValidationError(problems)


THRESHOLD_FIELDS = tuple(f.name for f in dataclass_fields(HealthLimits))


class Membership(models.Model):
    """A person's role in one project. A person may hold several roles in a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=ProjectRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"],
                                    name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} on {self.project.code}"
