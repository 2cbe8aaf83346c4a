"""Every write of training beyond the kernel's registers: the training need each change
impact proposes, sessions booked in the office's rooms, enrolment of people or whole groups
(with the waiting list moving up when a place frees), and attendance.

A session locks its row before counting its places, so two enrolments at once cannot
together take more places than it has; what does not fit waits, it is never an error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.documents.models import Document
from projectoffice.editing import check_version, lock_for_update, validate
from projectoffice.engagement import queries, readiness
from projectoffice.engagement.models import ChangeImpact, Stakeholder, StakeholderKind
from projectoffice.engine import training as engine
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.facilities import actions as facilities
from projectoffice.facilities.models import BookableResource
from projectoffice.people.actions import grant_skill
from projectoffice.portfolio.access import has_perm, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import deliver, derive_item
from projectoffice.registers.models import NotificationKind

from .invitations import mail_invitation
from .models import Course, Enrolment, EnrolmentStatus, Result, TrainingNeed, TrainingSession
from .registers import NEEDS

MANAGE = "training.manage"
LEVEL = {"low": 2, "medium": 3, "high": 4}
MAX_SESSION = dt.timedelta(hours=12)


def _require(actor: User, project: Project, perm: str = MANAGE) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def propose_need(*, actor: User, impact: ChangeImpact) -> TrainingNeed:
    """The training need a change impact implies: its group must learn what changes, to a
    level that follows the impact's, by the day the change lands (inside the impact's
    transaction; the impact's author needs no training permission)."""
    needed_by = impact.changes_on or readiness.day_of(
        queries.plan_task(impact.project, impact.milestone_uid))
    need = derive_item(actor=actor, spec=NEEDS, project=impact.project, data={
        "title": f"{impact.title}"[:200],
        "description": f"Proposed from {impact.reference}: what changes for "
                       f"{impact.group.title} ({impact.get_aspect_display().lower()}).",
        "group": impact.group, "impact": impact,
        "skill": f"{impact.get_aspect_display()}: {impact.title}"[:200],
        "proficiency": LEVEL.get(impact.impact_level, 3), "needed_by": needed_by})
    assert isinstance(need, TrainingNeed)
    return need


def session_url(session: TrainingSession) -> str:
    return reverse("training-session", args=[session.project.code, session.pk])


@transaction.atomic
def schedule_session(*, actor: User, course: Course, starts_at: dt.datetime,
                     ends_at: dt.datetime, capacity: int,
                     room: BookableResource | None = None, venue: str = "",
                     trainer: User | None = None) -> TrainingSession:
    """Schedules a sitting of a course. In one of the office's rooms it books the room for
    the time (a clash with another booking is refused with a 409 naming it); a session
    larger than the room is refused at the capacity."""
    _require(actor, course.project)
    if course.is_closed:
        raise InvalidInput.field("course", f"{course.reference} is retired")
    if ends_at <= starts_at:
        raise InvalidInput.field("ends_at", "must be after the start")
    if ends_at - starts_at > MAX_SESSION:
        raise InvalidInput.field("ends_at", "a session lasts at most 12 hours")
    if capacity < 1:
        raise InvalidInput.field("capacity", "at least one place")
    if capacity > 1000:
        raise InvalidInput.field("capacity", "at most 1000 places")
    if trainer is not None and not has_perm(trainer, course.project, "project.view"):
        raise InvalidInput.field("trainer", f"{trainer} is not a member of "
                                            f"{course.project.code}")
    venue = venue.strip()
    if room is None and not venue:
        raise InvalidInput.field("room", "choose a room or say where it is")
    if len(venue) > 200:
        raise InvalidInput.field("venue", "is longer than 200 characters")
    booking = None
    if room is not None:
        if room.kind != "room":
            raise InvalidInput.field("room", f"{room.name} is not a room")
        if room.capacity is not None and capacity > room.capacity:
            raise InvalidInput.field("capacity", f"{room.name} seats {room.capacity}; "
                                                 f"{capacity} places do not fit")
        booking = facilities.book_resource(
            actor=actor, resource=room, starts_at=starts_at, ends_at=ends_at,
            purpose=f"Training: {course.title}"[:200], project=course.project)
    session = TrainingSession(project=course.project, course=course, starts_at=starts_at,
                              ends_at=ends_at, room=room, booking=booking, venue=venue,
                              trainer=trainer, capacity=capacity)
    validate(session)
    session.save()
    record_creation(actor=actor, obj=session, fields=("course", "starts_at", "ends_at",
                                                      "room", "venue", "trainer", "capacity"))
    record_change(actor=actor, obj=course, verb="session",
                  changes={"session": [None, f"{timezone.localtime(starts_at):%d %b %Y %H:%M}"
                                             f" · {session.where}"]})
    if trainer is not None:
        deliver(recipient=trainer, obj=session, project=course.project,
                kind=NotificationKind.TRAINING, actor=actor, url=session_url(session),
                message=f"{actor} made you trainer of {course.title} on "
                        f"{timezone.localtime(starts_at):%d %b %H:%M} ({session.where})")
    return session


