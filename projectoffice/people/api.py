"""People, absences, whereabouts and outside contacts over the API. The enquiry log is a
register: its operations are under /projects/{code}/enquiries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from projectoffice.accounts.models import User
from projectoffice.apischema import (
    StrictIn,
    input_schema,
    provided,
    require_not_null,
)
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, object_operation, office_operation
from projectoffice.portfolio.models import Project

from . import actions, queries
from .models import Absence, AbsenceKind, AbsenceSettings, Contact, PersonSkill, Profile, Skill

router = Router(tags=["People and contacts"])

OWN = "own or people.manage"
OWN_OR_TEAM = "own, team (membership.manage) or people.manage"
# The person's line manager decides too; the matrix's caller is nobody's line manager.
DECIDER = "people.manage or line manager"



class ProfileOut(Schema):
    username: str
    name: str
    email: str
    job_title: str
    team: str
    location: str
    phone: str
    mobile: str
    working_days: str
    days_per_week: int
    hours_per_week: Decimal
    skills: str
    line_manager: str | None = None
    line_manager_name: str | None = None
    version: int
    absent_today: str | None = None


ProfileIn = input_schema(
    "ProfileIn", Profile, ("team", "location", "phone", "mobile", "working_days",
                           "hours_per_week", "skills"), with_version=True,
    extra={"job_title": (str | None, Field(None, max_length=150)),
           "line_manager": (str | None, Field(None, max_length=150,
                                              description="User name; the PMO sets it; "
                                                          "an empty string clears it"))})


class PersonMembershipOut(Schema):
    project: str
    project_name: str
    role: str


class AbsenceOut(Schema):
    id: int
    person: str
    person_name: str
    kind: str
    kind_label: str
    start: dt.date
    end: dt.date
    half_day: bool
    days: float
    note: str
    status: str
    status_label: str
    reason: str
    decided_by: str | None
    version: int


class PersonOut(ProfileOut):
    memberships: list[PersonMembershipOut]
    upcoming_absences: list[AbsenceOut]


class AbsenceIn(StrictIn):
    person: str | None = Field(None, description="User name; yourself when left out")
    kind: AbsenceKind = AbsenceKind.LEAVE
    start: dt.date
    end: dt.date
    half_day: bool = False
    note: str = Field("", max_length=300)


AbsenceUpdate = input_schema("AbsenceUpdate", Absence, actions.ABSENCE_FIELDS,
                             with_version=True)


class AbsenceDecisionIn(StrictIn):
    version: int = Field(description="the version of the request you read")


class RefusalIn(AbsenceDecisionIn):
    reason: str = Field("", max_length=500, description="why the absence is refused")


class AbsenceSettingsOut(Schema):
    leave_needs_approval: bool
    training_needs_approval: bool
    travel_needs_approval: bool
    sickness_needs_approval: bool
    other_needs_approval: bool
    version: int


AbsenceSettingsIn = input_schema("AbsenceSettingsIn", AbsenceSettings,
                                 actions.SETTINGS_FIELDS, with_version=True)


class ContactOut(Schema):
    id: int
    name: str
    organisation: str
    role: str
    email: str
    phone: str
    notes: str
    projects: list[str]
    version: int


ContactIn = input_schema("ContactIn", Contact, actions.CONTACT_FIELDS, required=("name",),
                         extra={"projects": (list[str] | None, Field(None, max_length=100))})
ContactUpdate = input_schema("ContactUpdate", Contact, actions.CONTACT_FIELDS,
                             with_version=True,
                             extra={"projects": (list[str] | None,
                                                 Field(None, max_length=100))})


class CellOut(Schema):
    day: dt.date
    text: str
    tone: str


class GridRowOut(Schema):
    username: str
    name: str
    location: str
    days: list[CellOut]


class WeekOut(Schema):
    monday: dt.date
    project: str | None
    people: list[GridRowOut]


def _person(name: str) -> User:
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise NotFound(f"No person {name!r}")
    return user


def profile_out(user: User, profile: Profile, viewer: Any, today: dt.date | None = None
                ) -> dict[str, Any]:
    manager = profile.line_manager
    data = {"username": user.username, "name": str(user), "email": user.email,
            "job_title": user.job_title, "team": profile.team, "location": profile.location,
            "phone": profile.phone, "mobile": profile.mobile,
            "working_days": profile.working_days, "days_per_week": profile.days_per_week,
            "hours_per_week": profile.hours_per_week, "skills": profile.skills,
            "line_manager": manager.username if manager is not None else None,
            "line_manager_name": str(manager) if manager is not None else None,
            "version": profile.version}
    if today is not None:
        away = queries.absences(viewer, person=user, start=today, end=today)
        data["absent_today"] = away[0].label if away else None
    return data


def absence_out(view: queries.AbsenceView) -> dict[str, Any]:
    a = view.absence
    return {"id": a.pk, "person": a.person.username, "person_name": str(a.person),
            "kind": view.kind, "kind_label": view.label, "start": a.start, "end": a.end,
            "half_day": a.half_day, "days": a.days, "note": view.note, "status": a.status,
            "status_label": view.status_label, "reason": a.reason,
            "decided_by": a.decided_by.username if a.decided_by is not None else None,
            "version": a.version}


def contact_out(contact: Contact, viewer: Any) -> dict[str, Any]:
    return {"id": contact.pk, "name": contact.name, "organisation": contact.organisation,
            "role": contact.role, "email": contact.email, "phone": contact.phone,
            "notes": contact.notes, "version": contact.version,
            "projects": [p.code for p in queries.visible_contact_projects(viewer, contact)]}


def _project(request: AuthedRequest, code: str | None) -> Project | None:
    return access_project(request.user, code, "project.view") if code else None


def _projects(codes: list[str] | None) -> list[Project] | None:
    if codes is None:
        return None
    found = []
    for code in codes:
        project = Project.objects.filter(code=code.strip().upper()).first()
        if project is None:
            raise InvalidInput.field("projects", f"no project {code.strip().upper()!r}")
        found.append(project)
    return found


class PeopleFilters(Schema):
    q: str = Field("", max_length=200)
    team: str = Field("", max_length=100)
    location: str = Field("", max_length=100)
    project: str | None = Field(None, max_length=20)


@router.get("/people", response=list[ProfileOut],
            summary="The directory: people with team, location, phones, working pattern")
@office_operation("authenticated")
def directory(request: AuthedRequest, filters: Query[PeopleFilters]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = queries.people(request.user, q=filters.q, team=filters.team,
                          location=filters.location,
                          project=_project(request, filters.project), today=today)
    out = []
    for row in rows:
        data = profile_out(row.user, row.profile, request.user)
        data["absent_today"] = row.away_today.label if row.away_today else None
        out.append(data)
    return out


@router.get("/people/{username}", response=PersonOut,
            summary="One person: profile, project roles and upcoming absences")
@office_operation("authenticated")
def person(request: AuthedRequest, username: str) -> dict[str, Any]:
    user = _person(username)
    today = timezone.localdate()
    return {**profile_out(user, queries.profile_of(user), request.user, today),
            "memberships": [{"project": m.project.code, "project_name": m.project.name,
                             "role": m.role}
                            for m in queries.memberships_of(request.user, user)],
            "upcoming_absences": [absence_out(v) for v in
                                  queries.absences(request.user, person=user, start=today)]}


@router.patch("/people/{username}", response=ProfileOut,
              summary="Change a profile: your own, or anyone's for PMO staff and managers")
@object_operation(OWN)
def edit_profile(request: AuthedRequest, username: str, payload: ProfileIn  # type: ignore[valid-type]
                 ) -> dict[str, Any]:
    user = _person(username)
    changes = provided(payload)
    require_not_null(changes, ("working_days", "hours_per_week"))
    if "line_manager" in changes:
        name = (changes["line_manager"] or "").strip()
        manager = User.objects.filter(username=name, is_active=True).first() if name else None
        if name and manager is None:
            raise InvalidInput.field("line_manager", f"no person {name!r}")
        changes["line_manager"] = manager
    profile = actions.update_profile(actor=request.user, person=user,
                                     version=payload.version,  # type: ignore[attr-defined]
                                     changes=changes)
    return profile_out(user, profile, request.user)


class AbsenceFilters(Schema):
    person: str | None = Field(None, max_length=150)
    project: str | None = Field(None, max_length=20)
    start: dt.date | None = None
    end: dt.date | None = None


@router.get("/absences", response=list[AbsenceOut],
            summary="Absences overlapping a period (sickness shows as Absent to others)")
@office_operation("authenticated")
def absence_list(request: AuthedRequest, filters: Query[AbsenceFilters]
                 ) -> list[dict[str, Any]]:
    start = filters.start or timezone.localdate()
    end = filters.end or start + dt.timedelta(days=90)
    if end < start:
        raise InvalidInput.field("end", "must be on or after the start")
    project = _project(request, filters.project)
    people = (list(project.memberships.values_list("user_id", flat=True))
              if project is not None else None)
    person_ = _person(filters.person) if filters.person else None
    return [absence_out(v) for v in queries.absences(request.user, person=person_, start=start,
                                                     end=end, people=people)]


@router.post("/absences", response={201: AbsenceOut},
             summary="Request or record an absence: your own, a team member's, or anyone's "
                     "for the PMO (kinds needing approval start as requests)")
@object_operation(OWN_OR_TEAM)
def absence_create(request: AuthedRequest, payload: AbsenceIn) -> Status[Any]:
    person_ = _person(payload.person) if payload.person else request.user
    absence = actions.record_absence(actor=request.user, person=person_, kind=payload.kind,
                                     start=payload.start, end=payload.end,
                                     half_day=payload.half_day, note=payload.note,
                                     today=timezone.localdate())
    return Status(201, absence_out(queries.absence_view(absence, request.user)))


@router.get("/absences/awaiting-me", response=list[AbsenceOut],
            summary="Absence requests awaiting your decision, oldest first")
@office_operation("authenticated")
def absences_awaiting_me(request: AuthedRequest) -> list[dict[str, Any]]:
    return [absence_out(v) for v in queries.absences_awaiting(request.user)]


@router.get("/absence-settings", response=AbsenceSettingsOut,
            summary="Which absence kinds need approval and which are recorded as they happen")
@office_operation("authenticated")
def absence_settings(request: AuthedRequest) -> AbsenceSettings:
    return actions.current_settings()


@router.patch("/absence-settings", response=AbsenceSettingsOut,
              summary="Change which absence kinds need approval (Project Office manager)")
@office_operation("people.configure")
def absence_settings_update(request: AuthedRequest,
                            payload: AbsenceSettingsIn  # type: ignore[valid-type]
                            ) -> AbsenceSettings:
    changes = provided(payload)
    require_not_null(changes, actions.SETTINGS_FIELDS)
    return actions.update_absence_settings(
        actor=request.user, version=payload.version,  # type: ignore[attr-defined]
        changes=changes)


def _absence(absence_id: int) -> Absence:
    absence = Absence.objects.select_related("person").filter(pk=absence_id).first()
    if absence is None:
        raise NotFound(f"No absence {absence_id}")
    return absence


@router.get("/absences/{absence_id}", response=AbsenceOut,
            summary="One absence")
@office_operation("authenticated")
def absence_get(request: AuthedRequest, absence_id: int) -> dict[str, Any]:
    return absence_out(queries.absence_view(_absence(absence_id), request.user))


@router.patch("/absences/{absence_id}", response=AbsenceOut,
              summary="Change an absence")
@object_operation(OWN_OR_TEAM)
def absence_update(request: AuthedRequest, absence_id: int,
                   payload: AbsenceUpdate  # type: ignore[valid-type]
                   ) -> dict[str, Any]:
    changes = provided(payload)
    require_not_null(changes, ("kind", "start", "end", "half_day"))
    absence = actions.update_absence(actor=request.user, absence=_absence(absence_id),
                                     version=payload.version,  # type: ignore[attr-defined]
                                     changes=changes, today=timezone.localdate())
    return absence_out(queries.absence_view(absence, request.user))


@router.post("/absences/{absence_id}/approve", response=AbsenceOut,
             summary="Approve an absence request (not your own); 409 when it changed")
@object_operation(DECIDER)
def absence_approve(request: AuthedRequest, absence_id: int, payload: AbsenceDecisionIn
                    ) -> dict[str, Any]:
    absence = actions.approve_absence(actor=request.user, absence=_absence(absence_id),
                                      version=payload.version, today=timezone.localdate())
    return absence_out(queries.absence_view(absence, request.user))


@router.post("/absences/{absence_id}/refuse", response=AbsenceOut,
             summary="Refuse an absence request with a reason (not your own)")
@object_operation(DECIDER)
def absence_refuse(request: AuthedRequest, absence_id: int, payload: RefusalIn
                   ) -> dict[str, Any]:
    absence = actions.refuse_absence(actor=request.user, absence=_absence(absence_id),
                                     version=payload.version, reason=payload.reason,
                                     today=timezone.localdate())
    return absence_out(queries.absence_view(absence, request.user))


@router.post("/absences/{absence_id}/cancel", response=AbsenceOut,
             summary="Cancel your request, or your approved absence before it starts")
@object_operation(OWN)
def absence_cancel(request: AuthedRequest, absence_id: int, payload: AbsenceDecisionIn
                   ) -> dict[str, Any]:
    absence = actions.cancel_absence(actor=request.user, absence=_absence(absence_id),
                                     version=payload.version, today=timezone.localdate())
    return absence_out(queries.absence_view(absence, request.user))


@router.delete("/absences/{absence_id}", response={204: None},
               summary="Remove an absence (send ?version= to refuse a stale delete)")
@object_operation(OWN_OR_TEAM)
def absence_delete(request: AuthedRequest, absence_id: int,
                   version: int | None = None) -> Status[Any]:
    actions.delete_absence(actor=request.user, absence=_absence(absence_id), version=version,
                           today=timezone.localdate())
    return Status(204, None)


@router.get("/whereabouts", response=WeekOut,
            summary="Who is where in a week: a row per person, a cell per working day")
@office_operation("authenticated")
def whereabouts(request: AuthedRequest, week: dt.date | None = None,
                project: str | None = None) -> dict[str, Any]:
    chosen = _project(request, project)
    grid = queries.week_grid(request.user, week or timezone.localdate(), project=chosen)
    return {"monday": grid.monday, "project": chosen.code if chosen else None,
            "people": [{"username": r.user.username, "name": str(r.user),
                        "location": r.profile.location,
                        "days": [{"day": c.day, "text": c.text, "tone": c.tone}
                                 for c in r.cells]} for r in grid.rows]}


@router.get("/contacts", response=list[ContactOut],
            summary="Outside contacts, searched by name, organisation, role, e-mail, notes")
@office_operation("authenticated")
def contact_list(request: AuthedRequest, q: str = "", project: str | None = None
                 ) -> list[dict[str, Any]]:
    rows = queries.contacts(request.user, q=q[:200], project=_project(request, project))
    return [contact_out(c, request.user) for c in rows[:500]]


@router.post("/contacts", response={201: ContactOut},
             summary="Add an outside contact")
@office_operation("people.manage")
def contact_create(request: AuthedRequest, payload: ContactIn  # type: ignore[valid-type]
                   ) -> Status[Any]:
    data = provided(payload)
    codes = data.pop("projects", None)
    contact = actions.create_contact(actor=request.user, data=data, projects=_projects(codes))
    return Status(201, contact_out(contact, request.user))


def _contact(contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(f"No contact {contact_id}")
    return contact


@router.get("/contacts/{contact_id}", response=ContactOut,
            summary="One contact")
@office_operation("authenticated")
def contact_get(request: AuthedRequest, contact_id: int) -> dict[str, Any]:
    return contact_out(_contact(contact_id), request.user)


@router.patch("/contacts/{contact_id}", response=ContactOut,
              summary="Change a contact")
@office_operation("people.manage")
def contact_update(request: AuthedRequest, contact_id: int,
                   payload: ContactUpdate  # type: ignore[valid-type]
                   ) -> dict[str, Any]:
    data = provided(payload)
    codes = data.pop("projects", None)
    require_not_null(data, ("name",))
    contact = actions.update_contact(actor=request.user, contact=_contact(contact_id),
                                     version=payload.version,  # type: ignore[attr-defined]
                                     changes=data, projects=_projects(codes))
    return contact_out(contact, request.user)


@router.delete("/contacts/{contact_id}", response={204: None},
               summary="Remove a contact; their enquiries keep the caller's name")
@office_operation("people.manage")
def contact_delete(request: AuthedRequest, contact_id: int,
                   version: int | None = None) -> Status[Any]:
    actions.delete_contact(actor=request.user, contact=_contact(contact_id), version=version)
    return Status(204, None)




# ---------------------------------------------------------------------------------------------
# Skills: the office's catalogue and the levels each person holds.

KEEPS_SKILLS = "people.manage or position.change or course.change"


class SkillOut(Schema):
    id: int
    name: str
    category: str
    description: str
    holders: int


class SkillIn(StrictIn):
    name: str = Field(max_length=100)
    category: str = Field("", max_length=100)
    description: str = Field("", max_length=500)


class PersonSkillOut(Schema):
    skill_id: int
    skill: str
    level: int
    level_label: str
    source: str
    updated_on: dt.date


class PersonSkillIn(StrictIn):
    skill: str = Field(max_length=100, description="a skill of the catalogue, by name")
    level: int = Field(description="1 (aware) to 5 (expert)")


def skill_by_name(name: str, field: str = "skill") -> Skill:
    found = Skill.objects.filter(name__iexact=" ".join(name.split())).first()
    if found is None:
        raise InvalidInput.field(field, f"{name!r} is not in the skills catalogue")
    return found


def _person_skill(row: PersonSkill) -> dict[str, Any]:
    return {"skill_id": row.skill_id, "skill": row.skill.name, "level": row.level,
            "level_label": row.get_level_display(), "source": row.source,
            "updated_on": row.updated_on}


@router.get("/skills", response=list[SkillOut],
            summary="The office's skills catalogue, with how many people hold each skill")
@office_operation("authenticated")
def list_skills(request: AuthedRequest) -> list[dict[str, Any]]:
    return [{"id": s.pk, "name": s.name, "category": s.category,
             "description": s.description, "holders": s.holders_count}
            for s in queries.skills_catalogue()]


@router.post("/skills", response={201: SkillOut},
             summary="Add a skill to the catalogue")
@object_operation(KEEPS_SKILLS)
def create_skill(request: AuthedRequest, payload: SkillIn) -> Status[Any]:
    skill = actions.create_skill(actor=request.user, name=payload.name,
                                 category=payload.category, description=payload.description)
    return Status(201, {"id": skill.pk, "name": skill.name, "category": skill.category,
                        "description": skill.description, "holders": 0})


@router.get("/people/{username}/skills", response=list[PersonSkillOut],
            summary="The skills a person holds, at their levels and how each was gained")
@office_operation("authenticated")
def person_skills(request: AuthedRequest, username: str) -> list[dict[str, Any]]:
    return [_person_skill(r) for r in queries.person_skills(_person(username))]


@router.post("/people/{username}/skills", response=PersonSkillOut,
             summary="Set the level at which a person holds a skill (declared for oneself, "
                     "assessed by the Project Office)")
@object_operation(OWN)
def set_person_skill(request: AuthedRequest, username: str,
                     payload: PersonSkillIn) -> dict[str, Any]:
    row = actions.set_person_skill(actor=request.user, person=_person(username),
                                   skill=skill_by_name(payload.skill), level=payload.level)
    return _person_skill(row)


@router.delete("/people/{username}/skills/{skill_id}", response={204: None},
               summary="Remove a skill from a person's profile")
@object_operation(OWN)
def remove_person_skill(request: AuthedRequest, username: str, skill_id: int) -> Status[None]:
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        raise NotFound(f"No skill {skill_id}")
    actions.remove_person_skill(actor=request.user, person=_person(username), skill=skill)
    return Status(204, None)
