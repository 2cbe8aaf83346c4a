"""The week page's SQL query count does not grow with its rows (benchmarks/timesheets.py
measures the time)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.timesheets import MONDAY, week_with_rows
from projectoffice.portfolio import actions as portfolio_actions
from tests.conftest import make_user


def page_queries(office: Any, code: str, rows: int) -> int:
    person = make_user(f"person{rows}")
    project = portfolio_actions.create_project(actor=office.pmo, code=code, name=code,
                                               portfolio=office.portfolio)
    portfolio_actions.add_member(actor=office.pmo, project=project, user=person,
                                 role="team_member")
    week_with_rows(office.pmo, project, person, rows)
    client = Client()
    client.force_login(person)
    url = f"/projects/{code}/timesheets/?week={MONDAY.isoformat()}"
    first = client.get(url)
    # Each assignment has a normal and an overtime row, then the three time codes.
    cells = (2 * rows + 3) * 7
    assert first.status_code == 200 and first.content.count(b'class="hours"') == cells
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_week_page_queries_do_not_grow_with_rows(office: Any) -> None:
    assert page_queries(office, "SMALL", 10) == page_queries(office, "LARGE", 200)
