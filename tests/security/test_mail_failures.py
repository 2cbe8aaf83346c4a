"""E-mail the mail server refuses is logged and kept in the outbox, then sent again."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

import projectoffice
from projectoffice.notices.models import OutboxMessage, OutboxState
from projectoffice.notices.outbox import retry_failed, send_message
from projectoffice.registers.actions import deliver
from tests.conftest import Office


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not self.fail_silently:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return 0


BROKEN = "tests.security.test_mail_failures.RefusingBackend"


@pytest.mark.django_db
def test_a_refused_notification_is_logged_kept_and_retried(
        office: Office, settings: Any, caplog: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    settings.EMAIL_BACKEND = BROKEN
    person = office.members["team_member"]
    person.email = "team@example.org"
    person.save()
    with caplog.at_level(logging.WARNING, logger="projectoffice.mail"), \
            django_capture_on_commit_callbacks(execute=True):
        deliver(recipient=person, obj=office.issue, project=office.project, kind="assigned",
                message="ISS-0001 is yours", url="/projects/MTX/issues/ISS-0001/",
                actor=office.pm)
    kept = OutboxMessage.objects.get()
    assert kept.state == OutboxState.FAILED and "Connection" in kept.error
    assert kept.to == "team@example.org"
    assert "not sent" in caplog.text

    assert retry_failed() == (0, 1)  # still refused: one more attempt counted
    kept.refresh_from_db()
    assert kept.attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert retry_failed() == (1, 0)
    assert [m.to for m in mail.outbox] == [["team@example.org"]]
    kept.refresh_from_db()
    assert kept.state == OutboxState.SENT and kept.files == []


@pytest.mark.django_db
def test_a_refused_message_keeps_its_attachment_for_the_retry(settings: Any) -> None:
    settings.EMAIL_BACKEND = BROKEN
    message = EmailMessage(subject="Invitation", body="Board", to=["a@example.org"])
    message.attach("meeting.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    assert send_message(message) is False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert retry_failed() == (1, 0)
    (name, content, mimetype), = mail.outbox[0].attachments
    assert name == "meeting.ics" and "VCALENDAR" in str(content) and mimetype == "text/calendar"


def test_no_code_asks_for_mail_failures_to_be_ignored() -> None:
    """Failures are kept and retried by the outbox; a send that swallows them loses mail."""
    root = Path(projectoffice.__file__).parent
    silent = [str(p.relative_to(root)) for p in root.rglob("*.py")
              if "fail_silently=True" in p.read_text(encoding="utf-8")]
    assert silent == []
