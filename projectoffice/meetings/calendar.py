"""Meetings, and anything else the office invites people to (a training session), as
iCalendar (RFC 5545) with the `icalendar` package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, MeetingStatus


@dataclass(frozen=True)
class CalendarEvent:
    """One event of an invitation. `sequence` grows with each change so calendar programs
    replace the earlier copy."""

    uid: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    stamp: dt.datetime
    sequence: int = 0
    location: str = ""
    description: str = ""
    cancelled: bool = False
    organiser: str = "Project Office"
    attendees: Sequence[tuple[str, str]] = field(default=())  # (name, e-mail)


def events_ics(events: Iterable[CalendarEvent], name: str = "Project Office",
               method: str | None = None, product: str = "Meetings") -> bytes:
    """An iCalendar of the events. With `method` (REQUEST or CANCEL) it is an iTIP message
    for e-mail."""
    cal = Calendar()
    cal.add("prodid", f"-//Project Office//{product}//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.summary)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("dtstamp", item.stamp)
        event.add("sequence", item.sequence)
        if item.location:
            event.add("location", item.location)
        event.add("description", item.description)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organiser.params["cn"] = vText(item.organiser)
        event["organizer"] = organiser
        for person, email in item.attendees:
            if not email:
                continue
            address = vCalAddress(f"mailto:{email}")
            address.params["cn"] = vText(person)
            address.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", address, encode=False)
        cal.add_component(event)
    return bytes(cal.to_ical())


def meeting_ics(meetings: Iterable[Meeting], name: str = "Project Office",
                method: str | None = None) -> bytes:
    """An iCalendar of the meetings; SEQUENCE is the meeting's version, which every move
    or cancellation raises."""
    return events_ics((CalendarEvent(
        uid=meeting.uid, summary=f"{meeting.title} ({meeting.project.code})",
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, stamp=meeting.created_at,
        sequence=meeting.version, location=meeting.location,
        description="\n\n".join(filter(None, [meeting.description, "\n".join(
            f"{a.position}. {a.title}" for a in meeting.agenda.all())])),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        organiser=str(meeting.organiser or "Project Office"),
        attendees=[(p.name, p.email) for p in meeting.attendees.all()])
        for meeting in meetings), name, method)
