from __future__ import annotations

from typing import Any

from django import template

from projectoffice.documents.models import Document, Recipient
from projectoffice.portfolio.access import project_permissions
from projectoffice.registers.forms import people_of

register = template.Library()


@register.inclusion_tag("documents/_versions.html", takes_context=True)
def document_versions(context: Any, document: Document) -> dict[str, Any]:
    user = context["request"].user
    versions = list(document.versions.select_related("uploaded_by")
                    .prefetch_related("reviews__reviewer", "acknowledgements__user"))
    recipients = list(Recipient.objects.filter(document=document).select_related("user"))
    current = document.current_version
    acked = {a.user_id for a in current.acknowledgements.all()} if current else set()
    return {
        "request": context["request"], "csrf_token": context.get("csrf_token"),
        "item": document, "project": document.project, "user": user,
        "perms": project_permissions(user, document.project), "versions": versions,
        "people": people_of(document.project), "recipients": recipients, "acked": acked,
        "is_recipient": any(r.user_id == user.pk for r in recipients),
    }
