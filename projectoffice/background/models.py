"""One row per piece of work started from a page and done by a job: what it is, who started
it, the stored upload, and how it ended. The status page and the API read this row, whichever
queue (database or Redis) carries the job itself."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from projectoffice.portfolio.models import Project


class RunState(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (RunState.DONE, RunState.FAILED)


class Run(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    work = models.CharField(max_length=200)  # module.function of the work done
    label = models.CharField(max_length=200)  # e.g. "Import ALPHA.xml into the plan of ALPHA"
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    state = models.CharField(max_length=10, choices=RunState.choices,
                             default=RunState.QUEUED)
    upload = models.FileField(upload_to="runs/%Y/%m/", blank=True, max_length=300)
    filename = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    back_url = models.CharField(max_length=500, blank=True)  # where it was started
    result_url = models.CharField(max_length=500, blank=True)  # what to show when done
    summary = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)  # the error, in the user's words
    problems = models.JSONField(default=list, blank=True)  # one line per field or row
    attempt = models.PositiveSmallIntegerField(default=0)
    job_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="background_run_created")]

    def __str__(self) -> str:
        return f"{self.label} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
