"""A stakeholder, a group and a communication with its audience on the test office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from projectoffice.engagement import actions
from projectoffice.engagement.registers import COMMUNICATIONS, IMPACTS, STAKEHOLDERS
from projectoffice.registers import actions as register_actions


def engagement_setup(office: Any) -> dict[str, Any]:
    actor = office.pm
    sponsor = register_actions.create_item(
        actor=actor, spec=STAKEHOLDERS, project=office.project,
        data={"title": "Sales director", "kind": "person", "email": "sales@example.org",
              "power": 5, "interest": 4, "attitude_now": "neutral",
              "attitude_wanted": "leading"})
    agents = register_actions.create_item(
        actor=actor, spec=STAKEHOLDERS, project=office.project,
        data={"title": "Call-centre agents", "kind": "group", "headcount": 40,
              "email": "agents@example.org", "power": 2, "interest": 5,
              "attitude_now": "resistant", "attitude_wanted": "supportive"})
    comm = register_actions.create_item(
        actor=actor, spec=COMMUNICATIONS, project=office.project,
        data={"title": "Go-live briefing", "message": "The new CRM arrives in May.",
              "channel": "email", "frequency": "monthly",
              "starts_on": dt.date(2026, 3, 2), "ends_on": dt.date(2026, 6, 30)})
    comm = actions.set_audience(actor=actor, communication=comm, version=comm.version,
                                stakeholders=[sponsor, agents])
    impact = register_actions.create_item(
        actor=actor, spec=IMPACTS, project=office.project,
        data={"title": "Cases logged in the CRM, not on paper", "group": agents,
              "aspect": "process", "impact_level": "high",
              "changes_on": dt.date(2026, 6, 1)})
    return {"stakeholders": sponsor, "group": agents, "communications": comm,
            "change-impacts": impact}


def engagement_bodies(office: Any) -> dict[str, Any]:
    """Bodies for the engagement operations in the permission matrix."""
    comm = office.raid.get("communications")
    if comm is None:
        return {}
    version = type(comm).objects.get(pk=comm.pk).version
    return {
        "POST /projects/{code}/communications/{ref}/audience": {
            "version": version, "stakeholders": [office.raid["stakeholders"].reference]},
        "POST /projects/{code}/communications/{ref}/send": {"addresses": ["x@example.org"]},
        "POST /projects/{code}/communications/{ref}/record": {"sent_on": "2026-03-01"},
        "POST /projects/{code}/change-impacts": {"title": "New screens",
                                                 "group": str(office.raid["stakeholders"].pk)},
        "POST /projects/{code}/readiness": {
            "group": office.raid["stakeholders"].reference, "assessed_on": "2026-03-01",
            "awareness": 3, "desire": 2, "knowledge": 2, "ability": 1, "reinforcement": 1},
        "POST /projects/{code}/change-impacts/{ref}/activities": {
            "kind": "briefing", "title": "Team briefing"},
    }
