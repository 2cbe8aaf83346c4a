"""Every write to profiles, absences and outside contacts (the enquiry log is a register:
its writes are the kernel's).

Absences of the kinds the office's AbsenceSettings mark are requests: the person's line
manager or the Project Office approves or refuses them, and the person may cancel a request,
or an approved absence that has not started. Other kinds are approved on entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.roles import GlobalRole
from projectoffice.audit.actions import record_change
from projectoffice.editing import (
    apply_changes,
    check_version,
    create_object,
    lock_for_update,
    validate,
)
from projectoffice.engine import skills as engine_skills
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import deliver
from projectoffice.registers.models import NotificationKind

from .access import (
    configures_absences,
    hides_kind,
    keeps_skills,
    line_manager_of,
    manages_people,
    may_decide_absence,
    may_edit_profile,
    may_record_absence,
)
from .models import (
    LIVE_STATUSES,
    Absence,
    AbsenceKind,
    AbsenceSettings,
    AbsenceStatus,
    Contact,
    Enquiry,
    PersonSkill,
    Profile,
    Skill,
    SkillSource,
)

PROFILE_FIELDS = ("team", "location", "phone", "mobile", "working_days", "hours_per_week",
                  "skills", "line_manager")
SETTINGS_FIELDS = tuple(f"{kind}_needs_approval" for kind in AbsenceKind.values)
ABSENCE_FIELDS = ("kind", "start", "end", "half_day", "note")
CONTACT_FIELDS = ("name", "organisation", "role", "email", "phone", "notes")


def _profile(user: User) -> Profile:
    profile = Profile.objects.filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


@transaction.atomic
def update_profile(*, actor: User, person: User, version: int | None,
                   changes: dict[str, Any]) -> Profile:
    """Changes a person's directory entry (and job title). The entry is made on its first
    change, at version 1, so a caller that read the blank entry sends version 1."""
    if not may_edit_profile(actor, person):
        raise Forbidden("You may edit only your own profile")
    changes = dict(changes)
    if "line_manager" in changes:
        _check_line_manager(actor, person, changes["line_manager"])
    job_title = changes.pop("job_title", None)
    if job_title is not None:
        job_title = str(job_title).strip()
        if len(job_title) > 150:
            raise InvalidInput.field("job_title", "is longer than 150 characters")
    profile = Profile.objects.filter(user=person).first()
    if profile is None:
        check_version(Profile(user=person), version)
        profile = create_object(actor=actor, obj=Profile(user=person),
                                audit_fields=PROFILE_FIELDS)
    for name in ("team", "location", "phone", "mobile", "skills"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    if "working_days" in changes and changes["working_days"] is not None:
        changes["working_days"] = "".join(sorted(str(changes["working_days"]).strip()))
    profile = apply_changes(actor=actor, obj=profile, expected_version=version,
                            changes=changes, editable=PROFILE_FIELDS)
    if job_title is not None and job_title != person.job_title:
        user = lock_for_update(User, person.pk)
        before = user.job_title
        user.job_title = job_title
        user.save(update_fields=["job_title"])
        record_change(actor=actor, obj=user, verb="updated",
                      changes={"job_title": [before, job_title]})
        person.job_title = job_title
    return profile


def _check_line_manager(actor: User, person: User, manager: User | None) -> None:
    current = Profile.objects.filter(user=person).values_list("line_manager_id",
                                                              flat=True).first()
    if (manager.pk if manager else None) == current:
        return  # unchanged: a person saving their own profile sends it back as it was
    if not manages_people(actor):
        raise Forbidden("Only the Project Office sets a person's line manager")
    if manager is not None and (manager.pk == person.pk or not manager.is_active):
        raise InvalidInput.field("line_manager", "choose an active colleague other than the "
                                                 "person themselves")


def _check_overlap(absence: Absence) -> None:
    # Refused and cancelled absences no longer hold their days.
    clash = (Absence.objects.filter(person_id=absence.person_id, start__lte=absence.end,
                                    end__gte=absence.start, status__in=LIVE_STATUSES)
             .exclude(pk=absence.pk).order_by("start").first())
    if clash is not None:
        raise InvalidInput.field(
            "start", f"overlaps the absence already recorded from {clash.start:%d %b %Y} to "
                     f"{clash.end:%d %b %Y}")


def _check_kind(kind: Any) -> None:
    if kind is not None and kind not in AbsenceKind.values:
        raise InvalidInput.field("kind", f"use one of {', '.join(AbsenceKind.values)}")


def current_settings() -> AbsenceSettings:
    """The saved settings, or the defaults (not saved) until the PMO first changes them."""
    saved = AbsenceSettings.objects.order_by("pk").first()
    return saved if saved is not None else AbsenceSettings()


def _span(absence: Absence) -> str:
    if absence.start == absence.end:
        return f"on {absence.start:%a %d %b %Y}{' (half a day)' if absence.half_day else ''}"
    return f"from {absence.start:%a %d %b} to {absence.end:%a %d %b %Y}"


def _label_for(absence: Absence, viewer: User) -> str:
    # A private absence reads as "absence" to anyone who may not see its kind, as on every page.
    if hides_kind(viewer, absence):
        return "an absence"
    return str(absence.get_kind_display()).lower()


def approvers_of(person: User) -> list[User]:
    """Who is asked to decide: the line manager, or the Project Office manager(s) when the
    person has none."""
    manager = line_manager_of(person)
    if manager is not None:
        return [manager]
    return list(User.objects.filter(global_role=GlobalRole.PMO_MANAGER, is_active=True)
                .exclude(pk=person.pk).order_by("pk"))


def _tell_approvers(absence: Absence, actor: User) -> None:
    person = absence.person
    for approver in approvers_of(person):
        deliver(recipient=approver, obj=absence, project=None, kind=NotificationKind.ABSENCE,
                actor=actor, url=reverse("absences-awaiting"),
                message=f"{person} asks for {_label_for(absence, approver)} {_span(absence)}")


def _tell_person(absence: Absence, actor: User, verb: str) -> None:
    reason = f": {absence.reason}" if absence.reason else ""
    deliver(recipient=absence.person, obj=absence, project=None,
            kind=NotificationKind.ABSENCE, actor=actor,
            url=reverse("person", args=[absence.person.username]),
            message=f"{actor} {verb} your {_label_for(absence, absence.person)} "
                    f"{_span(absence)}{reason}")


def _status_on_entry(actor: User, person: User, kind: str, today: dt.date
                     ) -> tuple[str, User | None, dt.date | None]:
    """(status, decided by, decided on) for an absence entered by `actor`: a kind needing
    approval is a request, unless the one entering it may decide it."""
    if not current_settings().needs_approval(kind):
        return AbsenceStatus.APPROVED, None, None
    if may_decide_absence(actor, person):
        return AbsenceStatus.APPROVED, actor, today
    return AbsenceStatus.REQUESTED, None, None


@transaction.atomic
def record_absence(*, actor: User, person: User, kind: str, start: dt.date, end: dt.date,
                   half_day: bool = False, note: str = "",
                   today: dt.date | None = None) -> Absence:
    """Records an absence, or requests it when its kind needs approval; it must not overlap
    another live absence of the same person. The approvers hear of a request."""
    if not may_record_absence(actor, person):
        raise Forbidden("You may record absences only for yourself or the members of "
                        "projects you manage")
    _check_kind(kind)
    status, decider, decided_on = _status_on_entry(actor, person, kind,
                                                   today or timezone.localdate())
    absence = Absence(person=person, kind=kind, start=start, end=end, half_day=half_day,
                      note=note.strip(), created_by=actor, status=status, decided_by=decider,
                      decided_on=decided_on)
    validate(absence)
    _check_overlap(absence)
    saved = create_object(actor=actor, obj=absence,
                          audit_fields=("person", *ABSENCE_FIELDS, "status"))
    if saved.status == AbsenceStatus.REQUESTED:
        _tell_approvers(saved, actor)
    return saved


def _decidable(actor: User, absence: Absence, version: int | None) -> Absence:
    """Locks a request the actor may decide, as it was when they read it."""
    person = User.objects.get(pk=absence.person_id)
    if actor.pk == person.pk:
        raise Forbidden("You may not decide your own absence request")
    if not may_decide_absence(actor, person):
        raise Forbidden(f"Only {person}'s line manager or the Project Office decides their "
                        "absence requests")
    locked = lock_for_update(Absence, absence.pk)
    check_version(locked, version)
    if locked.status != AbsenceStatus.REQUESTED:
        raise Conflict(f"This absence is already {locked.get_status_display().lower()}",
                       {"status": [f"is {locked.status}, not requested"]})
    return locked


def _decide(actor: User, locked: Absence, status: str, reason: str, today: dt.date) -> Absence:
    before = locked.status
    locked.status = status
    locked.reason = reason
    locked.decided_by = actor
    locked.decided_on = today
    locked.version += 1
    locked.save()
    changes: dict[str, Any] = {"status": [before, status]}
    if reason:
        changes["reason"] = [None, reason]
    record_change(actor=actor, obj=locked, verb=str(status), changes=changes)
    return locked


@transaction.atomic
def approve_absence(*, actor: User, absence: Absence, version: int | None,
                    today: dt.date | None = None) -> Absence:
    """Approves a request: from now on the days are away in calendars and levelling."""
    locked = _decidable(actor, absence, version)
    saved = _decide(actor, locked, AbsenceStatus.APPROVED, "", today or timezone.localdate())
    _tell_person(saved, actor, "approved")
    return saved


@transaction.atomic
def refuse_absence(*, actor: User, absence: Absence, version: int | None, reason: str,
                   today: dt.date | None = None) -> Absence:
    """Refuses a request, saying why; the days are free for another request."""
    reason = (reason or "").strip()
    person = User.objects.get(pk=absence.person_id)
    if may_decide_absence(actor, person) and not reason:
        raise InvalidInput.field("reason", "say why the absence is refused")
    if len(reason) > 500:
        raise InvalidInput.field("reason", "is longer than 500 characters")
    locked = _decidable(actor, absence, version)
    saved = _decide(actor, locked, AbsenceStatus.REFUSED, reason, today or timezone.localdate())
    _tell_person(saved, actor, "refused")
    return saved


def may_cancel_absence(actor: User, absence: Absence, today: dt.date) -> bool:
    """The person, whoever entered it or the Project Office cancels a request, or an approved
    absence that has not started."""
    if actor.pk not in (absence.person_id, absence.created_by_id) \
            and not manages_people(actor):
        return False
    return absence.status == AbsenceStatus.REQUESTED or (
        absence.status == AbsenceStatus.APPROVED and absence.start > today)


@transaction.atomic
def cancel_absence(*, actor: User, absence: Absence, version: int | None,
                   today: dt.date | None = None) -> Absence:
    today = today or timezone.localdate()
    if actor.pk not in (absence.person_id, absence.created_by_id) \
            and not manages_people(actor):
        raise Forbidden("Only the person who asked, or the Project Office, cancels an absence")
    locked = lock_for_update(Absence, absence.pk)
    check_version(locked, version)
    if not may_cancel_absence(actor, locked, today):
        raise Conflict(f"This absence is {locked.get_status_display().lower()}"
                       + (" and has started" if locked.status == AbsenceStatus.APPROVED
                          else "") + ": it can no longer be cancelled",
                       {"status": [f"is {locked.status}"]})
    before = locked.status
    locked.status = AbsenceStatus.CANCELLED
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="cancelled",
                  changes={"status": [before, AbsenceStatus.CANCELLED]})
    return locked


def _own_absence(actor: User, absence: Absence) -> None:
    person = User.objects.get(pk=absence.person_id)
    if not may_record_absence(actor, person):
        raise Forbidden("You may change only your own absences or those of the members of "
                        "projects you manage")
    if hides_kind(actor, absence) and not manages_people(actor):
        raise Forbidden("Only the person or the Project Office changes a private absence")


@transaction.atomic
def update_absence(*, actor: User, absence: Absence, version: int | None,
                   changes: dict[str, Any], today: dt.date | None = None) -> Absence:
    """Changes an absence. New days or a new kind of an approved absence are asked for
    again when the kind needs approval and the actor may not decide it."""
    _own_absence(actor, absence)
    if hides_kind(actor, absence) and {"kind", "note"} & set(changes):
        # Whoever cannot see a private absence's kind cannot learn it by changing it.
        raise Forbidden("Only the person or the Project Office manager changes the kind or "
                        "note of a private absence")
    _check_kind(changes.get("kind"))
    if absence.status not in LIVE_STATUSES:
        raise Conflict(f"This absence is {absence.get_status_display().lower()}: ask for a "
                       "new one instead", {"status": [f"is {absence.status}"]})
    if "note" in changes:
        changes = {**changes, "note": (changes["note"] or "").strip()}
    with transaction.atomic():
        saved = apply_changes(actor=actor, obj=absence, expected_version=version,
                              changes=changes, editable=ABSENCE_FIELDS)
        _check_overlap(saved)
        moved = any(getattr(saved, f) != getattr(absence, f)
                    for f in ("kind", "start", "end", "half_day"))
        if moved:
            status, decider, decided_on = _status_on_entry(
                actor, User.objects.get(pk=saved.person_id), saved.kind,
                today or timezone.localdate())
            if (status, decider) != (saved.status, saved.decided_by):
                before = saved.status
                saved.status, saved.decided_by, saved.decided_on = status, decider, decided_on
                saved.reason = ""
                saved.save(update_fields=["status", "decided_by", "decided_on", "reason"])
                if before != status:
                    record_change(actor=actor, obj=saved, verb=str(status),
                                  changes={"status": [before, status]})
                if status == AbsenceStatus.REQUESTED:
                    _tell_approvers(saved, actor)
    return saved


@transaction.atomic
def delete_absence(*, actor: User, absence: Absence, version: int | None,
                   today: dt.date | None = None) -> None:
    """Removes an absence. An approved one that needed approval is, for anyone but the
    Project Office, removed only as it may be cancelled: before it starts."""
    _own_absence(actor, absence)
    locked = lock_for_update(Absence, absence.pk)
    if version is not None:  # a delete may name the version it read
        check_version(locked, version)
    if (locked.status == AbsenceStatus.APPROVED and locked.decided_by_id is not None
            and not manages_people(actor)
            and not may_cancel_absence(actor, locked, today or timezone.localdate())):
        raise Conflict("This approved absence has started: ask the Project Office to change it",
                       {"status": ["is approved and has started"]})
    record_change(actor=actor, obj=locked, verb="deleted",
                  changes={"start": [locked.start.isoformat(), None],
                           "end": [locked.end.isoformat(), None],
                           "kind": [locked.kind, None]})
    locked.delete()


@transaction.atomic
def update_absence_settings(*, actor: User, version: int | None,
                            changes: dict[str, Any]) -> AbsenceSettings:
    """Which kinds need approval. The row is made on the first change, at version 1, so a
    caller that read the defaults sends version 1. Requests already made stay requests."""
    if not configures_absences(actor):
        raise Forbidden("Only the Project Office manager decides which absences need approval")
    saved = AbsenceSettings.objects.order_by("pk").first()
    if saved is None:
        check_version(AbsenceSettings(), version)
        saved = create_object(actor=actor, obj=AbsenceSettings(),
                              audit_fields=SETTINGS_FIELDS)
    for name, value in changes.items():
        if name in SETTINGS_FIELDS and not isinstance(value, bool):
            raise InvalidInput.field(name, "is yes (true) or no (false)")
    return apply_changes(actor=actor, obj=saved, expected_version=version, changes=changes,
                         editable=SETTINGS_FIELDS)


def _projects(actor: User, projects: list[Project] | None) -> list[Project] | None:
    if projects is None:
        return None
    visible = set(visible_projects(actor).values_list("pk", flat=True))
    for project in projects:
        if project.pk not in visible:
            raise InvalidInput.field("projects", f"no project {project.code!r}")
    return projects


def _require_manager(actor: User) -> None:
    if not manages_people(actor):
        raise Forbidden("You need the 'people.manage' permission: the Project Office keeps "
                        "the contacts")


@transaction.atomic
def create_contact(*, actor: User, data: dict[str, Any],
                   projects: list[Project] | None = None) -> Contact:
    _require_manager(actor)
    unknown = sorted(set(data) - set(CONTACT_FIELDS))
    if unknown:
        raise InvalidInput.field(unknown[0], "is not a field of a contact")
    clean = {k: (v or "").strip() for k, v in data.items()}
    contact = create_object(actor=actor, obj=Contact(**clean),
                            audit_fields=CONTACT_FIELDS)
    chosen = _projects(actor, projects)
    if chosen:
        contact.projects.set(chosen)
        record_change(actor=actor, obj=contact, verb="linked",
                      changes={"projects": [None, ", ".join(p.code for p in chosen)]})
    return contact


@transaction.atomic
def update_contact(*, actor: User, contact: Contact, version: int | None,
                   changes: dict[str, Any], projects: list[Project] | None = None) -> Contact:
    _require_manager(actor)
    clean = {k: (v or "").strip() for k, v in changes.items()}
    chosen = _projects(actor, projects)
    saved = apply_changes(actor=actor, obj=contact, expected_version=version, changes=clean,
                          editable=CONTACT_FIELDS)
    if chosen is not None:
        before = sorted(saved.projects.values_list("code", flat=True))
        after = sorted(p.code for p in chosen)
        if before != after:
            saved.projects.set(chosen)
            if saved.version == contact.version:  # no field changed: the links did
                saved.version += 1
                saved.save(update_fields=["version"])
            record_change(actor=actor, obj=saved, verb="updated",
                          changes={"projects": [", ".join(before), ", ".join(after)]})
    return saved


@transaction.atomic
def delete_contact(*, actor: User, contact: Contact, version: int | None) -> None:
    """Removes a contact; enquiries from them keep the caller's name."""
    _require_manager(actor)
    locked = lock_for_update(Contact, contact.pk)
    if version is not None:
        check_version(locked, version)
    name = str(locked)
    for enquiry in Enquiry.objects.filter(contact=locked):
        Enquiry.objects.filter(pk=enquiry.pk).update(caller=enquiry.caller or name[:150],
                                                     contact=None)
    record_change(actor=actor, obj=locked, verb="deleted", changes={"name": [name, None]})
    locked.delete()