def _taken(session: TrainingSession) -> int:
    return int(session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
               .aggregate(n=Sum("seats"))["n"] or 0)


def _tell(actor: User, row: Enrolment, message: str) -> None:
    if row.person is not None:
        deliver(recipient=row.person, obj=row.session, project=row.session.project,
                kind=NotificationKind.TRAINING, actor=actor, url=session_url(row.session),
                message=message)


def _open_session(session: TrainingSession) -> None:
    if session.cancelled:
        raise Conflict("This session is cancelled", {"session": ["cancelled"]})


@transaction.atomic
def enrol(*, actor: User, session: TrainingSession, person: User | None = None,
          group: Stakeholder | None = None, name: str = "", email: str = "",
          seats: int | None = None, now: dt.datetime | None = None) -> list[Enrolment]:
    """Enrols a person (a member, or a name and address) or a whole stakeholder group (as
    many places as the group has people, unless fewer are asked). What does not fit in the
    places left goes to the waiting list, in the order of asking."""
    _require(actor, session.project)
    locked = lock_for_update(TrainingSession, session.pk)
    _open_session(locked)
    if locked.ends_at <= (now or timezone.now()):
        raise InvalidInput.field("session", "this session is over")
    if group is not None:
        if group.project_id != locked.project_id:
            raise InvalidInput.field("group", f"{group.reference} is a stakeholder of "
                                              "another project")
        if group.is_closed:
            raise InvalidInput.field("group", f"{group.title} is no longer involved")
    if person is None and group is not None and group.kind == StakeholderKind.GROUP:
        label, address = group.title, group.email
        count = seats if seats is not None else (group.headcount or 1)
    else:
        if person is not None:
            label, address = str(person), person.email
        else:
            label, address = name.strip(), email.strip()
            if group is not None and not label:
                label, address = group.title, group.email
        if not label:
            raise InvalidInput.field("name", "say who is enrolled")
        if address:
            try:
                validate_email(address)
            except ValidationError as exc:
                raise InvalidInput.field("email", f"{address!r} is not an e-mail address") \
                    from exc
        count = seats if seats is not None else 1
    if count < 1 or count > 1000:
        raise InvalidInput.field("seats", "from 1 to 1000 places")
    if person is not None and locked.enrolments.filter(
            person=person).exclude(status=EnrolmentStatus.CANCELLED).exists():
        raise InvalidInput.field("person", f"{person} is enrolled already")
    given, waiting = engine.allocate(locked.capacity, _taken(locked), count)
    rows: list[Enrolment] = []
    for status, n in ((EnrolmentStatus.ENROLLED, given), (EnrolmentStatus.WAITING, waiting)):
        if n:
            row = Enrolment(session=locked, group=group, person=person, name=label[:200],
                            email=address, seats=n, status=status, enrolled_by=actor)
            validate(row)
            row.save()
            record_creation(actor=actor, obj=row, fields=("session", "name", "group",
                                                          "seats", "status"))
            rows.append(row)
            when = timezone.localtime(locked.starts_at)
            _tell(actor, row, f"{actor} enrolled you on {locked.course.title}, "
                              f"{when:%d %b %H:%M}"
                              + (" (waiting list)" if status == EnrolmentStatus.WAITING
                                 else ""))
    invited = [r.pk for r in rows if r.status == EnrolmentStatus.ENROLLED and r.email]
    if invited:
        session_id = locked.pk
        transaction.on_commit(lambda: mail_invitation(session_id, invited))
    record_change(actor=actor, obj=locked, verb="enrolled",
                  changes={"enrolled": [None, f"{label}: {given} place"
                                              f"{'s' if given != 1 else ''}"
                                              + (f", {waiting} waiting" if waiting else "")]})
    return rows


