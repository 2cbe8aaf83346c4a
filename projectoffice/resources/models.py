"""Resources of a project (people, other work resources, material, cost), their rates with
effective dates, and their assignments to plan tasks."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.portfolio.models import Project

ZERO = Decimal(0)


def split_skills(text: str) -> list[str]:
    """Skills written as a list: separated by commas, semicolons or lines; each once."""
    found: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text or ""):
        skill = " ".join(part.split())
        if skill and skill.casefold() not in found:
            found[skill.casefold()] = skill
    return list(found.values())


class ResourceKind(models.TextChoices):
    PERSON = "person", "Person"
    WORK = "work", "Other work resource"
    MATERIAL = "material", "Material"
    COST = "cost", "Cost"


class Resource(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=ResourceKind.choices,
                            default=ResourceKind.PERSON)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="resources")
    unit = models.CharField(max_length=20, default="hour",
                            help_text="what a rate is per: hour for work, e.g. tonne for material")
    max_units = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(100),
                                    validators=[MinValueValidator(ZERO)],
                                    help_text="percent of one full-time resource available")
    skills = models.CharField(max_length=500, blank=True,
                              help_text="what a work resource can do, comma-separated; a "
                                        "person's skills come from their profile")

    class Meta:
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"],
                                               name="resource_name_per_project")]

    def __str__(self) -> str:
        return self.name

    @property
    def skill_list(self) -> list[str]:
        """The resource's skills: a person's from their profile, others' from ``skills``."""
        if self.user_id is not None:
            profile = getattr(self.user, "profile", None)
            return split_skills(profile.skills if profile is not None else "")
        return split_skills(self.skills)

    def has_skill(self, wanted: str) -> bool:
        """Whether one of its skills contains ``wanted``, ignoring case."""
        needle = wanted.strip().casefold()
        return not needle or any(needle in s.casefold() for s in self.skill_list)


class Rate(models.Model):
    """The rates from ``effective_from`` until the next rate of the resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField()
    standard = models.DecimalField(max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(ZERO)])
    overtime = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                   validators=[MinValueValidator(ZERO)])
    cost_per_use = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                       validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["resource", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["resource", "effective_from"],
                                               name="one_rate_per_day")]

    def __str__(self) -> str:
        return f"{self.resource} from {self.effective_from}: {self.standard}"


class Assignment(VersionedModel):
    """A resource on a plan task (by the task's UID, which survives reordering)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE,
                                 related_name="assignments")
    task_uid = models.PositiveIntegerField()
    units = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(100),
                                validators=[MinValueValidator(ZERO)],
                                help_text="percent of the resource's time")
    work = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO,
                               validators=[MinValueValidator(ZERO)],
                               help_text="planned work (hours) or quantity")

    class Meta:
        ordering = ["project", "task_uid", "resource__name"]
        constraints = [models.UniqueConstraint(fields=["resource", "task_uid"],
                                               name="one_assignment_per_task")]

    def __str__(self) -> str:
        return f"{self.resource} on task {self.task_uid}"
