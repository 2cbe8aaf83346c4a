"""Control-register operations beyond the kernel: escalation, and my actions across projects."""

from typing import Any

from django.utils import timezone
from ninja import Router
from pydantic import Field

from projectoffice.apischema import Page, StrictIn, paginate
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project
from projectoffice.registers.api import item_out
from projectoffice.registers.queries import get_item

from . import actions, queries
from .registers import ACTIONS, ISSUES

router = Router(tags=["Issue log"])


class EscalateIn(StrictIn):
    version: int
    reason: str = Field(..., max_length=2000)


@router.post("/projects/{code}/issues/{ref}/escalate", openapi_extra={
    "x-permission": "issue.escalate"}, summary="Escalate to programme or portfolio")
def escalate(request: AuthedRequest, code: str, ref: str, payload: EscalateIn) -> dict[str, Any]:
    project = access_project(request.user, code, "issue.escalate")
    issue = get_item(ISSUES, project, ref)
    if issue is None:
        raise NotFound(f"No issue {ref!r} in {code}")
    issue = actions.escalate_issue(actor=request.user, issue=issue,  # type: ignore[arg-type]
                                   version=payload.version, reason=payload.reason)
    return item_out(ISSUES, issue)


my_router = Router(tags=["Actions"])


@my_router.get("/me/actions", response=Page, openapi_extra={"x-permission": "authenticated"},
               summary="Open actions assigned to or owned by me, in every project")
def my_actions(request: AuthedRequest, overdue: bool = False, limit: int = 50,
               offset: int = 0) -> dict[str, Any]:
    qs = queries.my_open_actions(request.user)
    if overdue:
        qs = qs.filter(due_date__lt=timezone.localdate())
    count, rows = paginate(qs, limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [item_out(ACTIONS, a) for a in rows]}


@my_router.get("/actions/overdue", response=Page, openapi_extra={"x-permission": "authenticated"},
               summary="Overdue actions in every project the caller can see")
def overdue_actions(request: AuthedRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    count, rows = paginate(queries.overdue_actions(request.user, timezone.localdate()),
                           limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [item_out(ACTIONS, a) for a in rows]}
