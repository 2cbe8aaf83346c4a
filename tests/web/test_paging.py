"""The pager shared by the pages listing many rows: the page asked for (past the end: the
last), the rows' numbers and the links keeping the filters."""

from __future__ import annotations

from django.template.loader import render_to_string

from projectoffice.web import paging


def test_a_page_of_rows_and_its_links() -> None:
    rows = list(range(250))
    query = paging.filters_query((("programme", "DIGI"), ("portfolio", None), ("order", ""),
                                  ("currency", "GBP")))
    assert query == "programme=DIGI&currency=GBP"
    page = paging.page_of(rows, "2", 100, query)
    assert (page.number, page.pages, page.count, page.first_row, page.last_row) == (
        2, 3, 250, 101, 200)
    assert list(page.rows) == rows[100:200]
    assert page.previous_link == "?programme=DIGI&currency=GBP&page=1"
    assert page.next_link == "?programme=DIGI&currency=GBP&page=3"
    last = paging.page_of(rows, "99", 100)
    assert (last.number, last.first_row, last.last_row, last.next_link) == (3, 201, 250, "")
    assert last.previous_link == "?page=2"
    for raw in ("", "0", "-1", "x", None):
        assert paging.page_of(rows, raw, 100).number == 1
    empty = paging.page_of([], "3", 100)
    assert (empty.number, empty.pages, empty.first_row, empty.last_row) == (1, 1, 0, 0)


def test_the_pager_shows_only_when_there_is_more_than_one_page() -> None:
    one = paging.page_of([1, 2], None, 100)
    assert render_to_string("web/_pager.html", {"pager": one, "label": "Projects"}).strip() == ""
    page = paging.page_of(list(range(5)), "2", 2, "q=a%26b")
    html = render_to_string("web/_pager.html", {"pager": page, "label": "Items",
                                                "note": ", most severe first",
                                                "target": "#raid-table"})
    assert "Items 3–4 of 5, most severe first" in html
    assert 'href="?q=a%26b&amp;page=1"' in html and 'hx-target="#raid-table"' in html
    assert "← Previous items" in html and "Next items →" in html and "page 2 of 3" in html
