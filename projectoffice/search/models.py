"""The search index: one row per searchable thing, fed by the actions of each app.

On SQLite a contentless-sync FTS5 table (``search_fts``, rowid = entry id) holds the text
for matching and snippets; on PostgreSQL the rows are matched with full-text search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SearchEntry(models.Model):
    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # "documents", "issues", "meetings", "tasks", …
    key = models.CharField(max_length=80)  # the source's own id, unique within the kind
    perm = models.CharField(max_length=60)  # the project permission needed to see it
    # An item of a restricted register is also seen by its own readers (SearchReader: who
    # raised or owns it) where they hold this permission, without holding `perm`.
    reader_perm = models.CharField(max_length=60, blank=True)
    reference = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_entry")]
        indexes = [models.Index(fields=["project", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} {self.title}"


class SearchReader(models.Model):
    """Someone who may find one entry without its permission: whoever raised or owns an
    item of a restricted register (a security incident they reported)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"],
                                               name="unique_search_reader")]
