"""Every write to meetings: scheduling (single or recurring), agenda, attendance and
minutes, decisions, actions (items of the Actions register), issuing the minutes by e-mail,
and personal calendar feeds."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.controls.models import Action
from projectoffice.controls.registers import ACTIONS
from projectoffice.editing import check_version, lock_for_update, validate
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.notices.outbox import send_message
from projectoffice.portfolio.access import has_perm, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import create_item, deliver
from projectoffice.registers.models import NotificationKind
from projectoffice.search.index import index_entry

from .calendar import meeting_ics
from .minutes import minutes_pdf
from .models import (
    AgendaItem,
    Attendance,
    Attendee,
    CalendarFeed,
    Meeting,
    MeetingAction,
    MeetingDecision,
    MeetingStatus,
    Repeat,
)

MAX_OCCURRENCES = 52

# The rooms and equipment booked for a meeting follow it; the facilities app listens (in its
# AppConfig.ready). Cancelling releases them, each receiver answering how many it released;
# moving moves them, and a receiver raising (a clash) refuses the whole move.
meeting_cancelled = Signal()  # actor, meeting
meeting_moved = Signal()  # actor, meeting, starts_at, ends_at


@dataclass(frozen=True)
class AgendaLine:
    title: str
    owner: User | None = None
    minutes_allowed: int = 10


@dataclass(frozen=True)
class Guest:
    name: str
    email: str = ""


def _require(actor: User, project: Project, perm: str) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def _shift(start: dt.datetime, repeat: str, n: int) -> dt.datetime:
    if repeat == Repeat.WEEKLY:
        return start + dt.timedelta(weeks=n)
    if repeat == Repeat.FORTNIGHTLY:
        return start + dt.timedelta(weeks=2 * n)
    month = start.month - 1 + n
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, 28)
    return start.replace(year=year, month=month, day=day)


def _index(meeting: Meeting) -> None:
    body = "\n".join([meeting.location, meeting.description,
                      *(a.title for a in meeting.agenda.all()),
                      *(d.text for d in meeting.decisions.all()), meeting.minutes])
    index_entry(project=meeting.project, kind="meetings", key=meeting.pk, perm="meeting.view",
                title=meeting.title, body=body,
                url=reverse("meeting-detail", args=[meeting.project.code, meeting.pk]),
                reference=f"{meeting.starts_at:%d %b %Y}")


def reindex_meetings() -> Iterator[None]:
    for meeting in Meeting.objects.select_related("project"):
        _index(meeting)
        yield None


@transaction.atomic
def schedule_meeting(
    *, actor: User, project: Project, title: str, starts_at: dt.datetime,
    ends_at: dt.datetime, location: str = "", description: str = "",
    attendees: list[User] | None = None, guests: list[Guest] | None = None,
    agenda: list[AgendaLine] | None = None, repeat: str = Repeat.NONE, occurrences: int = 1,
    send_invitations: bool = True,
) -> list[Meeting]:
    """Schedules one meeting, or a series; open actions of the previous meeting with the same
    title are carried to the first new meeting's agenda."""
    _require(actor, project, "meeting.manage")
    if repeat not in Repeat.values:
        raise InvalidInput.field("repeat", f"use one of {', '.join(Repeat.values)}")
    if repeat == Repeat.NONE:
        occurrences = 1
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise InvalidInput.field("occurrences", f"must be between 1 and {MAX_OCCURRENCES}")
    people = list(dict.fromkeys(attendees or []))
    for person in people:
        if not has_perm(person, project, "project.view"):
            raise InvalidInput.field("attendees", f"{person.username} is not a member of "
                                                  f"{project.code}")
    for guest in guests or []:
        if not guest.name.strip():
            raise InvalidInput.field("guests", "every outside guest needs a name")
        if guest.email:
            try:
                validate_email(guest.email)
            except ValidationError as exc:
                raise InvalidInput.field("guests", f"{guest.email!r} is not an e-mail "
                                                   "address") from exc
    for line in agenda or []:
        if not line.title.strip() or len(line.title) > 200:
            raise InvalidInput.field("agenda", "each agenda item needs a title of up to 200 "
                                               "characters")
        if line.owner is not None and not has_perm(line.owner, project, "project.view"):
            raise InvalidInput.field("agenda", f"{line.owner.username} is not a member of "
                                               f"{project.code}")
    previous = (Meeting.objects.filter(project=project, title=title.strip(),
                                       starts_at__lt=starts_at)
                .order_by("-starts_at").first())
    series = uuid.uuid4().hex
    made: list[Meeting] = []
    for n in range(occurrences):
        meeting = Meeting(project=project, title=title.strip(),
                          starts_at=_shift(starts_at, repeat, n) if n else starts_at,
                          ends_at=(_shift(starts_at, repeat, n) if n else starts_at)
                          + (ends_at - starts_at),
                          location=location.strip(), description=description.strip(),
                          series=series, organiser=actor)
        validate(meeting, exclude=("series",))
        meeting.save()
        for person in people:
            Attendee.objects.create(meeting=meeting, user=person,
                                    name=person.display_name or person.username,
                                    email=person.email)
        for guest in guests or []:
            Attendee.objects.create(meeting=meeting, name=guest.name.strip(),
                                    email=guest.email.strip())
        for i, line in enumerate(agenda or [], start=1):
            AgendaItem.objects.create(meeting=meeting, position=i, title=line.title.strip(),
                                      owner=line.owner,
                                      minutes_allowed=max(1, min(line.minutes_allowed, 480)))
        record_creation(actor=actor, obj=meeting,
                        fields=("title", "starts_at", "ends_at", "location", "series"))
        made.append(meeting)
    if previous is not None:
        _carry_actions(previous, made[0])
    for meeting in made:
        _index(meeting)
    if send_invitations:
        first = made[0]
        transaction.on_commit(lambda: _send_invitation(first.pk))
    return made


