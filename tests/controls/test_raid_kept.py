"""The RAID view keeps what it works out across the portfolio (which items are on a page, who
owns one, which dependencies are late, the dependency map) under the projects' data
versions (audit/kept.py): each change shows on the next read, nothing kept is stale."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from projectoffice.accounts.models import User
from projectoffice.controls.registers import ISSUES
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.registers import actions as register_actions
from tests.conftest import Office, make_user
from tests.planning.helpers import build

PLAN = [{"name": "Build", "duration": "10d"},
        {"name": "Go live", "duration": "0d", "predecessors": "1"}]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _items(client: Client) -> list[dict[str, Any]]:
    body = client.get("/api/v1/raid?limit=200").json()
    assert body["count"] == len(body["items"])
    return list(body["items"])


def test_the_kept_page_follows_new_changed_and_closed_items(office: Office) -> None:
    client = _client(office.pmo)
    before = _items(client)
    assert _items(client) == before  # read again from what was kept
    new = register_actions.create_item(actor=office.outsider, spec=ISSUES, project=office.other,
                                       data={"title": "Data centre flooded",
                                             "severity": "critical"})
    after = _items(client)
    assert len(after) == len(before) + 1
    assert (after[0]["reference"], after[0]["severity"]) == (new.reference, "critical")

    risk = office.raid["risks"]
    rescored = register_actions.update_item(
        actor=office.pm, item=risk, version=risk.version,
        changes={"inherent_probability": 5, "inherent_time": 5, "inherent_cost": 5})
    row = next(i for i in _items(client) if i["reference"] == rescored.reference
               and i["kind"] == "risks")
    assert row["severity"] == "critical"

    register_actions.transition_item(actor=office.outsider, item=new, version=new.version,
                                     transition="withdraw", comment="Raised twice")
    assert new.reference not in {i["reference"] for i in _items(client)
                                 if i["project"] == "OTHER" and i["kind"] == "issues"}


def test_the_owner_filter_follows_new_owners_and_people_switched_off(office: Office) -> None:
    client = _client(office.pmo)
    assert "Dana Owner" not in client.get("/raid/").content.decode()
    dana = make_user("dana")
    User.objects.filter(pk=dana.pk).update(display_name="Dana Owner")
    portfolio_actions.add_member(actor=office.pmo, project=office.project, user=dana,
                                 role="team_member")
    register_actions.create_item(actor=office.pm, spec=ISSUES, project=office.project,
                                 data={"title": "Printer jam", "owner": dana})
    assert '<option value="dana">Dana Owner</option>' in client.get("/raid/").content.decode()
    # Renamed and then switched off: neither is a change to a project's data.
    User.objects.filter(pk=dana.pk).update(display_name="Dana Renamed")
    assert ">Dana Renamed</option>" in client.get("/raid/").content.decode()
    User.objects.filter(pk=dana.pk).update(is_active=False)
    assert '<option value="dana">' not in client.get("/raid/").content.decode()


def test_late_dependencies_and_the_map_follow_the_other_plan_and_programme(
        office: Office, api_as: Any) -> None:
    build(office.outsider, office.other, PLAN)
    go_live = PlanTask.objects.get(plan__project=office.other, name="Go live")
    made = api_as(office.pmo).post("/projects/MTX/dependencies", {
        "title": "Their release", "other_project": "OTHER", "other_reference": "Go live",
        "needed_by": (go_live.finish.date() + dt.timedelta(days=2)).isoformat()})
    assert made.status_code == 201, made.content
    client = _client(office.pmo)
    page = client.get("/raid/").content.decode()
    assert "No linked dependency is expected late." in page
    assert 'class="edge" data-from="MTX" data-to="OTHER"' in page
    assert "PRG" in page.split('class="depmap"')[1].split("</svg>")[0]

    # The other project's plan slips: a change to OTHER only, which the page shows.
    plan = Plan.objects.get(project=office.other)
    build_task = PlanTask.objects.get(plan=plan, name="Build")
    plan_actions.edit_plan(actor=office.outsider, project=office.other, version=plan.version,
                           edits=[{"uid": build_task.uid, "duration": "20d"}])
    page = client.get("/raid/").content.decode()
    assert "No linked dependency is expected late." not in page
    assert "Their release</td>" in page.split('id="late-dependencies"')[1]

    # A programme's new code is not project data; the map shows it at once.
    portfolio_actions.update_programme(actor=office.pmo, programme=office.programme,
                                       version=office.programme.version,
                                       changes={"code": "PRX"})
    drawn = client.get("/raid/").content.decode().split('class="depmap"')[1]
    assert "PRX" in drawn.split("</svg>")[0]
