"""Earned value methods in the app: a project default, per-task overrides, and a WBS element
that earns for its tasks by weighted milestones; refusals when the method does not fit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import InvalidInput
from projectoffice.finance import actions, queries
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan
from projectoffice.resources import actions as res
from tests.planning.helpers import build


def phased(office: Any) -> None:
    """Phase 1 (summary): Design 5d (40 h at 50.00), milestone 'Spec signed', Build 10d
    (80 h at 50.00), milestone 'Built'; baseline 0; status date Friday 9 January 2026."""
    plan = build(office.pm, office.project, [
        {"name": "Phase 1", "duration": "1d"},
        {"name": "Design", "duration": "5d", "level": 2},
        {"name": "Spec signed", "duration": "0d", "predecessors": "2", "level": 2},
        {"name": "Build", "duration": "10d", "predecessors": "3", "level": 2},
        {"name": "Built", "duration": "0d", "predecessors": "4", "level": 2},
    ])
    plan_actions.save_baseline(actor=office.pm, project=office.project, number=0)
    plan_actions.set_plan_settings(actor=office.pm, project=office.project,
                                   version=plan.version, status_date=dt.date(2026, 1, 9))
    person = res.create_resource(actor=office.pm, project=office.project, name="Tess",
                                 user=office.members["team_member"])
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("50.00"))
    for uid, work in ((2, 40), (4, 80)):
        res.assign_resource(actor=office.pm, project=office.project, resource_id=person.pk,
                            task_uid=uid, work=Decimal(work))


def progress(office: Any, **percent: float) -> None:
    plan = Plan.objects.get(project=office.project)
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"uid": int(uid[1:]), "percent_complete": value}
                                  for uid, value in percent.items()])


def ev(office: Any) -> dict[str, Any]:
    result = queries.earned_value(office.project)
    assert result is not None
    return {"figures": result.figures, "tasks": {t["uid"]: t for t in result.tasks}}


def test_default_and_override_methods(office: Any) -> None:
    phased(office)
    progress(office, t2=80)
    physical = ev(office)
    assert physical["figures"]["bac"] == Decimal("6000.00")
    assert physical["tasks"][2]["ev"] == Decimal("1600.00")
    actions.set_ev_method(actor=office.pm, project=office.project, task_uid=None,
                          method="0/100")
    assert ev(office)["tasks"][2]["ev"] == 0  # not finished: nothing earned
    actions.set_ev_method(actor=office.pm, project=office.project, task_uid=2, method="50/50")
    half = ev(office)["tasks"][2]
    assert half["ev"] == Decimal("1000.00") and half["method"] == "50/50"
    progress(office, t2=100)
    assert ev(office)["tasks"][2]["ev"] == Decimal("2000.00")
    # An override equal to the default is dropped.
    assert actions.set_ev_method(actor=office.pm, project=office.project, task_uid=2,
                                 method="0/100") is None
    rules = queries.earning_rules(office.project)
    assert rules["default"] == "0/100" and rules["tasks"] == []


def test_element_earns_by_weighted_milestones(office: Any) -> None:
    phased(office)
    actions.set_ev_method(actor=office.pm, project=office.project, task_uid=1,
                          method="weighted_milestones", milestone_weights={"3": 30, 5: 70})
    result = ev(office)
    assert list(result["tasks"]) == [1]  # one package for the element
    package = result["tasks"][1]
    assert package["package"] == [2, 4] and package["bac"] == Decimal("6000.00")
    assert package["ev"] == 0
    progress(office, t2=100, t3=100)
    assert ev(office)["tasks"][1]["ev"] == Decimal("1800.00")  # 30 % of 6,000


@pytest.mark.parametrize(("task_uid", "method", "weights", "field", "words"), [
    (2, "weighted_milestones", {"3": 100}, "method", "need milestone tasks"),
    (None, "weighted_milestones", None, "method", "per task"),
    (1, "weighted_milestones", {"3": 30, "5": 60}, "milestone_weights", "sum to 100"),
    (1, "weighted_milestones", {"2": 100}, "milestone_weights", "not a milestone"),
    (9, "0/100", None, "task_uid", "no task 9"),
    (3, "0/100", None, "task_uid", "milestone carries no budget"),
    (2, "50/50", {"3": 100}, "milestone_weights", "only the weighted"),
    (2, "80/20", None, "method", "use one of"),
])
def test_methods_that_do_not_fit_are_refused(office: Any, task_uid: int | None, method: str,
                                             weights: Any, field: str, words: str) -> None:
    phased(office)
    with pytest.raises(InvalidInput) as caught:
        actions.set_ev_method(actor=office.pm, project=office.project, task_uid=task_uid,
                              method=method, milestone_weights=weights)
    assert field in caught.value.errors and words in caught.value.errors[field][0]


def test_nested_methods_are_refused_and_viewers_cannot_set(office: Any, api_as: Any) -> None:
    phased(office)
    actions.set_ev_method(actor=office.pm, project=office.project, task_uid=1, method="50/50")
    with pytest.raises(InvalidInput, match="task 1 above or below"):
        actions.set_ev_method(actor=office.pm, project=office.project, task_uid=2,
                              method="0/100")
    viewer = api_as(office.members["stakeholder"])
    assert viewer.post("/projects/MTX/ev-methods", {"method": "0/100"}).status_code == 403
    assert viewer.get("/projects/MTX/ev-methods").status_code == 403  # no cost.view
    listing = api_as(office.members["project_accountant"]).get("/projects/MTX/ev-methods").json()
    assert listing["tasks"][0]["task_uid"] == 1 and listing["default"] == "physical_percent"


def test_ev_method_page_shows_errors_at_the_field(office: Any) -> None:
    from tests.finance.test_entry_pages import login

    phased(office)
    pm = login(office.pm)
    bad = pm.post("/projects/MTX/finance/new/ev-method/", {
        "task_uid": "1", "method": "weighted_milestones", "milestone_weights": "3=50, 5=10"})
    assert bad.status_code == 422 and b"sum to 100" in bad.content
    ok = pm.post("/projects/MTX/finance/new/ev-method/", {
        "task_uid": "1", "method": "weighted_milestones", "milestone_weights": "3=50, 5=50%"})
    assert ok.status_code == 302
    page = pm.get("/projects/MTX/finance/")
    assert b"Weighted milestones" in page.content and b"milestone 5: 50 %" in page.content
