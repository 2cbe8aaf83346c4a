from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry


def history_of(obj: models.Model) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


def entries_for_projects(project_ids: QuerySet[int] | list[int]) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(project_id__in=project_ids)
        .select_related("actor", "content_type", "project")
        .order_by("-at", "-id")
    )
