"""Meetings over the API: list, schedule, read, invitation (.ics) and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, user_by_username, username
from projectoffice.controls.registers import ACTIONS
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.api import item_out

from . import actions
from .calendar import meeting_ics
from .models import Meeting, Repeat

router = Router(tags=["Meetings"])
BASE = "/projects/{code}/meetings"


class AgendaIn(StrictIn):
    title: str = Field(..., max_length=200)
    owner: str | None = None
    minutes: int = Field(10, ge=1, le=480)


class GuestIn(StrictIn):
    name: str = Field(..., max_length=200)
    email: str = Field("", max_length=254)


class MeetingIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    attendees: list[str] = Field(default_factory=list, max_length=100)
    guests: list[GuestIn] = Field(default_factory=list, max_length=100)
    agenda: list[AgendaIn] = Field(default_factory=list, max_length=50)
    repeat: str = Field(Repeat.NONE, max_length=12)
    occurrences: int = Field(1, ge=1, le=52)


class MeetingActionIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    assignee: str | None = None
    due_date: dt.date | None = None


class MeetingOut(Schema):
    id: int
    version: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    status: str
    series: str
    minutes: str
    attendees: list[dict[str, Any]]
    agenda: list[dict[str, Any]]
    decisions: list[str]
    actions: list[str]


def meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk, "version": m.version, "title": m.title, "starts_at": m.starts_at,
        "ends_at": m.ends_at, "location": m.location, "status": m.status, "series": m.series,
        "minutes": m.minutes,
        "attendees": [{"name": a.name, "user": username(a.user), "email": a.email,
                       "attendance": a.attendance} for a in m.attendees.select_related("user")],
        "agenda": [{"position": a.position, "title": a.title, "owner": username(a.owner),
                    "minutes": a.minutes_allowed} for a in m.agenda.select_related("owner")],
        "decisions": [d.text for d in m.decisions.all()],
        "actions": [ma.action.reference for ma in m.actions.select_related("action")],
    }


def _meeting(project: Project, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(project=project, pk=meeting_id).first()
    if meeting is None:
        raise NotFound(f"No meeting {meeting_id} in {project.code}")
    return meeting


@router.get(BASE, response=list[MeetingOut],
            summary="Meetings of a project, latest first")
@project_operation("meeting.view")
def meetings(request: AuthedRequest, project: Project, limit: int = 50) -> list[dict[str, Any]]:
    rows = Meeting.objects.filter(project=project)[:max(1, min(limit, 200))]
    return [meeting_out(m) for m in rows]


@router.post(BASE, response={201: list[MeetingOut]},
             summary="Schedule a meeting or a series")
@project_operation("meeting.manage")
def schedule(request: AuthedRequest, project: Project, payload: MeetingIn) -> Status[Any]:
    people = [p for p in (user_by_username(n, "attendees") for n in payload.attendees) if p]
    made = actions.schedule_meeting(
        actor=request.user, project=project, title=payload.title,
        starts_at=payload.starts_at, ends_at=payload.ends_at, location=payload.location,
        description=payload.description, attendees=people,
        guests=[actions.Guest(g.name, g.email) for g in payload.guests],
        agenda=[actions.AgendaLine(a.title, user_by_username(a.owner, "agenda"), a.minutes)
                for a in payload.agenda],
        repeat=payload.repeat, occurrences=payload.occurrences)
    return Status(201, [meeting_out(m) for m in made])


@router.get(BASE + "/{meeting_id}", response=MeetingOut,
            summary="One meeting")
@project_operation("meeting.view")
def meeting(request: AuthedRequest, project: Project, meeting_id: int) -> dict[str, Any]:
    return meeting_out(_meeting(project, meeting_id))


@router.get(BASE + "/{meeting_id}/ics",
            summary="The invitation as iCalendar")
@project_operation("meeting.view")
def invitation(request: AuthedRequest, project: Project, meeting_id: int) -> HttpResponse:
    return HttpResponse(meeting_ics([_meeting(project, meeting_id)]),
                        content_type="text/calendar")


@router.post(BASE + "/{meeting_id}/actions", response={201: dict[str, Any]},
             summary="Raise an action in the meeting (an item of the Actions register)")
@project_operation("meeting.manage")
def raise_action(request: AuthedRequest, project: Project, meeting_id: int,
                 payload: MeetingActionIn) -> Status[Any]:
    action = actions.record_meeting_action(
        actor=request.user, meeting=_meeting(project, meeting_id), title=payload.title,
        assignee=user_by_username(payload.assignee, "assignee"), due_date=payload.due_date)
    return Status(201, item_out(ACTIONS, action))


class MeetingCancelIn(StrictIn):
    version: int
    reason: str = Field("", max_length=1000)


class RescheduleIn(StrictIn):
    version: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str | None = Field(None, max_length=200)


@router.post(BASE + "/{meeting_id}/cancel", response=MeetingOut,
             summary="Cancel a planned meeting: attendees get a METHOD:CANCEL .ics")
@project_operation("meeting.manage")
def cancel(request: AuthedRequest, project: Project, meeting_id: int,
           payload: MeetingCancelIn) -> dict[str, Any]:
    return meeting_out(actions.cancel_meeting(actor=request.user,
                                              meeting=_meeting(project, meeting_id),
                                              version=payload.version, reason=payload.reason))


@router.post(BASE + "/{meeting_id}/reschedule", response=MeetingOut,
             summary="Move a planned meeting (and the rooms booked for it); attendees get the "
                     "updated .ics")
@project_operation("meeting.manage")
def reschedule(request: AuthedRequest, project: Project, meeting_id: int,
               payload: RescheduleIn) -> dict[str, Any]:
    return meeting_out(actions.reschedule_meeting(
        actor=request.user, meeting=_meeting(project, meeting_id), version=payload.version,
        starts_at=payload.starts_at, ends_at=payload.ends_at, location=payload.location))
