"""An e-mail as a job's data, and its delivery by the worker (jobs/tasks.deliver_mail)."""

from __future__ import annotations

import base64
from email.mime.base import MIMEBase
from typing import Any

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import EmailMessage

from projectoffice.mail import delivery_backend


def _attachment(part: Any) -> dict[str, str]:
    if isinstance(part, MIMEBase):
        name, content, mimetype = (part.get_filename() or "attachment",
                                   part.get_payload(decode=True), part.get_content_type())
    else:
        name, content, mimetype = (*tuple(part), None, None, None)[:3]
    data = content.encode() if isinstance(content, str) else bytes(content or b"")
    return {"name": str(name or "attachment"),
            "type": str(mimetype or "application/octet-stream"),
            "data": base64.b64encode(data).decode()}


def to_data(message: EmailMessage) -> dict[str, Any]:
    """The message as JSON, the form a job's arguments are kept in."""
    return {
        "subject": str(message.subject or ""), "body": str(message.body or ""),
        "from_email": str(message.from_email or ""), "to": list(message.to),
        "cc": list(message.cc), "bcc": list(message.bcc), "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "content_subtype": message.content_subtype,
        "alternatives": [[str(a[0]), str(a[1])]
                         for a in getattr(message, "alternatives", []) or []],
        "attachments": [_attachment(a) for a in message.attachments],
    }


def from_data(data: dict[str, Any], connection: Any = None) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], from_email=data["from_email"] or None,
        to=data["to"], cc=data["cc"], bcc=data["bcc"], reply_to=data["reply_to"],
        headers=data["headers"], connection=connection)
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for f in data["attachments"]:
        message.attach(f["name"], base64.b64decode(f["data"]), f["type"])
    return message


def deliver(data: dict[str, Any]) -> None:
    """Sends one kept message through the delivery backend; raises when it is refused."""
    connection = get_connection(delivery_backend(), fail_silently=False)
    from_data(data, connection=connection).send(fail_silently=False)
