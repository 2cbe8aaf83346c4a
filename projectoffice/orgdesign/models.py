"""Organisational design: the units and positions of the current and the future
organisation, both on the register kernel. A position reports to another of the same
organisation; a current position names the future one its holder moves to."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projectoffice.engine.orgchart import cycle_from
from projectoffice.people.models import Proficiency
from projectoffice.registers.models import RegisterItem


class Design(models.TextChoices):
    CURRENT = "current", "Current"
    FUTURE = "future", "Future"


def _check_link(item: RegisterItem, name: str, parent_name: str, label: str,
                errors: dict[str, str]) -> None:
    """`name` must be of this project and organisation and must not close a loop."""
    other = getattr(item, name) if getattr(item, f"{name}_id") is not None else None
    if other is None:
        return
    if other.project_id != item.project_id:
        errors[name] = f"{other.reference} belongs to another project"
    elif other.design != item.design:  # type: ignore[attr-defined]
        errors[name] = f"{other.reference} is in the {other.get_design_display().lower()} " \
                       "organisation"
    elif item.pk is not None and other.pk == item.pk:
        errors[name] = f"cannot {label} itself"
    elif item.pk is not None:
        model = type(item)
        parents = dict(model.objects.filter(project_id=item.project_id)
                       .values_list("pk", f"{parent_name}_id"))
        graph = {str(k): (str(v) if v is not None else None) for k, v in parents.items()}
        if cycle_from(str(item.pk), graph, str(other.pk)):
            errors[name] = (f"{other.reference} is already below {item.reference}: "
                            "that would be a loop")


class OrgUnit(RegisterItem):
    """A department, team or site of the current or the future organisation."""

    design = models.CharField("organisation", max_length=10, choices=Design.choices,
                              default=Design.FUTURE)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="units", verbose_name="part of")

    class Meta(RegisterItem.Meta):
        verbose_name = "org unit"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_org_unit_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        _check_link(self, "parent", "parent", "be part of", errors)
        if errors:
            raise ValidationError(errors)


class Position(RegisterItem):
    """A role in the current or the future organisation. The title is the role's title,
    the description its job description."""

    design = models.CharField("organisation", max_length=10, choices=Design.choices,
                              default=Design.FUTURE)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="positions", verbose_name="unit")
    grade = models.CharField(max_length=20, blank=True)
    fte = models.DecimalField("FTE", max_digits=6, decimal_places=2, default=Decimal(1),
                              validators=[MinValueValidator(Decimal("0.1")),
                                          MaxValueValidator(Decimal(9999))])
    reports_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="reports", verbose_name="reports to")
    holder = models.CharField("held by", max_length=200, blank=True,
                              help_text="The person in the role; empty when vacant")
    future_position = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moving_in",
        verbose_name="future role", help_text="For a current role: where its holder moves to")
    impact = models.ForeignKey("engagement.ChangeImpact", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="positions",
                               verbose_name="change impact")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="holder in the office",
        help_text="The holder's account, whose skills are compared with the role's")
    job_description = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="job description",
        help_text="The job description, kept (and versioned) in the document register")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_position_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        unit = self.unit if self.unit_id is not None else None
        if unit is not None and self.project_id is not None:
            if unit.project_id != self.project_id:
                errors["unit"] = f"{unit.reference} belongs to another project"
            elif unit.design != self.design:
                errors["unit"] = (f"{unit.reference} is in the "
                                  f"{unit.get_design_display().lower()} organisation")
        if self.reports_to_id is not None and self.reports_to_id == self.pk:
            errors["reports_to"] = "a position cannot report to itself"
        else:
            _check_link(self, "reports_to", "reports_to", "report to", errors)
        future = self.future_position if self.future_position_id is not None else None
        if future is not None:
            if self.design != Design.CURRENT:
                errors["future_position"] = "only a current role moves to a future one"
            elif future.project_id != self.project_id:
                errors["future_position"] = f"{future.reference} belongs to another project"
            elif future.design != Design.FUTURE:
                errors["future_position"] = f"{future.reference} is not a future role"
        impact = self.impact if self.impact_id is not None else None
        if impact is not None and impact.project_id != self.project_id:
            errors["impact"] = f"{impact.reference} belongs to another project"
        document = self.job_description if self.job_description_id is not None else None
        if document is not None and document.project_id != self.project_id:
            errors["job_description"] = f"{document.reference} belongs to another project"
        if errors:
            raise ValidationError(errors)


class PositionSkill(models.Model):
    """A skill a position needs, at a proficiency level (people/models.Proficiency)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE,
                                 related_name="required_skills")
    skill = models.ForeignKey("people.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        choices=Proficiency.choices, validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint(fields=["position", "skill"],
                                               name="unique_position_skill")]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class StaffingKind(models.TextChoices):
    RECRUIT = "recruit", "Recruit"
    REDEPLOY = "redeploy", "Redeploy"
    RELEASE = "release", "Release"


class StaffingRequest(RegisterItem):
    """A request to fill, move into or release a position: the Organisational Design
    Manager drafts and submits it, the project's manager or the Project Office decides it,
    and it is marked done once the person has started or left."""

    kind = models.CharField("request", max_length=10, choices=StaffingKind.choices,
                            default=StaffingKind.RECRUIT)
    position = models.ForeignKey(Position, on_delete=models.PROTECT,
                                 related_name="staffing_requests")
    person = models.CharField("who", max_length=200, blank=True,
                              help_text="The person redeployed or released; empty for a "
                                        "recruitment")
    starts_on = models.DateField("from")
    ends_on = models.DateField("until", null=True, blank=True)
    reason = models.TextField(max_length=5000)
    cost = models.DecimalField("cost", max_digits=12, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(Decimal(0))],
                               help_text="One-off cost: recruitment, relocation or severance")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_staffing_request_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        position = self.position if self.position_id is not None else None
        if position is not None and self.project_id is not None \
                and position.project_id != self.project_id:
            errors["position"] = f"{position.reference} belongs to another project"
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "must be on or after the start"
        if self.kind in (StaffingKind.REDEPLOY, StaffingKind.RELEASE) \
                and not (self.person or "").strip():
            moved = "redeployed" if self.kind == StaffingKind.REDEPLOY else "released"
            errors["person"] = f"say who is {moved}"
        if not (self.reason or "").strip():
            errors["reason"] = "say why"
        if errors:
            raise ValidationError(errors)
