"""Capacity across projects: planned hours per person and week over every plan the reader
may see, against the hours the person has (working days and hours, less absences)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projectoffice.people import actions as people
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.resources import actions, capacity
from tests.conftest import PASSWORD, make_user
from tests.planning.helpers import build

MONDAY = dt.date(2026, 1, 5)
NEXT = MONDAY + dt.timedelta(days=7)


def side_project(office: Any, code: str, member: Any, manager: Any) -> Any:
    project = portfolio_actions.create_project(
        actor=office.pmo, code=code, name=f"Side {code}", portfolio=office.portfolio,
        manager=manager, start_date=MONDAY, finish_date=dt.date(2026, 6, 30))
    portfolio_actions.add_member(actor=office.pmo, project=project, user=member,
                                 role="team_member")
    return project


def assign(actor: Any, project: Any, member: Any, rows: list[dict[str, Any]],
           units: str = "100") -> None:
    build(actor, project, rows)
    resource = actions.create_resource(actor=actor, project=project, name=str(member),
                                       user=member)
    actions.assign_resource(actor=actor, project=project, resource_id=resource.pk,
                            task_uid=1, units=Decimal(units))


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    """Tess: 5 days at 100% on MTX (week 1), 10 days at 50% on SIDE (weeks 1 and 2), away
    on Wednesday of week 2."""
    tess = office.members["team_member"]
    side_manager = make_user("side_manager")
    side = side_project(office, "SIDE", tess, side_manager)
    assign(office.pm, office.project, tess, [{"name": "Build", "duration": "5d"}])
    assign(side_manager, side, tess, [{"name": "Support", "duration": "10d"}], units="50")
    people.record_absence(actor=office.pmo, person=tess, kind="leave",
                          start=NEXT + dt.timedelta(days=2), end=NEXT + dt.timedelta(days=2))
    return {"tess": tess, "side": side, "side_manager": side_manager}


def cells(grid: capacity.CapacityGrid, person: Any) -> list[tuple[Decimal, Decimal, str]]:
    [row] = [r for r in grid.rows if r.person.pk == person.pk]
    return [(c.planned, c.available, c.band) for c in row.cells]


def test_hours_add_up_across_projects_against_working_hours_less_absence(
        office: Any, world: dict[str, Any]) -> None:
    grid = capacity.capacity(office.pmo, MONDAY, 2)
    assert grid.weeks == [MONDAY, NEXT]
    # Week 1: 40 h on MTX + 20 h on SIDE against 37.5 h; week 2: 20 h against 30 h.
    assert cells(grid, world["tess"]) == [(Decimal("60.0"), Decimal("37.5"), "over"),
                                          (Decimal("20.0"), Decimal("30.0"), "part")]
    [row] = [r for r in grid.rows if r.person == world["tess"]]
    assert row.over_weeks == 1
    assert [p.code for p in row.levelable] == ["MTX", "SIDE"]


def test_each_reader_counts_only_the_plans_they_may_see(office: Any,
                                                        world: dict[str, Any]) -> None:
    mine = capacity.capacity(office.pm, MONDAY, 2)
    assert cells(mine, world["tess"]) == [(Decimal("40.0"), Decimal("37.5"), "over"),
                                          (Decimal("0.0"), Decimal("30.0"), "free")]
    [row] = [r for r in mine.rows if r.person == world["tess"]]
    assert [p.code for p in row.levelable] == ["MTX"]
    theirs = capacity.capacity(world["side_manager"], MONDAY, 2)
    assert cells(theirs, world["tess"])[0] == (Decimal("20.0"), Decimal("37.5"), "part")
    assert capacity.capacity(office.outsider, MONDAY, 2).rows == []


def test_a_cell_drills_down_to_the_assignments_behind_it(office: Any,
                                                         world: dict[str, Any]) -> None:
    lines = capacity.cell_work(office.pmo, world["tess"], MONDAY + dt.timedelta(days=3))
    assert [(w.project.code, w.task_name, w.hours) for w in lines] == [
        ("MTX", "Build", Decimal("40.0")), ("SIDE", "Support", Decimal("20.0"))]
    assert capacity.cell_work(office.pm, world["tess"], MONDAY)[0].project.code == "MTX"
    assert len(capacity.cell_work(office.pm, world["tess"], MONDAY)) == 1


def test_filters_by_team_skill_and_programme(office: Any, world: dict[str, Any]) -> None:
    tess = world["tess"]
    profile = people.update_profile(actor=office.pmo, person=tess, version=1,
                                    changes={"team": "Delivery", "skills": "Testing, SQL"})
    assert profile.team == "Delivery"
    f = capacity.CapacityFilter
    assert [r.person for r in capacity.capacity(office.pmo, MONDAY, 2, f(team="delivery")).rows
            ] == [tess]
    assert capacity.capacity(office.pmo, MONDAY, 2, f(team="Finance")).rows == []
    assert [r.person for r in capacity.capacity(office.pmo, MONDAY, 2, f(skill="sql")).rows
            ] == [tess]
    # Only MTX is in programme PRG: SIDE's hours drop out.
    in_prg = capacity.capacity(office.pmo, MONDAY, 2, f(programme="PRG"))
    assert cells(in_prg, tess)[0][0] == Decimal("40.0")


def test_queries_do_not_grow_with_the_portfolio(office: Any, world: dict[str, Any]) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            capacity.capacity(office.pmo, MONDAY, 4)
        return len(ctx.captured_queries)

    before = count()
    for n in range(3):
        member = make_user(f"extra_{n}")
        project = side_project(office, f"EXT{n}", member, office.pm)
        assign(office.pm, project, member, [{"name": "Work", "duration": "3d"}])
    assert count() == before


def test_page_api_and_person_strip(office: Any, world: dict[str, Any]) -> None:
    client = Client()
    assert client.login(username=office.pmo.username, password=PASSWORD)
    page = client.get("/capacity/", {"from": "2026-01-07", "weeks": "2"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "60<span class=\"cap-of\">/37.5</span>" in body
    assert 'class="cap over"' in body
    assert "/projects/SIDE/plan/levelling/" not in body  # offered with the week, below
    bad = client.get("/capacity/", {"weeks": "99"})
    assert "from 1 to 52" in bad.content.decode()
    cell = client.get(f"/capacity/{world['tess'].username}/2026-01-05/")
    assert "Support" in cell.content.decode() and "Build" in cell.content.decode()
    assert "/projects/SIDE/plan/levelling/" in cell.content.decode()
    quiet = client.get(f"/capacity/{world['tess'].username}/2026-01-12/")
    assert "Support" in quiet.content.decode() and "levelling" not in quiet.content.decode()
    strip = client.get(f"/people/{world['tess'].username}/load/")
    assert strip.status_code == 200 and "Load over the coming weeks" in strip.content.decode()

    api = client.get("/api/v1/capacity", {"from": "2026-01-05", "weeks": "2"})
    assert api.status_code == 200
    [tess] = [p for p in api.json()["people"] if p["person"] == world["tess"].username]
    assert [(c["planned"], c["available"], c["over"]) for c in tess["cells"]] == [
        ("60.0", "37.5", True), ("20.0", "30.0", False)]
    assert tess["levelable"] == ["MTX", "SIDE"]
    wrong = client.get("/api/v1/capacity", {"weeks": "0"})
    assert wrong.status_code == 422 and "weeks" in wrong.json()["errors"]
    wrong = client.get("/api/v1/capacity", {"from": "next week"})
    assert wrong.status_code == 422 and "from" in wrong.json()["errors"]
    work = client.get("/api/v1/capacity/work",
                      {"person": world["tess"].username, "week": "2026-01-05"})
    assert [(w["project"], w["hours"]) for w in work.json()] == [("MTX", "40.0"),
                                                                 ("SIDE", "20.0")]
    assert client.get("/api/v1/capacity/work", {"person": "nobody"}).status_code == 422


def test_the_page_draws_a_page_of_people_at_a_time(office: Any, world: dict[str, Any],
                                                     monkeypatch: Any) -> None:
    from projectoffice.resources import capacity_views

    other = make_user("other_member")
    assign(office.pm, office.project, other, [{"name": "Review", "duration": "3d"}])
    monkeypatch.setattr(capacity_views, "PEOPLE_PER_PAGE", 1)
    client = Client()
    assert client.login(username=office.pmo.username, password=PASSWORD)
    first = client.get("/capacity/", {"from": "2026-01-05", "weeks": "2"}).content.decode()
    assert "People 1–1 of 2" in first and 'rel="next"' in first
    second = client.get("/capacity/", {"from": "2026-01-05", "weeks": "2", "page": "2"})
    body = second.content.decode()
    assert "People 2–2 of 2" in body and 'rel="prev"' in body
    names = [str(world["tess"]), str(other)]
    assert sum(name in first for name in names) == 1
    assert sum(name in body for name in names) == 1
    # Each cell links to the assignments behind it, the filters kept.
    assert "/2026-01-05/?team=&amp;skill=&amp;programme=" in first + body
