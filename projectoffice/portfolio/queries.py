"""Reads of the portfolio shared by views, API and reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, F, Q, QuerySet
from django.db.models.functions import Cast, Coalesce

from .access import visible_projects
from .models import Project

PROJECT_SORTS = {
    "code": "code", "-code": "-code", "name": "name", "-name": "-name",
    "finish": "finish_sort", "-finish": "-finish_sort", "start": "start_date",
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
    """The projects the user sees, filtered and sorted; each carries its plan's finish
    (``plan_finish``) so ``health.project_finish`` needs no further query."""
    qs = (visible_projects(user).select_related("portfolio", "programme", "manager", "sponsor")
          .annotate(plan_finish=F("plan__finish"),
                    finish_sort=Coalesce(Cast("plan__finish", DateField()), "finish_date")))
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
