"""The demo's current week is mid-flow: drafts, parts waiting for the project managers,
approved parts; nothing booked on anyone's approved absence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from projectoffice.demo import load_demo
from projectoffice.people.models import Absence
from projectoffice.people.queries import absent_days
from projectoffice.registers.models import Notification
from projectoffice.timesheets.models import Timesheet


@pytest.mark.django_db
def test_the_demo_week_is_mid_flow() -> None:
    load_demo(projects=3, progress=False)  # the demo's today is the real one
    today = timezone.localdate()
    MONDAY = today - dt.timedelta(days=today.weekday())
    sheets = Timesheet.objects.filter(week_start=MONDAY).select_related("person")
    states = {s.status for s in sheets}
    assert {"draft", "submitted", "approved"} <= states
    for sheet in sheets:
        away = absent_days([sheet.person_id], MONDAY, MONDAY + dt.timedelta(days=6))
        for line in sheet.lines.all():
            for d, hours in enumerate(line.day_hours()):
                if MONDAY + dt.timedelta(days=d) in away[sheet.person_id]:
                    assert not hours, (sheet.person, sheet.status, d, list(
                        Absence.objects.filter(person=sheet.person).values_list(
                            "kind", "start", "end", "half_day")))
    waiting = sheets.filter(status="submitted").select_related("project__manager").first()
    assert waiting is not None
    # Past weeks were loaded at once and told nobody; this week's hand-offs were told.
    notes = Notification.objects.filter(kind="timesheet")
    assert notes.count() <= 2 * sheets.count()
    assert notes.filter(recipient=waiting.project.manager, object_id=waiting.pk).exists()
    client = Client()
    client.force_login(waiting.person)
    page = client.get(f"/timesheets/week/?week={MONDAY.isoformat()}")
    assert page.status_code == 200 and b'data-state="submitted"' in page.content
    manager = waiting.project.manager
    assert manager is not None
    client.force_login(manager)
    assert client.get(f"/timesheets/parts/{waiting.pk}/").status_code == 200
