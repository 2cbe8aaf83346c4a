"""Retries: a job that fails is enqueued again, later each time, until its attempts are spent;
the failed attempt stays in the list with its error, and the last one shows the job failed."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from projectoffice.errors import OfficeError

from .registry import ATTEMPT, spec_for

logger = logging.getLogger("projectoffice.jobs")


def retry_delay(attempt: int) -> dt.timedelta:
    """After the first failure the base delay (PMO_JOB_RETRY_SECONDS), then twice as long."""
    return dt.timedelta(seconds=settings.PMO_JOB_RETRY_SECONDS * 2 ** (attempt - 1))


def refused(exception_path: str) -> bool:
    """Whether the job failed on its input (an upload that does not read, a plan no longer
    allowed to change): another attempt would end the same way."""
    try:
        found = import_string(exception_path)
    except ImportError:
        return False
    return isinstance(found, type) and issubclass(found, OfficeError)


@receiver(task_finished)
def retry_failed_job(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if task_result.status != TaskResultStatus.FAILED:
        return
    spec = spec_for(task_result.task.module_path)
    attempt = int(task_result.kwargs.get(ATTEMPT, 1))
    error = task_result.errors[-1].traceback.strip().splitlines()[-1] if task_result.errors \
        else "unknown error"
    if refused(task_result.errors[-1].exception_class_path if task_result.errors else ""):
        logger.warning("Job %s refused its input, not tried again: %s", task_result.task.name,
                       error)
        return
    if spec is None or attempt >= spec.attempts:
        logger.error("Job %s failed for good after %d attempt(s): %s",
                     task_result.task.name, attempt, error)
        return
    delay = retry_delay(attempt)
    job = task_result.task
    if delay and job.get_backend().supports_defer:
        job = job.using(run_after=timezone.now() + delay)
    logger.warning("Job %s failed (attempt %d of %d), retrying in %ss: %s", job.name, attempt,
                   spec.attempts, int(delay.total_seconds()), error)
    job.enqueue(*task_result.args, **{**task_result.kwargs, ATTEMPT: attempt + 1})


@receiver(setting_changed)
def forget_backends(*, setting: str, **kwargs: Any) -> None:
    """django-tasks re-reads TASKS when it changes but keeps the backends it made; forget
    them too, so a changed backend (tests, mostly) takes effect at once."""
    if setting == "TASKS":
        from asgiref.local import Local
        from django_tasks import task_backends

        setattr(task_backends, "_connections", Local(task_backends.thread_critical))  # noqa: B010
