"""What a status page shows. The public page is drawn only from `page_content`, which reads
the chosen things and nothing else, so the public link cannot reach further: the only
links it gives are to the page's own chosen document versions (`page_document`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from projectoffice.architecture.models import Component
from projectoffice.documents.models import DocumentVersion
from projectoffice.engine import health as health_rule
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Programme, Project

from .models import StatusPage

MILESTONES_SHOWN = 12


def page_of(project: Project) -> StatusPage:
    """The project's page, or an unsaved blank one before anyone has set it up."""
    page = StatusPage.objects.filter(project=project).first()
    return page if page is not None else StatusPage(project=project)


def programme_page_of(programme: Programme) -> StatusPage:
    page = StatusPage.objects.filter(programme=programme).first()
    return page if page is not None else StatusPage(programme=programme)


def page_by_token(token: str) -> StatusPage | None:
    if not token or len(token) > 64:
        return None
    return StatusPage.objects.select_related("project", "programme").filter(
        token=token).first()


def chosen_documents(page: StatusPage) -> list[DocumentVersion]:
    if page.pk is None:
        return []
    return list(page.documents.select_related("document").order_by("document__code",
                                                                    "number"))


def page_document(page: StatusPage, version_id: int) -> DocumentVersion | None:
    """A document version the page offers for download, or None (anything else is 404)."""
    if page.pk is None:
        return None
    found: DocumentVersion | None = page.documents.filter(pk=version_id).first()
    return found


def chosen_projects(page: StatusPage) -> list[Project]:
    if page.pk is None or page.programme_id is None:
        return []
    return list(page.projects.filter(programme_id=page.programme_id).order_by("code"))


def chosen_components(page: StatusPage) -> list[Component]:
    if page.pk is None:
        return []
    return list(page.components.filter(project=page.project).order_by("number"))


def _milestones(project: Project) -> list[dict[str, Any]]:
    rows = (PlanTask.objects.filter(plan__project=project, milestone=True)
            .exclude(name="").order_by("finish", "uid")[:MILESTONES_SHOWN])
    out = []
    for t in rows:
        finish: dt.date | None = health_rule.finish_day(t.actual_finish or t.finish)
        out.append({"name": t.name, "date": finish,
                    "done": t.percent_complete >= 100 or t.actual_finish is not None})
    return out


def _shared(page: StatusPage) -> dict[str, Any]:
    """What any page may carry: its announcements (dated, newest first) and its chosen
    document versions (title, number, version and file name; downloaded by id)."""
    posts = list(page.announcements.all()) if page.pk else []
    return {
        "announcements": [{"title": a.title, "body": a.body, "date": a.posted_at}
                          for a in posts],
        "documents": [{"id": v.pk, "title": v.document.title, "code": v.document.code,
                       "version": v.label, "filename": v.filename, "size": v.size}
                      for v in chosen_documents(page)],
        # The page follows the live data: it is as of the moment it is read.
        "as_of": timezone.now(),
    }


def page_content(page: StatusPage) -> dict[str, Any]:
    """Everything the page shows, as plain values. A project's: its name, the headline and
    message, and — when chosen — the RAG, the milestones and the chosen components'
    states. A programme's: its name, headline and message, and each chosen project with
    what that project's own page chooses. Both: announcements and chosen documents. No
    people, no other register, no link but to the chosen documents."""
    if page.programme_id is not None:
        programme = page.programme
        assert programme is not None
        return {"kind": "programme", "name": programme.name, "headline": page.headline,
                "message": page.message, "rag": None, "milestones": [],
                "show_milestones": False, "components": [],
                "projects": [project_content(page_of(p)) for p in chosen_projects(page)],
                **_shared(page)}
    return {**project_content(page), "kind": "project", "projects": [], **_shared(page)}


def project_content(page: StatusPage) -> dict[str, Any]:
    """A project's chosen summary: what its page and a programme's page show of it."""
    project = page.project
    assert project is not None
    return {
        "name": project.name,
        "headline": page.headline,
        "message": page.message,
        "rag": ({"key": str(project.rag), "label": project.get_rag_display()}
                if page.show_rag else None),
        "milestones": _milestones(project) if page.show_milestones else [],
        "show_milestones": page.show_milestones,
        "components": [{"name": c.title, "state": c.state.label, "tone": c.state.tone}
                       for c in chosen_components(page)],
    }
