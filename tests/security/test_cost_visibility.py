"""Pay rates and cost figures are for the finance roles, the project manager and the Project
Office (`cost.view`); other members and stakeholders see hours and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from projectoffice.accounts.roles import permissions_for
from projectoffice.resources import actions as resource_actions
from tests.conftest import Api, Office
from tests.planning.helpers import make_plan

RATE = Decimal("87.50")


def rated(office: Office) -> None:
    make_plan(office)
    resource = resource_actions.create_resource(actor=office.pm, project=office.project,
                                                name="Welder", kind="work")
    resource_actions.set_rate(actor=office.pm, resource=resource,
                              effective_from=dt.date(2026, 1, 1), standard=RATE)
    resource_actions.assign_resource(actor=office.pm, project=office.project,
                                     resource_id=resource.pk, task_uid=2,
                                     units=Decimal(100), work=Decimal(0))


def test_who_holds_cost_view() -> None:
    holders = {r for r in ("project_manager", "project_accountant", "planner", "team_member",
                           "stakeholder", "quality_manager")
               if "cost.view" in permissions_for("", [r])}
    assert holders == {"project_manager", "project_accountant"}
    assert {g for g in ("pmo_manager", "pmo_staff", "executive")
            if "cost.view" in permissions_for(g, [])} == {"pmo_manager", "pmo_staff"}


def test_rates_and_costs_reach_only_cost_viewers(office: Office) -> None:
    rated(office)
    for username, sees in (("stakeholder", False), ("team_member", False), ("planner", False),
                           ("project_accountant", True)):
        user = office.members[username]
        api = Api(user)
        body = api.get("/projects/MTX/resources").json()
        welder = next(r for r in body["resources"] if r["name"] == "Welder")
        assert bool(welder["rates"]) is sees, username
        assert (body["planned_cost"] is not None) is sees, username
        assert all((a["planned_cost"] is not None) is sees for a in body["assignments"])
        variance = api.get("/projects/MTX/plan/variance").json()
        assert any(r["cost"] is not None for r in variance) is sees, username
        assert (api.get("/projects/MTX/finance").status_code == 200) is sees, username
        export = api.get("/projects/MTX/plan/export?format=mspdi").content
        assert (b"<StandardRate>" in export) is sees, username
        page = Client()
        page.force_login(user)
        html = page.get("/projects/MTX/resources/").content
        assert (b"87.50" in html) is sees, username
        assert (b"Planned cost" in html) is sees, username
        assert (b"Finance &amp; earned value" in html) is sees, username
    assert Api(office.pm).get("/projects/MTX/resources").json()["planned_cost"] is not None
