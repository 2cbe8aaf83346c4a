"""The support desk and the asset register: assets (hardware, software licences with seats,
environments) held by a project and checked out to people; tickets with service levels,
internal notes and a satisfaction rating; the knowledge base; the targets per priority."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from projectoffice.editing import VersionedModel
from projectoffice.registers.models import Priority, RegisterItem

USER = settings.AUTH_USER_MODEL


class AssetType(models.TextChoices):
    HARDWARE = "hardware", "Hardware"
    LICENCE = "licence", "Software licence"
    ENVIRONMENT = "environment", "Environment"
    OTHER = "other", "Other"


class Asset(RegisterItem):
    """Something the project holds: a server, a laptop, a licence with seats, a test
    environment. The owner answers for it; check-outs say which people hold it now."""

    asset_type = models.CharField("type", max_length=12, choices=AssetType.choices,
                                  default=AssetType.HARDWARE)
    asset_tag = models.CharField("tag or serial", max_length=60, blank=True)
    vendor = models.CharField("vendor / product", max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True,
                                help_text="Where it is: a room, a data centre, a URL")
    seats = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text="How many people may hold it at once (a licence's seats; 1 for hardware)")
    expires_on = models.DateField("expires on", null=True, blank=True,
                                  help_text="Licence, warranty or lease end")
    # The day the owner was last told of its expiry, so they hear once per stage.
    expiry_warned_on = models.DateField(null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = "asset"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_asset_number")]


class AssetCheckout(models.Model):
    """One person holding an asset (a seat of a licence) from a day until it is returned."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="checkouts")
    holder = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_out_on = models.DateField()
    due_back = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    checked_out_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                       related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_out_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asset.reference} held by {self.holder}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


class TicketCategory(models.TextChoices):
    HARDWARE = "hardware", "Hardware"
    SOFTWARE = "software", "Software"
    ACCESS = "access", "Access and accounts"
    NETWORK = "network", "Network"
    DATA = "data", "Data"
    OTHER = "other", "Other"


class Article(VersionedModel):
    """A knowledge-base article: how to fix or do something, linked from tickets."""

    title = models.CharField(max_length=200)
    category = models.CharField(max_length=12, choices=TicketCategory.choices, blank=True)
    body = models.TextField(max_length=50000)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Ticket(RegisterItem):
    """A request for help raised by a member of the project; its requester is the person
    who raised it. The support team answers it within the service level of its priority."""

    category = models.CharField(max_length=12, choices=TicketCategory.choices,
                                default=TicketCategory.OTHER)
    asset = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="tickets", verbose_name="affected asset")
    resolution = models.TextField(blank=True, max_length=5000)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the service-level check already told (warnings once, breaches flagged for good).
    response_warned = models.BooleanField(default=False, editable=False)
    resolution_warned = models.BooleanField(default=False, editable=False)
    response_breached = models.BooleanField(default=False, editable=False)
    resolution_breached = models.BooleanField(default=False, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    satisfaction_comment = models.TextField(blank=True, max_length=2000, editable=False)
    articles = models.ManyToManyField(Article, blank=True, related_name="tickets")

    class Meta(RegisterItem.Meta):
        verbose_name = "ticket"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_ticket_number")]

    def clean(self) -> None:
        super().clean()
        if self.asset_id is not None and self.asset is not None \
                and self.asset.project_id != self.project_id:
            # The same words as for an id that does not exist: other projects do not leak.
            raise ValidationError({"asset": f"no asset {self.asset_id} in this project"})


class TicketNote(models.Model):
    """An internal note of the support team on a ticket: never shown to the requester."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.ticket.reference}"


class ServiceLevel(VersionedModel):
    """The response and resolution targets of one priority, in working minutes."""

    priority = models.CharField(max_length=10, choices=Priority.choices, unique=True)
    response_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(525600)])
    resolution_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(525600)])

    class Meta:
        ordering = ["priority"]

    def __str__(self) -> str:
        return f"{self.get_priority_display()} service level"

    def clean(self) -> None:
        if self.response_minutes and self.resolution_minutes \
                and self.resolution_minutes < self.response_minutes:
            raise ValidationError({"resolution_minutes": "must be at least the response target"})
