"""/healthz and /readyz for the proxy and the orchestrator. Health: the process answers (no
database: a server is not restarted because the database is slow). Ready: the database
answers, its migrations are applied, and uploaded-file storage and the cache work, so the
proxy sends requests only to servers able to serve them."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


_migrated = False  # once seen up to date, a process need not load the migration graph again


def _check_database() -> str:
    global _migrated
    from django.db.migrations.executor import MigrationExecutor

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if not _migrated:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"{len(pending)} migrations pending"
        _migrated = True
    return "ok"


def _check_cache() -> str:
    cache.set("pmo:readyz", "1", 10)
    return "ok" if cache.get("pmo:readyz") == "1" else "cache does not keep values"


def _check_storage() -> str:
    """Writes and removes a small file: a store that can only be read cannot take uploads."""
    import uuid

    from django.core.files.base import ContentFile

    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    default_storage.delete(name)
    return "ok"


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {}
    for name, check in (("database", _check_database), ("cache", _check_cache),
                        ("storage", _check_storage)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means not ready; the reason is reported
            checks[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status=200 if ready else 503)
