"""Reading the audit trail through the API."""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from ninja import Router, Schema

from projectoffice.apischema import Page, paginate, username
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.access import access_project, sees_all_projects, visible_projects

from .models import AuditEntry

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str | None
    verb: str
    object_type: str
    object_id: str
    object: str
    project: str | None
    changes: dict[str, Any]


def entry_out(e: AuditEntry) -> dict[str, Any]:
    return {"id": e.pk, "at": e.at, "actor": username(e.actor), "verb": e.verb,
            "object_type": e.content_type.model, "object_id": e.object_id,
            "object": e.object_repr, "project": e.project.code if e.project else None,
            "changes": e.changes}


@router.get("/audit", response=Page, openapi_extra={"x-permission": "audit.view"},
            summary="Audit entries of one project, or of every project the caller may audit")
def list_audit(request: HttpRequest, project: str = "", object_type: str = "",
               object_id: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    qs = AuditEntry.objects.select_related("actor", "content_type", "project")
    if project:
        qs = qs.filter(project=access_project(request.user, project, "audit.view"))
    elif not (request.user.is_superuser or getattr(request.user, "global_role", "") in (
            "pmo_manager", "pmo_staff")):
        from projectoffice.portfolio.access import project_permissions

        allowed = [p.pk for p in visible_projects(request.user)
                   if "audit.view" in project_permissions(request.user, p)]
        qs = qs.filter(project_id__in=allowed)
    elif not sees_all_projects(request.user):
        qs = qs.none()
    if object_type:
        ct = ContentType.objects.filter(model=object_type.lower()).first()
        if ct is None:
            raise InvalidInput.field("object_type", f"unknown type {object_type!r}")
        qs = qs.filter(content_type=ct)
    if object_id:
        qs = qs.filter(object_id=object_id)
    count, rows = paginate(qs.order_by("-at", "-id"), limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [entry_out(e) for e in rows]}
