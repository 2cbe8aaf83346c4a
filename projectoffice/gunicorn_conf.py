"""Gunicorn settings for `pmo serve`.

The master process never opens a database connection: `pmo serve` runs migrations in a
separate process and gunicorn loads the application in each worker after the fork (no
preloading). A connection inherited across a fork would be one socket used by several
processes at once — requests would read each other's rows — so both hooks below close any
connection Django holds, as a guard should something in the master ever open one.
"""

from __future__ import annotations

import os
import sys
from typing import Any

preload_app = False
timeout = 120
# Threads let a quick page be answered while a slow one is being worked out in the same
# worker, instead of queueing behind it.
worker_class = "gthread"
threads = int(os.environ.get("PMO_THREADS", "4"))
# An idle kept-alive connection stays open longer than a person reads a page (and than a
# proxy keeps its own): closed after gunicorn's default 2 s, a browser or proxy reusing it at
# that moment gets "connection reset".
keepalive = int(os.environ.get("PMO_KEEPALIVE", "75"))
accesslog = "-"
# Start-up chatter (booting workers…) stays out of the way of what `pmo serve` says itself.
loglevel = "warning"


def when_ready(server: Any) -> None:
    """In the master, once it listens: say where the office is (and the demo sign-ins)."""
    banner = os.environ.get("PMO_SERVE_BANNER")
    if banner:
        print(banner, flush=True)


def _close_django_connections() -> None:
    if "django.db" not in sys.modules:
        return  # Django was never loaded in this process: there is nothing to close.
    from django.db import connections

    connections.close_all()


def pre_fork(server: Any, worker: Any) -> None:
    """In the master, before each fork: no open connection may be copied into a worker."""
    _close_django_connections()


def post_fork(server: Any, worker: Any) -> None:
    """In the new worker, before it loads the application: start with no connection."""
    _close_django_connections()


def post_worker_init(worker: Any) -> None:
    """In the worker, once the application is loaded: do the first request's one-off work
    now (projectoffice/warmup.py), so that no person's request waits for it."""
    # Imported here: the master process that reads this file never loads Django (see above).
    from projectoffice.warmup import warm_up

    warm_up()
