"""Where the office's e-mail goes. Reads settings only (no models), so the server's master
process can say it without setting Django up."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail.message import EmailMessage

OUTBOX_BACKEND = "projectoffice.notices.outbox.OutboxBackend"
QUEUED_BACKEND = "projectoffice.jobs.mail.QueuedEmailBackend"


def delivery_backend() -> str:
    """The backend that finally delivers the office's mail (SMTP, the outbox, a file…), be
    it from the request or from the background worker."""
    if settings.EMAIL_BACKEND == QUEUED_BACKEND:
        return str(settings.PMO_EMAIL_DELIVERY_BACKEND)
    return str(settings.EMAIL_BACKEND)


def mail_destination() -> str:
    """Where the office's e-mail goes, in words, said once when the server starts."""
    queued = " by the background worker" if settings.EMAIL_BACKEND == QUEUED_BACKEND else ""
    backend = delivery_backend()
    if backend == OUTBOX_BACKEND:
        return ("no mail server is configured (PMO_EMAIL_HOST): e-mail is kept in the "
                "office's Outbox, readable by the Project Office manager")
    if backend.endswith("smtp.EmailBackend"):
        return f"e-mail is sent{queued} through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"e-mail goes{queued} to {backend}"


# How one message is sent: the notices app keeps a message the mail server refuses in its
# outbox to retry (notices/outbox.send_message, installed in its AppConfig.ready).
_sender: list[Callable[[EmailMessage], bool]] = []


def send_with(sender: Callable[[EmailMessage], bool]) -> None:
    _sender[:] = [sender]


def send_message(message: EmailMessage) -> bool:
    if _sender:
        return _sender[0](message)
    message.send(fail_silently=False)
    return True


def send_plain(subject: str, body: str, address: str) -> bool:
    return send_message(EmailMessage(subject=subject, body=body, to=[address]))
