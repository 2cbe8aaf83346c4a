"""Every write of stakeholders and communications beyond the kernel's: a communication's
audience, sending it by e-mail (one signed link per recipient to acknowledge reading it and
answer its survey) or recording it as sent elsewhere, and the recipients' answers.

The recipients' link works signed out: it carries only the recipient's row, signed with the
server's key (`django.core.signing`), and the page it opens shows that one message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import check_version, lock_for_update
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import project_permissions

from .models import (
    AudienceMember,
    Channel,
    Communication,
    CommunicationSend,
    Recipient,
    SendMethod,
    Stakeholder,
    SurveyResponse,
)

MANAGE = "communications.manage"
LINK_SALT = "projectoffice.engagement.recipient"
MAX_EXTRA_ADDRESSES = 200


def _require(actor: User, communication: Communication) -> None:
    perms = project_permissions(actor, communication.project)
    if "project.view" not in perms:
        raise NotFound(f"No project {communication.project.code!r}")
    if MANAGE not in perms:
        raise Forbidden(f"You need the {MANAGE!r} permission on {communication.project.code}")


def _open(communication: Communication) -> None:
    if communication.is_closed:
        raise Conflict(f"{communication.reference} is {communication.state.label.lower()}; "
                       "reopen it first", {"status": ["closed"]})


@transaction.atomic
def set_audience(*, actor: User, communication: Communication, version: int | None,
                 stakeholders: Iterable[Stakeholder]) -> Communication:
    """Sets who a planned communication is for: stakeholders (people or groups) of its own
    project. The communication's version is checked and moves on."""
    _require(actor, communication)
    locked = lock_for_update(Communication, communication.pk)
    check_version(locked, version)
    chosen = list(dict.fromkeys(stakeholders))
    for stakeholder in chosen:
        if stakeholder.project_id != locked.project_id:
            raise InvalidInput.field("audience", f"{stakeholder.reference} is a stakeholder of "
                                                 "another project")
    before = sorted(m.stakeholder.reference for m in
                    locked.audience.select_related("stakeholder"))
    locked.audience.all().delete()
    AudienceMember.objects.bulk_create(
        [AudienceMember(communication=locked, stakeholder=s) for s in chosen])
    after = sorted(s.reference for s in chosen)
    if before != after:
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        record_change(actor=actor, obj=locked, verb="audience",
                      changes={"audience": [", ".join(before), ", ".join(after)]})
    return locked


def link_token(recipient: Recipient) -> str:
    return signing.dumps(recipient.pk, salt=LINK_SALT, compress=True)


def link_path(recipient: Recipient) -> str:
    return reverse("engagement-reply", args=[link_token(recipient)])


def recipient_of(token: str) -> Recipient:
    """The recipient a link names; any tampering or an unknown row is not found."""
    try:
        pk = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as exc:
        raise NotFound("This link is not valid") from exc
    recipient = (Recipient.objects.select_related("send__communication", "send__project")
                 .filter(pk=pk).first() if isinstance(pk, int) else None)
    if recipient is None:
        raise NotFound("This link is not valid")
    return recipient


def _addresses(raw: Iterable[str]) -> list[str]:
    found: list[str] = []
    for text in raw:
        address = text.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError as exc:
            raise InvalidInput.field("addresses", f"{address!r} is not an e-mail address") \
                from exc
        if address.lower() not in (a.lower() for a in found):
            found.append(address)
    if len(found) > MAX_EXTRA_ADDRESSES:
        raise InvalidInput.field("addresses", f"at most {MAX_EXTRA_ADDRESSES} addresses")
    return found


def _distribution(communication: Communication, extra: list[str]) -> list[Recipient]:
    """The audience's people and groups with an address, then the extra addresses."""
    rows: list[Recipient] = []
    seen: set[str] = set()
    for member in communication.audience.select_related("stakeholder"):
        s = member.stakeholder
        if s.email and s.email.lower() not in seen and not s.is_closed:
            seen.add(s.email.lower())
            rows.append(Recipient(stakeholder=s, name=s.title, email=s.email))
    for address in extra:
        if address.lower() not in seen:
            seen.add(address.lower())
            rows.append(Recipient(name=address, email=address))
    return rows