# ---------------------------------------------------------------------------------------------
# Skills: the office's catalogue and the levels people hold. A person declares their own;
# the Project Office assesses anyone's; a course passed raises a level (grant_skill).


@transaction.atomic
def create_skill(*, actor: User, name: str, category: str = "",
                 description: str = "") -> Skill:
    """Adds a skill to the office's catalogue; a name already there (in any case) is refused
    at the name."""
    if not keeps_skills(actor):
        raise Forbidden("Only the Project Office and the designers of positions and courses "
                        "add skills to the catalogue")
    name = " ".join(name.split())
    if not name:
        raise InvalidInput.field("name", "give the skill a name")
    if Skill.objects.filter(name__iexact=name).exists():
        raise InvalidInput.field("name", f"{name!r} is in the catalogue already")
    return create_object(actor=actor, obj=Skill(name=name, category=category.strip(),
                                                description=description.strip()),
                         audit_fields=("name", "category", "description"))


def check_level(level: Any, field: str = "level") -> int:
    try:
        value = int(level)
    except (TypeError, ValueError) as exc:
        raise InvalidInput.field(field, "give a level from 1 (aware) to 5 (expert)") from exc
    if value not in range(1, 6):
        raise InvalidInput.field(field, "give a level from 1 (aware) to 5 (expert)")
    return value


