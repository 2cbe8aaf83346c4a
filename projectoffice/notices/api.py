"""Announcements and notification preferences over the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import Page, StrictIn, paginate, username
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, object_operation, office_operation
from projectoffice.portfolio.models import Programme
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import EmailDelivery, NotificationKind

from . import actions, queries
from .models import Announcement, Audience

router = Router(tags=["Announcements and notifications"])


class AnnouncementIn(StrictIn):
    audience: Audience
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=5000)
    expires_on: dt.date | None = None
    project: str | None = Field(None, max_length=20, description="Project code (audience "
                                                                 "project)")
    programme: str | None = Field(None, max_length=20, description="Programme code "
                                                                   "(audience programme)")


class WithdrawIn(StrictIn):
    version: int


class AnnouncementOut(Schema):
    id: int
    version: int
    audience: str
    project: str | None
    programme: str | None
    title: str
    body: str
    expires_on: dt.date | None
    author: str | None
    created_at: dt.datetime
    withdrawn: bool


class PreferenceIn(StrictIn):
    kind: NotificationKind
    in_app: bool = True
    email: EmailDelivery = EmailDelivery.IMMEDIATE


class PreferencesIn(StrictIn):
    preferences: list[PreferenceIn] = Field(..., max_length=20)


class PreferenceOut(Schema):
    kind: str
    label: str
    in_app: bool
    email: str


def announcement_out(a: Announcement) -> dict[str, Any]:
    return {"id": a.pk, "version": a.version, "audience": a.audience,
            "project": a.project.code if a.project else None,
            "programme": a.programme.code if a.programme else None, "title": a.title,
            "body": a.body, "expires_on": a.expires_on, "author": username(a.author),
            "created_at": a.created_at, "withdrawn": a.withdrawn_at is not None}


@router.get("/announcements", response=list[AnnouncementOut],
            summary="Current announcements addressed to me (everyone, my projects and "
                    "programmes)")
@office_operation("authenticated")
def announcements(request: AuthedRequest) -> list[dict[str, Any]]:
    rows = queries.visible_announcements(request.user, timezone.localdate())[:200]
    return [announcement_out(a) for a in rows]


@router.post("/announcements", response={201: AnnouncementOut},
             openapi_extra={"x-permission-note": "to everyone: announcement.everyone (PMO); "
                                                 "to a programme: its manager or the PMO"},
             summary="Announce to everyone, a programme or a project")
@object_operation("announcement.post")
def announce(request: AuthedRequest, payload: AnnouncementIn) -> Status[Any]:
    project = programme = None
    if payload.audience == Audience.PROJECT:
        if not payload.project:
            raise InvalidInput.field("project", "name the project")
        project = access_project(request.user, payload.project, actions.POST)
    if payload.audience == Audience.PROGRAMME:
        programme = Programme.objects.filter(code=payload.programme or "").first()
        if programme is None:
            raise InvalidInput.field("programme", f"no programme {payload.programme!r}")
    made = actions.post_announcement(
        actor=request.user, audience=payload.audience, title=payload.title, body=payload.body,
        expires_on=payload.expires_on, project=project, programme=programme)
    return Status(201, announcement_out(made))


@router.post("/announcements/{announcement_id}/withdraw", response=AnnouncementOut,
             summary="Withdraw an announcement before it expires")
@object_operation("announcement.post")
def withdraw(request: AuthedRequest, announcement_id: int,
             payload: WithdrawIn) -> dict[str, Any]:
    found = Announcement.objects.select_related("project", "programme").filter(
        pk=announcement_id).first()
    if found is None or not queries.visible_announcements(
            request.user, timezone.localdate(), include_expired=True).filter(
            pk=found.pk).exists():
        raise NotFound(f"No announcement {announcement_id}")
    if found.project is not None:
        access_project(request.user, found.project.code, actions.POST)
    return announcement_out(actions.withdraw_announcement(
        actor=request.user, announcement=found, version=payload.version))


def preferences_out(user: Any) -> list[dict[str, Any]]:
    out = []
    for kind, label in NotificationKind.choices:
        in_app, email = register_actions.preference_of(user, kind)
        out.append({"kind": kind, "label": label, "in_app": in_app, "email": email})
    return out


@router.get("/me/notification-preferences", response=list[PreferenceOut],
            summary="How I hear of each kind of notification")
@office_operation("authenticated")
def my_preferences(request: AuthedRequest) -> list[dict[str, Any]]:
    return preferences_out(request.user)


@router.post("/me/notification-preferences", response=list[PreferenceOut],
             summary="Choose, per kind, the app and e-mail at once, in the daily digest or "
                     "not at all")
@office_operation("authenticated")
def set_preferences(request: AuthedRequest, payload: PreferencesIn) -> list[dict[str, Any]]:
    register_actions.set_notification_preferences(
        actor=request.user,
        preferences={p.kind: (p.in_app, p.email) for p in payload.preferences})
    return preferences_out(request.user)


class OutboxMessageOut(Schema):
    id: int
    sent_at: dt.datetime
    from_email: str
    to: str
    subject: str
    body: str
    attachments: list[dict[str, Any]]


@router.get("/outbox", response=Page, tags=["Outbox"])
@office_operation("outbox.view")
def outbox(request: AuthedRequest, q: str = "", limit: int = 50,
           offset: int = 0) -> dict[str, Any]:
    """The e-mail the office kept (no mail server configured) or sent, newest first;
    `q` narrows it to recipients or subjects containing the text."""
    count, rows = paginate(queries.outbox(request.user, q.strip()[:100]), limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [OutboxMessageOut.from_orm(m).dict() for m in rows]}


@router.get("/outbox/{message_id}", response=OutboxMessageOut, tags=["Outbox"])
@office_operation("outbox.view")
def outbox_message(request: AuthedRequest, message_id: int) -> Any:
    return queries.outbox_message(request.user, message_id)
