"""Meetings: single or recurring, with attendees (people and outside contacts), an agenda,
minutes, decisions, and actions that live in the project's Actions register.

Decisions are kept on the meeting for now; a decision log register will take them over.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel

USER = settings.AUTH_USER_MODEL


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Repeat(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


class Meeting(VersionedModel):
    project = models.ForeignKey("portfolio.Project", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("room or location", max_length=200, blank=True)
    description = models.TextField(blank=True, max_length=5000)
    series = models.CharField(max_length=32, editable=False)
    sequence = models.PositiveIntegerField(default=1, editable=False)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED, editable=False)
    minutes = models.TextField(blank=True, max_length=50000)
    minutes_issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    organiser = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                                  editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["project", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"

    @property
    def uid(self) -> str:
        return f"meeting-{self.pk}@projectoffice"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "must be after the start"})


class Attendance(models.TextChoices):
    INVITED = "invited", "Invited"
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendee(models.Model):
    """A person invited: a user of the office, or an outside contact with a name and e-mail."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices,
                                  default=Attendance.INVITED)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def external(self) -> bool:
        return self.user_id is None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    minutes_allowed = models.PositiveIntegerField(default=10)
    # An open action carried from an earlier meeting, reviewed under this item.
    action = models.ForeignKey("controls.Action", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["position", "id"]


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(max_length=5000)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class MeetingAction(models.Model):
    """An action raised in a meeting; the action itself is an item of the Actions register."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey("controls.Action", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "action"],
                                               name="unique_meeting_action")]


class CalendarFeed(models.Model):
    """A secret URL that calendar programs poll for a person's meetings. Only the token's
    SHA-256 is stored; the URL is shown once when it is made."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
