"""The office's outbox: the e-mail backend used while no mail server is configured. Instead of
printing messages to the console (where nobody reads them, and where a demo's hundreds of
messages would bury everything else) it keeps each one in the database, for the Project
Office manager to read on the Outbox page."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

from .models import OutboxMessage, OutboxState

logger = logging.getLogger("projectoffice.mail")
# A message the mail server keeps refusing is tried this many times, then left in the outbox.
MAX_ATTEMPTS = 10


def _attachment(part: Any) -> dict[str, Any]:
    if isinstance(part, MIMEBase):
        payload = part.get_payload(decode=True) or b""
        return {"name": part.get_filename() or "attachment", "type": part.get_content_type(),
                "size": len(payload)}
    name, content, mimetype = (*tuple(part), None, None, None)[:3]
    size = len(content.encode() if isinstance(content, str) else content or b"")
    return {"name": name or "attachment", "type": mimetype or "application/octet-stream",
            "size": size}


def _files(message: EmailMessage) -> list[dict[str, str]]:
    files = []
    for part in message.attachments:
        if isinstance(part, MIMEBase):
            name, content = part.get_filename() or "attachment", part.get_payload(decode=True)
            mimetype = part.get_content_type()
        else:
            name, content, mimetype = (*tuple(part), None, None, None)[:3]
        data = content.encode() if isinstance(content, str) else bytes(content or b"")
        files.append({"name": str(name or "attachment"),
                      "type": str(mimetype or "application/octet-stream"),
                      "data": base64.b64encode(data).decode()})
    return files


def _keep(message: EmailMessage, **extra: Any) -> OutboxMessage:
    extra.setdefault("sent_at", timezone.now())
    return OutboxMessage(from_email=str(message.from_email or "")[:300],
                         to=", ".join([*message.to, *message.cc, *message.bcc]),
                         subject=str(message.subject or "")[:300], body=_body(message),
                         attachments=[_attachment(a) for a in message.attachments], **extra)


def send_message(message: EmailMessage) -> bool:
    """Sends one e-mail through the configured backend. When the mail server refuses it or
    cannot be reached, the failure is logged and the message kept in the outbox as not sent
    (with its attachments) for `pmo mail-retry` to send again; nothing is dropped."""
    try:
        message.send(fail_silently=False)
        return True
    except Exception as exc:  # any failure of the mail server or connection
        logger.warning("E-mail %r to %s not sent (kept in the outbox to retry): %s",
                       message.subject, ", ".join(message.to), exc)
        keep_failed(message, exc)
        return False


def keep_failed(message: EmailMessage, exc: BaseException) -> None:
    """Keeps a message the mail server refused, with its attachments, for `retry_failed`."""
    _keep(message, state=OutboxState.FAILED, error=str(exc)[:2000], attempts=1,
          files=_files(message)).save()


def send_plain(subject: str, body: str, address: str) -> bool:
    return send_message(EmailMessage(subject=subject, body=body, to=[address]))


def retry_failed() -> tuple[int, int]:
    """Sends again every kept message that failed; returns (sent, still failing)."""
    sent = failing = 0
    for row in OutboxMessage.objects.filter(state=OutboxState.FAILED,
                                            attempts__lt=MAX_ATTEMPTS).order_by("pk"):
        message = EmailMessage(subject=row.subject, body=row.body,
                               from_email=row.from_email or None,
                               to=[a.strip() for a in row.to.split(",") if a.strip()])
        for f in row.files:
            message.attach(f["name"], base64.b64decode(f["data"]), f["type"])
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # any failure of the mail server or connection
            logger.warning("E-mail %r to %s still not sent (attempt %d): %s", row.subject,
                           row.to, row.attempts + 1, exc)
            row.attempts += 1
            row.error = str(exc)[:2000]
            row.save(update_fields=["attempts", "error"])
            failing += 1
            continue
        row.state, row.files, row.error = OutboxState.SENT, [], ""
        row.save(update_fields=["state", "files", "error"])
        sent += 1
    return sent, failing


def _body(message: EmailMessage) -> str:
    body = str(message.body or "")
    for alternative in getattr(message, "alternatives", []) or []:
        if not body and getattr(alternative, "mimetype", "") == "text/plain":
            body = str(alternative.content)
    return body


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        now = timezone.now()
        rows = [_keep(m, sent_at=now) for m in email_messages]
        OutboxMessage.objects.bulk_create(rows)
        days = int(getattr(settings, "PMO_OUTBOX_DAYS", 30))
        OutboxMessage.objects.filter(sent_at__lt=now - dt.timedelta(days=days)).delete()
        return len(rows)