def _carry_actions(source: Meeting, target: Meeting) -> int:
    """Adds an agenda item to `target` for each open action raised in `source` (or carried
    into it), once."""
    carried = {a.action_id for a in target.agenda.exclude(action=None)}
    raised: list[Action | None] = [ma.action for ma in source.actions.select_related("action")]
    raised += [a.action for a in source.agenda.exclude(action=None).select_related("action")]
    position = (target.agenda.order_by("-position").values_list("position", flat=True)
                .first() or 0)
    added = 0
    for action in raised:
        if action is None or action.is_closed or action.pk in carried:
            continue
        position += 1
        AgendaItem.objects.create(meeting=target, position=position,
                                  title=f"Follow up {action.reference}: {action.title}",
                                  owner=action.assignee or action.owner, action=action,
                                  minutes_allowed=5)
        carried.add(action.pk)
        added += 1
    return added


def _send_invitation(meeting_id: int, kind: str = "Invitation") -> None:
    """E-mails the meeting's .ics to every attendee with an address: a REQUEST for a new or
    moved meeting (with a higher SEQUENCE each time), a CANCEL for a cancelled one."""
    meeting = Meeting.objects.select_related("project").get(pk=meeting_id)
    to = [a.email for a in meeting.attendees.all() if a.email]
    if not to:
        return
    cancelled = meeting.status == MeetingStatus.CANCELLED
    when = timezone.localtime(meeting.starts_at)
    mail = EmailMessage(subject=f"{kind}: {meeting.title} ({meeting.project.code})",
                        body=f"{meeting.title}\n{when:%A %d %B %Y %H:%M}\n"
                             f"{meeting.location}\n\n{meeting.description}", to=to)
    method = "CANCEL" if cancelled else "REQUEST"
    mail.attach(f"meeting-{meeting.pk}.ics", meeting_ics([meeting], method=method),
                "text/calendar")
    send_message(mail)


def _tell_attendees(actor: User, meeting: Meeting, message: str) -> None:
    url = reverse("meeting-detail", args=[meeting.project.code, meeting.pk])
    for attendee in meeting.attendees.select_related("user").exclude(user=None):
        if attendee.user is not None and has_perm(attendee.user, meeting.project,
                                                  "project.view"):
            deliver(recipient=attendee.user, obj=meeting, project=meeting.project,
                    kind=NotificationKind.MEETING, actor=actor, url=url, message=message)


