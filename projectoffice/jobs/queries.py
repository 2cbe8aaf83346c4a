"""Reading the jobs for the Jobs page and the API (Project Office manager: jobs.view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from projectoffice.errors import InvalidInput, NotFound
from projectoffice.portfolio.access import require_global

from .models import ScheduledRun
from .registry import ATTEMPT, spec_for

# What the page and the API call each state (django-tasks' own names are READY, …).
STATES = {TaskResultStatus.READY: "queued", TaskResultStatus.RUNNING: "running",
          TaskResultStatus.SUCCESSFUL: "done", TaskResultStatus.FAILED: "failed"}
STATE_FILTERS = {v: k for k, v in STATES.items()}


@dataclass(frozen=True)
class JobView:
    id: str
    name: str
    label: str
    state: str  # queued · running · done · failed
    attempt: int
    attempts: int
    retried: bool  # failed, and a later attempt is queued
    enqueued_at: dt.datetime
    run_after: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: str
    error: str  # the exception's last line, e.g. "SMTPServerDisconnected: …"
    error_class: str
    traceback: str


def _error_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def view_of(row: DBTaskResult[Any, Any]) -> JobView:
    spec = spec_for(row.task_path)
    attempts = spec.attempts if spec else 1
    attempt = int((row.args_kwargs.get("kwargs") or {}).get(ATTEMPT, 1))
    failed = row.status == TaskResultStatus.FAILED
    return JobView(
        id=str(row.id), name=row.task_path.rsplit(".", 1)[-1],
        label=spec.label if spec else row.task_path, state=STATES[row.status],
        attempt=attempt, attempts=attempts, retried=failed and attempt < attempts,
        enqueued_at=row.enqueued_at,
        run_after=None if row.run_after == get_date_max() else row.run_after,
        started_at=row.started_at, finished_at=row.finished_at,
        result="" if row.return_value is None else str(row.return_value)[:500],
        error=_error_line(row.traceback) if failed else "",
        error_class=row.exception_class_path if failed else "",
        traceback=row.traceback if failed else "")


def jobs(user: Any, state: str = "") -> QuerySet[DBTaskResult[Any, Any]]:
    """The office's jobs, newest first; `state` keeps one of queued, running, done, failed."""
    require_global(user, "jobs.view")
    rows = DBTaskResult.objects.order_by("-enqueued_at", "-id")
    if state:
        if state not in STATE_FILTERS:
            raise InvalidInput.field("state", "choose queued, running, done or failed")
        rows = rows.filter(status=STATE_FILTERS[state])
    return rows


def job(user: Any, job_id: str) -> JobView:
    key = _uuid(job_id)
    row = jobs(user).filter(id=key).first() if key else None
    if row is None:
        raise NotFound(f"No job {job_id}")
    return view_of(row)


def _uuid(text: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def counts(user: Any) -> dict[str, int]:
    """How many jobs are in each state (failed: in the last day, retried ones included)."""
    require_global(user, "jobs.view")
    by_status = dict(DBTaskResult.objects.filter(status__in=[
        TaskResultStatus.READY, TaskResultStatus.RUNNING]).values_list("status").annotate(
        n=Count("id")).values_list("status", "n"))
    since = timezone.now() - dt.timedelta(days=1)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED,
                                         finished_at__gte=since).count()
    return {"queued": by_status.get(TaskResultStatus.READY, 0),
            "running": by_status.get(TaskResultStatus.RUNNING, 0), "failed": failed}


def prune_finished() -> int:
    """Forgets finished jobs older than PMO_JOBS_KEEP_DAYS (failed ones are kept twice as
    long) and the scheduler's record of old slots."""
    days = settings.PMO_JOBS_KEEP_DAYS
    now = timezone.now()
    done, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - dt.timedelta(days=days),
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - dt.timedelta(days=2 * days),
    ).delete()
    ScheduledRun.objects.filter(enqueued_at__lt=now - dt.timedelta(days=days)).delete()
    return done + failed
