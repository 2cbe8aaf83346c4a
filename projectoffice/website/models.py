"""The project's website: a status page per project — and per programme — whose content
the project manager (or the web master) chooses, read by the members and — once published —
by anyone holding its unguessable link, until the link is revoked."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel


class StatusPage(VersionedModel):
    """One page: of a project, or of a programme (which shows the chosen projects, each with
    the content its own page chooses). Both carry announcements and chosen documents."""

    project = models.OneToOneField("portfolio.Project", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="status_page")
    programme = models.OneToOneField("portfolio.Programme", on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="status_page")
    headline = models.CharField(max_length=200, blank=True,
                                help_text="One line at the top, e.g. “On track for the "
                                          "April go-live”")
    message = models.TextField("status message", blank=True, max_length=5000,
                               help_text="What readers should know now")
    show_rag = models.BooleanField("show the RAG status", default=True)
    show_milestones = models.BooleanField("show the milestones", default=True)
    components = models.ManyToManyField(
        "architecture.Component", blank=True, related_name="+",
        help_text="Solution components whose state the page shows")
    # A programme's page: the projects of the programme it shows.
    projects = models.ManyToManyField("portfolio.Project", blank=True, related_name="+")
    # Approved document versions anyone reading the page may download.
    documents = models.ManyToManyField("documents.DocumentVersion", blank=True,
                                       related_name="+")
    # The public link's secret; empty while the page is not published.
    token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token"], condition=~models.Q(token=""),
                                    name="unique_status_page_token"),
            models.CheckConstraint(
                condition=(models.Q(project__isnull=False, programme__isnull=True)
                           | models.Q(project__isnull=True, programme__isnull=False)),
                name="status_page_of_project_or_programme"),
        ]

    def __str__(self) -> str:
        if self.programme_id:
            return f"Status page of {self.programme.code}"  # type: ignore[union-attr]
        return f"Status page of {self.project.code}"  # type: ignore[union-attr]

    @property
    def is_public(self) -> bool:
        return bool(self.token)


class StatusAnnouncement(models.Model):
    """A dated news item on a status page, posted by its web master; shown newest first."""

    page = models.ForeignKey(StatusPage, on_delete=models.CASCADE,
                             related_name="announcements")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=5000)
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return self.title