@transaction.atomic
def cancel_meeting(*, actor: User, meeting: Meeting, version: int | None,
                   reason: str = "") -> Meeting:
    """Cancels a planned meeting: attendees are notified and sent a METHOD:CANCEL .ics with
    the next SEQUENCE after commit; rooms booked for it are released."""
    _require(actor, meeting.project, "meeting.manage")
    locked = lock_for_update(Meeting, meeting.pk)
    check_version(locked, version)
    if locked.status != MeetingStatus.PLANNED:
        raise Conflict(f"The meeting is {locked.get_status_display().lower()}; only a "
                       "planned meeting can be cancelled", {"status": ["not planned"]})
    if len(reason) > 1000:
        raise InvalidInput.field("reason", "is longer than 1000 characters")
    locked.status = MeetingStatus.CANCELLED
    locked.sequence += 1
    locked.version += 1
    locked.save()
    changes: dict[str, Any] = {"status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED]}
    if reason.strip():
        changes["reason"] = [None, reason.strip()]
    record_change(actor=actor, obj=locked, verb="cancelled", changes=changes)
    released = sum(int(n or 0) for _, n in meeting_cancelled.send(
        Meeting, actor=actor, meeting=locked))
    when = timezone.localtime(locked.starts_at)
    why = f": {reason.strip()}" if reason.strip() else ""
    _tell_attendees(actor, locked, f"{locked.title} on {when:%d %b %H:%M} is cancelled{why}")
    _index(locked)
    meeting_id = locked.pk
    transaction.on_commit(lambda: _send_invitation(meeting_id, "Cancelled"))
    locked.released_bookings = released  # type: ignore[attr-defined]
    return locked


@transaction.atomic
def reschedule_meeting(*, actor: User, meeting: Meeting, version: int | None,
                       starts_at: dt.datetime, ends_at: dt.datetime,
                       location: str | None = None) -> Meeting:
    """Moves a planned meeting: rooms booked for it move too (a clash refuses the whole
    move), attendees are notified and sent the updated .ics with the next SEQUENCE."""
    _require(actor, meeting.project, "meeting.manage")
    locked = lock_for_update(Meeting, meeting.pk)
    check_version(locked, version)
    if locked.status != MeetingStatus.PLANNED:
        raise Conflict(f"The meeting is {locked.get_status_display().lower()}; only a "
                       "planned meeting can be rescheduled", {"status": ["not planned"]})
    before = {"starts_at": str(locked.starts_at), "ends_at": str(locked.ends_at),
              "location": locked.location}
    locked.starts_at, locked.ends_at = starts_at, ends_at
    if location is not None:
        locked.location = location.strip()
    validate(locked, exclude=("series",))
    after = {"starts_at": str(locked.starts_at), "ends_at": str(locked.ends_at),
             "location": locked.location}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if not changes:
        raise InvalidInput.field("starts_at", "give a new time or place")
    meeting_moved.send(Meeting, actor=actor, meeting=locked, starts_at=starts_at,
                       ends_at=ends_at)
    locked.sequence += 1
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="rescheduled", changes=changes)
    when = timezone.localtime(locked.starts_at)
    _tell_attendees(actor, locked, f"{locked.title} moved to {when:%a %d %b %H:%M}"
                                   + (f" in {locked.location}" if locked.location else ""))
    _index(locked)
    meeting_id = locked.pk
    transaction.on_commit(lambda: _send_invitation(meeting_id, "Updated"))
    return locked


@transaction.atomic
def record_minutes(*, actor: User, meeting: Meeting, version: int | None, minutes: str,
                   attendance: dict[int, str] | None = None) -> Meeting:
    """Saves the minutes and attendance taken in the meeting; the meeting is then held."""
    _require(actor, meeting.project, "meeting.manage")
    if len(minutes) > 50000:
        raise InvalidInput.field("minutes", "is longer than 50000 characters")
    locked = lock_for_update(Meeting, meeting.pk)
    check_version(locked, version)
    changes: dict[str, Any] = {}
    for attendee_id, state in (attendance or {}).items():
        if state not in Attendance.values:
            raise InvalidInput.field("attendance", f"use one of {', '.join(Attendance.values)}")
        row = locked.attendees.filter(pk=attendee_id).first()
        if row is None:
            raise InvalidInput.field("attendance", f"no attendee {attendee_id}")
        if row.attendance != state:
            changes[f"attendance {row.name}"] = [row.attendance, state]
            row.attendance = state
            row.save(update_fields=["attendance"])
    if locked.minutes != minutes.strip():
        changes["minutes"] = [locked.minutes or None, minutes.strip()]
        locked.minutes = minutes.strip()
    if locked.status == MeetingStatus.PLANNED:
        changes["status"] = [locked.status, MeetingStatus.HELD]
        locked.status = MeetingStatus.HELD
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="minuted", changes=changes)
    _index(locked)
    return locked


