"""The master schedule as a timeline: lanes per plan grouped by programme, milestones with
their year, links between plans, and the driving path across projects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from projectoffice.planning import master_chart
from projectoffice.planning.consolidation import impact, master_schedule
from tests.conftest import PASSWORD

from .helpers import SIMPLE, build


def linked(office: Any) -> None:
    """MTX (in programme PRG) drives OTHER (in none): OTHER's integration waits for MTX's
    release, so the link and both ends are on the critical path of the whole network."""
    build(office.pm, office.project, SIMPLE)
    build(office.pmo, office.other, [
        {"name": "Integrate", "duration": "5d", "predecessors": "MTX:4FS+1d"},
        {"name": "Live", "duration": "0d", "predecessors": "1"}])


def test_lanes_are_grouped_by_programme_and_the_driving_link_is_marked(office: Any) -> None:
    linked(office)
    master = master_schedule(office.pmo)
    assert master is not None
    line = master_chart.timeline(master)
    assert [(g.label, [lane.code for lane in g.lanes]) for g in line.groups] == [
        ("PRG · Programme", ["MTX"]), ("Not in a programme", ["OTHER"])]
    [link] = line.links
    assert (link.source, link.target, link.driving) == ("MTX", "OTHER", True)
    release = next(m for m in line.lanes[0].milestones if m.name == "Release")
    assert link.start == release.at  # FS: the arrow leaves the predecessor's finish
    assert link.end > link.start  # and reaches OTHER's start a day of lag later
    svg = master_chart.render(line, dt.date(2026, 1, 20), "month")
    assert svg.count('marker-end="url(#m-arrow-drive)"') == 1
    assert f"Release · {release.at:%d %b %Y}" in svg  # a milestone's date has its year
    assert "Jan 2026" in svg and "today" in svg


def test_a_link_off_the_critical_path_is_not_driving(office: Any) -> None:
    build(office.pm, office.project, SIMPLE)
    # OTHER's own long task decides its finish; the link from MTX's design has float.
    build(office.pmo, office.other, [
        {"name": "Long", "duration": "60d"},
        {"name": "Check", "duration": "1d", "predecessors": "MTX:1"},
        {"name": "Done", "duration": "0d", "predecessors": "1, 2"}])
    master = master_schedule(office.pmo)
    assert master is not None
    [link] = master_chart.timeline(master).links
    assert not link.driving
    assert "m-arrow-drive)\"" not in master_chart.render(master_chart.timeline(master),
                                                          dt.date(2026, 1, 20))


def test_the_page_zooms_and_the_slip_tool_answers_in_working_days(office: Any) -> None:
    linked(office)
    result = impact(office.pmo, office.project, 2, 3)
    moved = {(m["project"], m["name"]): m for m in result["milestones"]}
    # Three working days more on Build: both releases move three working days, across a
    # weekend or not.
    assert moved[("MTX", "Release")]["days"] == 3
    assert moved[("OTHER", "Live")]["days"] == 3
    assert moved[("OTHER", "Live")]["unit"] == "working days"
    client = Client()
    assert client.login(username=office.pmo.username, password=PASSWORD)
    for zoom in ("month", "quarter", "year"):
        page = client.get("/plans/master/", {"zoom": zoom})
        assert page.status_code == 200 and page.context["zoom"] == zoom
        assert 'class="master-chart"' in page.content.decode()
    assert client.get("/plans/master/", {"zoom": "<script>"}).context["zoom"] == "quarter"
    body = client.get("/plans/master/", {"project": "MTX", "row": "2", "days": "3"}
                      ).content.decode()
    assert "Moves (working days)" in body


def test_a_window_of_the_timeline_draws_links_leaving_it_as_stubs(office: Any) -> None:
    linked(office)
    master = master_schedule(office.pmo)
    assert master is not None
    line = master_chart.timeline(master)
    only_mtx = master_chart.window(line, {"MTX"})
    assert [lane.code for lane in only_mtx.lanes] == ["MTX"]
    assert len(only_mtx.links) == 1  # MTX → OTHER kept: one end is on the page
    svg = master_chart.render(only_mtx, dt.date(2026, 1, 5))
    assert 'class="link-stub"' in svg and "to OTHER" in svg
    assert "marker-end=\"url(#m-arrow-drive)\"" in svg  # still the driving path
    svg = master_chart.render(master_chart.window(line, {"OTHER"}), dt.date(2026, 1, 5))
    assert "from MTX" in svg
    whole = master_chart.render(line, dt.date(2026, 1, 5))
    assert "link-stub" not in whole
