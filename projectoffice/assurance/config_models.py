"""Configuration management: the items under version control, their versions, and the
baselines and releases that freeze a named set of item versions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.architecture.models import Component
from projectoffice.registers.models import RegisterItem

from .models import Deliverable

USER = settings.AUTH_USER_MODEL


class CiType(models.TextChoices):
    DELIVERABLE = "deliverable", "Deliverable"
    DOCUMENT = "document", "Document"
    SOFTWARE = "software", "Software component"
    ENVIRONMENT = "environment", "Environment"
    HARDWARE = "hardware", "Hardware"
    OTHER = "other", "Other"


class ConfigurationItem(RegisterItem):
    """Something the project keeps under version control: a deliverable, a document, a
    software component, an environment. Its versions are recorded one by one; once an item
    is in a baseline, a new version needs an approved change request."""

    identifier = models.CharField(max_length=100, blank=True,
                                  help_text="The item's name in configuration records, e.g. "
                                            "portal-web or env-uat; its reference if empty")
    ci_type = models.CharField("type", max_length=12, choices=CiType.choices,
                               default=CiType.SOFTWARE)
    deliverable_reference = models.CharField(
        "deliverable", max_length=20, blank=True,
        help_text="The reference of the deliverable it belongs to, e.g. DLV-0001")
    component_reference = models.CharField(
        "solution component", max_length=20, blank=True,
        help_text="The architecture component it implements, e.g. CMP-0002")
    deliverable = models.ForeignKey("assurance.Deliverable", null=True, blank=True,
                                    editable=False, on_delete=models.SET_NULL,
                                    related_name="configuration_items")
    component = models.ForeignKey("architecture.Component", null=True, blank=True,
                                  editable=False, on_delete=models.SET_NULL, related_name="+")
    current_version = models.ForeignKey("ItemVersion", null=True, blank=True, editable=False,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta(RegisterItem.Meta):
        verbose_name = "configuration item"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_ci_number")]

    @property
    def name(self) -> str:
        return self.identifier or self.reference

    def clean(self) -> None:
        super().clean()

        errors: dict[str, str] = {}
        self.identifier = self.identifier.strip()
        if self.project_id is None:  # a form's first look: the action checks it again
            return
        if self.identifier and ConfigurationItem.objects.filter(
                project_id=self.project_id, identifier=self.identifier).exclude(
                pk=self.pk).exists():
            errors["identifier"] = f"another item is already called {self.identifier!r}"
        for name, model, target in (("deliverable_reference", Deliverable, "deliverable"),
                                    ("component_reference", Component, "component")):
            ref = getattr(self, name).strip().upper()
            setattr(self, name, ref)
            found = model.objects.filter(project_id=self.project_id,
                                         reference=ref).first() if ref else None
            setattr(self, target, found)
            if ref and found is None:
                errors[name] = f"no {target} {ref} in this project"
        if errors:
            raise ValidationError(errors)


class ItemVersion(models.Model):
    """One version of a configuration item: a document version in the register, or an
    outside reference such as a repository and commit."""

    item = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE,
                             related_name="versions")
    label = models.CharField("version", max_length=50)
    document_version = models.ForeignKey("documents.DocumentVersion", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    location = models.CharField(max_length=300, blank=True,
                                help_text="A repository URL, a path, a package name…")
    revision = models.CharField(max_length=100, blank=True,
                                help_text="A commit, tag or build number")
    note = models.CharField(max_length=500, blank=True)
    change = models.ForeignKey("controls.ChangeRequest", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "label"],
                                               name="unique_item_version_label")]

    def __str__(self) -> str:
        return f"{self.item.identifier} {self.label}"


class BaselineKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    RELEASE = "release", "Release"


class ConfigurationBaseline(models.Model):
    """A named, frozen set of item versions: once recorded it never changes. A release is
    the baseline that is delivered, audited against what is recorded as delivered."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE,
                                related_name="+")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=BaselineKind.choices,
                            default=BaselineKind.BASELINE)
    description = models.TextField(max_length=5000, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"],
                                               name="unique_configuration_baseline_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = self.name.strip()
        if not self.name:
            raise ValidationError({"name": "give the baseline a name"})


class BaselineEntry(models.Model):
    baseline = models.ForeignKey(ConfigurationBaseline, on_delete=models.CASCADE,
                                 related_name="entries")
    item = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["baseline", "item__number"]
        constraints = [models.UniqueConstraint(fields=["baseline", "item"],
                                               name="unique_baseline_item")]
