"""REST operations of training beyond the kernel's registers (training needs and courses):
coverage, sessions booked in rooms, enrolment with the waiting list, and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, user_by_username
from projectoffice.documents.models import Document
from projectoffice.engagement.models import Stakeholder
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.facilities.models import BookableResource
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions, queries
from .models import Course, Enrolment, TrainingSession
from .registers import COURSES

router = Router(tags=["training"])
VIEW = "trainingneed.view"



class TrainingSessionIn(StrictIn):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int = Field(ge=1, le=1000)
    room: int | None = Field(None, description="a room's id (GET /facilities/resources)")
    venue: str = Field("", max_length=200, description="where, when not in a room")
    trainer: str | None = Field(None, description="a member's username")


class EnrolmentIn(StrictIn):
    group: str | None = Field(None, description="a stakeholder group's reference: enrols "
                                                "as many people as it has")
    person: str | None = Field(None, description="a member's username")
    name: str = Field("", max_length=200, description="someone else's name")
    email: str = Field("", max_length=254)
    seats: int | None = Field(None, ge=1, le=1000)


class AttendanceRowIn(StrictIn):
    enrolment: int
    attended: int = Field(ge=0)
    result: str = Field("", description="'', 'passed' or 'failed'")


class AttendanceIn(StrictIn):
    attendance: list[AttendanceRowIn]


class EnrolmentOut(Schema):
    id: int
    name: str
    group: str | None
    person: str | None
    seats: int
    status: str
    attended: int | None
    result: str


class TrainingSessionOut(Schema):
    id: int
    course: str
    course_title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str | None
    venue: str
    booking: int | None
    trainer: str | None
    capacity: int
    taken: int
    waiting: int
    cancelled: bool
    version: int


class TrainingSessionDetailOut(TrainingSessionOut):
    enrolments: list[EnrolmentOut]


class TrainingSessionsOut(Schema):
    sessions: list[TrainingSessionOut]


class EnrolmentsOut(Schema):
    enrolments: list[EnrolmentOut]


class NeedCoverageOut(Schema):
    need: str
    title: str
    group: str
    impact: str | None
    needed_by: dt.date | None
    affected: int
    trained: int
    booked: int
    waiting: int
    coverage: float | None
    missing: list[str]


class GroupCoverageOut(Schema):
    group: str
    name: str
    affected: int
    trained: int
    coverage: float | None


class TrainingCoverageOut(Schema):
    needs: list[NeedCoverageOut]
    groups: list[GroupCoverageOut]


def _enrolment(r: Enrolment) -> dict[str, Any]:
    return {"id": r.pk, "name": r.name, "group": r.group.reference if r.group else None,
            "person": r.person.username if r.person else None, "seats": r.seats,
            "status": r.status, "attended": r.attended, "result": r.result}


def _session_out(s: TrainingSession, detail: bool = False) -> dict[str, Any]:
    rows = list(s.enrolments.select_related("group", "person").order_by("created_at", "id"))
    out = {"id": s.pk, "course": s.course.reference, "course_title": s.course.title,
           "starts_at": s.starts_at, "ends_at": s.ends_at,
           "room": s.room.name if s.room else None, "venue": s.venue,
           "booking": s.booking_id, "trainer": s.trainer.username if s.trainer else None,
           "capacity": s.capacity,
           "taken": sum(r.seats for r in rows if r.status == "enrolled"),
           "waiting": sum(r.seats for r in rows if r.status == "waiting"),
           "cancelled": s.cancelled, "version": s.version}
    if detail:
        out["enrolments"] = [_enrolment(r) for r in rows]
    return out


def _session(request: AuthedRequest, project: Project, session_id: int) -> TrainingSession:
    session = (TrainingSession.objects.filter(project=project, pk=session_id)
               .select_related("course", "room", "trainer").first())
    if session is None:
        raise NotFound(f"No training session {session_id} in {project.code}")
    return session


@router.get("/projects/{code}/training-coverage", response=TrainingCoverageOut,
            summary="The share of each need's and each group's people trained in time")
@project_operation(VIEW)
def coverage(request: AuthedRequest, project: Project) -> dict[str, Any]:
    rows = queries.coverage(project)
    return {"needs": [{"need": r.need.reference, "title": r.need.title,
                       "group": r.need.group.reference,
                       "impact": r.need.impact.reference if r.need.impact else None,
                       "needed_by": r.need.needed_by, "affected": r.affected,
                       "trained": r.trained, "booked": r.booked, "waiting": r.waiting,
                       "coverage": r.share, "missing": r.missing} for r in rows],
            "groups": [{"group": g.group.reference, "name": g.group.title,
                        "affected": g.affected, "trained": g.trained, "coverage": g.share}
                       for g in queries.group_coverage(rows).values()]}


@router.get("/projects/{code}/training-sessions", response=TrainingSessionsOut,
            summary="Training sessions, earliest first")
@project_operation(VIEW)
def sessions(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return {"sessions": [_session_out(r.session) for r in queries.sessions(project)]}


@router.get("/projects/{code}/training-sessions/{session_id}",
            response=TrainingSessionDetailOut,
            summary="A training session with its enrolments and attendance")
@project_operation(VIEW)
def session(request: AuthedRequest, project: Project, session_id: int) -> dict[str, Any]:
    return _session_out(_session(request, project, session_id), detail=True)


@router.post("/projects/{code}/courses/{ref}/sessions", response={201: TrainingSessionOut},
             summary="Schedule a session of a course, booking its room (409 on a clash)")
@project_operation("training.manage")
def schedule(request: AuthedRequest, project: Project, ref: str, payload: TrainingSessionIn) -> Any:
    course = get_item(COURSES, project, ref)
    if not isinstance(course, Course):
        raise NotFound(f"No course {ref!r} in {project.code}")
    room = None
    if payload.room is not None:
        room = BookableResource.objects.filter(pk=payload.room).first()
        if room is None:
            raise InvalidInput.field("room", f"no room {payload.room}")
    created = actions.schedule_session(
        actor=request.user, course=course, starts_at=payload.starts_at,
        ends_at=payload.ends_at, capacity=payload.capacity, room=room, venue=payload.venue,
        trainer=user_by_username(payload.trainer, "trainer"))
    return Status(201, _session_out(created))


@router.post("/projects/{code}/training-sessions/{session_id}/enrolments",
             response={201: EnrolmentsOut},
             summary="Enrol a person or a whole stakeholder group; what does not fit waits")
@project_operation("training.manage")
def enrol(request: AuthedRequest, project: Project, session_id: int, payload: EnrolmentIn) -> Any:
    found = _session(request, project, session_id)
    group = None
    if payload.group:
        group = Stakeholder.objects.filter(project=found.project,
                                           reference=payload.group.strip().upper()).first()
        if group is None:
            raise InvalidInput.field("group", f"no stakeholder {payload.group!r} in "
                                              f"{found.project.code}")
    person = user_by_username(payload.person, "person")
    if person is None and group is None and not payload.name.strip():
        raise InvalidInput.field("name", "give a group, a person or a name")
    rows = actions.enrol(actor=request.user, session=found, person=person, group=group,
                         name=payload.name, email=payload.email, seats=payload.seats)
    return Status(201, {"enrolments": [_enrolment(r) for r in rows]})


@router.post("/projects/{code}/training-sessions/{session_id}/enrolments/{enrolment_id}/cancel",
             response=EnrolmentsOut,
             summary="Give a place back; returns who moved up from the waiting list")
@project_operation("training.manage")
def cancel_enrolment(request: AuthedRequest, project: Project, session_id: int,
                     enrolment_id: int) -> dict[str, Any]:
    found = _session(request, project, session_id)
    row = Enrolment.objects.filter(session=found, pk=enrolment_id).first()
    if row is None:
        raise NotFound(f"No enrolment {enrolment_id} on this session")
    moved = actions.cancel_enrolment(actor=request.user, enrolment=row)
    return {"enrolments": [_enrolment(r) for r in moved]}


@router.post("/projects/{code}/training-sessions/{session_id}/attendance",
             response=TrainingSessionDetailOut,
             summary="Record how many of each enrolment attended, and their result")
@project_operation("training.manage")
def attendance(request: AuthedRequest, project: Project, session_id: int,
               payload: AttendanceIn) -> dict[str, Any]:
    found = _session(request, project, session_id)
    actions.record_attendance(actor=request.user, session=found, attendance={
        row.enrolment: (row.attended, row.result) for row in payload.attendance})
    return _session_out(_session(request, project, session_id), detail=True)


class MaterialIn(StrictIn):
    document: str = Field(max_length=40, description="a document's reference (DOC-0003)")


class MaterialOut(Schema):
    reference: str
    code: str
    title: str
    current_version: int | None


def _course(request: AuthedRequest, project: Project, ref: str) -> Course:
    course = get_item(COURSES, project, ref, request.user)
    if not isinstance(course, Course):
        raise NotFound(f"No course {ref!r} in {project.code}")
    return course


def _document(course: Course, ref: str, field: str = "document") -> Document:
    document: Document | None = Document.objects.filter(
        project=course.project, reference=ref.strip().upper()).first()
    if document is None:
        raise InvalidInput.field(field, f"no document {ref!r} in {course.project.code}")
    return document


def _materials(course: Course) -> list[dict[str, Any]]:
    return [{"reference": d.reference, "code": d.code, "title": d.title,
             "current_version": d.current_version.number if d.current_version else None}
            for d in queries.course_materials(course)]


@router.get("/projects/{code}/courses/{ref}/materials", response=list[MaterialOut],
            summary="The course's material: documents of the project's document register")
@project_operation("course.view")
def list_materials(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    return _materials(_course(request, project, ref))


@router.post("/projects/{code}/courses/{ref}/materials", response={201: list[MaterialOut]},
             summary="Link a document of the register to the course as its material")
@project_operation("course.change")
def add_material(request: AuthedRequest, project: Project, ref: str, payload: MaterialIn) -> Any:
    course = _course(request, project, ref)
    course = actions.add_course_material(actor=request.user, course=course,
                                         document=_document(course, payload.document))
    return Status(201, _materials(course))


@router.delete("/projects/{code}/courses/{ref}/materials/{document_ref}",
               response={204: None},
               summary="Unlink a document from the course's material")
@project_operation("course.change")
def remove_material(request: AuthedRequest, project: Project, ref: str,
                    document_ref: str) -> Status[None]:
    course = _course(request, project, ref)
    actions.remove_course_material(actor=request.user, course=course,
                                   document=_document(course, document_ref))
    return Status(204, None)