def _promote(actor: User, session: TrainingSession) -> list[Enrolment]:
    """Moves the waiting list up into the free places (inside the caller's transaction)."""
    free = session.capacity - _taken(session)
    queue = list(session.enrolments.filter(status=EnrolmentStatus.WAITING)
                 .order_by("created_at", "id"))
    moved: list[Enrolment] = []
    by_id = {row.pk: row for row in queue}
    for key, take in engine.promote(free, [engine.Waiting(r.pk, r.seats) for r in queue]):
        row = by_id[key]
        if take == row.seats:
            row.status = EnrolmentStatus.ENROLLED
            row.save(update_fields=["status"])
            promoted = row
        else:
            row.seats -= take
            row.save(update_fields=["seats"])
            promoted = Enrolment.objects.create(
                session=session, group=row.group, person=row.person, name=row.name,
                email=row.email, seats=take, status=EnrolmentStatus.ENROLLED,
                enrolled_by=actor)
        record_change(actor=actor, obj=session, verb="promoted",
                      changes={"promoted": [None, f"{promoted.name}: {take} from the "
                                                  "waiting list"]})
        _tell(actor, promoted, f"A place freed up: you are now enrolled on "
                               f"{session.course.title}, "
                               f"{timezone.localtime(session.starts_at):%d %b %H:%M}")
        moved.append(promoted)
    invited = [r.pk for r in moved if r.email]
    if invited:
        session_id = session.pk
        transaction.on_commit(lambda: mail_invitation(session_id, invited))
    return moved


@transaction.atomic
def cancel_enrolment(*, actor: User, enrolment: Enrolment) -> list[Enrolment]:
    """Gives a place back; the waiting list moves up at once. Returns who moved up."""
    _require(actor, enrolment.session.project)
    session = lock_for_update(TrainingSession, enrolment.session_id)
    row = lock_for_update(Enrolment, enrolment.pk)
    if row.status == EnrolmentStatus.CANCELLED:
        raise Conflict(f"{row.name} is no longer enrolled", {"status": ["cancelled"]})
    if row.attended is not None:
        raise Conflict(f"{row.name}'s attendance is recorded", {"status": ["attended"]})
    before = row.status
    row.status = EnrolmentStatus.CANCELLED
    row.save(update_fields=["status"])
    record_change(actor=actor, obj=row, verb="cancelled", changes={"status": [before,
                                                                              row.status]})
    return _promote(actor, session)


@transaction.atomic
def set_capacity(*, actor: User, session: TrainingSession, version: int | None,
                 capacity: int) -> TrainingSession:
    """Changes the number of places; more places move the waiting list up. Fewer places
    than are already given is refused (cancel enrolments first)."""
    _require(actor, session.project)
    locked = lock_for_update(TrainingSession, session.pk)
    check_version(locked, version)
    if capacity < max(_taken(locked), 1):
        raise InvalidInput.field("capacity", f"{_taken(locked)} places are given already")
    if locked.room is not None and locked.room.capacity is not None \
            and capacity > locked.room.capacity:
        raise InvalidInput.field("capacity", f"{locked.room.name} seats "
                                             f"{locked.room.capacity}")
    before = locked.capacity
    locked.capacity = capacity
    locked.version += 1
    locked.save(update_fields=["capacity", "version"])
    record_change(actor=actor, obj=locked, verb="updated",
                  changes={"capacity": [before, capacity]})
    _promote(actor, locked)
    return locked