@transaction.atomic
def set_person_skill(*, actor: User, person: User, skill: Skill, level: Any,
                     today: dt.date | None = None) -> PersonSkill:
    """Sets the level at which a person holds a skill: declared by the person, assessed
    when the Project Office sets it for someone else."""
    if not may_edit_profile(actor, person):
        raise Forbidden("You may set your own skills only")
    value = check_level(level)
    source = SkillSource.DECLARED if actor.pk == person.pk else SkillSource.ASSESSED
    return _put_skill(actor, person, skill, value, source, today or timezone.localdate())


def _put_skill(actor: User, person: User, skill: Skill, level: int, source: str,
               today: dt.date) -> PersonSkill:
    row = PersonSkill.objects.select_for_update().filter(person=person, skill=skill).first()
    if row is None:
        return create_object(actor=actor, obj=PersonSkill(
            person=person, skill=skill, level=level, source=source, updated_on=today),
            audit_fields=("person", "skill", "level", "source"))
    before = (row.level, row.source)
    row.level, row.source, row.updated_on = level, source, today
    row.version += 1
    validate(row)
    row.save()
    record_change(actor=actor, obj=row, verb="updated",
                  changes={"level": [before[0], level], "source": [before[1], source]})
    return row


@transaction.atomic
def remove_person_skill(*, actor: User, person: User, skill: Skill) -> None:
    if not may_edit_profile(actor, person):
        raise Forbidden("You may change your own skills only")
    row = PersonSkill.objects.select_for_update().filter(person=person, skill=skill).first()
    if row is None:
        raise InvalidInput.field("skill", f"{person} does not hold {skill.name}")
    record_change(actor=actor, obj=row, verb="deleted",
                  changes={"skill": [skill.name, None], "level": [row.level, None]})
    row.delete()


def grant_skill(*, actor: User, person: User, skill: Skill, level: int,
                today: dt.date) -> PersonSkill | None:
    """Raises a person's skill to the level a course they passed teaches (inside the
    training action that recorded the pass, which checked its own permission). A level
    already higher is kept. Returns the row changed, or None."""
    held = PersonSkill.objects.filter(person=person, skill=skill).values_list(
        "level", flat=True).first()
    target = engine_skills.raised(held, level)
    if target is None:
        return None
    return _put_skill(actor, person, skill, target, SkillSource.TRAINING, today)
