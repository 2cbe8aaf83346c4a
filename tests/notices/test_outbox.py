"""The outbox: with no mail server configured, e-mail is kept in the office for the Project
Office manager to read, never printed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from projectoffice.mail import OUTBOX_BACKEND, mail_destination
from projectoffice.notices.models import OutboxMessage


def send(subject: str, to: str = "alice@example.org", attach: bool = False) -> None:
    message = EmailMessage(subject, f"Body of {subject}", "pmo@localhost", [to])
    if attach:
        message.attach("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")
    message.send()


def test_mail_is_kept_in_the_outbox_with_its_attachments(settings: Any, db: Any,
                                                         capsys: Any) -> None:
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    send("Timesheet approved", attach=True)
    kept = OutboxMessage.objects.get()
    assert kept.to == "alice@example.org" and kept.body == "Body of Timesheet approved"
    assert kept.attachments == [{"name": "minutes.pdf", "type": "application/pdf",
                                 "size": 16}]
    assert capsys.readouterr().out == ""
    assert "kept in the office's Outbox" in mail_destination()


def test_old_messages_are_pruned(settings: Any, db: Any) -> None:
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    settings.PMO_OUTBOX_DAYS = 30
    OutboxMessage.objects.create(sent_at=timezone.now() - dt.timedelta(days=31), to="x",
                                 subject="old", body="", from_email="pmo@localhost")
    send("new")
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["new"]


def test_only_the_project_office_manager_reads_the_outbox(settings: Any, office: Any,
                                                         api_as: Any, client: Any) -> None:
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    send("Review requested: CRM-PLN-001", to="george@example.org")
    send("Your absence is approved", to="omar@example.org")
    pmo = api_as(office.pmo)
    r = pmo.get("/outbox?q=george")
    assert r.status_code == 200 and r.json()["count"] == 1
    assert r.json()["items"][0]["subject"] == "Review requested: CRM-PLN-001"
    message_id = r.json()["items"][0]["id"]
    assert pmo.get(f"/outbox/{message_id}").json()["to"] == "george@example.org"
    assert pmo.get("/outbox/999999").status_code == 404
    for someone in (office.pm, office.staff, office.members["team_member"]):
        assert api_as(someone).get("/outbox").status_code == 403
    client.force_login(office.pmo)
    page = client.get("/outbox/")
    assert page.status_code == 200
    assert b"No mail server is configured" in page.content
    assert b"Your absence is approved" in page.content
    assert client.get(f"/outbox/{message_id}/").status_code == 200
    client.force_login(office.pm)
    assert client.get("/outbox/").status_code == 403
    assert b"Outbox" not in client.get("/").content


def test_mail_server_settings_choose_smtp(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "mail.example.org", 587
    assert mail_destination() == "e-mail is sent through mail.example.org:587"
    assert mail.get_connection().__class__.__name__ == "EmailBackend"


def test_every_kind_of_notification_is_explained_on_the_preferences_page(
        office: Any, client: Any) -> None:
    from projectoffice.notices.views import KIND_HELP
    from projectoffice.registers.models import NotificationKind

    assert set(KIND_HELP) == set(NotificationKind.values)
    client.force_login(office.pm)
    page = client.get("/notifications/preferences/").content.decode()
    assert all(label in page for label in NotificationKind.labels)
