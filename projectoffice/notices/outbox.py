"""The office's outbox: the e-mail backend used while no mail server is configured. Instead of
printing messages to the console (where nobody reads them, and where a demo's hundreds of
messages would bury everything else) it keeps each one in the database, for the Project
Office manager to read on the Outbox page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

from .models import OutboxMessage


def _attachment(part: Any) -> dict[str, Any]:
    if isinstance(part, MIMEBase):
        payload = part.get_payload(decode=True) or b""
        return {"name": part.get_filename() or "attachment", "type": part.get_content_type(),
                "size": len(payload)}
    name, content, mimetype = (*tuple(part), None, None, None)[:3]
    size = len(content.encode() if isinstance(content, str) else content or b"")
    return {"name": name or "attachment", "type": mimetype or "application/octet-stream",
            "size": size}


def _body(message: EmailMessage) -> str:
    body = str(message.body or "")
    for alternative in getattr(message, "alternatives", []) or []:
        if not body and getattr(alternative, "mimetype", "") == "text/plain":
            body = str(alternative.content)
    return body


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        now = timezone.now()
        rows = [OutboxMessage(sent_at=now, from_email=str(m.from_email or "")[:300],
                              to=", ".join([*m.to, *m.cc, *m.bcc]),
                              subject=str(m.subject or "")[:300], body=_body(m),
                              attachments=[_attachment(a) for a in m.attachments])
                for m in email_messages]
        OutboxMessage.objects.bulk_create(rows)
        days = int(getattr(settings, "PMO_OUTBOX_DAYS", 30))
        OutboxMessage.objects.filter(sent_at__lt=now - dt.timedelta(days=days)).delete()
        return len(rows)
