"""A cost-loaded plan on MTX: a baselined plan, a person resource with rates, assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.planning import actions as plan_actions
from projectoffice.resources import actions as res
from projectoffice.resources.models import Assignment
from tests.planning.helpers import build

MONDAY = dt.date(2026, 1, 5)


def cost_loaded(office: Any) -> dict[str, Any]:
    """Design (5d) then Build (10d) from 5 January 2026; the team member works 40 h on each,
    at 50.00 an hour, 60.00 from 12 January; baseline 0 saved."""
    plan = build(office.pm, office.project, [
        {"name": "Design", "duration": "5d"},
        {"name": "Build", "duration": "10d", "predecessors": "1"},
    ])
    plan_actions.save_baseline(actor=office.pm, project=office.project, number=0)
    plan_actions.set_plan_settings(actor=office.pm, project=office.project,
                                   version=plan.version, status_date=dt.date(2026, 1, 9))
    member = office.members["team_member"]
    person = res.create_resource(actor=office.pm, project=office.project, name="Tess Member",
                                 user=member)
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("50.00"), overtime=Decimal("75.00"))
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2026, 1, 8),
                 standard=Decimal("60.00"), overtime=Decimal("90.00"))
    design = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=person.pk, task_uid=1, work=Decimal(40))
    build_ = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=person.pk, task_uid=2, work=Decimal(80))
    return {"member": member, "person": person, "design": design, "build": build_}


def week(*hours: float | int) -> list[str]:
    values = [str(h) for h in hours]
    return values + ["0"] * (7 - len(values))


def assignment(pk: int) -> Assignment:
    return Assignment.objects.get(pk=pk)
