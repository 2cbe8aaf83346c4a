"""A database backend that also runs each job at once, in the process that enqueues it: the
jobs are kept and listed exactly as the worker's would be. For tests and for a single process
without a worker (PMO_JOBS_BACKEND=at-once)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend

from .registry import spec_for


class AtOnceDatabaseBackend(DatabaseBackend):
    supports_defer = False  # a retry runs at once rather than later

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        result: Any = super().enqueue(task, args, kwargs)
        row = result.db_result
        row.claim("at-once")
        task_started.send(type(self), task_result=row.task_result)
        spec = spec_for(task.module_path)
        try:
            if spec is not None and spec.own_transaction:
                value = task.call(*args, **kwargs)
            else:
                # A savepoint: a job that fails half-way leaves the caller's transaction
                # usable.
                with transaction.atomic():
                    value = task.call(*args, **kwargs)
        except Exception as exc:
            row.set_failed(exc)
        else:
            row.set_successful(normalize_json(value))
        finished = row.task_result
        task_finished.send(type(self), task_result=finished)
        return finished
