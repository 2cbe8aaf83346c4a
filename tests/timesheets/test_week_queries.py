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


def test_week_rows_show_saved_hours_and_escape_task_names(office: Any) -> None:
    from projectoffice.planning import actions as plan_actions
    from projectoffice.planning.models import Plan

    person = make_user("escaper")
    project = portfolio_actions.create_project(actor=office.pmo, code="ESC", name="ESC",
                                               portfolio=office.portfolio)
    portfolio_actions.add_member(actor=office.pmo, project=project, user=person,
                                 role="team_member")
    week_with_rows(office.pmo, project, person, 1)
    plan_actions.edit_plan(actor=office.pmo, project=project,
                           version=Plan.objects.get(project=project).version,
                           edits=[{"uid": 1, "name": '<b>"Build" & test</b>'}])
    client = Client()
    client.force_login(person)
    html = client.get(f"/projects/ESC/timesheets/?week={MONDAY.isoformat()}").content.decode()
    assert "<b>" not in html.split("<tbody>")[1].split("</tbody>")[0]
    label = "&lt;b&gt;&quot;Build&quot; &amp; test&lt;/b&gt;"
    assert (f'<td><span class="ref">1</span> {label}</td>') in html
    assert (f'name="h-0-0" value="0.1" size="4" inputmode="decimal" '
            f'aria-label="{label} Monday"') in html
    assert f'aria-label="{label} · overtime Sunday"' in html


def week_page_queries(office: Any, projects: int) -> int:
    from benchmarks.timesheets import person_on_projects

    person = make_user(f"weekly{projects}")
    made = person_on_projects(office.pmo, office.portfolio, person, projects, 3,
                              prefix=f"P{projects}X")
    client = Client()
    client.force_login(person)
    url = f"/timesheets/week/?week={MONDAY.isoformat()}"
    first = client.get(url)
    # Every row under way is shown (the later task is not), then the three time codes.
    assert first.status_code == 200
    assert first.content.count(b"data-row=") == made["lines"] + 3
    assert first.content.count(b"Later work") == 0
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_the_week_across_projects_takes_as_many_queries_for_2_as_for_10(office: Any) -> None:
    assert week_page_queries(office, 2) == week_page_queries(office, 10)
