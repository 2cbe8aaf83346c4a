"""Cancelling and moving a meeting: attendees are told, the .ics they get says CANCEL or
carries the new time with a higher SEQUENCE, and rooms booked for it follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from projectoffice.errors import Conflict, Forbidden
from projectoffice.facilities import actions as facility_actions
from projectoffice.facilities.models import Booking, BookingStatus
from projectoffice.meetings import actions
from projectoffice.meetings.models import Meeting, MeetingStatus
from projectoffice.registers.models import Notification
from tests.conftest import PASSWORD
from tests.meetings.test_meetings import START, board


def event_of(message: Any) -> tuple[Any, Any]:
    (name, content, kind) = message.attachments[0]
    assert kind == "text/calendar" and name.endswith(".ics")
    cal = Calendar.from_ical(content)
    (event,) = cal.walk("VEVENT")
    return cal, event


@pytest.fixture
def scheduled(office: Any, django_capture_on_commit_callbacks: Any) -> Meeting:
    office.members["quality_manager"].email = "qm@example.org"
    office.members["quality_manager"].save()
    with django_capture_on_commit_callbacks(execute=True):
        (meeting,) = board(office)
    return meeting


def test_cancelling_sends_a_cancel_ics_and_releases_the_room(
        office: Any, scheduled: Meeting, django_capture_on_commit_callbacks: Any) -> None:
    _, invitation = event_of(mail.outbox[0])
    room = facility_actions.add_resource(actor=office.staff, name="Board room")
    facility_actions.book_resource(actor=office.pm, resource=room, starts_at=scheduled.starts_at,
                                   ends_at=scheduled.ends_at, purpose="", meeting=scheduled)
    mail.outbox.clear()
    with pytest.raises(Forbidden):
        actions.cancel_meeting(actor=office.members["team_member"], meeting=scheduled,
                               version=scheduled.version)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = actions.cancel_meeting(actor=office.members["administrator"],
                                           meeting=scheduled, version=scheduled.version,
                                           reason="Sponsor unavailable")
    assert cancelled.status == MeetingStatus.CANCELLED
    (sent,) = [m for m in mail.outbox if m.attachments]
    # The attendee in the office also gets the notification e-mail, as by default.
    assert any("is cancelled" in m.subject for m in mail.outbox if m.to == ["qm@example.org"])
    assert sent.subject.startswith("Cancelled: Project board")
    assert set(sent.to) == {"qm@example.org", "sam@supplier.example"}
    cal, event = event_of(sent)
    assert str(cal["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == scheduled.uid
    assert int(event["sequence"]) > int(invitation["sequence"])
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CANCELLED
    for person in (office.pm, office.members["quality_manager"]):
        note = Notification.objects.get(recipient=person, kind="meeting")
        assert "is cancelled: Sponsor unavailable" in note.message
    with pytest.raises(Conflict):
        actions.cancel_meeting(actor=office.pm, meeting=cancelled, version=cancelled.version)


def test_rescheduling_moves_the_booking_and_sends_the_new_time(
        office: Any, scheduled: Meeting, django_capture_on_commit_callbacks: Any) -> None:
    _, invitation = event_of(mail.outbox[0])
    assert str(Calendar.from_ical(mail.outbox[0].attachments[0][1])["method"]) == "REQUEST"
    room = facility_actions.add_resource(actor=office.staff, name="Board room")
    facility_actions.book_resource(actor=office.pm, resource=room, starts_at=scheduled.starts_at,
                                   ends_at=scheduled.ends_at, purpose="", meeting=scheduled)
    later = START + dt.timedelta(days=1)
    # Someone else holds the room at the new time: the move is refused, nothing changes.
    blocker = facility_actions.book_resource(actor=office.members["planner"], resource=room,
                                             starts_at=later, ends_at=later + dt.timedelta(
                                                 minutes=30), purpose="Interviews")
    mail.outbox.clear()
    with pytest.raises(Conflict) as err:
        actions.reschedule_meeting(actor=office.pm, meeting=scheduled,
                                   version=scheduled.version, starts_at=later,
                                   ends_at=later + dt.timedelta(hours=1))
    assert "Board room is already booked" in err.value.errors["starts_at"][0]
    fresh = Meeting.objects.get(pk=scheduled.pk)
    assert fresh.starts_at == START and fresh.version == scheduled.version
    assert mail.outbox == []
    facility_actions.cancel_booking(actor=office.members["planner"], booking=blocker,
                                    version=blocker.version)
    with django_capture_on_commit_callbacks(execute=True):
        moved = actions.reschedule_meeting(actor=office.pm, meeting=scheduled,
                                           version=scheduled.version, starts_at=later,
                                           ends_at=later + dt.timedelta(hours=1),
                                           location="Board room")
    booking = Booking.objects.get(meeting=moved, status=BookingStatus.CONFIRMED)
    assert booking.starts_at == later and booking.ends_at == later + dt.timedelta(hours=1)
    (sent,) = [m for m in mail.outbox if m.attachments]
    cal, event = event_of(sent)
    assert sent.subject.startswith("Updated: Project board")
    assert str(cal["method"]) == "REQUEST"
    assert event.decoded("dtstart") == later and str(event["location"]) == "Board room"
    assert int(event["sequence"]) > int(invitation["sequence"])
    assert Notification.objects.filter(recipient=office.members["quality_manager"],
                                       kind="meeting", message__contains="moved to").exists()


def test_cancel_and_reschedule_over_the_api_and_page(office: Any, scheduled: Meeting,
                                                     api_as: Any) -> None:
    pm = api_as(office.pm)
    base = f"/projects/MTX/meetings/{scheduled.pk}"
    r = pm.post(base + "/reschedule", {"version": scheduled.version,
                                       "starts_at": "2026-03-09T10:00:00Z",
                                       "ends_at": "2026-03-09T09:00:00Z"})
    assert r.status_code == 422 and "ends_at" in r.json()["errors"]
    r = pm.post(base + "/reschedule", {"version": scheduled.version,
                                       "starts_at": "2026-03-09T10:00:00Z",
                                       "ends_at": "2026-03-09T11:00:00Z"})
    assert r.status_code == 200 and r.json()["version"] == scheduled.version + 1
    r = pm.post(base + "/cancel", {"version": scheduled.version})
    assert r.status_code == 409  # stale
    member = api_as(office.members["team_member"])
    assert member.post(base + "/cancel", {"version": scheduled.version + 1}).status_code == 403
    client = Client()
    client.login(username="project_manager", password=PASSWORD)
    page = client.get(base.replace("/api/v1", "") + "/").content.decode()
    assert "Reschedule and tell attendees" in page and "Cancel the meeting" in page
    r = client.post(f"{base}/cancel/", {"version": scheduled.version + 1, "reason": "Clash"})
    assert r.status_code == 302
    assert Meeting.objects.get(pk=scheduled.pk).status == MeetingStatus.CANCELLED
    page = client.get(base + "/").content.decode()
    assert "Cancelled" in page and "Cancel the meeting" not in page


def test_a_meeting_books_a_room_from_its_page(office: Any, scheduled: Meeting) -> None:
    room = facility_actions.add_resource(actor=office.staff, name="Board room", capacity=8)
    client = Client()
    client.login(username="administrator", password=PASSWORD)
    r = client.post(f"/projects/MTX/meetings/{scheduled.pk}/book/", {"resource": room.pk})
    assert r.status_code == 302
    booking = Booking.objects.get()
    assert booking.meeting == scheduled and booking.purpose == "Project board"
    assert booking.project == office.project and booking.starts_at == scheduled.starts_at
    page = client.get(f"/projects/MTX/meetings/{scheduled.pk}/").content.decode()
    assert "Board room" in page and "Release" in page
    member = Client()
    member.login(username="team_member", password=PASSWORD)
    member.post(f"/projects/MTX/meetings/{scheduled.pk}/book/", {"resource": room.pk})
    assert Booking.objects.count() == 1
