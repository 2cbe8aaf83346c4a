"""The kernel's tables: the abstract register item and what every item may carry —
comments, attachments, links to other items and the history of workflow moves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.editing import VersionedModel

if TYPE_CHECKING:
    from .spec import RegisterSpec

USER = settings.AUTH_USER_MODEL


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class RegisterItem(VersionedModel):
    """What every register item has. Concrete registers add their own fields."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(editable=False)
    reference = models.CharField(max_length=20, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=20000)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    status = models.CharField(max_length=30, editable=False)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    raised_on = models.DateField(editable=False)
    due_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    register_spec: ClassVar[RegisterSpec]
    objects: ClassVar[models.Manager[Any]]

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def state(self) -> Any:
        return self.register_spec.workflow.state(self.status)

    @property
    def is_closed(self) -> bool:
        return bool(self.state.closed)

    def is_overdue(self, today: Any) -> bool:
        return bool(self.due_date and not self.is_closed and self.due_date < today)

    def clean(self) -> None:
        if self.due_date and self.raised_on and self.due_date < self.raised_on:
            raise ValidationError({"due_date": "must be on or after the date raised"})


class ReferenceCounter(models.Model):
    """The last number issued per project and register; locked while a number is taken."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="+")
    register = models.CharField(max_length=40)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "register"],
                                               name="unique_counter")]


class ItemAnnex(models.Model):
    """Base for things attached to any register item (generic relation + its project)."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["content_type", "object_id"])]


class Comment(ItemAnnex):
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10000)

    class Meta(ItemAnnex.Meta):
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.item}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.project_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(ItemAnnex):
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    mime_type = models.CharField(max_length=100)

    class Meta(ItemAnnex.Meta):
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename


class LinkKind(models.TextChoices):
    RELATES = "relates", "relates to"
    BLOCKS = "blocks", "blocks"
    CAUSED_BY = "caused_by", "is caused by"
    DUPLICATES = "duplicates", "duplicates"
    FOLLOWS_UP = "follows_up", "follows up"


class ItemLink(ItemAnnex):
    """A typed link from one register item to another (of any register, same project)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(max_length=20, choices=LinkKind.choices, default=LinkKind.RELATES)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(ItemAnnex.Meta):
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(
            fields=["content_type", "object_id", "target_type", "target_id", "kind"],
            name="unique_item_link")]

    def __str__(self) -> str:
        return f"{self.item} {self.get_kind_display()} {self.target}"


class TransitionRecord(ItemAnnex):
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    comment = models.TextField(blank=True, max_length=5000)

    class Meta(ItemAnnex.Meta):
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned to you"
    ESCALATED = "escalated", "Escalated"
    DUE = "due", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ANNOUNCEMENT = "announcement", "Announcement"
    BOOKING = "booking", "Booking"
    REQUEST = "request", "Request decision"
    MEETING = "meeting", "Meeting changed"
    REVIEW = "review", "Document review"
    TIMESHEET = "timesheet", "Timesheet submitted or decided"
    CHANGE = "change", "Change request assessed, decided or applied"
    ABSENCE = "absence", "Absence requested or decided"
    TASK = "task", "Task assigned to you"
    DEPENDENCY = "dependency", "Dependency now late"
    MENTION = "mention", "Mentioned in a comment"
    TRAINING = "training", "Training place or session changed"
    INCIDENT = "incident", "Security incident reported"


class EmailDelivery(models.TextChoices):
    IMMEDIATE = "immediate", "E-mail at once"
    DIGEST = "digest", "In the daily digest"
    OFF = "off", "No e-mail"


class Notification(ItemAnnex):
    """Something a person should hear about: an item, a booking, a meeting, an
    announcement. Shown in the top bar and e-mailed as the recipient prefers. Office-wide
    notices (a room booking, an announcement to everyone) have no project."""

    project = models.ForeignKey(  # type: ignore[assignment]
        "portfolio.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta(ItemAnnex.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """How one person wants to hear of one kind of notification. Without a row, a kind is
    shown in the app and e-mailed at once."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    in_app = models.BooleanField(default=True)
    email = models.CharField(max_length=10, choices=EmailDelivery.choices,
                             default=EmailDelivery.IMMEDIATE)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="unique_notification_preference")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_email_display()}"


class DigestLog(models.Model):
    """One daily digest e-mailed to one person: the next digest covers what came after."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self) -> str:
        return f"Digest of {self.count} for {self.user} at {self.sent_at:%Y-%m-%d %H:%M}"
