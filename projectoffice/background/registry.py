"""Declaring a background job: `@office_job(label=…)` turns a module-level function into a
django-tasks Task that the office knows by name, with its number of attempts."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

# The keyword each enqueued job carries to say which attempt it is (1 for the first).
ATTEMPT = "job_attempt"


@dataclass(frozen=True)
class JobSpec:
    path: str  # module.function, as django-tasks stores it
    label: str  # what the Jobs page calls it
    attempts: int  # tries in all before the job is shown as failed for good
    # The job keeps its writes all-or-nothing itself and records its own failure: run at
    # once, it gets no savepoint around it that would roll that record back.
    own_transaction: bool = False


JOBS: dict[str, JobSpec] = {}


def office_job(*, label: str, attempts: int = 3, priority: int = 0,
               own_transaction: bool = False,
               ) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    def declare(func: Callable[..., Any]) -> Task[Any, Any]:
        takes_attempt = ATTEMPT in inspect.signature(func).parameters

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            # The retry hook's bookkeeping: passed on only to jobs that ask for it.
            attempt = kwargs.pop(ATTEMPT, 1)
            if takes_attempt:
                kwargs[ATTEMPT] = attempt
            return func(*args, **kwargs)

        job: Task[Any, Any] = task(priority=priority)(run)
        JOBS[job.module_path] = JobSpec(job.module_path, label, attempts, own_transaction)
        return job

    return declare


def spec_for(path: str) -> JobSpec | None:
    return JOBS.get(path)


def _for_backend(job: Task[Any, Any]) -> Task[Any, Any]:
    """The job as its backend can take it: a queue without priorities (Redis/RQ) runs the
    jobs in the order they came."""
    if job.priority and not job.get_backend().supports_priority:
        return job.using(priority=0)
    return job


def enqueue(job: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueues a job as part of the surrounding transaction. The database backend's row
    commits (or rolls back) with the request's own writes; a queue outside the database gets
    the job only once they are committed, so its worker reads what the request wrote."""
    job = _for_backend(job)
    if isinstance(job.get_backend(), DatabaseBackend):
        job.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: job.enqueue(*args, **kwargs), robust=True)


def enqueue_now(job: Task[Any, Any], *args: Any, **kwargs: Any) -> str:
    """Enqueues at once, returning the job's id (the scheduler and the CLI, outside requests)."""
    return str(_for_backend(job).enqueue(*args, **kwargs).id)
