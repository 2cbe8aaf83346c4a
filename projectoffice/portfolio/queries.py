"""Reads of the portfolio shared by views, API and reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .access import visible_projects
from .models import Project

PROJECT_SORTS = {
    "code": "code", "-code": "-code", "name": "name", "-name": "-name",
    "finish": "finish_date", "-finish": "-finish_date", "start": "start_date",
    "-start": "-start_date", "rag": "rag", "-rag": "-rag", "status": "status",
    "-status": "-status",
}


@dataclass(frozen=True)
class ProjectFilter:
    q: str = ""
    portfolio: int | None = None
    programme: str = ""
    status: str = ""
    phase: str = ""
    rag: str = ""
    manager: str = ""
    sort: str = "code"


def project_list(user: Any, f: ProjectFilter) -> QuerySet[Project]:
    qs = visible_projects(user).select_related("portfolio", "programme", "manager", "sponsor")
    if f.q:
        qs = qs.filter(Q(code__icontains=f.q) | Q(name__icontains=f.q)
                       | Q(customer__icontains=f.q))
    if f.portfolio:
        qs = qs.filter(portfolio_id=f.portfolio)
    if f.programme:
        qs = qs.filter(programme__code=f.programme)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.phase:
        qs = qs.filter(phase=f.phase)
    if f.rag:
        qs = qs.filter(rag=f.rag)
    if f.manager:
        qs = qs.filter(manager__username=f.manager)
    return qs.order_by(PROJECT_SORTS.get(f.sort, "code"), "code")
