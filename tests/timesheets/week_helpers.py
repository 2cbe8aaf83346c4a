"""A developer on two projects for the week-across-projects tests: MTX (cost-loaded, its
manager ``pm``) and OTHER (managed by ``outsider``), with a support task there under way in
the weeks of 5 and 12 January 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.resources import actions as res
from tests.planning.helpers import build
from tests.timesheets.helpers import MONDAY, cost_loaded

WEEK2 = MONDAY + dt.timedelta(days=7)


def two_projects(office: Any) -> dict[str, Any]:
    world = cost_loaded(office)
    member = world["member"]
    other = office.other
    portfolio_actions.add_member(actor=office.pmo, project=other, user=member,
                                 role="team_member")
    build(office.outsider, other, [{"name": "Support desk", "duration": "10d"},
                                   {"name": "Hand-over", "duration": "5d",
                                    "predecessors": "1"}])
    plan = Plan.objects.get(project=other)
    plan_actions.set_plan_settings(actor=office.outsider, project=other, version=plan.version,
                                   start=dt.datetime(2026, 1, 5, 8, 0))
    person = res.create_resource(actor=office.outsider, project=other, name="Tess Member",
                                 user=member)
    res.set_rate(actor=office.outsider, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("40.00"))
    support = res.assign_resource(actor=office.outsider, project=other,
                                  resource_id=person.pk, task_uid=1, work=Decimal(20))
    handover = res.assign_resource(actor=office.outsider, project=other,
                                   resource_id=person.pk, task_uid=2, work=Decimal(10))
    return world | {"support": support, "handover": handover, "other": other}


def line(assignment: Any, *hours: float | int, note: str = "") -> dict[str, Any]:
    values = [str(h) for h in hours] + ["0"] * (7 - len(hours))
    return {"assignment_id": assignment.pk, "hours": values, "note": note}
