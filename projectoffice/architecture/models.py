"""Architecture: decision records in Nygard's format, the solution's components with the
interfaces between them, and the technology standards the project follows."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.registers.models import RegisterItem

USER = settings.AUTH_USER_MODEL


class DecisionRecord(RegisterItem):
    """An architecture decision record: the context, the options considered, the decision
    and its consequences. A later record may supersede it (both are kept, linked)."""

    context = models.TextField(blank=True, max_length=10000,
                               help_text="The forces at play: what makes a decision needed")
    options = models.TextField("options considered", blank=True, max_length=10000)
    decision = models.TextField(blank=True, max_length=10000,
                                help_text="What was decided, in full sentences")
    consequences = models.TextField(blank=True, max_length=10000,
                                    help_text="What becomes easier or harder")
    superseded_by = models.ForeignKey("self", null=True, blank=True, editable=False,
                                      on_delete=models.PROTECT, related_name="supersedes")

    class Meta(RegisterItem.Meta):
        verbose_name = "decision record"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_adr_number")]


class ComponentType(models.TextChoices):
    APPLICATION = "application", "Application"
    SERVICE = "service", "Service"
    INTERFACE = "interface", "Interface"
    DATA_STORE = "data_store", "Data store"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"


# The band of each type in the diagram, top to bottom.
LAYERS = {ComponentType.APPLICATION: 0, ComponentType.INTERFACE: 1, ComponentType.SERVICE: 2,
          ComponentType.DATA_STORE: 3, ComponentType.INFRASTRUCTURE: 4}


class Component(RegisterItem):
    """A building block of the solution; its lifecycle is its status."""

    component_type = models.CharField("type", max_length=15, choices=ComponentType.choices,
                                      default=ComponentType.APPLICATION)
    technology = models.CharField(max_length=120, blank=True,
                                  help_text="e.g. Python / Django, PostgreSQL 16, Kafka")
    version_label = models.CharField("version", max_length=40, blank=True)
    hosting = models.CharField(max_length=120, blank=True,
                               help_text="Where it runs: a cluster, a cloud account, a site")

    class Meta(RegisterItem.Meta):
        verbose_name = "component"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_component_number")]


class ComponentInterface(models.Model):
    """A flow between two components of one project: one calls, feeds or reads the other."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="incoming")
    name = models.CharField(max_length=120)
    protocol = models.CharField(max_length=60, blank=True, help_text="e.g. REST/HTTPS, JDBC")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source__number", "target__number", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "target", "name"],
                                               name="unique_component_interface")]

    def __str__(self) -> str:
        return f"{self.source.reference} → {self.target.reference}: {self.name}"

    def clean(self) -> None:
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "an interface joins two different components"})


class StandardCategory(models.TextChoices):
    LANGUAGE = "language", "Language"
    FRAMEWORK = "framework", "Framework or library"
    DATABASE = "database", "Database"
    PLATFORM = "platform", "Platform or hosting"
    PROTOCOL = "protocol", "Protocol or format"
    TOOL = "tool", "Tool"


class Standard(RegisterItem):
    """A technology the project approves, tolerates or is retiring."""

    category = models.CharField(max_length=12, choices=StandardCategory.choices,
                                default=StandardCategory.FRAMEWORK)
    technology = models.CharField(max_length=120, blank=True)
    rationale = models.TextField(blank=True, max_length=5000)
    review_on = models.DateField("review on", null=True, blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = "technology standard"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_standard_number")]