@transaction.atomic
def record_decision(*, actor: User, meeting: Meeting, text: str) -> MeetingDecision:
    _require(actor, meeting.project, "meeting.manage")
    text = text.strip()
    if not text:
        raise InvalidInput.field("text", "is empty")
    if len(text) > 5000:
        raise InvalidInput.field("text", "is longer than 5000 characters")
    decision = MeetingDecision.objects.create(meeting=meeting, text=text, recorded_by=actor)
    record_change(actor=actor, obj=meeting, verb="decided", changes={"decision": [None, text]})
    _index(meeting)
    return decision


@transaction.atomic
def record_meeting_action(*, actor: User, meeting: Meeting, title: str,
                          assignee: User | None, due_date: dt.date | None,
                          today: dt.date | None = None) -> Action:
    """Raises an action in the project's Actions register, linked to this meeting."""
    _require(actor, meeting.project, "meeting.manage")
    data: dict[str, Any] = {"title": title.strip(), "assignee": assignee, "owner": actor,
                            "due_date": due_date,
                            "source": f"Meeting: {meeting.title} "
                                      f"{timezone.localtime(meeting.starts_at):%d %b %Y}"[:200]}
    action = create_item(actor=actor, spec=ACTIONS, project=meeting.project, data=data,
                         today=today)
    assert isinstance(action, Action)
    MeetingAction.objects.create(meeting=meeting, action=action)
    record_change(actor=actor, obj=meeting, verb="action raised",
                  changes={"action": [None, f"{action.reference} {action.title}"]})
    return action


@transaction.atomic
def issue_minutes(*, actor: User, meeting: Meeting, version: int | None) -> Meeting:
    """Marks the minutes issued, e-mails them as PDF to the attendees after commit, and
    carries open actions to the next meeting of the same title."""
    _require(actor, meeting.project, "meeting.manage")
    locked = lock_for_update(Meeting, meeting.pk)
    check_version(locked, version)
    if not locked.minutes.strip():
        raise InvalidInput.field("minutes", "write the minutes before issuing them")
    locked.minutes_issued_at = timezone.now()
    locked.status = MeetingStatus.HELD
    locked.version += 1
    locked.save()
    following = (Meeting.objects.filter(project=locked.project, title=locked.title,
                                        starts_at__gt=locked.starts_at)
                 .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at").first())
    carried = _carry_actions(locked, following) if following else 0
    record_change(actor=actor, obj=locked, verb="minutes issued",
                  changes={"minutes_issued_at": [None, str(locked.minutes_issued_at)],
                           "actions carried": [None, carried]})
    meeting_id = locked.pk
    transaction.on_commit(lambda: _send_minutes(meeting_id))
    return locked


def _send_minutes(meeting_id: int) -> None:
    meeting = Meeting.objects.select_related("project").get(pk=meeting_id)
    to = [a.email for a in meeting.attendees.all() if a.email]
    if not to:
        return
    mail = EmailMessage(subject=f"Minutes: {meeting.title} ({meeting.project.code})",
                        body=f"The minutes of {meeting} are attached.", to=to)
    mail.attach(f"minutes-{meeting.pk}.pdf", minutes_pdf(meeting), "application/pdf")
    send_message(mail)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(*, actor: User) -> str:
    """Makes (or replaces) the caller's calendar feed; returns the secret token once."""
    token = secrets.token_urlsafe(24)
    CalendarFeed.objects.filter(user=actor).delete()
    feed = CalendarFeed.objects.create(user=actor, token_hash=_token_hash(token))
    record_change(actor=actor, obj=feed, verb="calendar feed created", changes={})
    return token


def feed_owner(token: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(
        token_hash=_token_hash(token)).first()
    return feed.user if feed and feed.user.is_active else None
