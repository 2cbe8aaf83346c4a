"""The milestone trend chart: forecast finish of each milestone per reporting date."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.test import Client

from projectoffice.planning import actions
from projectoffice.planning.queries import milestone_trend
from projectoffice.planning.trend import render_trend_svg
from tests.conftest import PASSWORD

from .helpers import build

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    {"name": "Design", "duration": "5d"},
    {"name": "Design approved", "duration": "0d", "predecessors": "1"},
    {"name": "Build", "duration": "10d", "predecessors": "2"},
    {"name": "Go-live", "duration": "0d", "predecessors": "3"},
]


def three_periods(office) -> None:
    """Three reporting dates; Build slips by 4 days between the second and the third."""
    plan = build(office.pm, office.project, ROWS)
    for status, edit in ((dt.date(2026, 1, 5), None), (dt.date(2026, 1, 12), None),
                         (dt.date(2026, 1, 19), {"uid": 3, "duration": "14d"})):
        if edit:
            plan = actions.edit_plan(actor=office.pm, project=office.project,
                                     version=plan.version, edits=[edit])
        plan = actions.set_plan_settings(actor=office.pm, project=office.project,
                                         version=plan.version, status_date=status)


def ys(g: ET.Element) -> list[float]:
    return [float(p.split(",")[1]) for p in g.find(f"{SVG}polyline").get("points").split()]


def test_trend_svg_draws_each_milestone_against_the_diagonal() -> None:
    d = dt.date
    trend = {"dates": [d(2026, 1, 5), d(2026, 2, 2), d(2026, 3, 2)], "milestones": [
        {"uid": 7, "name": "Design approved", "points": [
            (d(2026, 1, 5), dt.datetime(2026, 3, 13, 17)),
            (d(2026, 2, 2), dt.datetime(2026, 3, 13, 17)),
            (d(2026, 3, 2), dt.datetime(2026, 3, 13, 17))]},
        {"uid": 9, "name": "Go-live <main>", "points": [
            (d(2026, 1, 5), dt.datetime(2026, 6, 1, 17)),
            (d(2026, 2, 2), dt.datetime(2026, 6, 15, 17)),
            (d(2026, 3, 2), dt.datetime(2026, 7, 1, 17))]}]}
    svg = render_trend_svg(trend)
    root = ET.fromstring(svg)  # well-formed, names escaped
    assert root.get("role") == "img"
    assert "2 milestones at 3 reporting dates" in root.get("aria-label")
    lines = root.findall(f".//{SVG}g[@class='trend-milestone']")
    assert [g.get("data-uid") for g in lines] == ["7", "9"]
    for g in lines:
        assert len(g.findall(f"{SVG}circle")) == 3
        xs = [float(p.split(",")[0]) for p in g.find(f"{SVG}polyline").get("points").split()]
        assert xs[0] < xs[1] < xs[2]  # reporting dates left to right
    held, live = ys(lines[0]), ys(lines[1])
    assert held[0] == held[1] == held[2]  # a flat line holds its date
    assert live[0] > live[1] > live[2]  # a rising line slips (SVG y grows downwards)
    assert live[2] < held[2]  # the later forecast is drawn higher
    diagonal = root.find(f".//{SVG}line[@class='trend-diagonal']")
    # The diagonal rises left to right: forecast = reporting date.
    assert float(diagonal.get("x1")) < float(diagonal.get("x2"))
    assert float(diagonal.get("y1")) > float(diagonal.get("y2"))
    legend = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")
              if t.get("class") == "trend-legend"]
    assert legend == ["Design approved held", "Go-live <main> +30d"]
    axis = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "05 Jan" in axis and "02 Mar" in axis and "Jun 2026" in axis


def test_trend_from_reporting_periods(office) -> None:
    three_periods(office)
    trend = milestone_trend(office.project)
    root = ET.fromstring(render_trend_svg(trend))
    lines = root.findall(f".//{SVG}g[@class='trend-milestone']")
    assert [g.get("data-uid") for g in lines] == ["2", "4"]
    assert all(len(g.findall(f"{SVG}circle")) == 3 for g in lines)
    live = ys(lines[1])
    assert live[2] < live[1]  # Go-live slipped in the last period


def test_trend_chart_on_the_variance_page(office) -> None:
    client = Client()
    assert client.login(username=office.members["stakeholder"].username, password=PASSWORD)
    build(office.pm, office.project, ROWS)
    page = client.get("/projects/MTX/plan/variance/").content.decode()
    assert "No reporting periods yet" in page and "trend-chart" not in page
    three_periods_after_build(office)
    page = client.get("/projects/MTX/plan/variance/").content.decode()
    assert page.count('class="trend-milestone"') == 2 and "trend-diagonal" in page
    assert re.search(r"Go-live: \d\d \w{3} 2026 at 19 Jan 2026", page)


def three_periods_after_build(office) -> None:
    from projectoffice.planning.models import Plan

    plan = Plan.objects.get(project=office.project)
    for status in (dt.date(2026, 1, 5), dt.date(2026, 1, 19)):
        plan = actions.set_plan_settings(actor=office.pm, project=office.project,
                                         version=plan.version, status_date=status)


def test_no_chart_without_snapshots() -> None:
    assert render_trend_svg({"dates": [], "milestones": []}) == ""
