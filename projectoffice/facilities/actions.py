"""Every write to rooms, equipment, bookings and the materials store.

A booking locks its room or equipment row before it looks for overlapping bookings, so two
people booking the same slot at once queue: one gets the room, the other a 409 naming the
clash. An issue from the store locks the stock item the same way before it reads the
balance, so two issues cannot together take more than there is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import apply_changes, check_version, create_object, lock_for_update
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.meetings.models import Meeting
from projectoffice.portfolio.access import has_perm, project_permissions, require_global
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import deliver
from projectoffice.registers.models import NotificationKind

from .models import (
    BookableResource,
    Booking,
    BookingStatus,
    MovementKind,
    ResourceKind,
    StockItem,
    StockMovement,
)

MANAGE = "facility.manage"


def _check_name_free(model: Any, name: str, what: str, own_pk: int | None = None) -> None:
    """Names are unique whatever their case, on creation and on renaming."""
    if model.objects.filter(name__iexact=name.strip()).exclude(pk=own_pk).exists():
        raise InvalidInput.field("name", f"there is already {what} called {name.strip()!r}")
RESOURCE_FIELDS = ("name", "kind", "location", "capacity", "description", "active")
STOCK_FIELDS = ("name", "unit", "location", "reorder_level", "description")
MAX_BOOKING = dt.timedelta(days=14)


def can_manage(actor: User) -> bool:
    try:
        require_global(actor, MANAGE)
    except Forbidden:
        return False
    return True


def _check_project(actor: User, project: Project | None, field: str) -> None:
    if project is not None and "project.view" not in project_permissions(actor, project):
        raise InvalidInput.field(field, f"you are not a member of {project.code}")


# ---------------------------------------------------------------------------------------------
# Rooms and equipment.


@transaction.atomic
def add_resource(*, actor: User, name: str, kind: str = ResourceKind.ROOM, location: str = "",
                 capacity: int | None = None, description: str = "") -> BookableResource:
    require_global(actor, MANAGE)
    _check_name_free(BookableResource, name, "a resource")
    resource = BookableResource(name=name.strip(), kind=kind, location=location.strip(),
                                capacity=capacity, description=description.strip())
    return create_object(actor=actor, obj=resource, audit_fields=RESOURCE_FIELDS)


@transaction.atomic
def update_resource(*, actor: User, resource: BookableResource, version: int | None,
                    changes: dict[str, Any]) -> BookableResource:
    require_global(actor, MANAGE)
    if "name" in changes:
        _check_name_free(BookableResource, str(changes["name"] or ""), "a resource",
                         resource.pk)
    return apply_changes(actor=actor, obj=resource, expected_version=version, changes=changes,
                         editable=RESOURCE_FIELDS)


def _clash(resource: BookableResource, starts_at: dt.datetime, ends_at: dt.datetime,
           exclude: list[int]) -> Booking | None:
    return (Booking.objects.filter(resource=resource, status=BookingStatus.CONFIRMED,
                                   starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk__in=exclude).select_related("booked_by").first())


def _refuse_clash(resource: BookableResource, starts_at: dt.datetime, ends_at: dt.datetime,
                  exclude: list[int]) -> None:
    other = _clash(resource, starts_at, ends_at, exclude)
    if other is None:
        return
    start, end = timezone.localtime(other.starts_at), timezone.localtime(other.ends_at)
    message = (f"{resource.name} is already booked {start:%d %b %H:%M}–{end:%H:%M} by "
               f"{other.booked_by} for {other.purpose!r}")
    raise Conflict(message, {"starts_at": [message]})


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput.field("ends_at", "must be after the start")
    if ends_at - starts_at > MAX_BOOKING:
        raise InvalidInput.field("ends_at", "a booking can last at most 14 days")


@transaction.atomic
def book_resource(*, actor: User, resource: BookableResource, starts_at: dt.datetime,
                  ends_at: dt.datetime, purpose: str, project: Project | None = None,
                  meeting: Meeting | None = None) -> Booking:
    """Books a room or piece of equipment. Any signed-in person may book; a booking for a
    meeting needs the right to manage that meeting's project. Refused with a 409 naming the
    clash when the time overlaps another booking of the same resource."""
    if not actor.is_authenticated or not actor.is_active:
        raise Forbidden("Sign in to book")
    purpose = purpose.strip()
    if meeting is not None:
        if not has_perm(actor, meeting.project, "meeting.manage"):
            raise InvalidInput.field("meeting", "you cannot arrange this meeting")
        project = meeting.project
        purpose = purpose or meeting.title
    _check_project(actor, project, "project")
    if not purpose:
        raise InvalidInput.field("purpose", "say what the booking is for")
    if len(purpose) > 200:
        raise InvalidInput.field("purpose", "is longer than 200 characters")
    _check_times(starts_at, ends_at)
    locked = lock_for_update(BookableResource, resource.pk)
    if not locked.active:
        raise InvalidInput.field("resource", f"{locked.name} is no longer available")
    _refuse_clash(locked, starts_at, ends_at, [])
    booking = Booking(resource=locked, starts_at=starts_at, ends_at=ends_at, booked_by=actor,
                      purpose=purpose, project=project, meeting=meeting)
    return create_object(actor=actor, obj=booking,
                         audit_fields=("resource", "starts_at", "ends_at", "purpose",
                                       "project", "meeting"))


def _may_change_booking(actor: User, booking: Booking) -> bool:
    if booking.booked_by_id == actor.pk or can_manage(actor):
        return True
    return booking.meeting is not None and has_perm(actor, booking.meeting.project,
                                                    "meeting.manage")


def _booking_url(booking: Booking) -> str:
    day = timezone.localtime(booking.starts_at).date()
    return f"{reverse('bookings')}?day={day.isoformat()}"


@transaction.atomic
def cancel_booking(*, actor: User, booking: Booking, version: int | None,
                   reason: str = "") -> Booking:
    """Cancels a booking: by the person who made it, the office (facility.manage), or whoever
    manages the meeting it is for. The booker hears of it when someone else cancels."""
    if not _may_change_booking(actor, booking):
        raise Forbidden("Only the person who booked, the meeting's organisers or the office "
                        "can cancel this booking")
    locked = lock_for_update(Booking, booking.pk)
    check_version(locked, version)
    if locked.status == BookingStatus.CANCELLED:
        raise Conflict("This booking is already cancelled", {"status": ["already cancelled"]})
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.version += 1
    locked.save()
    changes: dict[str, Any] = {"status": [BookingStatus.CONFIRMED, BookingStatus.CANCELLED]}
    if reason.strip():
        changes["reason"] = [None, reason.strip()[:500]]
    record_change(actor=actor, obj=locked, verb="cancelled", changes=changes)
    start = timezone.localtime(locked.starts_at)
    deliver(recipient=locked.booked_by, obj=locked, project=locked.project,
            kind=NotificationKind.BOOKING, actor=actor, url=_booking_url(locked),
            message=f"{actor} cancelled your booking of {locked.resource} on "
                    f"{start:%d %b %H:%M}: {locked.purpose}")
    return locked


def cancel_meeting_bookings(*, actor: User, meeting: Meeting) -> int:
    """Cancels the bookings made for a meeting (inside the caller's transaction)."""
    count = 0
    for booking in Booking.objects.filter(meeting=meeting, status=BookingStatus.CONFIRMED):
        cancel_booking(actor=actor, booking=booking, version=booking.version,
                       reason="The meeting was cancelled")
        count += 1
    return count


def move_meeting_bookings(*, actor: User, meeting: Meeting, starts_at: dt.datetime,
                          ends_at: dt.datetime) -> int:
    """Moves the bookings made for a meeting to its new time (inside the caller's
    transaction); a clash at the new time refuses the whole move."""
    moved = 0
    bookings = list(Booking.objects.filter(meeting=meeting, status=BookingStatus.CONFIRMED)
                    .order_by("pk"))
    for booking in bookings:
        resource = lock_for_update(BookableResource, booking.resource_id)
        _refuse_clash(resource, starts_at, ends_at, [b.pk for b in bookings])
        locked = lock_for_update(Booking, booking.pk)
        before = [str(locked.starts_at), str(locked.ends_at)]
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.version += 1
        locked.save()
        record_change(actor=actor, obj=locked, verb="moved",
                      changes={"starts_at": [before[0], str(starts_at)],
                               "ends_at": [before[1], str(ends_at)]})
        moved += 1
    return moved


# ---------------------------------------------------------------------------------------------
# The materials store.


@transaction.atomic
def add_stock_item(*, actor: User, name: str, unit: str = "each", location: str = "",
                   reorder_level: Decimal = Decimal(0), description: str = "") -> StockItem:
    require_global(actor, MANAGE)
    _check_name_free(StockItem, name, "a stock item")
    item = StockItem(name=name.strip(), unit=unit.strip() or "each", location=location.strip(),
                     reorder_level=reorder_level, description=description.strip())
    return create_object(actor=actor, obj=item, audit_fields=STOCK_FIELDS)


@transaction.atomic
def update_stock_item(*, actor: User, item: StockItem, version: int | None,
                      changes: dict[str, Any]) -> StockItem:
    require_global(actor, MANAGE)
    if "name" in changes:
        _check_name_free(StockItem, str(changes["name"] or ""), "a stock item", item.pk)
    return apply_changes(actor=actor, obj=item, expected_version=version, changes=changes,
                         editable=STOCK_FIELDS)


def balance_of(item: StockItem) -> Decimal:
    totals = item.movements.aggregate(
        received=Sum("quantity", filter=Q(kind=MovementKind.RECEIVE)),
        issued=Sum("quantity", filter=Q(kind=MovementKind.ISSUE)))
    return Decimal(totals["received"] or 0) - Decimal(totals["issued"] or 0)


@transaction.atomic
def record_movement(*, actor: User, item: StockItem, kind: str, quantity: Decimal,
                    moved_on: dt.date, reference: str = "", note: str = "",
                    project: Project | None = None) -> StockMovement:
    """Receives stock into the store or issues it out. An issue above the balance is refused
    and nothing is written; the item row is locked while the balance is read."""
    require_global(actor, MANAGE)
    if kind not in MovementKind.values:
        raise InvalidInput.field("kind", f"use one of {', '.join(MovementKind.values)}")
    if quantity <= 0:
        raise InvalidInput.field("quantity", "must be more than zero")
    _check_project(actor, project, "project")
    locked = lock_for_update(StockItem, item.pk)
    if kind == MovementKind.ISSUE:
        balance = balance_of(locked)
        if quantity > balance:
            raise InvalidInput.field(
                "quantity", f"only {balance.normalize():f} {locked.unit} of {locked.name} in "
                            f"stock; cannot issue {quantity.normalize():f}")
    movement = StockMovement(item=locked, kind=kind, quantity=quantity, moved_on=moved_on,
                             reference=reference.strip(), note=note.strip(), moved_by=actor,
                             project=project)
    create_object(actor=actor, obj=movement,
                  audit_fields=("item", "kind", "quantity", "moved_on", "reference",
                                "project"))
    locked.version += 1
    locked.save(update_fields=["version"])
    return movement
