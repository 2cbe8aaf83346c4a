"""Change impacts by group, readiness assessments (ADKAR) with the heat map and trend, and
change activities raised as linked actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from projectoffice.engagement import orgchange, readiness
from projectoffice.engagement.models import ReadinessAssessment
from projectoffice.engagement.registers import IMPACTS, STAKEHOLDERS
from projectoffice.engine.engagement import readiness_band, weakest
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.registers import actions as register_actions
from tests.conftest import PASSWORD, Api
from tests.engagement.helpers import engagement_setup

SCORES = {"awareness": 4, "desire": 3, "knowledge": 2, "ability": 1, "reinforcement": 1}


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    return engagement_setup(office)


def test_an_impact_names_a_group_of_its_own_project(office: Any) -> None:
    stranger = register_actions.create_item(actor=office.pmo, spec=STAKEHOLDERS,
                                            project=office.other, data={"title": "Elsewhere"})
    with pytest.raises(InvalidInput) as caught:
        register_actions.create_item(actor=office.pm, spec=IMPACTS, project=office.project,
                                     data={"title": "New role", "group": stranger})
    assert "another project" in caught.value.errors["group"][0]


def test_scores_outside_the_scale_are_refused_and_nothing_written(
        office: Any, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        orgchange.record_assessment(actor=office.members["change_manager"],
                                    group=world["group"], assessed_on=dt.date(2026, 3, 1),
                                    scores={**SCORES, "desire": 7, "ability": "x"},
                                    today=dt.date(2026, 3, 2))
    assert set(caught.value.errors) == {"desire", "ability"}
    with pytest.raises(InvalidInput) as future:
        orgchange.record_assessment(actor=office.pm, group=world["group"],
                                    assessed_on=dt.date(2026, 3, 9), scores=SCORES,
                                    today=dt.date(2026, 3, 2))
    assert "assessed_on" in future.value.errors
    assert not ReadinessAssessment.objects.exists()


def test_only_change_roles_assess(office: Any, world: dict[str, Any]) -> None:
    with pytest.raises(Forbidden):
        orgchange.record_assessment(actor=office.members["communications"],
                                    group=world["group"], assessed_on=dt.date(2026, 3, 1),
                                    scores=SCORES)


def test_readiness_rises_towards_go_live(office: Any, world: dict[str, Any]) -> None:
    for day, scores in ((dt.date(2026, 2, 1), SCORES),
                        (dt.date(2026, 3, 1), {k: 4 for k in SCORES})):
        orgchange.record_assessment(actor=office.members["change_manager"],
                                    group=world["group"], assessed_on=day, scores=scores,
                                    today=dt.date(2026, 3, 2))
    rows = readiness.readiness(office.project)
    assert [r.group.title for r in rows] == ["Call-centre agents"]
    assert [a.overall for a in rows[0].history] == [2.2, 4.0]
    assert rows[0].impacts[0].reference == world["change-impacts"].reference
    client = Client()
    assert client.login(username="team_member", password=PASSWORD)
    page = client.get("/projects/MTX/engagement/readiness/").content.decode()
    assert 'data-dimension="knowledge" data-score="4"' in page
    assert "Record an assessment" not in page  # a team member reads


def test_the_readiness_form_shows_errors_at_the_field(office: Any,
                                                      world: dict[str, Any]) -> None:
    client = Client()
    assert client.login(username="change_manager", password=PASSWORD)
    bad = client.post("/projects/MTX/engagement/readiness/",
                      {"group": world["group"].pk, "assessed_on": "2026-03-01",
                       **{**SCORES, "knowledge": "9"}})
    assert bad.status_code == 422
    assert b"must be from 1 to 5" in bad.content and b'value="9"' in bad.content
    good = client.post("/projects/MTX/engagement/readiness/",
                       {"group": world["group"].pk, "assessed_on": "2026-03-01", **SCORES})
    assert good.status_code == 302
    assert ReadinessAssessment.objects.get().knowledge == 2


def test_a_change_activity_is_an_action_linked_to_the_impact(office: Any,
                                                              world: dict[str, Any]) -> None:
    impact = world["change-impacts"]
    action = orgchange.add_change_activity(
        actor=office.members["change_manager"], impact=impact, kind="champions",
        title="Recruit a champion per team", assignee=office.members["team_member"],
        due_date=dt.date.today() + dt.timedelta(days=14))
    assert action.reference.startswith("ACT-") and action.title.startswith("Champions:")
    assert [a.pk for a in readiness.activities(impact)] == [action.pk]
    with pytest.raises(InvalidInput):
        orgchange.add_change_activity(actor=office.pm, impact=impact, kind="party",
                                      title="x")
    client = Client()
    assert client.login(username="change_manager", password=PASSWORD)
    page = client.get(f"/projects/MTX/change-impacts/{impact.reference}/").content.decode()
    assert action.reference in page and "Add a change activity" in page


def test_api(office: Any, world: dict[str, Any]) -> None:
    api = Api(office.members["change_manager"])
    made = api.post("/projects/MTX/readiness", {"group": world["group"].reference,
                                                "assessed_on": "2026-03-01", **SCORES})
    assert made.status_code == 201, made.content
    bad = api.post("/projects/MTX/readiness", {"group": world["group"].reference,
                                               "assessed_on": "2026-03-01",
                                               **{**SCORES, "awareness": 0}})
    assert bad.status_code == 422 and "awareness" in bad.json()["errors"]
    got = api.get("/projects/MTX/readiness").json()
    assert got["groups"][0]["assessments"][0]["overall"] == 2.2
    ref = world["change-impacts"].reference
    activity = api.post(f"/projects/MTX/change-impacts/{ref}/activities",
                        {"kind": "coaching", "title": "Coach team leads"})
    assert activity.status_code == 201 and activity.json()["impact"] == ref


def test_bands_and_the_barrier_point() -> None:
    assert [readiness_band(s) for s in (1, 3, 4.2)] == ["barrier", "concern", "ready"]
    assert weakest((4, 3, 2, 1, 1)) == 2
    assert weakest((5, 4, 3, 4, 5)) == 2
