from __future__ import annotations

from typing import Any

from django import template

from projectoffice.documents.models import Document
from projectoffice.training import queries
from projectoffice.training.models import Course

register = template.Library()


@register.simple_tag
def course_sessions(course: Course) -> list[queries.SessionRow]:
    """The course's sessions with their places, for the course's page."""
    return [r for r in queries.sessions(course.project) if r.session.course_id == course.pk]


@register.simple_tag
def course_materials(course: Course) -> list[Any]:
    """The course's material documents, for the course's page."""
    return queries.course_materials(course)


@register.simple_tag
def project_documents(course: Course) -> list[Any]:
    """The project's documents that could become the course's material."""
    linked = set(course.materials.values_list("pk", flat=True))
    return [d for d in Document.objects.filter(project=course.project).exclude(
        status="withdrawn").order_by("reference") if d.pk not in linked]
