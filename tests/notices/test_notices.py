"""Announcements to everyone, a programme or a project, shown to those who can see them
until they expire; notification preferences and the daily digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from projectoffice.cli import main
from projectoffice.errors import Forbidden, InvalidInput, NotFound
from projectoffice.notices import actions, queries
from projectoffice.notices.models import Audience
from projectoffice.registers.actions import (
    notify_due_items,
    send_digests,
    set_notification_preferences,
)
from projectoffice.registers.models import DigestLog, Notification
from tests.conftest import PASSWORD

TODAY = dt.date(2026, 5, 4)


def titles(user: Any, today: dt.date = TODAY) -> set[str]:
    return {a.title for a in queries.visible_announcements(user, today)}


def test_who_may_announce_to_whom(office: Any) -> None:
    member = office.members["team_member"]
    with pytest.raises(Forbidden):
        actions.post_announcement(actor=office.pm, audience=Audience.EVERYONE, title="All")
    with pytest.raises(Forbidden):
        actions.post_announcement(actor=member, audience=Audience.PROJECT,
                                  project=office.project, title="Mine")
    with pytest.raises(NotFound):
        actions.post_announcement(actor=office.pm, audience=Audience.PROJECT,
                                  project=office.other, title="Theirs")
    with pytest.raises(Forbidden):
        actions.post_announcement(actor=office.pm, audience=Audience.PROGRAMME,
                                  programme=office.programme, title="Programme")
    office.programme.manager = office.pm
    office.programme.save()
    actions.post_announcement(actor=office.pm, audience=Audience.PROGRAMME,
                              programme=office.programme, title="Programme", today=TODAY)
    actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE, title="All",
                              today=TODAY)
    actions.post_announcement(actor=office.pm, audience=Audience.PROJECT,
                              project=office.project, title="Mine", today=TODAY)
    with pytest.raises(InvalidInput) as err:
        actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE,
                                  title="Old", expires_on=TODAY - dt.timedelta(days=1),
                                  today=TODAY)
    assert "expires_on" in err.value.errors


def test_announcements_are_seen_by_their_audience_until_they_expire(office: Any) -> None:
    member, outsider = office.members["team_member"], office.outsider
    actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE,
                              title="Office move", today=TODAY,
                              expires_on=TODAY + dt.timedelta(days=3))
    actions.post_announcement(actor=office.pmo, audience=Audience.PROGRAMME,
                              programme=office.programme, title="Programme day", today=TODAY)
    mtx = actions.post_announcement(actor=office.pm, audience=Audience.PROJECT,
                                    project=office.project, title="Code freeze", today=TODAY)
    actions.post_announcement(actor=outsider, audience=Audience.PROJECT, project=office.other,
                              title="Other news", today=TODAY)
    assert titles(member) == {"Office move", "Programme day", "Code freeze"}
    assert titles(outsider) == {"Office move", "Other news"}  # OTHER is in no programme
    assert titles(office.pmo) == {"Office move", "Programme day", "Code freeze", "Other news"}
    assert titles(member, TODAY + dt.timedelta(days=4)) == {"Programme day", "Code freeze"}
    # The project page shows the project's and its programme's announcements.
    assert {a.title for a in queries.project_announcements(office.project, TODAY)} == {
        "Programme day", "Code freeze"}
    actions.withdraw_announcement(actor=office.pm, announcement=mtx, version=mtx.version)
    assert "Code freeze" not in titles(member)
    # Members heard of them; the author did not hear of their own.
    assert Notification.objects.filter(recipient=member, kind="announcement").count() == 3
    assert not Notification.objects.filter(recipient=office.pm, message__contains="Code")
    assert Notification.objects.filter(recipient=outsider, kind="announcement",
                                       project=None).count() == 1


def test_home_and_project_pages_show_announcements(office: Any) -> None:
    today = timezone.localdate()
    actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE,
                              title="Fire drill on Tuesday", body="Leave by the east stairs.")
    actions.post_announcement(actor=office.pm, audience=Audience.PROJECT,
                              project=office.project, title="Sprint review moved",
                              expires_on=today)
    member, outsider = Client(), Client()
    member.login(username="team_member", password=PASSWORD)
    outsider.login(username="outsider", password=PASSWORD)
    home = member.get("/").content.decode()
    assert "Fire drill on Tuesday" in home and "Sprint review moved" in home
    assert "Sprint review moved" in member.get("/projects/MTX/").content.decode()
    other_home = outsider.get("/").content.decode()
    assert "Fire drill on Tuesday" in other_home and "Sprint review moved" not in other_home
    page = member.get("/announcements/").content.decode()
    assert "Fire drill on Tuesday" in page and "Announce</button>" not in page
    pm = Client()
    pm.login(username="project_manager", password=PASSWORD)
    r = pm.post("/announcements/", {"audience": "project", "project": "MTX",
                                    "title": "Demo on Friday"})
    assert r.status_code == 302
    assert "Demo on Friday" in member.get("/announcements/").content.decode()
    r = pm.post("/announcements/", {"audience": "everyone", "title": "To all"})
    assert r.status_code == 200 and "announcement.everyone" in r.content.decode()


def test_preferences_decide_app_email_and_digest(
        office: Any, django_capture_on_commit_callbacks: Any) -> None:
    planner = office.members["planner"]
    planner.email = "planner@example.org"
    planner.save()
    set_notification_preferences(actor=planner, preferences={
        "due": (True, "digest"), "overdue": (True, "digest"), "announcement": (False, "off")})
    from projectoffice.controls.registers import ACTIONS
    from projectoffice.registers.actions import create_item

    with django_capture_on_commit_callbacks(execute=True):
        create_item(actor=office.pm, spec=ACTIONS, project=office.project,
                    data={"title": "Update the plan", "assignee": planner,
                          "due_date": TODAY + dt.timedelta(days=1)}, today=TODAY)
        create_item(actor=office.pm, spec=ACTIONS, project=office.project,
                    data={"title": "Book the venue", "assignee": planner,
                          "due_date": TODAY - dt.timedelta(days=3)},
                    today=TODAY - dt.timedelta(days=5))
        notify_due_items(today=TODAY)
        actions.post_announcement(actor=office.pm, audience=Audience.PROJECT,
                                  project=office.project, title="Quiet news", today=TODAY)
    # Assignments are e-mailed at once (the default); due and overdue wait for the digest;
    # the announcement is neither shown nor e-mailed.
    subjects = [m.subject for m in mail.outbox if m.to == ["planner@example.org"]]
    assert len(subjects) == 2 and all("made you assignee" in s for s in subjects)
    kinds = sorted(Notification.objects.filter(recipient=planner).values_list("kind",
                                                                              flat=True))
    assert kinds == ["assigned", "assigned", "due", "overdue"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=timezone.now()) == 1
    (digest,) = mail.outbox
    assert digest.to == ["planner@example.org"]
    assert digest.subject == "Project Office digest: 2 unread notifications"
    assert "Due soon (1)" in digest.body and "Overdue (1)" in digest.body
    assert "[MTX] ACT-" in digest.body and "Update the plan" in digest.body
    assert "Book the venue" in digest.body and "made you assignee" not in digest.body
    assert DigestLog.objects.get(user=planner).count == 2
    # The next digest only covers what came after; nothing new, nothing sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=timezone.now()) == 0
    assert mail.outbox == []


def test_read_notifications_stay_out_of_the_digest_and_pmo_digest_runs(
        office: Any, capsys: Any, django_capture_on_commit_callbacks: Any) -> None:
    member = office.members["team_member"]
    member.email = "member@example.org"
    member.save()
    set_notification_preferences(actor=member, preferences={"announcement": (True, "digest")})
    actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE, title="Read me")
    Notification.objects.filter(recipient=member).update(read_at=timezone.now())
    assert send_digests() == 0
    actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE, title="Fresh")
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["digest"]) == 0
    assert "1 digest sent" in capsys.readouterr().out
    (digest,) = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert "Everyone: Fresh" in digest.body and "Read me" not in digest.body


def test_preferences_api_and_page(office: Any, api_as: Any) -> None:
    me = api_as(office.members["architect"])
    prefs = {p["kind"]: p for p in me.get("/me/notification-preferences").json()}
    assert prefs["booking"] == {"kind": "booking", "label": "Booking", "in_app": True,
                                "email": "immediate"}
    r = me.post("/me/notification-preferences",
                {"preferences": [{"kind": "booking", "in_app": False, "email": "digest"}]})
    assert r.status_code == 200
    assert {p["kind"]: p for p in r.json()}["booking"]["email"] == "digest"
    r = me.post("/me/notification-preferences",
                {"preferences": [{"kind": "gossip", "email": "digest"}]})
    assert r.status_code == 422
    client = Client()
    client.login(username="architect", password=PASSWORD)
    page = client.get("/notifications/preferences/").content.decode()
    assert "In the daily digest" in page and "Booking" in page
    r = client.post("/notifications/preferences/", {"app-due": "on", "email-due": "off"})
    assert r.status_code == 302
    prefs = {p["kind"]: p for p in me.get("/me/notification-preferences").json()}
    assert prefs["due"]["email"] == "off" and prefs["assigned"]["in_app"] is False


def test_announcements_api(office: Any, api_as: Any) -> None:
    pm, member = api_as(office.pm), api_as(office.members["team_member"])
    r = pm.post("/announcements", {"audience": "project", "project": "MTX",
                                   "title": "Go-live rehearsal", "expires_on": "2099-01-01"})
    assert r.status_code == 201 and r.json()["project"] == "MTX"
    assert [a["title"] for a in member.get("/announcements").json()] == ["Go-live rehearsal"]
    assert api_as(office.outsider).get("/announcements").json() == []
    r = member.post(f"/announcements/{r.json()['id']}/withdraw", {"version": 1})
    assert r.status_code == 403
    r = pm.post("/announcements", {"audience": "everyone", "title": "All hands"})
    assert r.status_code == 403


def test_office_wide_notifications_are_listed_without_a_project(office: Any,
                                                                api_as: Any) -> None:
    actions.post_announcement(actor=office.staff, audience=Audience.EVERYONE,
                              title="Canteen closed")
    items = api_as(office.outsider).get("/me/notifications").json()["items"]
    assert [(n["kind"], n["project"], n["message"]) for n in items] == [
        ("announcement", None, "Everyone: Canteen closed")]
    client = Client()
    client.login(username="outsider", password=PASSWORD)
    page = client.get("/notifications/").content.decode()
    assert "Everyone: Canteen closed" in page and "Office" in page
