"""Reading the jobs for the Jobs page and the API (Project Office manager: jobs.view)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from projectoffice.apischema import paginate
from projectoffice.background.models import Run
from projectoffice.background.runs import carry_out
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.portfolio.access import require_global

from .models import ScheduledRun
from .registry import ATTEMPT, spec_for
from .retry import refused

logger = logging.getLogger("projectoffice.jobs")

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


def _label(path: str, args: Any, spec_label: str) -> str:
    """A run started from a page is called by what it does ("Import the plan of …")."""
    key = _uuid(str(args[0])) if path == carry_out.module_path and args else None
    if key is None:
        return spec_label
    return Run.objects.filter(pk=key).values_list("label", flat=True).first() or spec_label


def view_of(row: DBTaskResult[Any, Any] | TaskResult[Any]) -> JobView:
    if isinstance(row, TaskResult):
        return _view_of_result(row)
    spec = spec_for(row.task_path)
    attempts = spec.attempts if spec else 1
    attempt = int((row.args_kwargs.get("kwargs") or {}).get(ATTEMPT, 1))
    failed = row.status == TaskResultStatus.FAILED
    return JobView(
        id=str(row.id), name=row.task_path.rsplit(".", 1)[-1],
        label=_label(row.task_path, row.args_kwargs.get("args"),
                     spec.label if spec else row.task_path), state=STATES[row.status],
        attempt=attempt, attempts=attempts,
        retried=failed and attempt < attempts and not refused(row.exception_class_path),
        enqueued_at=row.enqueued_at,
        run_after=None if row.run_after == get_date_max() else row.run_after,
        started_at=row.started_at, finished_at=row.finished_at,
        result="" if row.return_value is None else str(row.return_value)[:500],
        error=_error_line(row.traceback) if failed else "",
        error_class=row.exception_class_path if failed else "",
        traceback=row.traceback if failed else "")


def _view_of_result(found: TaskResult[Any]) -> JobView:
    """A job kept outside the database (Redis/RQ), as django-tasks reads it back."""
    path = found.task.module_path
    spec = spec_for(path)
    attempts = spec.attempts if spec else 1
    attempt = int(found.kwargs.get(ATTEMPT, 1))
    failed = found.status == TaskResultStatus.FAILED
    error = found.errors[-1] if failed and found.errors else None
    value = found.return_value if found.status == TaskResultStatus.SUCCESSFUL else None
    return JobView(
        id=found.id, name=path.rsplit(".", 1)[-1],
        label=_label(path, found.args, spec.label if spec else path),
        state=STATES[found.status], attempt=attempt, attempts=attempts,
        retried=failed and attempt < attempts and not refused(
            error.exception_class_path if error else ""),
        enqueued_at=found.enqueued_at or found.task.run_after or timezone.now(),
        run_after=found.task.run_after, started_at=found.started_at,
        finished_at=found.finished_at, result="" if value is None else str(value)[:500],
        error=_error_line(error.traceback) if error else "",
        error_class=error.exception_class_path if error else "",
        traceback=error.traceback if error else "")


def uses_database() -> bool:
    """Whether the jobs are kept in the database (otherwise in Redis, through RQ)."""
    return isinstance(task_backends["default"], DatabaseBackend)


def _in_redis() -> list[TaskResult[Any]]:
    """Every job RQ still knows of: queued, scheduled (a retry waiting for its time),
    running, failed and finished (until RQ forgets it, after its result TTL)."""
    import django_rq
    from django_tasks_rq.backend import Job

    backend = task_backends["default"]
    names = backend.queues or set(settings.RQ_QUEUES)
    found: list[TaskResult[Any]] = []
    for name in sorted(names):
        queue = django_rq.get_queue(name, job_class=Job)
        ids: list[str] = list(queue.get_job_ids())
        for registry in (queue.scheduled_job_registry, queue.deferred_job_registry,
                         queue.started_job_registry, queue.failed_job_registry,
                         queue.finished_job_registry):
            ids.extend(registry.get_job_ids())
        for job in Job.fetch_many(list(dict.fromkeys(ids)), connection=queue.connection):
            if job is None:
                continue
            try:
                found.append(job.task_result)  # type: ignore[attr-defined]
            except Exception:
                logger.warning("Job %s in queue %s is not one of the office's", job.id, name)
    far_past = dt.datetime.min.replace(tzinfo=dt.UTC)
    found.sort(key=lambda r: r.enqueued_at or r.task.run_after or far_past, reverse=True)
    return found


def jobs(user: Any, state: str = "") -> QuerySet[DBTaskResult[Any, Any]] | list[TaskResult[Any]]:
    """The office's jobs, newest first; `state` keeps one of queued, running, done, failed.
    Kept in the database: a query set of its rows; in Redis: a list of task results."""
    require_global(user, "jobs.view")
    if state and state not in STATE_FILTERS:
        raise InvalidInput.field("state", "choose queued, running, done or failed")
    if not uses_database():
        return [r for r in _in_redis() if not state or r.status == STATE_FILTERS[state]]
    rows = DBTaskResult.objects.order_by("-enqueued_at", "-id")
    if state:
        rows = rows.filter(status=STATE_FILTERS[state])
    return rows


def job_page(user: Any, state: str, limit: int, offset: int) -> tuple[int, list[JobView]]:
    found = jobs(user, state)
    if isinstance(found, QuerySet):
        count, rows = paginate(found, limit, offset)
    else:
        paginate(DBTaskResult.objects.none(), limit, offset)  # the same checks of both
        count, rows = len(found), list(found[offset: offset + limit])
    return count, [view_of(r) for r in rows]


def job(user: Any, job_id: str) -> JobView:
    require_global(user, "jobs.view")
    if not uses_database():
        try:
            return view_of(task_backends["default"].get_result(job_id))
        except TaskResultDoesNotExist:
            raise NotFound(f"No job {job_id}") from None
    key = _uuid(job_id)
    row = DBTaskResult.objects.filter(id=key).first() if key else None
    if row is None:
        raise NotFound(f"No job {job_id}")
    return view_of(row)


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def counts(user: Any) -> dict[str, int]:
    """How many jobs are in each state (failed: in the last day, retried ones included)."""
    require_global(user, "jobs.view")
    since = timezone.now() - dt.timedelta(days=1)
    if not uses_database():
        found = _in_redis()
        return {"queued": sum(r.status == TaskResultStatus.READY for r in found),
                "running": sum(r.status == TaskResultStatus.RUNNING for r in found),
                "failed": sum(r.status == TaskResultStatus.FAILED and r.finished_at is not None
                              and r.finished_at >= since for r in found)}
    by_status = dict(DBTaskResult.objects.filter(status__in=[
        TaskResultStatus.READY, TaskResultStatus.RUNNING]).values_list("status").annotate(
        n=Count("id")).values_list("status", "n"))
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
    for run in Run.objects.filter(created_at__lt=now - dt.timedelta(days=2 * days)):
        if run.upload:
            run.upload.delete(save=False)
        run.delete()
    return done + failed
