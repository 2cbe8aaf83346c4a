"""One search interface over two engines: SQLite FTS5 (bm25 ranking, snippet()) and
PostgreSQL full-text search (ts_rank, ts_headline). Results are limited to the projects
and permissions of the person searching, inside the database query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from projectoffice.accounts.roles import permissions_for
from projectoffice.portfolio.access import roles_by_project, sees_all_projects

from .models import SearchEntry, SearchReader

START, STOP = "\x02", "\x03"
MAX_RESULTS = 200


@dataclass
class Hit:
    entry: SearchEntry
    rank: float
    snippet: str

    @property
    def snippet_html(self) -> SafeString:
        """The snippet, escaped, with the matched words in <mark>."""
        html = escape(self.snippet).replace(START, "<mark>").replace(STOP, "</mark>")
        return mark_safe(html)  # escaped above; only our markers become tags


def terms(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:12]


def visible_scope(user: Any) -> Q:
    """Entries the user may see: for each permission an entry may need, the projects where
    the user holds it (or every project, for global roles that hold it everywhere); and the
    entries of restricted items they raised or own, where they hold the register's own
    permission (`reader_perm`)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    needed = set(SearchEntry.objects.values_list("perm", flat=True).distinct())
    if user.is_superuser:
        return Q(perm__in=needed)
    for_readers = set(SearchEntry.objects.exclude(reader_perm="")
                      .values_list("reader_perm", flat=True).distinct())
    everywhere = permissions_for(user.global_role, []) if sees_all_projects(user) else set()
    roles = roles_by_project(user)
    scope = Q(pk__in=[])
    as_reader = Q(pk__in=[])
    for perm in needed | for_readers:
        if perm in everywhere:
            where = Q()
        else:
            projects = [pid for pid, rs in roles.items()
                        if perm in permissions_for(user.global_role, rs)]
            if not projects:
                continue
            where = Q(project_id__in=projects)
        if perm in needed:
            scope |= Q(perm=perm) & where
        if perm in for_readers:
            as_reader |= Q(reader_perm=perm) & where
    if for_readers:
        scope |= as_reader & Q(pk__in=SearchReader.objects.filter(user=user)
                               .values("entry_id"))
    return scope


def search(user: Any, text: str, *, project_id: int | None = None, kind: str = "",
           limit: int = 50, offset: int = 0) -> tuple[int, list[Hit]]:
    words = terms(text)
    if not words:
        return 0, []
    qs: QuerySet[SearchEntry] = SearchEntry.objects.filter(visible_scope(user))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if kind:
        qs = qs.filter(kind=kind)
    if connection.vendor == "postgresql":
        return _postgres(qs, words, limit, offset)
    return _sqlite(qs, words, limit, offset)


def _sqlite(qs: QuerySet[SearchEntry], words: list[str], limit: int, offset: int
            ) -> tuple[int, list[Hit]]:
    match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    try:
        scope_sql, scope_params = qs.values("pk").query.sql_with_params()
    except EmptyResultSet:  # the reader may see nothing at all
        return 0, []
    where = f"search_fts MATCH %s AND search_fts.rowid IN ({scope_sql})"
    params = [match, *scope_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM search_fts WHERE {where}", params)
        count = min(cursor.fetchone()[0], MAX_RESULTS)
        cursor.execute(
            "SELECT rowid, bm25(search_fts, 4.0, 1.0) AS rank, "
            f"snippet(search_fts, 1, '{START}', '{STOP}', '…', 24), "
            f"snippet(search_fts, 0, '{START}', '{STOP}', '…', 24) "
            f"FROM search_fts WHERE {where} ORDER BY rank LIMIT %s OFFSET %s",
            [*params, limit, offset])
        rows = cursor.fetchall()
    entries = SearchEntry.objects.select_related("project").in_bulk([r[0] for r in rows])
    hits = []
    for rowid, rank, body_snip, title_snip in rows:
        snippet = body_snip if START in body_snip else (body_snip or title_snip)
        hits.append(Hit(entries[rowid], -float(rank), snippet))
    return count, hits


def _postgres(qs: QuerySet[SearchEntry], words: list[str], limit: int, offset: int
              ) -> tuple[int, list[Hit]]:
    """Matches and ranks on the stored, GIN-indexed ``document`` column (migration 0003)."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    raw = " & ".join(f"{w}:*" for w in words)
    query = SearchQuery(raw, search_type="raw", config="english")
    tsquery = "to_tsquery('english', %s)"
    matched = qs.alias(matches=RawSQL(f"search_searchentry.document @@ {tsquery}", [raw],
                                      output_field=BooleanField())).filter(matches=True)
    count = min(matched.count(), MAX_RESULTS)
    rows = (matched.annotate(
        rank=RawSQL(f"ts_rank(search_searchentry.document, {tsquery})", [raw],
                    output_field=FloatField()),
        snippet=SearchHeadline("body", query, config="english", start_sel=START,
                               stop_sel=STOP, max_words=30, min_words=12))
        .select_related("project").order_by("-rank", "-updated_at")[offset:offset + limit])
    return count, [Hit(e, float(e.rank), e.snippet or "") for e in rows]
