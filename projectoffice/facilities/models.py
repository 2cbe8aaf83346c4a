"""Requests for facilities, services and materials (a register on the kernel), bookable
rooms and equipment with their bookings, and the materials store: stock items and the
movements whose sum is the balance."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.registers.models import RegisterItem

USER = settings.AUTH_USER_MODEL


class RequestType(models.TextChoices):
    FACILITY = "facility", "Facility"
    SERVICE = "service", "Service"
    MATERIAL = "material", "Material"


class FacilityRequest(RegisterItem):
    """A request for a facility, a service or materials: drafted, submitted, approved or
    rejected, then fulfilled (or cancelled). The title names what is requested."""

    request_type = models.CharField("kind", max_length=10, choices=RequestType.choices,
                                    default=RequestType.MATERIAL)
    quantity = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(1),
                                   validators=[MinValueValidator(Decimal("0.01"))])
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. each, box, hours")
    needed_by = models.DateField("needed by", null=True, blank=True)
    cost_estimate = models.DecimalField("cost estimate", max_digits=12, decimal_places=2,
                                        null=True, blank=True,
                                        validators=[MinValueValidator(Decimal(0))])
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    fulfilment = models.TextField("fulfilment notes", blank=True, max_length=5000)

    class Meta(RegisterItem.Meta):
        verbose_name = "request"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_facility_request_number")]


class ResourceKind(models.TextChoices):
    ROOM = "room", "Room"
    EQUIPMENT = "equipment", "Equipment"


class BookableResource(VersionedModel):
    """A room or a piece of equipment that people book for a time."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=ResourceKind.choices,
                            default=ResourceKind.ROOM)
    location = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="Seats in a room")
    description = models.TextField(blank=True, max_length=2000)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "bookable resource"

    def __str__(self) -> str:
        return self.name


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class Booking(VersionedModel):
    resource = models.ForeignKey(BookableResource, on_delete=models.PROTECT,
                                 related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=200)
    project = models.ForeignKey("portfolio.Project", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="bookings")
    status = models.CharField(max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.CONFIRMED, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["resource", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%d %b %H:%M}: {self.purpose}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "must be after the start"})


class StockItem(VersionedModel):
    """Something the store keeps; its balance is the sum of its movements."""

    name = models.CharField(max_length=100, unique=True)
    unit = models.CharField(max_length=20, default="each")
    location = models.CharField(max_length=200, blank=True)
    reorder_level = models.DecimalField("reorder level", max_digits=12, decimal_places=2,
                                        default=Decimal(0),
                                        validators=[MinValueValidator(Decimal(0))])
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]
        verbose_name = "stock item"

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    RECEIVE = "receive", "Received"
    ISSUE = "issue", "Issued"


class StockMovement(models.Model):
    """One receipt into or issue from the store. Never changed: a mistake is corrected by
    another movement."""

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    quantity = models.DecimalField(max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(Decimal("0.01"))])
    moved_on = models.DateField("date")
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="Delivery note, order or request reference")
    moved_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey("portfolio.Project", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.item.unit} of {self.item}"

    @property
    def signed(self) -> Decimal:
        return self.quantity if self.kind == MovementKind.RECEIVE else -self.quantity
