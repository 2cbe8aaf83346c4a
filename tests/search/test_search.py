"""Search: one interface over SQLite FTS5 and PostgreSQL; never shows another project's
things. Runs on whichever database the suite uses (CI runs both)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from projectoffice.controls.registers import ISSUES
from projectoffice.documents import actions as document_actions
from projectoffice.registers import actions as register_actions
from projectoffice.search import queries
from projectoffice.search.index import rebuild


def kinds_and_titles(user: Any, text: str, **kw: Any) -> set[tuple[str, str]]:
    _, hits = queries.search(user, text, **kw)
    return {(h.entry.kind, h.entry.title) for h in hits}


def test_finds_register_items_and_words_inside_files(office: Any) -> None:
    document_actions.upload_version(
        actor=office.pm, document=office.document,
        upload=SimpleUploadedFile("plan.txt", b"The cutover needs a gazebo for the team"))
    assert ("documents", "Project management plan") in kinds_and_titles(office.pm, "gazebo")
    assert ("issues", "Supplier late") in kinds_and_titles(office.pm, "supplier")
    count, hits = queries.search(office.pm, "gaze")  # prefixes match as you type
    assert count == 1 and "<mark>gazebo</mark>" in hits[0].snippet_html


def test_search_never_shows_a_project_the_user_cannot_see(office: Any) -> None:
    register_actions.create_item(actor=office.outsider, spec=ISSUES, project=office.other,
                                 data={"title": "Secret supplier dispute"})
    mine = kinds_and_titles(office.pm, "supplier")
    assert ("issues", "Secret supplier dispute") not in mine
    assert ("issues", "Supplier late") in mine
    theirs = kinds_and_titles(office.outsider, "supplier")
    assert theirs == {("issues", "Secret supplier dispute")}
    assert ("actions", "Chase supplier") in mine
    # Global roles see every project; a filter by project narrows it.
    assert len(kinds_and_titles(office.executive, "supplier", kind="issues")) == 2
    assert kinds_and_titles(office.executive, "supplier",
                            project_id=office.other.pk) == theirs
    assert kinds_and_titles(office.pm, "supplier", kind="documents") == set()


def test_the_index_follows_changes_and_can_be_rebuilt(office: Any) -> None:
    issue = register_actions.update_item(actor=office.pm, item=office.issue,
                                         version=office.issue.version,
                                         changes={"title": "Vendor late"})
    assert kinds_and_titles(office.pm, "supplier", kind="issues") == set()
    assert ("issues", "Vendor late") in kinds_and_titles(office.pm, "vendor")
    assert rebuild() >= 3
    assert ("issues", issue.title) in kinds_and_titles(office.pm, "vendor")


def test_odd_input_is_harmless(office: Any) -> None:
    for text in ['"', "AND OR NOT", "*", "a:b", "(", "'; drop table x"]:
        queries.search(office.pm, text)
    assert queries.search(office.pm, "   ") == (0, [])


def test_search_page_and_api(office: Any, client: Any, api_as: Any) -> None:
    from tests.conftest import PASSWORD

    client.login(username="outsider", password=PASSWORD)
    page = client.get("/search/", {"q": "supplier"})
    assert page.status_code == 200 and b"Supplier late" not in page.content
    answer = api_as(office.pm).get("/search?q=supplier&kind=issues")
    assert answer.status_code == 200
    assert [i["title"] for i in answer.json()["items"]] == ["Supplier late"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own index")
def test_postgres_matches_through_the_gin_index(office: Any) -> None:
    queries.search(office.pm, "supplier")  # the query runs as the application writes it
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM search_searchentry "
                       "WHERE document @@ to_tsquery('english', 'supplier:*')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_document" in plan
