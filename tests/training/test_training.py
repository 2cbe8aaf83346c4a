"""Training: the need an impact proposes, sessions booked in rooms (clashes refused),
enrolment of groups with the waiting list, attendance and coverage, the .ics invitation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from projectoffice.engagement.registers import IMPACTS, STAKEHOLDERS
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.facilities.models import Booking
from projectoffice.registers import actions as register_actions
from projectoffice.training import actions, queries
from projectoffice.training.models import Enrolment, TrainingNeed, TrainingSession
from tests.conftest import PASSWORD, Api
from tests.engagement.helpers import engagement_setup
from tests.training.helpers import training_setup


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    engaged = engagement_setup(office)
    return {**engaged, **training_setup(office, engaged)}


def test_an_impact_proposes_a_training_need_for_its_group(office: Any) -> None:
    engaged = engagement_setup(office)
    impact = engaged["change-impacts"]
    need = TrainingNeed.objects.get(impact=impact)
    assert need.group == engaged["group"]
    assert need.status == "proposed" and need.needed_by == dt.date(2026, 6, 1)
    assert need.proficiency == 4  # a high impact
    assert need.reference.startswith("TNE-")
    # The change manager records impacts without holding any training permission.
    register_actions.create_item(actor=office.members["change_manager"], spec=IMPACTS,
                                 project=office.project,
                                 data={"title": "New escalation role", "group": engaged["group"],
                                       "aspect": "role"})
    assert TrainingNeed.objects.filter(group=engaged["group"]).count() == 2


def test_a_session_books_its_room_and_a_clash_is_refused(office: Any,
                                                        world: dict[str, Any]) -> None:
    session = world["session"]
    assert session.booking is not None and session.booking.resource == world["room"]
    assert "Training" in session.booking.purpose
    with pytest.raises(Conflict) as clash:
        actions.schedule_session(actor=office.pm, course=world["courses"],
                                 starts_at=session.starts_at + dt.timedelta(hours=1),
                                 ends_at=session.ends_at + dt.timedelta(hours=1), capacity=5,
                                 room=world["room"])
    assert "already booked" in clash.value.message and "starts_at" in clash.value.errors
    with pytest.raises(InvalidInput) as too_big:
        actions.schedule_session(actor=office.pm, course=world["courses"],
                                 starts_at=session.ends_at + dt.timedelta(days=1),
                                 ends_at=session.ends_at + dt.timedelta(days=1, hours=2),
                                 capacity=30, room=world["room"])
    assert "12" in too_big.value.errors["capacity"][0]
    assert TrainingSession.objects.count() == 1 and Booking.objects.count() == 1


def test_only_training_roles_schedule(office: Any, world: dict[str, Any]) -> None:
    with pytest.raises(Forbidden):
        actions.enrol(actor=office.members["communications"], session=world["session"],
                      group=world["group"])
    start = world["session"].ends_at + dt.timedelta(days=2)
    made = actions.schedule_session(actor=office.members["training_manager"],
                                    course=world["courses"], starts_at=start,
                                    ends_at=start + dt.timedelta(hours=1), capacity=4,
                                    venue="Online")
    assert made.booking is None and made.where == "Online"


def test_a_group_beyond_capacity_waits_and_moves_up_when_a_place_frees(
        office: Any, world: dict[str, Any]) -> None:
    session = world["session"]  # 10 places, one given; the group has 40 people
    first = actions.enrol(actor=office.pm, session=session, person=office.members["planner"])
    rows = actions.enrol(actor=office.pm, session=session, group=world["group"])
    assert [(r.status, r.seats) for r in rows] == [("enrolled", 8), ("waiting", 32)]
    moved = actions.cancel_enrolment(actor=office.pm, enrolment=first[0])
    assert [(m.name, m.seats, m.status) for m in moved] == [("Call-centre agents", 1,
                                                             "enrolled")]
    assert Enrolment.objects.get(pk=rows[1].pk).seats == 31
    assert sum(e.seats for e in Enrolment.objects.filter(session=session,
                                                         status="enrolled")) == 10
    # More places move the waiting list up too.
    session.refresh_from_db()
    session.room.capacity = 20
    session.room.save()
    actions.set_capacity(actor=office.pm, session=session, version=session.version,
                         capacity=15)
    assert sum(e.seats for e in Enrolment.objects.filter(session=session,
                                                         status="enrolled")) == 15


def test_a_group_of_another_project_is_refused(office: Any, world: dict[str, Any]) -> None:
    stranger = register_actions.create_item(actor=office.pmo, spec=STAKEHOLDERS,
                                            project=office.other,
                                            data={"title": "Elsewhere", "kind": "group",
                                                  "headcount": 5})
    with pytest.raises(InvalidInput) as caught:
        actions.enrol(actor=office.pm, session=world["session"], group=stranger)
    assert "another project" in caught.value.errors["group"][0]
    assert Enrolment.objects.count() == 1  # only the set-up's


def test_attendance_raises_coverage_and_bad_counts_write_nothing(
        office: Any, world: dict[str, Any]) -> None:
    session, need = world["session"], world["training-needs"]
    rows = actions.enrol(actor=office.pm, session=session, group=world["group"], seats=8)
    assert queries.need_coverage(need).trained == 0
    with pytest.raises(InvalidInput) as caught:
        actions.record_attendance(actor=office.pm, session=session,
                                  attendance={rows[0].pk: (9, "")})
    assert "from 0 to 8" in caught.value.errors["attended"][0]
    assert Enrolment.objects.get(pk=rows[0].pk).attended is None
    actions.record_attendance(actor=office.pm, session=session,
                              attendance={rows[0].pk: (7, "passed")})
    cover = queries.need_coverage(need)
    assert (cover.trained, cover.affected) == (7, 40)
    assert cover.share == pytest.approx(7 / 40)
    groups = queries.group_coverage(queries.coverage(office.project))
    assert groups[world["group"].pk].trained == 7


def test_the_invitation_is_an_ics_and_is_mailed(office: Any, world: dict[str, Any]) -> None:
    mail.outbox.clear()
    from django.db import transaction

    with transaction.atomic():
        actions.enrol(actor=office.pm, session=world["session"], name="Ana Ruiz",
                      email="ana@example.org")
    # on_commit runs at once under the test transaction only when captured:
    client = Client()
    client.login(username="project_manager", password=PASSWORD)
    session = world["session"]
    response = client.get(f"/projects/MTX/training/sessions/{session.pk}/invitation.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert "CRM case handling" in str(event["summary"])
    assert "Training room" in str(event["location"])
    assert "ana@example.org" in str(event["attendee"])


def test_pages_and_api(office: Any, world: dict[str, Any]) -> None:
    client = Client()
    client.login(username="project_manager", password=PASSWORD)
    page = client.get("/projects/MTX/training/")
    assert page.status_code == 200 and b"CRM case handling" in page.content
    assert client.get(f"/projects/MTX/training/sessions/{world['session'].pk}/").status_code \
        == 200
    refused = client.post(f"/projects/MTX/training/sessions/{world['session'].pk}/enrol/",
                          {"seats": "0", "group": str(world["group"].pk)})
    assert refused.status_code == 422 and b"from 1 to 1000" in refused.content
    api = Api(office.pm)
    made = api.post(f"/projects/MTX/training-sessions/{world['session'].pk}/enrolments",
                    {"group": world["group"].reference, "seats": 12})
    assert made.status_code == 201
    assert [e["status"] for e in made.json()["enrolments"]] == ["enrolled", "waiting"]
    first = made.json()["enrolments"][0]
    done = api.post(f"/projects/MTX/training-sessions/{world['session'].pk}/attendance",
                    {"attendance": [{"enrolment": first["id"], "attended": 9}]})
    assert done.status_code == 200
    cover = api.get("/projects/MTX/training-coverage").json()
    assert cover["groups"][0]["trained"] == 9
    clash = api.post(f"/projects/MTX/courses/{world['courses'].reference}/sessions",
                     {"starts_at": world["session"].starts_at.isoformat(),
                      "ends_at": world["session"].ends_at.isoformat(), "capacity": 3,
                      "room": world["room"].pk})
    assert clash.status_code == 409
