"""What the permission matrix needs for people and contacts: an absence of the caller (a
leave request), a leave request of someone else to decide, a contact, and an enquiry in the
MTX enquiry log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from projectoffice.people import actions as people_actions
from projectoffice.people.registers import ENQUIRIES
from projectoffice.registers import actions as register_actions

MONDAY = dt.date(2026, 3, 2)


def people_setup(office: Any, user: Any) -> dict[str, Any]:
    absence = people_actions.record_absence(actor=user, person=user, kind="leave",
                                            start=MONDAY, end=MONDAY + dt.timedelta(days=2),
                                            today=MONDAY - dt.timedelta(days=7))
    from tests.conftest import make_user

    # Nobody line-manages the requester: only the Project Office may decide.
    requester = make_user("requester")
    request = people_actions.record_absence(actor=requester, person=requester, kind="leave",
                                            start=MONDAY, end=MONDAY)
    contact = people_actions.create_contact(actor=office.pmo, data={"name": "Sam Reid",
                                                                    "organisation": "Supplier"})
    enquiry = register_actions.create_item(
        actor=office.pm, spec=ENQUIRIES, project=office.project,
        data={"title": "When is go-live?", "caller": "A customer", "owner": office.pm})
    office.enquiry = enquiry
    return {"absence": absence.pk, "request": request.pk, "contact": contact.pk,
            "enquiry": enquiry,
            "username": user.username}


def people_bodies() -> dict[str, Any]:
    return {
        "PATCH /people/{username}": {"version": 1, "team": "Delivery"},
        "POST /absences": {"kind": "training", "start": "2026-04-06", "end": "2026-04-07"},
        "PATCH /absences/{absence_id}": {"version": 1, "note": "Family holiday"},
        "POST /absences/{absence_id}/approve": {"version": 1},
        "POST /absences/{absence_id}/refuse": {"version": 1, "reason": "Release week"},
        "POST /absences/{absence_id}/cancel": {"version": 1},
        "PATCH /absence-settings": {"version": 1, "travel_needs_approval": True},
        "POST /contacts": {"name": "Ann Other", "organisation": "Regulator"},
        "PATCH /contacts/{contact_id}": {"version": 1, "role": "Account manager"},
    }


def people_path(path: str, ids: dict[str, Any]) -> str:
    if path.endswith(("/approve", "/refuse")):  # someone else's request, never one's own
        path = path.replace("{absence_id}", str(ids["request"]))
    return (path.replace("{absence_id}", str(ids["absence"]))
            .replace("{contact_id}", str(ids["contact"]))
            .replace("{username}", ids["username"]))
