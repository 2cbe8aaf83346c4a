from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import visible_projects
from projectoffice.registers.spec import all_specs

from . import queries
from .index import KIND_LABELS

PAGE = 20


def kinds() -> list[tuple[str, str]]:
    return [(s.key, s.label) for s in all_specs()] + sorted(KIND_LABELS.items())


@login_required
def search_page(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    code = request.GET.get("project", "")
    projects = visible_projects(request.user).order_by("code").only("pk", "code", "name")
    project = projects.filter(code=code).first() if code else None
    try:
        page_no = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_no = 1
    count, hits = queries.search(request.user, q, project_id=project.pk if project else -1
                                 if code else None, kind=kind, limit=PAGE,
                                 offset=(page_no - 1) * PAGE)
    labels = dict(kinds())
    return render(request, "search/results.html", {
        "q": q, "kind": kind, "code": code, "hits": hits, "count": count, "labels": labels,
        "kinds": kinds(), "projects": projects, "page_no": page_no,
        "has_next": page_no * PAGE < count, "pages": Paginator(range(count), PAGE).num_pages,
    })
