"""Meetings as iCalendar (RFC 5545) with the `icalendar` package."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, MeetingStatus


def meeting_ics(meetings: Iterable[Meeting], name: str = "Project Office",
                method: str | None = None) -> bytes:
    """An iCalendar of the meetings. With `method` (REQUEST or CANCEL) it is an iTIP message
    for e-mail; SEQUENCE grows each time a meeting is moved or cancelled, so calendar
    programs replace the earlier copy (it is the meeting's version, which every change
    raises)."""
    cal = Calendar()
    cal.add("prodid", "-//Project Office//Meetings//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting.uid)
        event.add("summary", f"{meeting.title} ({meeting.project.code})")
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("dtstamp", meeting.created_at)
        event.add("sequence", meeting.version)
        if meeting.location:
            event.add("location", meeting.location)
        agenda = "\n".join(f"{a.position}. {a.title}" for a in meeting.agenda.all())
        event.add("description", "\n\n".join(filter(None, [meeting.description, agenda])))
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED
                  else "CONFIRMED")
        organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organiser.params["cn"] = vText(str(meeting.organiser or "Project Office"))
        event["organizer"] = organiser
        for person in meeting.attendees.all():
            if not person.email:
                continue
            address = vCalAddress(f"mailto:{person.email}")
            address.params["cn"] = vText(person.name)
            address.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", address, encode=False)
        cal.add_component(event)
    return bytes(cal.to_ical())
