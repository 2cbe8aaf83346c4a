"""Reads shared by the facilities pages and API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import BookableResource, Booking, BookingStatus, MovementKind, StockItem

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def bookings_between(start: dt.datetime, end: dt.datetime,
                     resource: BookableResource | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(status=BookingStatus.CONFIRMED, starts_at__lt=end,
                                ends_at__gt=start).select_related(
        "resource", "booked_by", "project", "meeting")
    return qs.filter(resource=resource) if resource is not None else qs


def stock_with_balances() -> QuerySet[StockItem]:
    """Stock items with `received`, `issued` and `balance`, and `low` when the balance is at
    or below the reorder level."""
    return StockItem.objects.annotate(
        received=Coalesce(Sum("movements__quantity",
                              filter=Q(movements__kind=MovementKind.RECEIVE)), ZERO),
        issued=Coalesce(Sum("movements__quantity",
                            filter=Q(movements__kind=MovementKind.ISSUE)), ZERO),
    ).order_by("name")


def balance(item: Any) -> Decimal:
    return Decimal(item.received) - Decimal(item.issued)


@dataclass
class Lane:
    """One resource's row on the timeline: its bookings placed as percentages of the span."""

    resource: BookableResource
    bars: list[dict[str, Any]]


def timeline(start: dt.datetime, end: dt.datetime, day_start: int = 7,
             day_end: int = 20) -> list[Lane]:
    """The bookings of every active resource between `start` and `end`, as bars placed on a
    span that shows only the working hours (`day_start`–`day_end`) of each day."""
    days = max(1, (end - start).days)
    hours = day_end - day_start
    span = days * hours * 60
    lanes = []
    bookings = list(bookings_between(start, end))
    for resource in BookableResource.objects.filter(active=True):
        bars = []
        for b in (b for b in bookings if b.resource_id == resource.pk):
            s, e = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)

            def offset(t: dt.datetime) -> int:
                day = min(max((t.date() - start.date()).days, 0), days)
                minutes = min(max(t.hour * 60 + t.minute - day_start * 60, 0), hours * 60)
                if t.date() < start.date():
                    return 0
                if t.date() >= end.date():
                    return span
                return day * hours * 60 + minutes

            left, right = offset(s), offset(e)
            if right <= left:
                continue
            bars.append({"booking": b, "left": round(100 * left / span, 3),
                         "width": round(100 * (right - left) / span, 3),
                         "label": f"{s:%H:%M}–{e:%H:%M} {b.purpose}"})
        lanes.append(Lane(resource=resource, bars=bars))
    return lanes


def week_grid(start: dt.date, days: int = 7) -> list[dict[str, Any]]:
    """Per active resource, its confirmed bookings on each of `days` days from `start`
    (a booking over several days appears on each)."""
    tz_start = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    tz_end = tz_start + dt.timedelta(days=days)
    bookings = list(bookings_between(tz_start, tz_end).order_by("starts_at"))
    rows = []
    for resource in BookableResource.objects.filter(active=True):
        cells = []
        for d in range(days):
            day = start + dt.timedelta(days=d)
            cells.append({"day": day, "bookings": [
                b for b in bookings if b.resource_id == resource.pk
                and timezone.localtime(b.starts_at).date() <= day
                <= timezone.localtime(b.ends_at - dt.timedelta(microseconds=1)).date()]})
        rows.append({"resource": resource, "cells": cells})
    return rows
