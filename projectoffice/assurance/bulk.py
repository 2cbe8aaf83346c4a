"""Many rows of one model in one statement per batch, for imports of tens of thousands of
results: values that are the same for every row are converted for the database once, the
varying ones are given ready to store (text, numbers, None), and the model's own Python
is skipped — so callers validate before they come here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def insert_rows(model: type[models.Model], names: Sequence[str],
                rows: Iterable[Sequence[Any]], constants: dict[str, Any]) -> None:
    """INSERTs `rows` (values of the fields `names`, in order); every other column takes
    its value from `constants` or the field's default (auto_now fields: now)."""
    now = timezone.now()
    columns: list[str] = []
    fixed: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in names:
            continue
        if f.attname in constants:
            value = constants[f.attname]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = f.get_default()
        columns.append(str(f.column))
        fixed.append(f.get_db_prep_save(value, connection))
    varying = [str(model._meta.get_field(n).column)  # type: ignore[union-attr]
               for n in names]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "
           f"({', '.join(quote(c) for c in (*varying, *columns))}) "
           f"VALUES ({', '.join(['%s'] * (len(varying) + len(columns)))})")
    tail = tuple(fixed)
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append((*row, *tail))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
