"""Organisational design: reporting lines without loops, the two org charts and the
differences between the current and the future organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from projectoffice.engine import orgchart
from projectoffice.errors import InvalidInput
from projectoffice.orgdesign import queries
from projectoffice.orgdesign.registers import POSITIONS
from projectoffice.registers import actions as register_actions
from tests.conftest import PASSWORD, Api


def _position(office: Any, **data: Any) -> Any:
    return register_actions.create_item(actor=office.members["org_designer"], spec=POSITIONS,
                                        project=office.project, data=data)


def test_a_position_cannot_report_to_itself_or_in_a_loop(office: Any) -> None:
    head = _position(office, title="Head", design="future")
    lead = _position(office, title="Lead", design="future", reports_to=head)
    with pytest.raises(InvalidInput) as itself:
        register_actions.update_item(actor=office.pm, item=head, version=head.version,
                                     changes={"reports_to": head})
    assert "itself" in itself.value.errors["reports_to"][0]
    with pytest.raises(InvalidInput) as loop:
        register_actions.update_item(actor=office.pm, item=head, version=head.version,
                                     changes={"reports_to": lead})
    assert "loop" in loop.value.errors["reports_to"][0]
    now = _position(office, title="Clerk", design="current")
    with pytest.raises(InvalidInput) as other:
        register_actions.update_item(actor=office.pm, item=lead, version=lead.version,
                                     changes={"reports_to": now})
    assert "current organisation" in other.value.errors["reports_to"][0]


def test_differences_and_charts(office: Any) -> None:
    boss = _position(office, title="Service manager", design="current", grade="M1",
                     holder="Ana")
    _position(office, title="Filing clerk", design="current", holder="Bo", reports_to=boss)
    future_boss = _position(office, title="Service manager", design="future", grade="M2")
    _position(office, title="CRM agent", design="future", reports_to=future_boss)
    boss = register_actions.update_item(actor=office.pm, item=boss, version=boss.version,
                                        changes={"future_position": future_boss})
    found = queries.design(office.project)
    d = found.differences
    assert [r.title for r in d.new] == ["CRM agent"]
    assert [r.title for r in d.removed] == ["Filing clerk"]
    assert [c.what for c in d.changed] == [("grade M1 → M2",)]
    assert [r.holder for r in d.unplaced] == ["Bo"]
    assert found.future_svg.startswith("<svg") and "CRM agent" in found.future_svg
    assert "Removed" in found.current_svg
    client = Client()
    client.login(username="stakeholder", password=PASSWORD)
    page = client.get("/projects/MTX/organisation/")
    assert page.status_code == 200 and b"People without a future role" in page.content
    api = Api(office.members["stakeholder"]).get("/projects/MTX/org-design").json()
    assert api["removed"] and api["without_future_role"]


def test_chart_text_is_escaped_and_layout_centres_managers() -> None:
    roles = [orgchart.Role("1", "<b>Boss</b>"), orgchart.Role("2", "A", reports_to="1"),
             orgchart.Role("3", "B", reports_to="1")]
    svg = orgchart.chart_svg(roles, "Chart")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    placed = orgchart.layout(roles)
    assert placed["1"].x == 0.5 and placed["2"].depth == 1
    looped = orgchart.layout([orgchart.Role("a", "A", reports_to="b"),
                              orgchart.Role("b", "B", reports_to="a")])
    assert len(looped) == 2  # a loop never hangs the drawing
