"""Pages for bookings (a day or week timeline per room and piece of equipment), rooms and
equipment, and the materials store. Requests have the kernel's register pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.meetings.models import Meeting
from projectoffice.portfolio.access import access_project, project_operation, visible_projects
from projectoffice.portfolio.models import Project
from projectoffice.web.shortcuts import field_errors, flash_errors, office_view

from . import actions, queries
from .models import (
    BookableResource,
    Booking,
    BookingStatus,
    MovementKind,
    ResourceKind,
    StockItem,
)

DAY_START, DAY_END = 7, 20


def _date(value: str, field: str, default: dt.date | None = None) -> dt.date:
    if not value and default is not None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput.field(field, "give a date") from exc


def _time(day: dt.date, value: str, field: str) -> dt.datetime:
    try:
        when = dt.time.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput.field(field, "give a time") from exc
    return timezone.make_aware(dt.datetime.combine(day, when))


def _decimal(value: str, field: str) -> Decimal:
    try:
        return Decimal(value.strip() or "x")
    except InvalidOperation as exc:
        raise InvalidInput.field(field, "give a number") from exc


def _project(request: AuthedRequest, code: str) -> Project | None:
    return access_project(request.user, code) if code else None


def _resource(pk: Any) -> BookableResource:
    resource = BookableResource.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if resource is None:
        raise InvalidInput.field("resource", "choose a room or piece of equipment")
    return resource


def _period(request: AuthedRequest) -> tuple[str, dt.date, dt.date]:
    view = "day" if request.GET.get("view") == "day" else "week"
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    start = day if view == "day" else day - dt.timedelta(days=day.weekday())
    return view, day, start


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@login_required
@office_view
def bookings(request: AuthedRequest) -> HttpResponse:
    view, day, start = _period(request)
    days = 1 if view == "day" else 7
    end = start + dt.timedelta(days=days)
    errors: dict[str, list[str]] = {}
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            booking_day = _date(post.get("day", ""), "day")
            booking = actions.book_resource(
                actor=request.user, resource=_resource(post.get("resource")),
                starts_at=_time(booking_day, post.get("start", ""), "start"),
                ends_at=_time(booking_day, post.get("end", ""), "end"),
                purpose=post.get("purpose", ""), project=_project(request, post.get("project",
                                                                                     "")))
            messages.success(request, f"{booking.resource} booked "
                                      f"{timezone.localtime(booking.starts_at):%a %d %b %H:%M}"
                                      f"–{timezone.localtime(booking.ends_at):%H:%M}.")
            return redirect(f"{reverse('bookings')}?view={view}&day={booking_day.isoformat()}")
        except OfficeError as exc:
            errors = {("start" if k == "starts_at" else "end" if k == "ends_at" else k): v
                      for k, v in field_errors(exc).items()}
            messages.error(request, exc.message)
    hours = DAY_END - DAY_START
    span = days * hours
    if view == "day":
        ticks = [{"left": round(100 * h / span, 3), "label": f"{DAY_START + h:02d}:00"}
                 for h in range(hours)]
    else:
        ticks = [{"left": round(100 * d * hours / span, 3), "day": start + dt.timedelta(days=d),
                  "label": f"{start + dt.timedelta(days=d):%a %d}"} for d in range(days)]
    now = timezone.now()
    mine = (Booking.objects.filter(booked_by=request.user, status=BookingStatus.CONFIRMED,
                                   ends_at__gte=now)
            .select_related("resource", "project", "meeting").order_by("starts_at")[:20])
    return render(request, "facilities/bookings.html", {
        "view": view, "day": day, "start": start, "end": end - dt.timedelta(days=1),
        "lanes": (queries.timeline(_aware(start), _aware(end), DAY_START, DAY_END)
                  if view == "day" else []),
        "grid": queries.week_grid(start, days) if view == "week" else [],
        "ticks": ticks, "previous": start - dt.timedelta(days=days),
        "next": start + dt.timedelta(days=days), "today": timezone.localdate(),
        "resources": BookableResource.objects.filter(active=True),
        "projects": visible_projects(request.user).order_by("code"), "mine": mine,
        "errors": errors, "post": post, "can_manage": actions.can_manage(request.user),
        "form_day": post.get("day") if post else day.isoformat(),
    })


@login_required
@require_POST
@office_view
def booking_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    booking = Booking.objects.select_related("resource", "meeting__project").filter(
        pk=pk).first()
    if booking is None:
        raise Http404(f"No booking {pk}")
    with flash_errors(request):
        actions.cancel_booking(actor=request.user, booking=booking,
                               version=_version(request), reason=request.POST.get("reason", ""))
        messages.success(request, f"Booking of {booking.resource} cancelled.")
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//")
                    else reverse("bookings"))


def _version(request: AuthedRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@office_view
def resources(request: AuthedRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("form") == "toggle":
                resource = _resource(post.get("resource"))
                actions.update_resource(actor=request.user, resource=resource,
                                        version=_version(request),
                                        changes={"active": not resource.active})
                messages.success(request, f"{resource.name} "
                                          f"{'retired' if resource.active else 'reinstated'}.")
            else:
                capacity = post.get("capacity", "").strip()
                if capacity and not capacity.isdigit():
                    raise InvalidInput.field("capacity", "give a whole number of seats")
                made = actions.add_resource(
                    actor=request.user, name=post.get("name", ""),
                    kind=post.get("kind", ResourceKind.ROOM),
                    location=post.get("location", ""),
                    capacity=int(capacity) if capacity else None,
                    description=post.get("description", ""))
                messages.success(request, f"{made.name} added.")
            return redirect(reverse("facility-resources"))
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    now = timezone.now()
    rows = []
    for r in BookableResource.objects.all():
        rows.append({"resource": r, "next": r.bookings.filter(
            status=BookingStatus.CONFIRMED, ends_at__gte=now).order_by("starts_at").first()})
    return render(request, "facilities/resources.html", {
        "rows": rows, "kinds": ResourceKind.choices, "errors": errors, "post": post,
        "can_manage": actions.can_manage(request.user)})


@login_required
@office_view
def stock(request: AuthedRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("form") == "item":
                made = actions.add_stock_item(
                    actor=request.user, name=post.get("name", ""), unit=post.get("unit", ""),
                    location=post.get("location", ""),
                    reorder_level=_decimal(post.get("reorder_level", "") or "0",
                                           "reorder_level"),
                    description=post.get("description", ""))
                messages.success(request, f"{made.name} added to the store.")
            else:
                item = StockItem.objects.filter(pk=post.get("item") or 0).first() if str(
                    post.get("item", "")).isdigit() else None
                if item is None:
                    raise InvalidInput.field("item", "choose a stock item")
                movement = actions.record_movement(
                    actor=request.user, item=item, kind=post.get("kind", ""),
                    quantity=_decimal(post.get("quantity", ""), "quantity"),
                    moved_on=_date(post.get("moved_on", ""), "moved_on",
                                   timezone.localdate()),
                    reference=post.get("reference", ""), note=post.get("note", ""),
                    project=_project(request, post.get("project", "")))
                messages.success(request, f"{movement.get_kind_display()} "
                                          f"{movement.quantity.normalize():f} {item.unit} of "
                                          f"{item.name}.")
            return redirect(reverse("stock"))
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    items: list[Any] = list(queries.stock_with_balances())
    for item in items:
        item.balance = queries.balance(item)
        item.low = item.balance <= item.reorder_level
    return render(request, "facilities/stock.html", {
        "items": items, "low_count": sum(1 for i in items if i.low), "errors": errors,
        "post": post, "can_manage": actions.can_manage(request.user),
        "kinds": MovementKind.choices, "today": timezone.localdate(),
        "projects": visible_projects(request.user).order_by("code")})


@login_required
@office_view
def stock_item(request: AuthedRequest, pk: int) -> HttpResponse:
    item: Any = queries.stock_with_balances().filter(pk=pk).first()
    if item is None:
        raise Http404(f"No stock item {pk}")
    item.balance = queries.balance(item)
    movements: list[Any] = list(item.movements.select_related("moved_by", "project")
                     .order_by("moved_on", "id"))
    running = Decimal(0)
    for m in movements:
        running += m.signed
        m.running = running
    return render(request, "facilities/stock_item.html", {
        "item": item, "movements": list(reversed(movements)),
        "low": item.balance <= item.reorder_level})


def meeting_bookings(meeting: Meeting) -> dict[str, Any]:
    """The rooms booked for a meeting and the rooms to book, on the meeting's page."""
    return {"bookings": meeting.bookings.filter(status=BookingStatus.CONFIRMED)
            .select_related("resource"),
            "rooms": BookableResource.objects.filter(active=True)}


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_book_room(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    meeting = Meeting.objects.filter(project=project, pk=pk).select_related("project").first()
    if meeting is None:
        raise Http404(f"No meeting {pk} in {project.code}")
    try:
        raw = request.POST.get("resource", "")
        resource = BookableResource.objects.filter(pk=raw).first() if raw.isdigit() else None
        if resource is None:
            raise InvalidInput.field("resource", "choose a room or piece of equipment")
        actions.book_resource(actor=request.user, resource=resource,
                              starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                              purpose=meeting.title, meeting=meeting)
        messages.success(request, "Booked for the meeting.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("meeting-detail", args=[project.code, meeting.pk]))