@transaction.atomic
def send_communication(*, actor: User, communication: Communication, subject: str = "",
                       body: str = "", addresses: Iterable[str] = (),
                       survey_question: str = "", anonymous: bool = False,
                       today: dt.date | None = None) -> CommunicationSend:
    """E-mails a communication from the office to its distribution list — the audience's
    addresses and any others given — each recipient with their own signed link to
    acknowledge reading it (and answer the survey, when one is asked). Mail leaves after
    commit, through the office's mail server or its outbox."""
    _require(actor, communication)
    locked = lock_for_update(Communication, communication.pk)
    _open(locked)
    subject = (subject.strip() or locked.title)[:200]
    body = body.strip() or locked.message.strip()
    if not body:
        raise InvalidInput.field("body", "say what the message is")
    if len(body) > 20000:
        raise InvalidInput.field("body", "is longer than 20000 characters")
    question = survey_question.strip()
    if len(question) > 200:
        raise InvalidInput.field("survey_question", "is longer than 200 characters")
    if anonymous and not question:
        raise InvalidInput.field("anonymous", "only a survey can be anonymous")
    rows = _distribution(locked, _addresses(addresses))
    if not rows:
        raise InvalidInput.field("addresses", "nobody to send it to: give the audience "
                                              "e-mail addresses or add some here")
    send = CommunicationSend.objects.create(
        project=locked.project, communication=locked, method=SendMethod.EMAILED,
        channel="email", sent_on=today or timezone.localdate(), sent_by=actor,
        subject=subject, body=body, survey_question=question, anonymous=anonymous)
    for row in rows:
        row.send = send
    Recipient.objects.bulk_create(rows)
    record_creation(actor=actor, obj=send, fields=("subject", "method", "sent_on",
                                                   "survey_question", "anonymous"))
    record_change(actor=actor, obj=locked, verb="sent",
                  changes={"sent": [None, f"{subject} to {len(rows)} recipient"
                                          f"{'s' if len(rows) != 1 else ''}"]})
    send_id = send.pk
    transaction.on_commit(lambda: _mail_send(send_id))
    return send


def _mail_send(send_id: int) -> None:
    send = CommunicationSend.objects.select_related("project", "sent_by").get(pk=send_id)
    base = getattr(settings, "PMO_BASE_URL", "")
    for recipient in send.recipients.exclude(email=""):
        ask = ("please tell us how useful you found it and confirm you have read it"
               if send.has_survey else "please confirm you have read it")
        text = (f"{send.body}\n\n— {send.sent_by or 'The project office'}, "
                f"{send.project.name}\n\nOne click, {ask}:\n{base}{link_path(recipient)}\n")
        EmailMessage(subject=f"[{send.project.code}] {send.subject}", body=text,
                     to=[recipient.email]).send()


@transaction.atomic
def record_sent_elsewhere(*, actor: User, communication: Communication, sent_on: dt.date,
                          channel: str = "", subject: str = "", note: str = "",
                          today: dt.date | None = None) -> CommunicationSend:
    """Records that a communication went out another way (a briefing, the intranet…): the
    audience is its reach; no acknowledgement or survey is asked."""
    _require(actor, communication)
    locked = lock_for_update(Communication, communication.pk)
    _open(locked)
    if sent_on > (today or timezone.localdate()):
        raise InvalidInput.field("sent_on", "cannot be in the future")
    channel = channel or locked.channel

    if channel not in Channel.values:
        raise InvalidInput.field("channel", f"use one of {', '.join(Channel.values)}")
    if len(note.strip()) > 500:
        raise InvalidInput.field("note", "is longer than 500 characters")
    send = CommunicationSend.objects.create(
        project=locked.project, communication=locked, method=SendMethod.ELSEWHERE,
        channel=channel, sent_on=sent_on, sent_by=actor,
        subject=(subject.strip() or locked.title)[:200], body=locked.message,
        note=note.strip())
    Recipient.objects.bulk_create(
        [Recipient(send=send, stakeholder=m.stakeholder, name=m.stakeholder.title,
                   email=m.stakeholder.email)
         for m in locked.audience.select_related("stakeholder")])
    record_creation(actor=actor, obj=send, fields=("subject", "method", "channel",
                                                   "sent_on", "note"))
    record_change(actor=actor, obj=locked, verb="sent",
                  changes={"sent": [None, f"{send.subject} ({send.get_channel_display()}, "
                                          f"{sent_on:%d %b %Y})"]})
    return send


@transaction.atomic
def acknowledge(*, token: str, now: dt.datetime | None = None) -> Recipient:
    """The recipient confirms reading the message (once; again changes nothing)."""
    recipient = lock_for_update(Recipient, recipient_of(token).pk)
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at = now or timezone.now()
        recipient.save(update_fields=["acknowledged_at"])
        record_change(actor=None, obj=recipient.send, verb="acknowledged",
                      changes={"acknowledged": [None, recipient.name]})
    return recipient


@transaction.atomic
def answer_survey(*, token: str, rating: Any, comment: str = "",
                  today: dt.date | None = None) -> SurveyResponse:
    """The recipient rates the communication 1–5 with an optional comment, once. Answering
    acknowledges it too. An anonymous survey keeps the answer apart from the recipient."""
    recipient = lock_for_update(Recipient, recipient_of(token).pk)
    send = recipient.send
    if not send.has_survey:
        raise NotFound("This message has no survey")
    if recipient.responded:
        raise Conflict("You have answered already — thank you", {"rating": ["answered"]})
    try:
        score = int(str(rating).strip())
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        raise InvalidInput.field("rating", "choose a rating from 1 to 5")
    comment = comment.strip()
    if len(comment) > 2000:
        raise InvalidInput.field("comment", "is longer than 2000 characters")
    response = SurveyResponse.objects.create(
        send=send, recipient=None if send.anonymous else recipient, rating=score,
        comment=comment, answered_on=today or timezone.localdate())
    recipient.responded = True
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at = timezone.now()
    recipient.save(update_fields=["responded", "acknowledged_at"])
    who = "anonymous" if send.anonymous else recipient.name
    record_change(actor=None, obj=send, verb="answered",
                  changes={"survey": [None, f"{who}: {score}/5"]})
    return response
