"""GET /search: the same search as the page, as JSON."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from projectoffice.apischema import check_offset
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import office_operation, visible_projects

from . import queries

router = Router(tags=["Search"])


class HitOut(Schema):
    kind: str
    project: str
    reference: str
    title: str
    url: str
    snippet: str
    rank: float


class SearchOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[HitOut]


@router.get("/search", response=SearchOut,
            summary="Search registers, documents and meetings in every visible project")
@office_operation("authenticated")
def search(request: AuthedRequest, q: str = "", project: str = "", kind: str = "",
           limit: int = 20, offset: int = 0) -> dict[str, Any]:
    limit = max(1, min(limit, 100))
    check_offset(max(0, offset))
    project_id = None
    if project:
        found = visible_projects(request.user).filter(code=project).first()
        project_id = found.pk if found else -1
    count, hits = queries.search(request.user, q[:200], project_id=project_id, kind=kind,
                                 limit=limit, offset=max(0, offset))
    return {"count": count, "limit": limit, "offset": offset, "items": [
        {"kind": h.entry.kind, "project": h.entry.project.code,
         "reference": h.entry.reference, "title": h.entry.title, "url": h.entry.url,
         "snippet": h.snippet.replace(queries.START, "").replace(queries.STOP, ""),
         "rank": h.rank} for h in hits]}
