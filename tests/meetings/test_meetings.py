"""Meetings: scheduling (single and recurring), .ics that parses back, minutes, decisions,
actions in the Actions register carried to the next meeting, PDF and e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from projectoffice.controls.registers import ACTIONS
from projectoffice.errors import Forbidden, InvalidInput, StaleVersion
from projectoffice.meetings import actions
from projectoffice.meetings.calendar import meeting_ics
from projectoffice.meetings.minutes import minutes_pdf
from projectoffice.meetings.models import Meeting
from projectoffice.registers import actions as register_actions

START = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))


def board(office: Any, **kw: Any) -> list[Meeting]:
    args: dict[str, Any] = {
        "actor": office.members["administrator"], "project": office.project,
        "title": "Project board", "starts_at": START,
        "ends_at": START + dt.timedelta(hours=1), "location": "Room 4.02",
        "attendees": [office.pm, office.members["quality_manager"]],
        "guests": [actions.Guest("Sam Supplier", "sam@supplier.example")],
        "agenda": [actions.AgendaLine("Highlight report", office.pm, 15)]}
    args.update(kw)
    return actions.schedule_meeting(**args)


def test_ics_parses_back_to_the_same_meeting(office: Any) -> None:
    (meeting,) = board(office)
    cal = Calendar.from_ical(meeting_ics([meeting]))
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == meeting.uid
    assert str(event["summary"]) == "Project board (MTX)"
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + dt.timedelta(hours=1)
    assert str(event["location"]) == "Room 4.02"
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    emails = sorted(str(a).removeprefix("mailto:") for a in attendees)
    assert "sam@supplier.example" in emails
    assert "Highlight report" in str(event["description"])


def test_recurring_meetings_and_invitations(office: Any, django_capture_on_commit_callbacks:
                                            Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        made = board(office, repeat="weekly", occurrences=4)
    assert [m.starts_at - START for m in made] == [dt.timedelta(weeks=n) for n in range(4)]
    assert len({m.series for m in made}) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "text/calendar"
    with pytest.raises(InvalidInput) as err:
        board(office, repeat="weekly", occurrences=99)
    assert "occurrences" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        board(office, ends_at=START - dt.timedelta(hours=1))
    assert "ends_at" in err.value.errors


def test_minutes_actions_and_carry_over(office: Any, django_capture_on_commit_callbacks:
                                        Any) -> None:
    admin = office.members["administrator"]
    first, second = board(office, repeat="weekly", occurrences=2)
    attendee = first.attendees.get(user=office.pm)
    first = actions.record_minutes(actor=admin, meeting=first, version=first.version,
                                   minutes="Board reviewed the plan.",
                                   attendance={attendee.pk: "present"})
    assert first.status == "held"
    actions.record_decision(actor=admin, meeting=first, text="Go-live moves to May")
    action = actions.record_meeting_action(
        actor=admin, meeting=first, title="Book the go-live war room",
        assignee=office.members["team_member"],
        due_date=dt.date.today() + dt.timedelta(days=14))
    assert action.register_spec is ACTIONS and action.reference.startswith("ACT-")
    with pytest.raises(StaleVersion):
        actions.record_minutes(actor=admin, meeting=first, version=1, minutes="x")
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.issue_minutes(actor=admin, meeting=first, version=first.version)
    carried = second.agenda.exclude(action=None)
    assert [a.action for a in carried] == [action]
    sent = mail.outbox[-1]
    assert sent.subject.startswith("Minutes") and sent.attachments[0][2] == "application/pdf"
    # Closed actions are not carried to later meetings.
    register_actions.transition_item(actor=office.pm, item=action, transition="complete",
                                     version=action.version)
    (third,) = board(office, starts_at=START + dt.timedelta(weeks=3),
                     ends_at=START + dt.timedelta(weeks=3, hours=1))
    assert not third.agenda.exclude(action=None).exists()
    assert minutes_pdf(first).startswith(b"%PDF")


def test_who_may_schedule(office: Any) -> None:
    with pytest.raises(Forbidden):
        board(office, actor=office.members["stakeholder"])
    with pytest.raises(InvalidInput):
        board(office, attendees=[office.outsider])


def test_calendar_feed_and_pages(office: Any, client: Any) -> None:
    from tests.conftest import PASSWORD

    (meeting,) = board(office, starts_at=timezone.now() + dt.timedelta(days=1),
                       ends_at=timezone.now() + dt.timedelta(days=1, hours=1))
    token = actions.create_calendar_feed(actor=office.pm)
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    assert client.get("/calendar/wrong.ics").status_code == 404
    client.login(username=office.pm.username, password=PASSWORD)
    for url in ("/projects/MTX/meetings/", f"/projects/MTX/meetings/{meeting.pk}/",
                "/projects/MTX/meetings/new/", f"/projects/MTX/meetings/{meeting.pk}/minutes.pdf"):
        assert client.get(url).status_code == 200, url
    client.login(username="outsider", password=PASSWORD)
    assert client.get(f"/projects/MTX/meetings/{meeting.pk}/").status_code == 404
