"""Reading the audit trail through the API (above the trail itself, which every app writes
to: the project each request names is checked here)."""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from ninja import Router, Schema

from projectoffice.apischema import Page, paginate, username
from projectoffice.audit.models import AuditEntry
from projectoffice.audit.queries import auditable_entries, entries_for_projects
from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest

from .access import office_operation, project_operation, projects_with
from .models import Project

router = Router(tags=["audit"])
ENTRIES = AuditEntry.objects.select_related("actor", "content_type", "project")


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


def _filtered(qs: QuerySet[AuditEntry], object_type: str, object_id: str, limit: int,
              offset: int) -> dict[str, Any]:
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


@router.get("/projects/{code}/audit", response=Page,
            summary="The audit trail of one project")
@project_operation("audit.view")
def project_audit(request: AuthedRequest, project: Project,
                  object_type: str = "", object_id: str = "",
                  limit: int = 50, offset: int = 0) -> dict[str, Any]:
    return _filtered(entries_for_projects([project.pk], request.user), object_type, object_id,
                     limit, offset)


@router.get("/audit", response=Page,
            summary="Audit entries of every project whose audit trail the caller may read")
@office_operation("authenticated")
def list_audit(request: AuthedRequest, object_type: str = "", object_id: str = "",
               limit: int = 50, offset: int = 0) -> dict[str, Any]:
    entries = auditable_entries(request.user, projects_with(request.user, "audit.view"))
    return _filtered(entries, object_type, object_id, limit, offset)
