"""Gunicorn settings for `pmo serve`.

The master process never opens a database connection: `pmo serve` runs migrations in a
separate process and gunicorn loads the application in each worker after the fork (no
preloading). A connection inherited across a fork would be one socket used by several
processes at once — requests would read each other's rows — so both hooks below close any
connection Django holds, as a guard should something in the master ever open one.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

preload_app = False
timeout = 120
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
    """In the worker, once the application is loaded: every view and API module imported
    (the URL patterns resolved), then what start-up made kept out of the collector's full
    passes.  Loaded, the office holds some 400,000 objects that live as long as the
    process; a full collection walked them all, about 250 ms of CPU every few requests of
    a large portfolio's pages, and walks the few tens of thousands made since (about
    15 ms) once they are frozen."""
    from django.urls import get_resolver  # the master never loads Django (see above)

    get_resolver().url_patterns  # noqa: B018 - imports every view and the API
    gc.collect()
    gc.freeze()
