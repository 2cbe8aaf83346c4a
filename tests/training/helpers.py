"""A course answering the need an impact proposed, a room, a session booked in it, and the
current and future positions, on the test office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from projectoffice.documents.registers import DOCUMENTS
from projectoffice.facilities import actions as facilities
from projectoffice.orgdesign import actions as orgdesign_actions
from projectoffice.orgdesign.registers import POSITIONS, STAFFING, UNITS
from projectoffice.people import actions as people_actions
from projectoffice.registers import actions as register_actions
from projectoffice.training import actions
from projectoffice.training.models import TrainingNeed
from projectoffice.training.registers import COURSES


def _start() -> dt.datetime:
    """An hour ago: the session is on, so places can be given and attendance recorded."""
    return timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)


def training_setup(office: Any, engaged: dict[str, Any]) -> dict[str, Any]:
    """Needs `engagement_setup`'s impact (which proposed the need)."""
    need = TrainingNeed.objects.get(impact=engaged["change-impacts"])
    # The sessions below are held now: the need falls due after them.
    need = register_actions.update_item(
        actor=office.pm, item=need, version=need.version,
        changes={"needed_by": timezone.localdate() + dt.timedelta(days=60)})
    course = register_actions.create_item(
        actor=office.pm, spec=COURSES, project=office.project,
        data={"title": "CRM case handling", "need": need, "objectives": "Log a case",
              "duration_hours": 3})
    room = facilities.add_resource(actor=office.staff, name="Training room", capacity=12)
    start = _start()
    session = actions.schedule_session(actor=office.pm, course=course, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=3), capacity=10,
                                       room=room)
    # Someone on the waiting list, so that giving a place back moves them up.
    enrolment = actions.enrol(actor=office.pm, session=session, name="Ana Ruiz")[0]
    unit = register_actions.create_item(actor=office.pm, spec=UNITS, project=office.project,
                                        data={"title": "Customer service", "design": "future"})
    lead = register_actions.create_item(
        actor=office.pm, spec=POSITIONS, project=office.project,
        data={"title": "Head of service", "design": "future", "unit": unit, "grade": "E1"})
    agent = register_actions.create_item(
        actor=office.pm, spec=POSITIONS, project=office.project,
        data={"title": "CRM agent", "design": "future", "unit": unit, "reports_to": lead})
    # A skill the position requires (and the caller will hold), the course's material,
    # and a staffing request in draft.
    skill = people_actions.create_skill(actor=office.pmo, name="Matrix skill")
    orgdesign_actions.set_position_skill(actor=office.pm, position=agent, skill=skill,
                                         level=2)
    actions.add_course_material(actor=office.pm, course=course, document=office.document)
    handbook = register_actions.create_item(actor=office.pm, spec=DOCUMENTS,
                                            project=office.project,
                                            data={"title": "Course handbook"})
    staffing = register_actions.create_item(
        actor=office.pm, spec=STAFFING, project=office.project,
        data={"title": "Recruit agents", "position": agent, "starts_on": dt.date(2026, 6, 1),
              "reason": "Volume after go-live"})
    return {"group": engaged["group"], "training-needs": need, "courses": course,
            "room": room, "session": session, "org-units": unit, "positions": agent,
            "lead": lead, "enrolment": enrolment, "skill": skill, "handbook": handbook,
            "staffing-requests": staffing}


def training_bodies(office: Any) -> dict[str, Any]:
    """Bodies for the training and organisation operations in the permission matrix."""
    ids = getattr(office, "training", None)
    if not ids:
        return {}
    session = ids["session"]
    return {
        "POST /projects/{code}/courses/{ref}/sessions": {
            "starts_at": "2030-05-06T09:00:00Z", "ends_at": "2030-05-06T10:00:00Z",
            "capacity": 5, "room": ids["room"].pk},
        "POST /projects/{code}/training-sessions/{session_id}/enrolments": {
            "group": ids["group"].reference},
        "POST /projects/{code}/training-sessions/{session_id}/attendance": {"attendance": []},
        "POST /projects/{code}/training-sessions/{session_id}/enrolments/{enrolment_id}/cancel":
            {},
        "POST /projects/{code}/training-needs": {"title": "Coaching",
                                                 "group": str(ids["group"].pk)},
        "POST /projects/{code}/courses": {"title": "Coaching basics"},
        "POST /projects/{code}/positions": {"title": "Analyst"},
        "POST /projects/{code}/org-units": {"title": "Sales"},
        "POST /projects/{code}/positions/{ref}/skills": {"skill": "Matrix skill", "level": 3},
        "POST /projects/{code}/skills-gaps/needs": {"group": ids["group"].reference,
                                                    "skill": "Matrix skill", "level": 2},
        "POST /projects/{code}/courses/{ref}/materials": {
            "document": ids["handbook"].reference},
        "POST /projects/{code}/staffing-requests": {
            "title": "Recruit", "position": str(ids["positions"].pk),
            "starts_on": "2026-06-01", "reason": "Volume"},
        "POST /skills": {"name": "Another skill"},
        "POST /people/{username}/skills": {"skill": "Matrix skill", "level": 3},
        "_session": session,
    }
