"""The week across projects over the API: read, save (422 naming line and day, 409 naming
the part), submit, the approver's part with its lines, decisions with the version read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from projectoffice.people import actions as people_actions
from projectoffice.timesheets.models import Timesheet
from tests.conftest import Api
from tests.timesheets.week_helpers import WEEK2, line, two_projects

URL = f"/timesheets/me/{WEEK2.isoformat()}"


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    return two_projects(office) | {"office": office}


def test_read_save_submit_and_decide(world: dict[str, Any]) -> None:
    office = world["office"]
    me = Api(world["member"])
    week = me.get(URL).json()
    assert [(x["project"], x["label"], x["planned"][0]) for x in week["lines"]
            if x["assignment_id"]][:2] == [("MTX", "Design", "8.00"),
                                           ("OTHER", "Support desk", "2.00")]
    saved = me.post(URL, {"lines": [line(world["design"], 8, note="Data model"),
                                    line(world["support"], 2)]})
    assert saved.status_code == 200, saved.content
    parts = {p["project"]: p for p in saved.json()["parts"]}
    assert parts["MTX"]["status"] == "draft" and parts["MTX"]["hours"] == "8"
    submitted = me.post(f"{URL}/submit", {"versions": {k: p["version"]
                                                       for k, p in parts.items()}})
    assert submitted.json()["submitted"] == ["MTX", "OTHER"]
    part_id = parts["MTX"]["id"]
    pm = Api(office.pm)
    part = pm.get(f"/timesheets/parts/{part_id}").json()
    (design,) = part["lines"]
    assert design["label"] == "Design" and design["note"] == "Data model"
    assert design["days"][0] == {"date": WEEK2.isoformat(), "hours": "8", "planned": "8.00"}
    stale = pm.post(f"/timesheets/parts/{part_id}/decision",
                    {"version": part["version"] - 1, "approve": True})
    assert stale.status_code == 409
    ok = pm.post(f"/timesheets/parts/{part_id}/decision",
                 {"version": part["version"], "approve": True})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    other_id = parts["OTHER"]["id"]
    boss = Api(office.outsider)
    version = boss.get(f"/timesheets/parts/{other_id}").json()["version"]
    bare = boss.post(f"/timesheets/parts/{other_id}/decision",
                     {"version": version, "approve": False})
    assert bare.status_code == 422 and "comment" in bare.json()["errors"]
    rejected = boss.post(f"/timesheets/parts/{other_id}/decision",
                         {"version": version, "approve": False, "comment": "Wrong day"})
    assert rejected.json()["comment"] == "Wrong day"
    states = {p["project"]: (p["status"], p["comment"]) for p in me.get(URL).json()["parts"]}
    assert states == {"MTX": ("approved", ""), "OTHER": ("rejected", "Wrong day")}
    # Only an approver of the project reads a part.
    assert me.get(f"/timesheets/parts/{part_id}").status_code == 403
    assert boss.get(f"/timesheets/parts/{part_id}").status_code == 404


def test_bad_input_is_a_4xx_naming_the_field_and_nothing_is_written(
        world: dict[str, Any]) -> None:
    office, member = world["office"], world["member"]
    me = Api(member)
    people_actions.record_absence(actor=world["office"].pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=1),
                                  end=WEEK2 + dt.timedelta(days=1))
    leave = me.post(URL, {"lines": [line(world["support"], 2), line(world["design"], 8, 8)]})
    assert leave.status_code == 422
    assert leave.json()["errors"] == {
        "lines.1.hours.1": ["Tue 13 Jan is a day of your approved leave"]}
    from projectoffice.resources import actions as res

    other = res.create_resource(actor=office.pm, project=office.project, name="Planner",
                                user=office.members["planner"])
    theirs = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=other.pk, task_uid=1, work=8)
    foreign = me.post(URL, {"lines": [line(theirs, 1)]})
    assert foreign.status_code == 422 and "lines.0.assignment_id" in foreign.json()["errors"]
    assert not Timesheet.objects.exists()
    week = me.post(URL, {"lines": [line(world["design"], 8), line(world["support"], 2)]}).json()
    read = {p["project"]: p["version"] for p in week["parts"]}
    me.post(f"{URL}/submit", {})
    mtx = Timesheet.objects.get(project__code="MTX")
    Api(office.pm).post(f"/timesheets/parts/{mtx.pk}/decision",
                        {"version": mtx.version, "approve": True})
    locked = me.post(URL, {"versions": read, "lines": [line(world["design"], 4)]})
    assert locked.status_code == 422 and "lines.0.hours" in locked.json()["errors"]
    other_part = Timesheet.objects.get(project__code="OTHER")
    Api(office.outsider).post(f"/timesheets/parts/{other_part.pk}/decision",
                              {"version": other_part.version, "approve": False,
                               "comment": "Split by day"})
    stale = me.post(URL, {"versions": read, "lines": [line(world["support"], 1, 0, 1)]})
    assert stale.status_code == 409 and "parts.OTHER.version" in stale.json()["errors"]
    assert Timesheet.objects.get(project__code="OTHER").lines.get().hours[0] == "2"


def test_finding_a_task_outside_the_week(world: dict[str, Any]) -> None:
    found = Api(world["member"]).get(f"{URL}/tasks?q=hand").json()
    assert [(f["project"], f["label"], f["active"]) for f in found] == [
        ("OTHER", "Hand-over", False)]
