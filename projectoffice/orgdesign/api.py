"""The organisation design as data: both organisations' positions and the differences
(the registers themselves are the kernel's: /org-units and /positions)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project

from . import queries
from .models import Position

router = Router(tags=["organisation design"])


class OrgPositionOut(Schema):
    reference: str
    title: str
    unit: str | None
    grade: str
    fte: float
    reports_to: str | None
    holder: str
    future_position: str | None


class OrgChangeOut(Schema):
    current: str
    future: str
    what: list[str]


class OrgDesignOut(Schema):
    current: list[OrgPositionOut]
    future: list[OrgPositionOut]
    new: list[str]
    removed: list[str]
    changed: list[OrgChangeOut]
    without_future_role: list[str]


def _position(p: Position) -> dict[str, Any]:
    return {"reference": p.reference, "title": p.title,
            "unit": p.unit.reference if p.unit else None, "grade": p.grade,
            "fte": float(p.fte), "reports_to": p.reports_to.reference if p.reports_to else None,
            "holder": p.holder,
            "future_position": p.future_position.reference if p.future_position else None}


@router.get("/projects/{code}/org-design", response=OrgDesignOut,
            openapi_extra={"x-permission": "position.view"},
            summary="The current and the future organisation and what changes between them")
def org_design(request: AuthedRequest, code: str) -> dict[str, Any]:
    project = access_project(request.user, code, "position.view")
    found = queries.design(project)
    d = found.differences
    return {"current": [_position(p) for p in found.current],
            "future": [_position(p) for p in found.future],
            "new": [r.reference for r in d.new], "removed": [r.reference for r in d.removed],
            "changed": [{"current": c.current.reference, "future": c.future.reference,
                         "what": list(c.what)} for c in d.changed],
            "without_future_role": [r.reference for r in d.unplaced]}