@transaction.atomic
def record_attendance(*, actor: User, session: TrainingSession,
                      attendance: dict[int, tuple[Any, str]],
                      now: dt.datetime | None = None) -> TrainingSession:
    """Records how many of each enrolment came (a person: 0 or 1) and their assessment
    result. Every row is checked before anything is written."""
    _require(actor, session.project)
    locked = lock_for_update(TrainingSession, session.pk)
    _open_session(locked)
    if locked.starts_at > (now or timezone.now()):
        raise InvalidInput.field("attended", "the session has not started yet")
    rows = {r.pk: r for r in locked.enrolments.filter(status=EnrolmentStatus.ENROLLED)}
    updates: list[tuple[Enrolment, int, str]] = []
    for key, (raw, result) in attendance.items():
        row = rows.get(key)
        if row is None:
            raise InvalidInput.field("attended", "attendance is for enrolled places only")
        try:
            count = int(str(raw).strip())
        except ValueError as exc:
            raise InvalidInput.field("attended", f"{row.name}: give how many came") from exc
        if not 0 <= count <= row.seats:
            raise InvalidInput.field("attended", f"{row.name}: from 0 to {row.seats}")
        if result not in Result.values:
            raise InvalidInput.field("result", f"use one of {', '.join(Result.values[1:])}")
        updates.append((row, count, result))
    for row, count, result in updates:
        if (row.attended, row.result) != (count, result):
            record_change(actor=actor, obj=row, verb="attendance",
                          changes={"attended": [row.attended, count],
                                   "result": [row.result, result]})
            row.attended, row.result = count, result
            row.save(update_fields=["attended", "result"])
    course = locked.course
    if course.skill is not None:

        day = timezone.localdate(now or timezone.now())
        for row, count, result in updates:
            if row.person is not None and count >= 1 and result == Result.PASSED:
                grant_skill(actor=actor, person=row.person, skill=course.skill,
                            level=course.skill_level, today=day)
    return locked


@transaction.atomic
def add_course_material(*, actor: User, course: Course, document: Document) -> Course:
    """Links a document of the project's register (versioned there) as course material."""
    _require(actor, course.project, "course.change")
    locked = lock_for_update(Course, course.pk)
    if document.project_id != locked.project_id:
        raise InvalidInput.field("document", f"{document.reference} belongs to another "
                                             "project")
    if locked.materials.filter(pk=document.pk).exists():
        raise InvalidInput.field("document", f"{document.reference} is linked already")
    locked.materials.add(document)
    record_change(actor=actor, obj=locked, verb="material",
                  changes={"material": [None, f"{document.reference} {document.title}"]})
    return locked


@transaction.atomic
def remove_course_material(*, actor: User, course: Course, document: Document) -> Course:
    _require(actor, course.project, "course.change")
    locked = lock_for_update(Course, course.pk)
    if not locked.materials.filter(pk=document.pk).exists():
        raise InvalidInput.field("document", f"{document.reference} is not linked")
    locked.materials.remove(document)
    record_change(actor=actor, obj=locked, verb="material",
                  changes={"material": [f"{document.reference} {document.title}", None]})
    return locked


@transaction.atomic
def cancel_session(*, actor: User, session: TrainingSession, version: int | None,
                   reason: str = "") -> TrainingSession:
    """Cancels a session and its room booking; everyone enrolled hears of it."""
    _require(actor, session.project)
    locked = lock_for_update(TrainingSession, session.pk)
    check_version(locked, version)
    _open_session(locked)
    locked.cancelled = True
    locked.version += 1
    locked.save(update_fields=["cancelled", "version"])
    record_change(actor=actor, obj=locked, verb="cancelled",
                  changes={"cancelled": [False, True],
                           **({"reason": [None, reason.strip()[:500]]} if reason.strip()
                              else {})})
    if locked.booking is not None and locked.booking.status == "confirmed":
        facilities.cancel_booking(actor=actor, booking=locked.booking,
                                  version=locked.booking.version,
                                  reason="The training session was cancelled")
    for row in locked.enrolments.exclude(status=EnrolmentStatus.CANCELLED):
        _tell(actor, row, f"{locked.course.title} on "
                          f"{timezone.localtime(locked.starts_at):%d %b %H:%M} is cancelled")
    return locked
