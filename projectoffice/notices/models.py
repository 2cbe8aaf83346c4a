"""Announcements from the office: to everyone, to a programme's projects or to one project,
until they expire."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.editing import VersionedModel

USER = settings.AUTH_USER_MODEL


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    PROGRAMME = "programme", "A programme"
    PROJECT = "project", "A project"


class Announcement(VersionedModel):
    audience = models.CharField(max_length=10, choices=Audience.choices)
    project = models.ForeignKey("portfolio.Project", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("portfolio.Programme", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=5000)
    expires_on = models.DateField("shown until", null=True, blank=True)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["audience", "expires_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.PROJECT and self.project is not None:
            return self.project.code
        if self.audience == Audience.PROGRAMME and self.programme is not None:
            return f"{self.programme.code} programme"
        return "Everyone"

    def clean(self) -> None:
        if self.audience == Audience.PROJECT and self.project_id is None:
            raise ValidationError({"project": "name the project"})
        if self.audience == Audience.PROGRAMME and self.programme_id is None:
            raise ValidationError({"programme": "name the programme"})


class OutboxState(models.TextChoices):
    KEPT = "kept", "Kept"
    FAILED = "failed", "Not sent yet"
    SENT = "sent", "Sent on retry"


class OutboxMessage(models.Model):
    """An e-mail the office would have sent while no mail server is configured, or one the
    mail server refused or could not take (state `failed`, kept with its attachments and
    sent again by `pmo mail-retry` and `pmo digest`): kept so that the Project Office manager
    can read what people were told. Pruned after ``PMO_OUTBOX_DAYS`` days."""

    sent_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices,
                             default=OutboxState.KEPT, db_index=True)
    error = models.TextField(blank=True, help_text="why the mail server did not take it")
    attempts = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=list, blank=True,
                             help_text="attachments (base64) of a message still to send")
    from_email = models.CharField(max_length=300)
    to = models.TextField(help_text="recipients, comma-separated")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachments = models.JSONField(default=list, help_text="name, type and size of each")

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject
