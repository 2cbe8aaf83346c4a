"""Answers worked out from many projects' data, kept in the cache under the data version of
every project they read (docs/architecture.md, "Figures kept under the data version":
"Answers kept in the cache").

A project's data version (``ProjectVersion``) changes in the same transaction as every
write to the project's data, so a key made of the versions of the projects an answer reads,
with everything else it depends on (``parts``: today, a filter, a digest of people's names),
is replaced by any change to what the answer reads: what is kept is never stale, only no
longer asked for, and expires a day later. The release is part of the key, so an answer
kept by an older release that worked it out differently is not read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache

from projectoffice import __version__

from .models import ProjectVersion

T = TypeVar("T")

KEPT_FOR = 24 * 3600  # seconds: an answer no longer asked for is dropped a day later


def digest(value: Any) -> str:
    """A short, stable name for ``value`` (built of strings, numbers, dates and tuples)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()


def versions_digest(project_ids: Iterable[int] | None = None) -> str:
    """The data versions of the projects given (of every project when None), in one query."""
    rows = ProjectVersion.objects.all()
    if project_ids is not None:
        rows = rows.filter(project_id__in=list(project_ids))
    return digest(sorted(rows.values_list("project_id", "entry_id")))


def kept(name: str, parts: Any, compute: Callable[[], T],
         projects: Iterable[int] | None = None) -> T:
    """``compute()``, kept under the data versions of ``projects`` (every project when None)
    and ``parts``: worked out again only when one of them has changed."""
    ids = None if projects is None else sorted(projects)
    key = f"kept:{name}:" + digest((__version__, versions_digest(ids), ids, parts))
    answer: T | None = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, timeout=KEPT_FOR)
    return answer
