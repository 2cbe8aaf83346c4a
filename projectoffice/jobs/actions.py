"""Starting a job by hand: a scheduled one before its time, or rebuilding the search index."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.audit.actions import record_creation
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.access import require_global

from . import tasks
from .models import ScheduledRun
from .registry import enqueue_now
from .schedule import timetable


def startable() -> dict[str, Any]:
    """The jobs a Project Office manager may start by hand, by name."""
    return {"reindex": tasks.reindex, **{entry.name: entry.job for entry in timetable()}}


def start_job(*, actor: Any, name: str) -> ScheduledRun:
    require_global(actor, "jobs.start")
    job = startable().get(name)
    if job is None:
        raise InvalidInput.field("name", f"no job called {name!r}; choose one of "
                                         f"{', '.join(startable())}")
    with transaction.atomic():
        run = ScheduledRun.objects.create(
            name=name, slot=f"by hand {timezone.now().isoformat(timespec='seconds')}")
        run.job_id = enqueue_now(job)
        run.save(update_fields=["job_id"])
        record_creation(actor=actor, obj=run, fields=["name", "slot", "job_id"])
    return run
