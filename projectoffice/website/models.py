"""The project's website: one status page per project whose content the project manager
(or the web master) chooses, read by the project's members and — once published — by
anyone holding its unguessable link, until the link is revoked."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel


class StatusPage(VersionedModel):
    project = models.OneToOneField("portfolio.Project", on_delete=models.CASCADE,
                                   related_name="status_page")
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
    # The public link's secret; empty while the page is not published.
    token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token"], condition=~models.Q(token=""),
                                               name="unique_status_page_token")]

    def __str__(self) -> str:
        return f"Status page of {self.project.code}"

    @property
    def is_public(self) -> bool:
        return bool(self.token)
