"""REST operations of stakeholders and communications beyond the kernel's register ones:
the stakeholder map, a communication's audience, sending it or recording it as sent, the
log of what was sent with its reception, and the communications calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, user_by_username
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions, orgchange, queries, readiness
from .models import ADKAR, ChangeImpact, Channel, Communication, Stakeholder
from .registers import COMMUNICATIONS, IMPACTS

router = Router(tags=["engagement"])



class AudienceIn(StrictIn):
    version: int
    stakeholders: list[str] = Field(description="references of the project's stakeholders "
                                                "(people or groups), e.g. STK-0003")


class SendIn(StrictIn):
    subject: str = Field("", max_length=200, description="the communication's title if empty")
    body: str = Field("", max_length=20000, description="its key message if empty")
    addresses: list[str] = Field(default_factory=list,
                                 description="addresses beyond the audience's")
    survey_question: str = Field("", max_length=200,
                                 description="asks for a 1–5 rating and a comment if set")
    anonymous: bool = False


class CommunicationRecordIn(StrictIn):
    sent_on: dt.date
    channel: str = Field("", description=f"one of {', '.join(Channel.values)}; the "
                                         "communication's channel if empty")
    subject: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class CalendarQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class StakeholderMapEntryOut(Schema):
    reference: str
    name: str
    kind: str
    power: int
    interest: int
    quadrant: str
    attitude_now: str
    attitude_wanted: str
    gap: int


class StakeholderMapOut(Schema):
    stakeholders: list[StakeholderMapEntryOut]


class CommunicationAudienceMemberOut(Schema):
    reference: str
    name: str
    kind: str
    email: str


class CommunicationAudienceOut(Schema):
    reference: str
    version: int
    stakeholders: list[CommunicationAudienceMemberOut]


class CommunicationSendOut(Schema):
    id: int
    communication: str
    method: str
    channel: str
    sent_on: dt.date
    subject: str
    note: str
    sent_by: str | None
    survey_question: str
    anonymous: bool
    recipients: int
    acknowledged: int
    responses: int
    response_rate: float | None
    mean_rating: float | None


class CommunicationSendsOut(Schema):
    sends: list[CommunicationSendOut]


class CommunicationCalendarEntryOut(Schema):
    date: dt.date
    kind: str = Field(description="planned, sent or milestone")
    title: str
    reference: str
    detail: str
    late: bool


class CommunicationCalendarOut(Schema):
    start: dt.date
    end: dt.date
    entries: list[CommunicationCalendarEntryOut]


def _communication(request: AuthedRequest, project: Project, ref: str) -> Communication:
    item = get_item(COMMUNICATIONS, project, ref)
    if not isinstance(item, Communication):
        raise NotFound(f"No communication {ref!r} in {project.code}")
    return item


@router.get("/projects/{code}/stakeholder-map", response=StakeholderMapOut,
            summary="Each open stakeholder's place on the power/interest grid and attitude gap")
@project_operation("stakeholder.view")
def stakeholder_map(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return {"stakeholders": [
        {"reference": r.stakeholder.reference, "name": r.stakeholder.title,
         "kind": r.stakeholder.kind, "power": r.stakeholder.power,
         "interest": r.stakeholder.interest, "quadrant": r.quadrant,
         "attitude_now": r.stakeholder.attitude_now,
         "attitude_wanted": r.stakeholder.attitude_wanted, "gap": r.gap}
        for r in queries.stakeholder_map(project)]}


@router.get("/projects/{code}/communications/{ref}/audience",
            response=CommunicationAudienceOut,
            summary="Who a communication is for")
@project_operation("communication.view")
def audience(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
    item = _communication(request, project, ref)
    return _audience_out(item)


def _audience_out(item: Communication) -> dict[str, Any]:
    return {"reference": item.reference, "version": item.version, "stakeholders": [
        {"reference": m.stakeholder.reference, "name": m.stakeholder.title,
         "kind": m.stakeholder.kind, "email": m.stakeholder.email}
        for m in item.audience.select_related("stakeholder")]}


@router.post("/projects/{code}/communications/{ref}/audience",
             response=CommunicationAudienceOut,
             summary="Set a communication's audience (replaces it)")
@project_operation("communications.manage")
def set_audience(request: AuthedRequest, project: Project, ref: str,
                 payload: AudienceIn) -> dict[str, Any]:
    item = _communication(request, project, ref)
    chosen: list[Stakeholder] = []
    for reference in payload.stakeholders:
        found = Stakeholder.objects.filter(project=item.project,
                                           reference=reference.strip().upper()).first()
        if found is None:
            raise InvalidInput.field("stakeholders", f"no stakeholder {reference!r} in "
                                                     f"{item.project.code}")
        chosen.append(found)
    saved = actions.set_audience(actor=request.user, communication=item,
                                 version=payload.version, stakeholders=chosen)
    return _audience_out(saved)


@router.post("/projects/{code}/communications/{ref}/send",
             response={201: CommunicationSendOut},
             summary="E-mail a communication to its audience, each with a link to confirm "
                     "reading it (and answer its survey)")
@project_operation("communications.manage")
def send(request: AuthedRequest, project: Project, ref: str, payload: SendIn) -> Any:
    item = _communication(request, project, ref)
    sent = actions.send_communication(actor=request.user, communication=item,
                                      **payload.dict())
    row = next(r for r in queries.send_rows(item.project, item) if r.send.pk == sent.pk)
    return Status(201, queries.as_dict(row.send, row.reception))


@router.post("/projects/{code}/communications/{ref}/record",
             response={201: CommunicationSendOut},
             summary="Record a communication as sent another way")
@project_operation("communications.manage")
def record(request: AuthedRequest, project: Project,
           ref: str, payload: CommunicationRecordIn) -> Any:
    item = _communication(request, project, ref)
    sent = actions.record_sent_elsewhere(actor=request.user, communication=item,
                                         **payload.dict())
    row = next(r for r in queries.send_rows(item.project, item) if r.send.pk == sent.pk)
    return Status(201, queries.as_dict(row.send, row.reception))


@router.get("/projects/{code}/communication-sends", response=CommunicationSendsOut,
            summary="What was sent, newest first, with acknowledgements, response rate and "
                    "mean rating")
@project_operation("communication.view")
def sends(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return {"sends": [queries.as_dict(r.send, r.reception)
                      for r in queries.send_rows(project)]}


@router.get("/projects/{code}/communications-calendar", response=CommunicationCalendarOut,
            summary="Planned communications, what was sent and the milestones, by date")
@project_operation("communication.view")
def calendar(request: AuthedRequest, project: Project,
             query: Query[CalendarQuery]) -> dict[str, Any]:
    today = timezone.localdate()
    start = query.start or today.replace(day=1)
    end = query.end or start + dt.timedelta(days=91)
    if end < start:
        raise InvalidInput.field("end", "must be on or after the start")
    if (end - start).days > 731:
        raise InvalidInput.field("end", "at most two years at a time")
    return {"start": start, "end": end, "entries": [
        {"date": e.day, "kind": e.kind, "title": e.title, "reference": e.reference,
         "detail": e.detail, "late": e.late}
        for e in queries.calendar(project, start, end, today)]}


class AssessmentIn(StrictIn):
    group: str = Field(description="the stakeholder's reference, e.g. STK-0003")
    assessed_on: dt.date
    awareness: int
    desire: int
    knowledge: int
    ability: int
    reinforcement: int
    note: str = Field("", max_length=500)


class ActivityIn(StrictIn):
    kind: str = Field(description="briefing, coaching, champions, workshop, support or other")
    title: str = Field(max_length=180)
    assignee: str | None = None
    due_date: dt.date | None = None


class ReadinessAssessmentOut(Schema):
    id: int
    group: str
    assessed_on: dt.date
    awareness: int
    desire: int
    knowledge: int
    ability: int
    reinforcement: int
    overall: float
    note: str
    assessed_by: str | None


class ReadinessGoLiveOut(Schema):
    uid: int
    name: str
    date: dt.date | None


class ReadinessGroupOut(Schema):
    reference: str
    name: str
    impacts: list[str]
    assessments: list[ReadinessAssessmentOut]


class ReadinessOut(Schema):
    go_live: ReadinessGoLiveOut | None
    groups: list[ReadinessGroupOut]


class ChangeActivityOut(Schema):
    reference: str
    title: str
    impact: str


def _assessment_out(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "group": a.group.reference, "assessed_on": a.assessed_on,
            **{name: getattr(a, name) for name, _ in ADKAR},
            "overall": round(a.overall, 2), "note": a.note,
            "assessed_by": a.assessed_by.username if a.assessed_by else None}


@router.get("/projects/{code}/readiness", response=ReadinessOut,
            summary="Each group's readiness assessments (ADKAR), impacts and the go-live "
                    "milestone")
@project_operation("impact.view")
def readiness_of(request: AuthedRequest, project: Project) -> dict[str, Any]:
    milestone = readiness.go_live(project)
    return {"go_live": None if milestone is None else
            {"uid": milestone.uid, "name": milestone.name,
             "date": readiness.day_of(milestone)},
            "groups": [{"reference": r.group.reference, "name": r.group.title,
                        "impacts": [i.reference for i in r.impacts],
                        "assessments": [_assessment_out(a) for a in r.history]}
                       for r in readiness.readiness(project)]}


@router.post("/projects/{code}/readiness", response={201: ReadinessAssessmentOut},
             summary="Record a group's readiness, 1–5 on each ADKAR dimension")
@project_operation("orgchange.manage")
def record_assessment(request: AuthedRequest, project: Project, payload: AssessmentIn) -> Any:
    group = Stakeholder.objects.filter(project=project,
                                       reference=payload.group.strip().upper()).first()
    if group is None:
        raise InvalidInput.field("group", f"no stakeholder {payload.group!r} in "
                                          f"{project.code}")
    data = payload.dict()
    a = orgchange.record_assessment(
        actor=request.user, group=group, assessed_on=data.pop("assessed_on"),
        note=data.pop("note"), scores={k: v for k, v in data.items() if k != "group"})
    return Status(201, _assessment_out(a))


@router.post("/projects/{code}/change-impacts/{ref}/activities",
             response={201: ChangeActivityOut},
             summary="Raise a change activity: an action linked to the impact")
@project_operation("orgchange.manage")
def add_activity(request: AuthedRequest, project: Project, ref: str, payload: ActivityIn) -> Any:
    impact = get_item(IMPACTS, project, ref)
    if not isinstance(impact, ChangeImpact):
        raise NotFound(f"No change impact {ref!r} in {project.code}")
    action = orgchange.add_change_activity(
        actor=request.user, impact=impact, kind=payload.kind, title=payload.title,
        assignee=user_by_username(payload.assignee, "assignee"), due_date=payload.due_date)
    return Status(201, {"reference": action.reference, "title": action.title,
                        "impact": impact.reference})
