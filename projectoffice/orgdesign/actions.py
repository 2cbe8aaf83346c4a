"""Writes of organisational design beyond the kernel's registers: the skills a position
requires (each at a proficiency level), and the training need a skills gap proposes for
the group of the position's holders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import lock_for_update, validate
from projectoffice.engagement.models import Stakeholder
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.people.actions import check_level
from projectoffice.people.models import Skill
from projectoffice.portfolio.access import project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import derive_item
from projectoffice.training.models import TrainingNeed
from projectoffice.training.registers import NEEDS

from .models import Position, PositionSkill


def _require(actor: User, project: Project, *any_of: str) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if not set(any_of) & perms:
        raise Forbidden(f"You need the {any_of[0]!r} permission on {project.code}")


@transaction.atomic
def set_position_skill(*, actor: User, position: Position, skill: Skill,
                       level: Any) -> PositionSkill:
    """Says a position needs a skill at a level (a second call changes the level)."""
    _require(actor, position.project, "position.change")
    locked = lock_for_update(Position, position.pk)
    if locked.is_closed:
        raise Conflict(f"{locked.reference} is withdrawn", {"status": ["withdrawn"]})
    value = check_level(level)
    row = PositionSkill.objects.filter(position=locked, skill=skill).first()
    before = row.level if row is not None else None
    if row is None:
        row = PositionSkill(position=locked, skill=skill, level=value)
    row.level = value
    validate(row)
    row.save()
    if before != value:
        record_change(actor=actor, obj=locked, verb="skills",
                      changes={f"skill: {skill.name}": [before, value]})
    return row


@transaction.atomic
def remove_position_skill(*, actor: User, position: Position, skill: Skill) -> None:
    _require(actor, position.project, "position.change")
    locked = lock_for_update(Position, position.pk)
    row = PositionSkill.objects.filter(position=locked, skill=skill).first()
    if row is None:
        raise InvalidInput.field("skill", f"{locked.reference} does not require {skill.name}")
    record_change(actor=actor, obj=locked, verb="skills",
                  changes={f"skill: {skill.name}": [row.level, None]})
    row.delete()


def open_need(group: Stakeholder, skill: str) -> TrainingNeed | None:
    """The open training need already asking the group for the skill, if any."""
    return (TrainingNeed.objects.filter(group=group, skill__iexact=skill)
            .exclude(status__in=("met", "dropped")).order_by("number").first())


@transaction.atomic
def propose_gap_need(*, actor: User, group: Stakeholder, skill: Skill, level: Any,
                     people: int = 1, needed_by: dt.date | None = None,
                     today: dt.date | None = None) -> TrainingNeed:
    """The training need a skills gap implies: the group must learn the skill to the level
    its positions require. One open need per group and skill: a second is refused naming
    the first."""
    _require(actor, group.project, "trainingneed.add", "position.change")
    value = check_level(level, "proficiency")
    found = open_need(group, skill.name)
    if found is not None:
        raise Conflict(f"{found.reference} already asks {group.title} for {skill.name}",
                       {"skill": [f"{found.reference} already asks for it"]})
    need = derive_item(actor=actor, spec=NEEDS, project=group.project, today=today, data={
        "title": f"{skill.name} for {group.title}"[:200],
        "description": f"Proposed from the skills gaps: {people} "
                       f"{'person falls' if people == 1 else 'people fall'} short of "
                       f"level {value} in {skill.name} for the positions they hold or "
                       "move to.",
        "group": group, "skill": skill.name, "proficiency": value, "needed_by": needed_by})
    assert isinstance(need, TrainingNeed)
    return need
