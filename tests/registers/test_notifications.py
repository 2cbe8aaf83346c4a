"""Owners hear when an item is assigned to them, escalated, due or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from projectoffice.controls.actions import escalate_issue
from projectoffice.registers.actions import notify_due_items
from projectoffice.registers.models import Notification
from tests.conftest import PASSWORD


def test_assignment_escalation_and_due_dates_notify_the_people_named(
        office: Any, api_as: Any, django_capture_on_commit_callbacks: Any) -> None:
    owner = office.members["planner"]
    owner.email = "planner@example.org"
    owner.save()
    pm = api_as(office.pm)
    with django_capture_on_commit_callbacks(execute=True):
        r = pm.post("/projects/MTX/risks", {"title": "Key planner leaves", "owner": "planner",
                                            "due_date": str(dt.date.today())})
    assert r.status_code == 201
    assert [m.to for m in mail.outbox] == [["planner@example.org"]]
    assert "made you owner of RSK-0002" in mail.outbox[0].subject

    # Only the newly named person hears about a change; nobody hears of their own doing.
    pm.patch(f"/projects/MTX/risks/{r.json()['reference']}", {"version": 1, "title": "Renamed"})
    assert Notification.objects.filter(recipient=owner).count() == 1

    escalate_issue(actor=office.members["administrator"], issue=office.issue,
                   version=office.issue.version, reason="Needs programme money")
    assert Notification.objects.filter(recipient=office.pm, kind="escalated").exists()

    today = dt.date.today()
    assert notify_due_items(today=today + dt.timedelta(days=8)) >= 2  # the action, the risk
    assert notify_due_items(today=today + dt.timedelta(days=8)) == 0  # once per item and kind
    assert Notification.objects.filter(recipient=owner, kind="overdue").count() == 1

    planner = api_as(owner)
    listed = planner.get("/me/notifications?unread=true").json()
    assert listed["count"] == 2
    planner.client.login(username="planner", password=PASSWORD)
    home = planner.client.get("/").content.decode()
    assert 'class="count">2<' in home
    assert planner.post("/me/notifications/read", {}).json() == {"marked": 2}
    assert planner.get("/me/notifications?unread=true").json()["count"] == 0
