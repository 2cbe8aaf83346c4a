"""Feeding the index. Apps call `index_entry` / `remove_entry` from their actions, inside
the action's transaction, so the index changes exactly when the data does.

A new app (the planning app's tasks, say) needs nothing here: it calls `index_entry` with
its own `kind` and, for `pmo reindex`, registers a source with `register_source`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.portfolio.models import Project
from projectoffice.registers.spec import all_specs

from .models import SearchEntry, SearchReader

KIND_LABELS: dict[str, str] = {}
_SOURCES: dict[str, Callable[[], Iterable[Any]]] = {}


def register_source(kind: str, label: str, reindex_all: Callable[[], Iterable[Any]]) -> None:
    """Declares a kind of searchable thing; `reindex_all` re-feeds every one (it should call
    index_entry itself and may yield anything)."""
    KIND_LABELS[kind] = label
    _SOURCES[kind] = reindex_all


def index_entry(*, project: Project, kind: str, key: str | int, perm: str, title: str,
                body: str, url: str, reference: str = "", readers: Iterable[int] = (),
                reader_perm: str = "") -> SearchEntry:
    """`readers` (user ids) find the entry where they hold `reader_perm` without holding
    `perm`: the reporter of a restricted register's item finds what they reported. Without
    a `reader_perm` (everything but restricted registers) the entry has no own readers and
    they are not looked at."""
    wanted = set(readers) if reader_perm else set()
    entry, _ = SearchEntry.objects.update_or_create(
        kind=kind, key=str(key),
        defaults={"project": project, "perm": perm, "title": title[:300], "body": body,
                  "url": url[:300], "reference": reference[:60],
                  "reader_perm": reader_perm if wanted else ""})
    if reader_perm:
        had = set(SearchReader.objects.filter(entry=entry).values_list("user_id", flat=True))
        if had - wanted:
            SearchReader.objects.filter(entry=entry, user_id__in=had - wanted).delete()
        if wanted - had:
            SearchReader.objects.bulk_create([SearchReader(entry=entry, user_id=u)
                                              for u in sorted(wanted - had)])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry.pk])
            cursor.execute("INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)",
                           [entry.pk, f"{entry.reference} {entry.title}", entry.body])
    return entry


def remove_entry(kind: str, key: str | int) -> None:
    ids = list(SearchEntry.objects.filter(kind=kind, key=str(key)).values_list("pk", flat=True))
    if ids and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i in ids])
    SearchEntry.objects.filter(pk__in=ids).delete()


def index_item(item: Any) -> SearchEntry:
    """Indexes any register item: reference, title, description and text fields; a model
    may add more with a `search_body()` method (documents add their file's text)."""
    spec = item.register_spec
    if hasattr(item, "search_body"):
        body = item.search_body()
    else:
        texts = [item.description]
        for name in spec.fields:
            value = getattr(item, name, "")
            if isinstance(value, str) and not spec.model._meta.get_field(name).choices:
                texts.append(value)
        body = "\n".join(t for t in texts if t)
    reference = getattr(item, "code", "") or item.reference
    # A restricted register's item needs the restricting permission, except for whoever
    # raised or owns it, who finds it with the register's own (registers.queries.restriction).
    readers = ({pk for pk in (item.created_by_id, item.owner_id) if pk is not None}
               if spec.restricted_to else set())
    return index_entry(project=item.project, kind=spec.key, key=item.pk,
                       perm=spec.restricted_to or spec.perm("view"), title=item.title,
                       body=body,
                       url=reverse("register-item",
                                   args=[item.project.code, spec.key, item.reference]),
                       reference=reference, readers=readers,
                       reader_perm=spec.perm("view") if spec.restricted_to else "")


# Items indexed per transaction when the whole index is rebuilt: short transactions let the
# office's requests write in between (on SQLite one long one would hold every writer back).
REBUILD_BATCH = 500
WRITERS_PAUSE = 0.15  # seconds


def _in_batches(entries: Iterable[Any]) -> None:
    """Runs through an iterable that indexes as it goes, one transaction per batch."""
    it = iter(entries)
    while True:
        with transaction.atomic():
            done = sum(1 for _ in islice(it, REBUILD_BATCH))
        if done < REBUILD_BATCH:
            return
        if connection.vendor == "sqlite":
            # SQLite's waiting writers poll for the lock (every 100 ms at most): a pause
            # between batches lets them in instead of waiting for the whole rebuild.
            time.sleep(WRITERS_PAUSE)


def rebuild() -> int:
    """Rebuilds the whole index from the registers and every registered source, in short
    transactions: each entry is written again (searches keep finding it meanwhile), then
    the entries no source wrote during the rebuild — of things since gone — are removed."""
    started = timezone.now()
    for spec in all_specs():
        items = spec.model.objects.select_related("project").order_by("pk")
        _in_batches(index_item(item) for item in items.iterator(chunk_size=REBUILD_BATCH))
    for source in _SOURCES.values():
        _in_batches(source())
    stale = list(SearchEntry.objects.filter(updated_at__lt=started).values_list("pk", flat=True))
    for first in range(0, len(stale), REBUILD_BATCH):
        ids = stale[first:first + REBUILD_BATCH]
        with transaction.atomic():
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.executemany("DELETE FROM search_fts WHERE rowid = %s",
                                       [[i] for i in ids])
            SearchEntry.objects.filter(pk__in=ids).delete()
    return SearchEntry.objects.count()
