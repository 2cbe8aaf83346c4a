"""Demo organisation design for the CRM go-live: customer services and the stores as they
are, and as they will be — team leads instead of supervisors, CRM champions, a data
steward, the paper clerks' roles gone — with who moves where and who has no role yet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projectoffice.accounts.models import User
from projectoffice.engagement.models import ChangeImpact
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions

from .registers import POSITIONS, UNITS

UNITS_DEMO = [("current", "Customer Services"), ("current", "Retail Division"),
              ("future", "Customer Services"), ("future", "Retail Division"),
              ("future", "CRM Centre of Excellence")]

# key, design, title, unit, grade, FTE, reports to (key), holder, impact title or ""
POSITIONS_DEMO = [
    ("c-head", "current", "Head of Customer Services", "Customer Services", "E2", 1, None,
     "Maria Lopez"),
    ("c-sup1", "current", "Contact-centre supervisor", "Customer Services", "M1", 1,
     "c-head", "Kwame Boateng"),
    ("c-sup2", "current", "Contact-centre supervisor", "Customer Services", "M1", 1,
     "c-head", "Sofia Costa"),
    ("c-agent", "current", "Call-centre agent", "Customer Services", "A2", 120, "c-sup1",
     "120 agents"),
    ("c-compl", "current", "Complaints clerk", "Customer Services", "A3", 2, "c-sup2",
     "Dev Patel"),
    ("c-file", "current", "Filing and records clerk", "Customer Services", "A1", 1,
     "c-sup2", "Jo Brown"),
    ("c-retail", "current", "Head of Retail", "Retail Division", "E2", 1, None, "Ravi Shah"),
    ("c-store", "current", "Store manager", "Retail Division", "M1", 40, "c-retail",
     "40 managers"),
    ("f-head", "future", "Head of Customer Services", "Customer Services", "E3", 1, None,
     "Maria Lopez"),
    ("f-lead1", "future", "Contact-centre team lead", "Customer Services", "M1", 1,
     "f-head", "Kwame Boateng"),
    ("f-lead2", "future", "Contact-centre team lead", "Customer Services", "M1", 1,
     "f-head", "Sofia Costa"),
    ("f-agent", "future", "Call-centre agent", "Customer Services", "A3", 110, "f-lead1",
     "110 agents"),
    ("f-champ", "future", "CRM champion", "Customer Services", "A3", 10, "f-lead2", ""),
    ("f-coe", "future", "CRM product owner", "CRM Centre of Excellence", "M2", 1, "f-head",
     ""),
    ("f-steward", "future", "CRM data steward", "CRM Centre of Excellence", "A3", 2,
     "f-coe", "Dev Patel"),
    ("f-retail", "future", "Head of Retail", "Retail Division", "E2", 1, None, "Ravi Shah"),
    ("f-region", "future", "Regional CRM lead", "Retail Division", "M2", 4, "f-retail", ""),
    ("f-store", "future", "Store manager", "Retail Division", "M1", 40, "f-region",
     "40 managers"),
]

# current → future: where each holder moves (the filing clerk has nowhere yet)
MOVES = {"c-head": "f-head", "c-sup1": "f-lead1", "c-sup2": "f-lead2", "c-agent": "f-agent",
         "c-compl": "f-steward", "c-retail": "f-retail", "c-store": "f-store"}

IMPACT_OF = {"f-agent": "Agents close cases", "f-lead1": "Agents close cases",
             "f-store": "Customer visits planned", "f-champ": "One customer screen",
             "f-coe": "First-line support for the CRM"}


def demo_orgdesign(people: dict[str, User], project: Project) -> dict[str, Any]:
    odile = people["odile"]
    units: dict[tuple[str, str], Any] = {}
    for design, title in UNITS_DEMO:
        units[(design, title)] = register_actions.create_item(
            actor=odile, spec=UNITS, project=project,
            data={"title": title, "design": design})
    made: dict[str, Any] = {}
    for key, design, title, unit, grade, fte, boss, holder in POSITIONS_DEMO:
        impact = None
        if key in IMPACT_OF:
            impact = ChangeImpact.objects.filter(project=project,
                                                 title__startswith=IMPACT_OF[key]).first()
        made[key] = register_actions.create_item(
            actor=odile, spec=POSITIONS, project=project,
            data={"title": title, "design": design, "unit": units[(design, unit)],
                  "grade": grade, "fte": Decimal(fte), "holder": holder,
                  "reports_to": made[boss] if boss else None, "impact": impact,
                  "owner": odile})
    for current, future in MOVES.items():
        item = made[current]
        register_actions.update_item(actor=odile, item=item, version=item.version,
                                     changes={"future_position": made[future]})
    for key, item in made.items():
        if key.startswith("f-") and key not in ("f-region", "f-coe"):
            made[key] = register_actions.transition_item(actor=odile, item=item,
                                                         transition="approve",
                                                         version=item.version)
    return made
