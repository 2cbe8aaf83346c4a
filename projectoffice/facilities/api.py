"""Rooms, equipment, bookings and the materials store over the API. The requests register
gets its operations from the kernel (/projects/{code}/requests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, provided, require_not_null, username
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.meetings.models import Meeting
from projectoffice.portfolio.access import (
    access_project,
    office_operation,
)

from . import actions, queries
from .models import BookableResource, Booking, MovementKind, ResourceKind, StockItem

router = Router(tags=["Facilities"])
BASE = "/facilities"


class FacilityIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=100)
    kind: ResourceKind = ResourceKind.ROOM
    location: str = Field("", max_length=200)
    capacity: int | None = Field(None, ge=0, le=100000)
    description: str = Field("", max_length=2000)


class FacilityPatch(StrictIn):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: ResourceKind | None = None
    location: str | None = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=0, le=100000)
    description: str | None = Field(None, max_length=2000)
    active: bool | None = None


class ResourceOut(Schema):
    id: int
    version: int
    name: str
    kind: str
    location: str
    capacity: int | None
    description: str
    active: bool


class BookingIn(StrictIn):
    resource: int = Field(..., description="The room or equipment id")
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str = Field("", max_length=200)
    project: str | None = Field(None, max_length=20, description="Project code")
    meeting: int | None = Field(None, description="A meeting id of that project")


class BookingCancelIn(StrictIn):
    version: int
    reason: str = Field("", max_length=500)


class BookingOut(Schema):
    id: int
    version: int
    resource: str
    resource_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    booked_by: str | None
    purpose: str
    project: str | None
    meeting: int | None
    status: str


class StockIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=100)
    unit: str = Field("each", max_length=20)
    location: str = Field("", max_length=200)
    reorder_level: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    description: str = Field("", max_length=2000)


class StockPatch(StrictIn):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    unit: str | None = Field(None, min_length=1, max_length=20)
    location: str | None = Field(None, max_length=200)
    reorder_level: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    description: str | None = Field(None, max_length=2000)


class StockOut(Schema):
    id: int
    version: int
    name: str
    unit: str
    location: str
    reorder_level: Decimal
    balance: Decimal
    low: bool


class MovementIn(StrictIn):
    kind: MovementKind
    quantity: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    moved_on: dt.date | None = Field(None, description="Defaults to today")
    reference: str = Field("", max_length=100)
    note: str = Field("", max_length=300)
    project: str | None = Field(None, max_length=20, description="Project code")


class MovementOut(Schema):
    id: int
    item: str
    kind: str
    quantity: Decimal
    moved_on: dt.date
    reference: str
    moved_by: str | None
    project: str | None
    note: str


def resource_out(r: BookableResource) -> dict[str, Any]:
    return {"id": r.pk, "version": r.version, "name": r.name, "kind": r.kind,
            "location": r.location, "capacity": r.capacity, "description": r.description,
            "active": r.active}


def booking_out(b: Booking) -> dict[str, Any]:
    return {"id": b.pk, "version": b.version, "resource": b.resource.name,
            "resource_id": b.resource_id, "starts_at": b.starts_at, "ends_at": b.ends_at,
            "booked_by": username(b.booked_by), "purpose": b.purpose,
            "project": b.project.code if b.project else None, "meeting": b.meeting_id,
            "status": b.status}


def stock_out(item: Any) -> dict[str, Any]:
    bal = queries.balance(item)
    return {"id": item.pk, "version": item.version, "name": item.name, "unit": item.unit,
            "location": item.location, "reorder_level": item.reorder_level, "balance": bal,
            "low": bal <= item.reorder_level}


def _resource(resource_id: int) -> BookableResource:
    resource = BookableResource.objects.filter(pk=resource_id).first()
    if resource is None:
        raise NotFound(f"No room or equipment {resource_id}")
    return resource


def _stock(stock_id: int) -> Any:
    item = queries.stock_with_balances().filter(pk=stock_id).first()
    if item is None:
        raise NotFound(f"No stock item {stock_id}")
    return item


@router.get(BASE + "/resources", response=list[ResourceOut],
            summary="Rooms and equipment that can be booked")
@office_operation("authenticated")
def resources(request: AuthedRequest, include_inactive: bool = False) -> list[dict[str, Any]]:
    qs = BookableResource.objects.all()
    return [resource_out(r) for r in (qs if include_inactive else qs.filter(active=True))]


@router.post(BASE + "/resources", response={201: ResourceOut},
             summary="Add a room or piece of equipment")
@office_operation(actions.MANAGE)
def add_resource(request: AuthedRequest, payload: FacilityIn) -> Status[Any]:
    resource = actions.add_resource(actor=request.user, **payload.model_dump())
    return Status(201, resource_out(resource))


@router.patch(BASE + "/resources/{resource_id}", response=ResourceOut,
              summary="Change a room or piece of equipment (active=false retires it)")
@office_operation(actions.MANAGE)
def change_resource(request: AuthedRequest, resource_id: int,
                    payload: FacilityPatch) -> dict[str, Any]:
    data = provided(payload)
    require_not_null(data, ("name", "kind", "active"))
    resource = actions.update_resource(actor=request.user, resource=_resource(resource_id),
                                       version=payload.version, changes=data)
    return resource_out(resource)


@router.get(BASE + "/bookings", response=list[BookingOut],
            summary="Confirmed bookings overlapping a period (default: the coming week)")
@office_operation("authenticated")
def bookings(request: AuthedRequest, start: dt.datetime | None = None,
             end: dt.datetime | None = None,
             resource: int | None = None) -> list[dict[str, Any]]:
    start = start or timezone.now()
    end = end or start + dt.timedelta(days=7)
    if end <= start or end - start > dt.timedelta(days=92):
        raise InvalidInput.field("end", "must be after the start and within 92 days of it")
    rows = queries.bookings_between(start, end, _resource(resource) if resource else None)
    return [booking_out(b) for b in rows]


@router.post(BASE + "/bookings", response={201: BookingOut},
             summary="Book a room or equipment; an overlapping booking gets 409")
@office_operation("authenticated")
def book(request: AuthedRequest, payload: BookingIn) -> Status[Any]:
    project = access_project(request.user, payload.project) if payload.project else None
    meeting = None
    if payload.meeting is not None:
        meeting = Meeting.objects.filter(pk=payload.meeting).select_related("project").first()
        if meeting is None or (project is not None and meeting.project_id != project.pk):
            raise InvalidInput.field("meeting", f"no meeting {payload.meeting}"
                                                + (f" in {project.code}" if project else ""))
        access_project(request.user, meeting.project.code, "meeting.view")
    booking = actions.book_resource(
        actor=request.user, resource=_resource(payload.resource), starts_at=payload.starts_at,
        ends_at=payload.ends_at, purpose=payload.purpose, project=project, meeting=meeting)
    return Status(201, booking_out(booking))


@router.post(BASE + "/bookings/{booking_id}/cancel", response=BookingOut,
             summary="Cancel a booking (the booker, the meeting's organisers or the office)")
@office_operation("authenticated")
def cancel(request: AuthedRequest, booking_id: int, payload: BookingCancelIn) -> dict[str, Any]:
    booking = Booking.objects.select_related("resource", "meeting__project").filter(
        pk=booking_id).first()
    if booking is None:
        raise NotFound(f"No booking {booking_id}")
    saved = actions.cancel_booking(actor=request.user, booking=booking,
                                   version=payload.version, reason=payload.reason)
    return booking_out(saved)


@router.get(BASE + "/stock", response=list[StockOut],
            summary="Stock items with their balance; low when at or below the reorder level")
@office_operation("authenticated")
def stock(request: AuthedRequest, low: bool = False) -> list[dict[str, Any]]:
    rows = [stock_out(item) for item in queries.stock_with_balances()]
    return [r for r in rows if r["low"]] if low else rows


@router.post(BASE + "/stock", response={201: StockOut},
             summary="Add a stock item")
@office_operation(actions.MANAGE)
def add_stock(request: AuthedRequest, payload: StockIn) -> Status[Any]:
    item = actions.add_stock_item(actor=request.user, **payload.model_dump())
    return Status(201, stock_out(_stock(item.pk)))


@router.patch(BASE + "/stock/{stock_id}", response=StockOut,
              summary="Change a stock item")
@office_operation(actions.MANAGE)
def change_stock(request: AuthedRequest, stock_id: int, payload: StockPatch) -> dict[str, Any]:
    data = provided(payload)
    require_not_null(data, ("name", "unit", "reorder_level"))
    item = StockItem.objects.filter(pk=stock_id).first()
    if item is None:
        raise NotFound(f"No stock item {stock_id}")
    actions.update_stock_item(actor=request.user, item=item, version=payload.version,
                              changes=data)
    return stock_out(_stock(stock_id))


@router.get(BASE + "/stock/{stock_id}/movements", response=list[MovementOut],
            summary="Receipts and issues of a stock item, latest first")
@office_operation("authenticated")
def movements(request: AuthedRequest, stock_id: int) -> list[dict[str, Any]]:
    item = _stock(stock_id)
    return [movement_out(m) for m in item.movements.select_related("moved_by", "project")]


def movement_out(m: Any) -> dict[str, Any]:
    return {"id": m.pk, "item": m.item.name, "kind": m.kind, "quantity": m.quantity,
            "moved_on": m.moved_on, "reference": m.reference,
            "moved_by": username(m.moved_by), "project": m.project.code if m.project else None,
            "note": m.note}


@router.post(BASE + "/stock/{stock_id}/movements", response={201: MovementOut},
             summary="Receive into or issue from the store; issuing above the balance is 422")
@office_operation(actions.MANAGE)
def move(request: AuthedRequest, stock_id: int, payload: MovementIn) -> Status[Any]:
    item = StockItem.objects.filter(pk=stock_id).first()
    if item is None:
        raise NotFound(f"No stock item {stock_id}")
    project = access_project(request.user, payload.project) if payload.project else None
    movement = actions.record_movement(
        actor=request.user, item=item, kind=payload.kind, quantity=payload.quantity,
        moved_on=payload.moved_on or timezone.localdate(), reference=payload.reference,
        note=payload.note, project=project)
    return Status(201, movement_out(movement))
