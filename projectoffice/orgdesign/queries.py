"""Reads of organisational design: each organisation's positions as chart roles, the
charts, and the differences between the current and the future organisation."""

from __future__ import annotations

from dataclasses import dataclass

from projectoffice.accounts.models import User
from projectoffice.engagement.models import Stakeholder
from projectoffice.engine import orgchart, skills
from projectoffice.people.models import PersonSkill, Skill
from projectoffice.portfolio.models import Project
from projectoffice.training.models import TrainingNeed

from .actions import open_need
from .models import Design, Position


def positions(project: Project, design: str) -> list[Position]:
    return list(Position.objects.filter(project=project, design=design)
                .exclude(status="withdrawn")
                .select_related("unit", "reports_to", "future_position", "impact")
                .order_by("number"))


def role_of(p: Position) -> orgchart.Role:
    return orgchart.Role(
        key=str(p.pk), title=p.title, unit=p.unit.title if p.unit else "", grade=p.grade,
        fte=float(p.fte), reports_to=str(p.reports_to_id) if p.reports_to_id else None,
        holder=p.holder, reference=p.reference,
        maps_to=str(p.future_position_id) if p.future_position_id else None)


@dataclass(frozen=True)
class OrgDesign:
    current: list[Position]
    future: list[Position]
    differences: orgchart.Differences
    current_svg: str
    future_svg: str


def design(project: Project) -> OrgDesign:
    current, future = positions(project, Design.CURRENT), positions(project, Design.FUTURE)
    cur_roles, fut_roles = [role_of(p) for p in current], [role_of(p) for p in future]
    diff = orgchart.differences(cur_roles, fut_roles)
    cur_status, fut_status = diff.status()
    return OrgDesign(current, future, diff,
                   orgchart.chart_svg(cur_roles, "Current organisation chart", cur_status),
                   orgchart.chart_svg(fut_roles, "Future organisation chart", fut_status))


@dataclass(frozen=True)
class PersonGap:
    """One person measured against one position: the one they hold, or the future one
    their current position moves them to."""

    position: Position
    person: User
    via: Position | None  # the current position that maps them here
    group: Stakeholder | None
    gaps: list[skills.Gap]
    met: int  # required skills held at the level asked

    @property
    def total(self) -> int:
        return self.met + len(self.gaps)


@dataclass(frozen=True)
class GroupNeed:
    group: Stakeholder
    skill: Skill
    people: int
    required: int
    need: TrainingNeed | None  # the open need already asking for it


@dataclass(frozen=True)
class SkillsGaps:
    people: list[PersonGap]
    groups: list[GroupNeed]
    ungrouped: int  # people short of a skill whose position names no group
    unassessed: list[Position]  # positions requiring skills with nobody in the office in them


def skills_gaps(project: Project) -> SkillsGaps:
    """Each position's required skills against those of the people in it (or mapped to it
    from the current organisation), and the gaps summed by stakeholder group and skill."""
    live = (Position.objects.filter(project=project).exclude(status="withdrawn")
            .select_related("person", "impact__group", "future_position")
            .prefetch_related("required_skills__skill").order_by("number"))
    rows = list(live)
    required = {p.pk: {r.skill.name: r.level for r in p.required_skills.all()} for p in rows}
    catalogue = {r.skill.name.casefold(): r.skill for p in rows for r in p.required_skills.all()}
    measured: list[tuple[Position, User, Position | None]] = []
    for p in rows:
        if p.person is not None and required[p.pk]:
            measured.append((p, p.person, None))
    by_pk = {p.pk: p for p in rows}
    for p in rows:
        target = by_pk.get(p.future_position_id) if p.future_position_id else None
        if p.person is not None and target is not None and required[target.pk] \
                and target.person_id != p.person_id:
            measured.append((target, p.person, p))
    held: dict[int, dict[str, int]] = {}
    for person_id, name, level in PersonSkill.objects.filter(
            person_id__in={m[1].pk for m in measured}).values_list(
            "person_id", "skill__name", "level"):
        held.setdefault(person_id, {})[name] = level
    people: list[PersonGap] = []
    grouped: list[tuple[str, skills.Gap]] = []
    groups: dict[str, Stakeholder] = {}
    ungrouped = 0
    for position, person, via in measured:
        found = skills.gaps(required[position.pk], held.get(person.pk, {}))
        group = position.impact.group if position.impact is not None else None
        people.append(PersonGap(position, person, via, group, found,
                                len(required[position.pk]) - len(found)))
        for gap in found:
            if group is None:
                ungrouped += 1
                continue
            groups[str(group.pk)] = group
            grouped.append((str(group.pk), gap))
    needs = [GroupNeed(groups[g.group], catalogue[g.skill.casefold()], g.people, g.required,
                       open_need(groups[g.group], g.skill))
             for g in skills.by_group(grouped)]
    assessed = {m[0].pk for m in measured}
    unassessed = [p for p in rows if required[p.pk] and p.pk not in assessed]
    return SkillsGaps(people, needs, ungrouped, unassessed)
