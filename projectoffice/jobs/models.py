"""The one table of the office's own for jobs: which scheduled runs have been started. The
jobs themselves are kept by django-tasks' database backend (django_tasks_db.DBTaskResult)."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    """One row per scheduled job and time slot (e.g. digest · 2026-12-04): the unique pair
    lets several workers run the scheduler while exactly one enqueues each run."""

    name = models.CharField(max_length=60)
    slot = models.CharField(max_length=40)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"],
                                               name="jobs_scheduled_run_once")]
        ordering = ["-enqueued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot}"
