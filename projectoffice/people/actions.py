"""Every write to profiles, absences and outside contacts (the enquiry log is a register:
its writes are the kernel's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import (
    apply_changes,
    check_version,
    create_object,
    lock_for_update,
    validate,
)
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Project

from .access import manages_people, may_edit_profile, may_record_absence, sees_sickness
from .models import Absence, AbsenceKind, Contact, Enquiry, Profile

PROFILE_FIELDS = ("team", "location", "phone", "mobile", "working_days", "hours_per_week",
                  "skills")
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


def _check_overlap(absence: Absence) -> None:
    clash = (Absence.objects.filter(person_id=absence.person_id, start__lte=absence.end,
                                    end__gte=absence.start)
             .exclude(pk=absence.pk).order_by("start").first())
    if clash is not None:
        raise InvalidInput.field(
            "start", f"overlaps the absence already recorded from {clash.start:%d %b %Y} to "
                     f"{clash.end:%d %b %Y}")


def _check_kind(kind: Any) -> None:
    if kind is not None and kind not in AbsenceKind.values:
        raise InvalidInput.field("kind", f"use one of {', '.join(AbsenceKind.values)}")


@transaction.atomic
def record_absence(*, actor: User, person: User, kind: str, start: dt.date, end: dt.date,
                   half_day: bool = False, note: str = "") -> Absence:
    """Records an absence; it must not overlap another of the same person."""
    if not may_record_absence(actor, person):
        raise Forbidden("You may record absences only for yourself or the members of "
                        "projects you manage")
    _check_kind(kind)
    absence = Absence(person=person, kind=kind, start=start, end=end, half_day=half_day,
                      note=note.strip(), created_by=actor)
    validate(absence)
    _check_overlap(absence)
    return create_object(actor=actor, obj=absence, audit_fields=("person", *ABSENCE_FIELDS))


def _own_absence(actor: User, absence: Absence) -> None:
    person = User.objects.get(pk=absence.person_id)
    if not may_record_absence(actor, person):
        raise Forbidden("You may change only your own absences or those of the members of "
                        "projects you manage")
    if absence.kind == AbsenceKind.SICKNESS and not sees_sickness(actor, absence.person_id) \
            and not manages_people(actor):
        raise Forbidden("Only the person or the Project Office changes a sickness absence")


@transaction.atomic
def update_absence(*, actor: User, absence: Absence, version: int | None,
                   changes: dict[str, Any]) -> Absence:
    _own_absence(actor, absence)
    _check_kind(changes.get("kind"))
    if "note" in changes:
        changes = {**changes, "note": (changes["note"] or "").strip()}
    with transaction.atomic():
        saved = apply_changes(actor=actor, obj=absence, expected_version=version,
                              changes=changes, editable=ABSENCE_FIELDS)
        _check_overlap(saved)
    return saved


@transaction.atomic
def delete_absence(*, actor: User, absence: Absence, version: int | None) -> None:
    _own_absence(actor, absence)
    locked = lock_for_update(Absence, absence.pk)
    if version is not None:  # a delete may name the version it read
        check_version(locked, version)
    record_change(actor=actor, obj=locked, verb="deleted",
                  changes={"start": [locked.start.isoformat(), None],
                           "end": [locked.end.isoformat(), None],
                           "kind": [locked.kind, None]})
    locked.delete()


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
