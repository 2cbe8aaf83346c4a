"""Rooms and equipment with clash-free bookings, the materials store, and requests for
facilities, services and materials on the register kernel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from projectoffice.audit.models import AuditEntry
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.facilities import actions, queries
from projectoffice.facilities.models import Booking, BookingStatus, StockMovement
from projectoffice.facilities.registers import REQUESTS
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import Notification
from tests.conftest import PASSWORD

START = dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


@pytest.fixture
def room(office: Any) -> Any:
    return actions.add_resource(actor=office.staff, name="Board room", location="Floor 4",
                                capacity=12)


def test_an_overlapping_booking_is_refused_naming_the_clash(office: Any, room: Any) -> None:
    ann = office.members["team_member"]
    first = actions.book_resource(actor=office.pm, resource=room, starts_at=START,
                                  ends_at=START + hours(2), purpose="Project board")
    for start, end in ((START + hours(1), START + hours(3)), (START - hours(1), START + hours(1)),
                       (START + hours(0.5), START + hours(1)), (START - hours(1),
                                                                START + hours(3))):
        with pytest.raises(Conflict) as err:
            actions.book_resource(actor=ann, resource=room, starts_at=start, ends_at=end,
                                  purpose="Workshop")
        assert err.value.status == 409
        assert "Board room is already booked" in err.value.errors["starts_at"][0]
        assert "'Project board'" in err.value.message
    assert Booking.objects.count() == 1
    # Back to back is fine, and so is another room at the same time.
    actions.book_resource(actor=ann, resource=room, starts_at=START + hours(2),
                          ends_at=START + hours(3), purpose="Workshop")
    other = actions.add_resource(actor=office.staff, name="Projector", kind="equipment")
    actions.book_resource(actor=ann, resource=other, starts_at=START, ends_at=START + hours(1),
                          purpose="Board slides")
    # A cancelled booking frees its slot.
    actions.cancel_booking(actor=office.pm, booking=first, version=first.version)
    actions.book_resource(actor=ann, resource=room, starts_at=START, ends_at=START + hours(1),
                          purpose="Stand-up")
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 3


def test_booking_checks_times_purpose_and_retired_rooms(office: Any, room: Any) -> None:
    pm = office.pm
    with pytest.raises(InvalidInput) as err:
        actions.book_resource(actor=pm, resource=room, starts_at=START, ends_at=START,
                              purpose="x")
    assert "ends_at" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        actions.book_resource(actor=pm, resource=room, starts_at=START,
                              ends_at=START + hours(1), purpose="  ")
    assert "purpose" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        actions.book_resource(actor=office.outsider, resource=room, starts_at=START,
                              ends_at=START + hours(1), purpose="Sneaky", project=office.project)
    assert "project" in err.value.errors
    actions.update_resource(actor=office.staff, resource=room, version=room.version,
                            changes={"active": False})
    with pytest.raises(InvalidInput) as err:
        actions.book_resource(actor=pm, resource=room, starts_at=START,
                              ends_at=START + hours(1), purpose="Board")
    assert "no longer available" in err.value.errors["resource"][0]
    with pytest.raises(Forbidden):
        actions.add_resource(actor=pm, name="My own room")
    assert not Booking.objects.exists()


def test_only_the_booker_the_organisers_or_the_office_cancel(
        office: Any, room: Any, django_capture_on_commit_callbacks: Any) -> None:
    ann = office.members["team_member"]
    ann.email = "ann@example.org"
    ann.save()
    booking = actions.book_resource(actor=ann, resource=room, starts_at=START,
                                    ends_at=START + hours(1), purpose="Interviews")
    with pytest.raises(Forbidden):
        actions.cancel_booking(actor=office.members["planner"], booking=booking,
                               version=booking.version)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = actions.cancel_booking(actor=office.staff, booking=booking,
                                           version=booking.version, reason="Room needed")
    assert cancelled.status == BookingStatus.CANCELLED
    note = Notification.objects.get(recipient=ann, kind="booking")
    assert note.project is None and "cancelled your booking of Board room" in note.message
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    entry = AuditEntry.objects.filter(verb="cancelled").get()
    assert entry.changes["reason"] == [None, "Room needed"]
    with pytest.raises(Conflict):
        actions.cancel_booking(actor=ann, booking=cancelled, version=cancelled.version)


def test_issuing_more_than_the_balance_is_refused_and_low_stock_is_flagged(
        office: Any) -> None:
    staff = office.staff
    paper = actions.add_stock_item(actor=staff, name="A4 paper", unit="box",
                                   reorder_level=Decimal(5))
    actions.record_movement(actor=staff, item=paper, kind="receive", quantity=Decimal(12),
                            moved_on=dt.date(2026, 5, 1), reference="PO-1")
    actions.record_movement(actor=staff, item=paper, kind="issue", quantity=Decimal(6),
                            moved_on=dt.date(2026, 5, 2), project=office.project)
    with pytest.raises(InvalidInput) as err:
        actions.record_movement(actor=staff, item=paper, kind="issue", quantity=Decimal(7),
                                moved_on=dt.date(2026, 5, 3))
    assert err.value.errors["quantity"] == [
        "only 6 box of A4 paper in stock; cannot issue 7"]
    assert StockMovement.objects.count() == 2
    (row,) = queries.stock_with_balances()
    assert queries.balance(row) == Decimal(6) and queries.balance(row) > row.reorder_level
    actions.record_movement(actor=staff, item=paper, kind="issue", quantity=Decimal(1),
                            moved_on=dt.date(2026, 5, 3))
    (row,) = queries.stock_with_balances()
    assert queries.balance(row) == Decimal(5) == row.reorder_level  # at the level: flagged
    with pytest.raises(Forbidden):
        actions.record_movement(actor=office.pm, item=paper, kind="issue",
                                quantity=Decimal(1), moved_on=dt.date(2026, 5, 3))
    with pytest.raises(InvalidInput):
        actions.record_movement(actor=staff, item=paper, kind="issue", quantity=Decimal(0),
                                moved_on=dt.date(2026, 5, 3))
    client = Client()
    client.login(username="pmo_staff", password=PASSWORD)
    page = client.get("/facilities/stock/").content.decode()
    assert "A4 paper" in page and "Reorder" in page
    detail = client.get(f"/facilities/stock/{paper.pk}/").content.decode()
    assert "PO-1" in detail and "MTX" in detail


def test_request_workflow_and_the_requester_hears_of_decisions(
        office: Any, django_capture_on_commit_callbacks: Any) -> None:
    member = office.members["team_member"]
    member.email = "member@example.org"
    member.save()
    req = register_actions.create_item(
        actor=member, spec=REQUESTS, project=office.project,
        data={"title": "Laptops for testers", "request_type": "material",
              "quantity": Decimal(3), "unit": "each", "cost_estimate": Decimal("3600"),
              "needed_by": dt.date(2026, 6, 1), "requested_by": member})
    assert req.reference == "REQ-0001" and req.status == "draft"
    req = register_actions.transition_item(actor=member, item=req, transition="submit",
                                           version=req.version)
    with pytest.raises(Forbidden):
        register_actions.transition_item(actor=member, item=req, transition="approve",
                                         version=req.version)
    with django_capture_on_commit_callbacks(execute=True):
        req = register_actions.transition_item(actor=office.pm, item=req, transition="approve",
                                               version=req.version)
    assert req.status == "approved"
    note = Notification.objects.get(recipient=member, kind="request")
    assert "approved REQ-0001" in note.message
    assert any("approved REQ-0001" in m.subject for m in mail.outbox)
    req = register_actions.transition_item(actor=office.members["administrator"], item=req,
                                           transition="fulfil", version=req.version)
    assert req.status == "fulfilled" and req.closed_on is not None
    with pytest.raises(Conflict):
        register_actions.update_item(actor=office.pm, item=req, version=req.version,
                                     changes={"quantity": Decimal(4)})
    # A rejection needs a reason, which the requester is told.
    other = register_actions.create_item(actor=member, spec=REQUESTS, project=office.project,
                                         data={"title": "Espresso machine"})
    other = register_actions.transition_item(actor=member, item=other, transition="submit",
                                             version=other.version)
    with pytest.raises(InvalidInput):
        register_actions.transition_item(actor=office.pm, item=other, transition="reject",
                                         version=other.version)
    register_actions.transition_item(actor=office.pm, item=other, transition="reject",
                                     version=other.version, comment="Not in the budget")
    assert Notification.objects.filter(recipient=member, kind="request",
                                       message__contains="Not in the budget").exists()


def test_requests_have_the_kernel_pages_and_api(office: Any, api_as: Any) -> None:
    member = api_as(office.members["team_member"])
    r = member.post("/projects/MTX/requests", {"title": "Flip chart", "request_type": "material",
                                               "quantity": "2", "cost_estimate": "40"})
    assert r.status_code == 201, r.content
    assert r.json()["reference"] == "REQ-0001" and r.json()["status"] == "draft"
    r = member.post("/projects/MTX/requests", {"title": "Bad", "quantity": "0"})
    assert r.status_code == 422 and "quantity" in r.json()["errors"]
    client = Client()
    client.login(username="project_manager", password=PASSWORD)
    page = client.get("/projects/MTX/requests/").content.decode()
    assert "Flip chart" in page and "Requests" in page


def test_bookings_api_refuses_a_clash_with_409_and_writes_nothing(
        office: Any, room: Any, api_as: Any) -> None:
    ann = api_as(office.members["team_member"])
    body = {"resource": room.pk, "starts_at": "2026-05-04T09:00:00Z",
            "ends_at": "2026-05-04T10:00:00Z", "purpose": "Board", "project": "MTX"}
    r = ann.post("/facilities/bookings", body)
    assert r.status_code == 201 and r.json()["project"] == "MTX"
    bob = api_as(office.members["planner"])
    r = bob.post("/facilities/bookings", {**body, "starts_at": "2026-05-04T09:30:00Z",
                                          "ends_at": "2026-05-04T11:00:00Z"})
    assert r.status_code == 409
    assert "already booked" in r.json()["errors"]["starts_at"][0]
    assert Booking.objects.count() == 1
    listed = bob.get("/facilities/bookings?start=2026-05-04T00:00:00Z"
                     "&end=2026-05-05T00:00:00Z").json()
    assert [b["purpose"] for b in listed] == ["Board"]
    r = ann.post(f"/facilities/bookings/{listed[0]['id']}/cancel", {"version": 2})
    assert r.status_code == 409  # stale version
    r = ann.post(f"/facilities/bookings/{listed[0]['id']}/cancel", {"version": 1})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    r = ann.post("/facilities/resources", {"name": "Ann's room"})
    assert r.status_code == 403


def test_stock_api_flags_low_items_and_refuses_over_issue(office: Any, api_as: Any) -> None:
    staff = api_as(office.staff)
    r = staff.post("/facilities/stock", {"name": "Toner", "unit": "each",
                                         "reorder_level": "2"})
    assert r.status_code == 201 and r.json()["low"] is True  # nothing in stock yet
    sid = r.json()["id"]
    assert staff.post(f"/facilities/stock/{sid}/movements",
                      {"kind": "receive", "quantity": "5", "reference": "PO-9"}).status_code == 201
    r = staff.post(f"/facilities/stock/{sid}/movements", {"kind": "issue", "quantity": "6"})
    assert r.status_code == 422 and "only 5 each" in r.json()["errors"]["quantity"][0]
    assert staff.get("/facilities/stock?low=true").json() == []
    staff.post(f"/facilities/stock/{sid}/movements", {"kind": "issue", "quantity": "3"})
    (low,) = staff.get("/facilities/stock?low=true").json()
    assert low["balance"] == "2.00" or Decimal(low["balance"]) == 2
    history = staff.get(f"/facilities/stock/{sid}/movements").json()
    assert [m["kind"] for m in history] == ["issue", "receive"]


def test_bookings_page_shows_the_week_and_books_with_errors_at_the_field(
        office: Any, room: Any) -> None:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(10)))
    actions.book_resource(actor=office.pm, resource=room, starts_at=start,
                          ends_at=start + hours(1), purpose="Highlight review")
    client = Client()
    client.login(username="team_member", password=PASSWORD)
    page = client.get("/facilities/bookings/").content.decode()
    assert "Board room" in page and "10:00–11:00</span>Highlight review" in page
    day = client.get(f"/facilities/bookings/?view=day&day={today.isoformat()}").content.decode()
    assert "tl-bar" in day and "10:00–11:00 Highlight review" in day
    r = client.post("/facilities/bookings/", {"resource": room.pk, "day": today.isoformat(),
                                              "start": "10:30", "end": "11:30",
                                              "purpose": "Clash"})
    html = r.content.decode()
    assert r.status_code == 200 and "has-error" in html and "already booked" in html
    r = client.post("/facilities/bookings/", {"resource": room.pk, "day": today.isoformat(),
                                              "start": "11:00", "end": "12:00",
                                              "purpose": "Retro"})
    assert r.status_code == 302
    assert Booking.objects.filter(purpose="Retro", booked_by__username="team_member").exists()
    assert client.get("/facilities/resources/").status_code == 200


def test_names_stay_unique_whatever_their_case_when_renaming(office: Any, room: Any) -> None:
    other = actions.add_resource(actor=office.staff, name="Quiet room")
    with pytest.raises(InvalidInput) as refused:
        actions.update_resource(actor=office.staff, resource=other, version=other.version,
                                changes={"name": room.name.upper()})
    assert "already a resource" in refused.value.errors["name"][0]
    renamed = actions.update_resource(actor=office.staff, resource=other,
                                      version=other.version, changes={"name": "QUIET ROOM"})
    assert renamed.name == "QUIET ROOM"  # its own name in another case is fine
    paper = actions.add_stock_item(actor=office.staff, name="Paper", unit="box")
    toner = actions.add_stock_item(actor=office.staff, name="Toner", unit="each")
    with pytest.raises(InvalidInput):
        actions.update_stock_item(actor=office.staff, item=toner, version=toner.version,
                                  changes={"name": " paper "})
    assert paper.name == "Paper"
