from __future__ import annotations

from typing import Any

from django import template

from projectoffice.orgdesign.models import Position, PositionSkill
from projectoffice.people.models import Proficiency, Skill

register = template.Library()


@register.simple_tag
def position_skills(position: Position) -> list[PositionSkill]:
    """The skills the position requires, for its page."""
    return list(position.required_skills.select_related("skill").order_by("skill__name"))


@register.simple_tag
def skill_catalogue() -> list[Skill]:
    return list(Skill.objects.order_by("name"))


@register.simple_tag
def skill_levels() -> list[tuple[Any, str]]:
    return list(Proficiency.choices)
