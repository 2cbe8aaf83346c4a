"""Every e-mail the office sends goes through a job: the request (or command) that writes it
only enqueues it, and the worker hands it to the mail server (or the outbox). A slow or
unreachable mail server therefore never holds a page, and a refused message is retried."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from .messages import to_data
from .registry import enqueue
from .tasks import deliver_mail


class QueuedEmailBackend(BaseEmailBackend):
    """Enqueues one delivery job per message instead of talking to a mail server."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            enqueue(deliver_mail, to_data(message))
        return len(email_messages)
