from __future__ import annotations

from django import template

from projectoffice.training import queries
from projectoffice.training.models import Course

register = template.Library()


@register.simple_tag
def course_sessions(course: Course) -> list[queries.SessionRow]:
    """The course's sessions with their places, for the course's page."""
    return [r for r in queries.sessions(course.project) if r.session.course_id == course.pk]
