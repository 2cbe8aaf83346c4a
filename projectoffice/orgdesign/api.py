"""The organisation design as data: both organisations' positions and the differences
(the registers themselves are the kernel's: /org-units and /positions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.engagement.models import Stakeholder
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.people.api import skill_by_name
from projectoffice.people.models import Skill
from projectoffice.portfolio.access import access_project, object_operation, project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions, queries
from .models import Position
from .registers import POSITIONS

router = Router(tags=["organisation design"])


class OrgPositionOut(Schema):
    reference: str
    title: str
    unit: str | None
    grade: str
    fte: float
    reports_to: str | None
    holder: str
    future_position: str | None


class OrgChangeOut(Schema):
    current: str
    future: str
    what: list[str]


class OrgDesignOut(Schema):
    current: list[OrgPositionOut]
    future: list[OrgPositionOut]
    new: list[str]
    removed: list[str]
    changed: list[OrgChangeOut]
    without_future_role: list[str]


def _position(p: Position) -> dict[str, Any]:
    return {"reference": p.reference, "title": p.title,
            "unit": p.unit.reference if p.unit else None, "grade": p.grade,
            "fte": float(p.fte), "reports_to": p.reports_to.reference if p.reports_to else None,
            "holder": p.holder,
            "future_position": p.future_position.reference if p.future_position else None}


@router.get("/projects/{code}/org-design", response=OrgDesignOut,
            summary="The current and the future organisation and what changes between them")
@project_operation("position.view")
def org_design(request: AuthedRequest, project: Project) -> dict[str, Any]:
    found = queries.design(project)
    d = found.differences
    return {"current": [_position(p) for p in found.current],
            "future": [_position(p) for p in found.future],
            "new": [r.reference for r in d.new], "removed": [r.reference for r in d.removed],
            "changed": [{"current": c.current.reference, "future": c.future.reference,
                         "what": list(c.what)} for c in d.changed],
            "without_future_role": [r.reference for r in d.unplaced]}


class RequiredSkillOut(Schema):
    skill_id: int
    skill: str
    level: int
    level_label: str


class RequiredSkillIn(StrictIn):
    skill: str = Field(max_length=100, description="a skill of the catalogue, by name")
    level: int = Field(description="1 (aware) to 5 (expert)")


class GapOut(Schema):
    skill: str
    required: int
    held: int


class PersonGapOut(Schema):
    position: str
    position_title: str
    person: str
    via: str | None
    group: str | None
    met: int
    gaps: list[GapOut]


class GroupGapOut(Schema):
    group: str
    group_title: str
    skill: str
    people: int
    required: int
    training_need: str | None


class SkillsGapsOut(Schema):
    people: list[PersonGapOut]
    groups: list[GroupGapOut]
    ungrouped: int
    unassessed: list[str]


class GapNeedIn(StrictIn):
    group: str = Field(max_length=20, description="a stakeholder group's reference")
    skill: str = Field(max_length=100, description="a skill of the catalogue, by name")
    level: int = Field(description="the proficiency needed, 1 to 5")
    people: int = Field(1, ge=1, le=100000)
    needed_by: dt.date | None = None


class ProposedNeedOut(Schema):
    reference: str
    title: str
    skill: str
    proficiency: int


def _position_item(request: AuthedRequest, project: Project, ref: str) -> Position:
    position = get_item(POSITIONS, project, ref, request.user)
    if not isinstance(position, Position):
        raise NotFound(f"No position {ref!r} in {project.code}")
    return position


def _required(position: Position) -> list[dict[str, Any]]:
    return [{"skill_id": r.skill_id, "skill": r.skill.name, "level": r.level,
             "level_label": r.get_level_display()}
            for r in position.required_skills.select_related("skill").order_by("skill__name")]


@router.get("/projects/{code}/positions/{ref}/skills", response=list[RequiredSkillOut],
            summary="The skills a position requires, each at a proficiency level")
@project_operation("position.view")
def position_skills(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    return _required(_position_item(request, project, ref))


@router.post("/projects/{code}/positions/{ref}/skills", response=list[RequiredSkillOut],
             summary="Require a skill of a position at a level (again: change the level)")
@project_operation("position.change")
def set_position_skill(request: AuthedRequest, project: Project, ref: str,
                       payload: RequiredSkillIn) -> list[dict[str, Any]]:
    position = _position_item(request, project, ref)
    actions.set_position_skill(actor=request.user, position=position,
                               skill=skill_by_name(payload.skill), level=payload.level)
    return _required(position)


@router.delete("/projects/{code}/positions/{ref}/skills/{skill_id}", response={204: None},
               summary="No longer require a skill of a position")
@project_operation("position.change")
def remove_position_skill(request: AuthedRequest, project: Project, ref: str,
                          skill_id: int) -> Status[None]:
    position = _position_item(request, project, ref)
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        raise NotFound(f"No skill {skill_id}")
    actions.remove_position_skill(actor=request.user, position=position, skill=skill)
    return Status(204, None)


@router.get("/projects/{code}/skills-gaps", response=SkillsGapsOut,
            summary="Required against held skills per position holder, and by group")
@project_operation("position.view")
def skills_gaps(request: AuthedRequest, project: Project) -> dict[str, Any]:
    found = queries.skills_gaps(project)
    return {
        "people": [{"position": r.position.reference, "position_title": r.position.title,
                    "person": r.person.username,
                    "via": r.via.reference if r.via else None,
                    "group": r.group.reference if r.group else None, "met": r.met,
                    "gaps": [{"skill": g.skill, "required": g.required, "held": g.held}
                             for g in r.gaps]} for r in found.people],
        "groups": [{"group": g.group.reference, "group_title": g.group.title,
                    "skill": g.skill.name, "people": g.people, "required": g.required,
                    "training_need": g.need.reference if g.need else None}
                   for g in found.groups],
        "ungrouped": found.ungrouped,
        "unassessed": [p.reference for p in found.unassessed]}


@router.post("/projects/{code}/skills-gaps/needs", response={201: ProposedNeedOut},
             summary="Propose the training need a group's skills gap implies (409 when an "
                     "open need already asks for it)")
@object_operation("trainingneed.add or position.change")
def propose_need(request: AuthedRequest, code: str, payload: GapNeedIn) -> Status[Any]:
    project = access_project(request.user, code, "position.view")
    group = Stakeholder.objects.filter(project=project,
                                       reference=payload.group.strip().upper()).first()
    if group is None:
        raise InvalidInput.field("group", f"no stakeholder group {payload.group!r} in "
                                          f"{project.code}")
    need = actions.propose_gap_need(actor=request.user, group=group,
                                    skill=skill_by_name(payload.skill), level=payload.level,
                                    people=payload.people, needed_by=payload.needed_by)
    return Status(201, {"reference": need.reference, "title": need.title, "skill": need.skill,
                        "proficiency": need.proficiency})
