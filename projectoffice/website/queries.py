"""What a status page shows. The public page is drawn only from `page_content`, which reads
the chosen things and nothing else, so the public link cannot reach further."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from projectoffice.architecture.models import Component
from projectoffice.engine import health as health_rule
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project

from .models import StatusPage

MILESTONES_SHOWN = 12


def page_of(project: Project) -> StatusPage:
    """The project's page, or an unsaved blank one before anyone has set it up."""
    page = StatusPage.objects.filter(project=project).first()
    return page if page is not None else StatusPage(project=project)


def page_by_token(token: str) -> StatusPage | None:
    if not token or len(token) > 64:
        return None
    return StatusPage.objects.select_related("project").filter(token=token).first()


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


def page_content(page: StatusPage) -> dict[str, Any]:
    """Everything the page shows, as plain values: the project's name, the headline and
    message, and — when chosen — the RAG, the milestones and the chosen components'
    states. No people, no links, no other register."""
    project = page.project
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
        # The page follows the project's live data: it is as of the moment it is read.
        "as_of": timezone.now(),
    }
