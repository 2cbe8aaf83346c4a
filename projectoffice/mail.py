"""Where the office's e-mail goes. Reads settings only (no models), so the server's master
process can say it without setting Django up."""

from __future__ import annotations

from django.conf import settings

OUTBOX_BACKEND = "projectoffice.notices.outbox.OutboxBackend"


def mail_destination() -> str:
    """Where the office's e-mail goes, in words, said once when the server starts."""
    backend = settings.EMAIL_BACKEND
    if backend == OUTBOX_BACKEND:
        return ("no mail server is configured (PMO_EMAIL_HOST): e-mail is kept in the "
                "office's Outbox, readable by the Project Office manager")
    if backend.endswith("smtp.EmailBackend"):
        return f"e-mail is sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"e-mail goes to {backend}"
