"""The worker: runs the queued jobs (django-tasks' database worker loop) and, in a thread
beside it, the office's scheduler. `pmo serve` starts one; `pmo worker` runs one on its own."""

from __future__ import annotations

import logging
import os
import threading

from django.db import close_old_connections, connections

logger = logging.getLogger("projectoffice.jobs")


def _scheduler(stop: threading.Event, every: float, parent: int | None) -> None:
    from .schedule import enqueue_due

    while not stop.is_set():
        if parent is not None and os.getppid() != parent:
            # The server that started this worker is gone: stop with it, not linger on.
            logger.warning("The office's server stopped; the worker stops too")
            os._exit(0)
        try:
            close_old_connections()
            enqueue_due()
        except Exception:  # a database hiccup must not stop the timetable for good
            logger.exception("The scheduler could not enqueue the due jobs")
        finally:
            connections.close_all()
        stop.wait(every)


def run_worker(*, interval: float = 1.0, schedule: bool = True, batch: bool = False,
               parent: int | None = None, worker_id: str = "") -> None:
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    stop = threading.Event()
    if schedule:
        thread = threading.Thread(target=_scheduler, args=(stop, 30.0, parent),
                                  name="pmo-scheduler", daemon=True)
        thread.start()
    if uses_redis():
        try:
            run_redis_worker(burst=batch)
        finally:
            stop.set()
        return
    worker = Worker(queue_names=["*"], excluded_queue_names=[], interval=interval,
                    batch=batch, backend_name="default", startup_delay=not batch,
                    max_tasks=None, worker_id=worker_id or get_random_string(32))
    if not batch:
        worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()


def uses_redis() -> bool:
    from django.conf import settings

    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.startswith("django_tasks_rq.")


def run_redis_worker(*, burst: bool = False) -> bool:
    """Runs the jobs queued in Redis (PMO_TASKS=redis://…) with an RQ worker; with `burst`
    it stops once the queue is empty. Returns whether it ran without trouble."""
    import django_rq
    from rq import SimpleWorker

    queue = django_rq.get_queue("default")
    worker = SimpleWorker([queue], connection=queue.connection,
                          job_class="django_tasks_rq.Job")
    return bool(worker.work(burst=burst, with_scheduler=not burst))
