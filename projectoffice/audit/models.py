from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntry(models.Model):
    """One write: who, when, which object, and each field's value before and after.

    Append-only: saving an existing row or deleting one raises.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=250)
    project = models.ForeignKey(
        "portfolio.Project", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    # {"field": [before, after]} for changes; {"field": value} for creations.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit entries are append-only")

    @property
    def kind(self) -> str:
        return str(self.content_type.model_class()._meta.verbose_name)  # type: ignore[union-attr]


class ProjectVersion(models.Model):
    """A project's data version: the audit entry of the last write to the project that was
    committed, written in the same transaction as the entry (``actions.record_change``).

    Figures computed from a project's data are kept under this version (finance/memo.py):
    every write that changes the project's data records an audit entry against the
    project, so the version changes with every committed change. It is the last entry in
    the order the writes committed, not the highest id: two writes that commit out of
    order each leave a version never seen before, since the row is locked by the first
    until it commits."""

    project = models.OneToOneField("portfolio.Project", primary_key=True,
                                   on_delete=models.CASCADE, related_name="+")
    entry_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"project {self.project_id} at entry {self.entry_id}"
