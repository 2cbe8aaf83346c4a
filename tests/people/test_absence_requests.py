"""Absence requests: which kinds need approval, who decides (the line manager or the Project
Office, never the person), what a decision changes (availability, the person's
notification), private sickness in the approver's views, and the API's error answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.people import actions, queries
from projectoffice.people.models import AbsenceStatus
from projectoffice.registers.models import Notification, NotificationKind
from tests.conftest import PASSWORD, Office, make_user

MONDAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 2, 20)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def browser(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def managed(office: Office) -> tuple[Any, Any]:
    """Tess (team member) line-managed by Lena, a colleague with no global role."""
    tess = office.members["team_member"]
    lena = make_user("lena")
    actions.update_profile(actor=office.pmo, person=tess, version=1,
                           changes={"line_manager": lena})
    return tess, lena


def notes_of(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.ABSENCE))


def test_leave_is_requested_and_only_approval_takes_days_away(office: Office) -> None:
    tess, lena = managed(office)
    leave = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(1), today=TODAY)
    assert leave.status == AbsenceStatus.REQUESTED
    assert queries.absent_days([tess.pk], day(0), day(4)) == {tess.pk: set()}
    # The line manager is asked, and sees it awaiting them; the PMO manager is not asked.
    assert [n.message for n in notes_of(lena)] == [
        "Team Member asks for leave from Mon 02 Mar to Tue 03 Mar 2026"]
    assert notes_of(office.pmo) == []
    assert [v.absence.pk for v in queries.absences_awaiting(lena)] == [leave.pk]
    assert queries.absences_awaiting(tess) == []
    # Shown as pending in the grids, not counted as away.
    cell = queries.week_grid(office.pm, MONDAY).rows
    tess_row = next(r for r in cell if r.user == tess)
    assert tess_row.cells[0].pending and tess_row.cells[0].text == "Leave"
    approved = actions.approve_absence(actor=lena, absence=leave, version=leave.version,
                                       today=TODAY)
    assert approved.status == AbsenceStatus.APPROVED and approved.decided_by == lena
    assert queries.absent_days([tess.pk], day(0), day(4)) == {tess.pk: {day(0), day(1)}}
    assert [n.message for n in notes_of(tess)] == [
        "Lena approved your leave from Mon 02 Mar to Tue 03 Mar 2026"]
    assert notes_of(lena)[0].recipient == lena and len(notes_of(lena)) == 1
    assert queries.absences_awaiting(lena) == []


def test_kinds_without_approval_are_approved_on_entry(office: Office) -> None:
    tess = office.members["team_member"]
    travel = actions.record_absence(actor=tess, person=tess, kind="travel", start=day(0),
                                    end=day(0))
    assert travel.status == AbsenceStatus.APPROVED and travel.decided_by is None
    assert Notification.objects.filter(kind=NotificationKind.ABSENCE).count() == 0
    # The Project Office recording someone's leave decides it as it records it.
    leave = actions.record_absence(actor=office.staff, person=tess, kind="leave",
                                   start=day(2), end=day(2), today=TODAY)
    assert leave.status == AbsenceStatus.APPROVED and leave.decided_by == office.staff


def test_settings_decide_which_kinds_need_approval(office: Office) -> None:
    tess = office.members["team_member"]
    with pytest.raises(Forbidden):
        actions.update_absence_settings(actor=office.staff, version=1,
                                        changes={"travel_needs_approval": True})
    saved = actions.update_absence_settings(actor=office.pmo, version=1,
                                            changes={"travel_needs_approval": True,
                                                     "leave_needs_approval": False})
    assert saved.version == 2 and saved.needs_approval("travel")
    with pytest.raises(Conflict):
        actions.update_absence_settings(actor=office.pmo, version=1,
                                        changes={"travel_needs_approval": False})
    assert actions.record_absence(actor=tess, person=tess, kind="travel", start=day(0),
                                  end=day(0)).status == AbsenceStatus.REQUESTED
    assert actions.record_absence(actor=tess, person=tess, kind="leave", start=day(1),
                                  end=day(1)).status == AbsenceStatus.APPROVED
    from projectoffice.audit.models import AuditEntry

    assert AuditEntry.objects.filter(object_repr="Absence settings").exists()


def test_who_decides_and_the_errors_of_a_decision(office: Office) -> None:
    tess, lena = managed(office)
    leave = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0))
    # Not the person, not a project manager who is not the line manager.
    with pytest.raises(Forbidden):
        actions.approve_absence(actor=tess, absence=leave, version=1)
    with pytest.raises(Forbidden):
        actions.approve_absence(actor=office.pm, absence=leave, version=1)
    with pytest.raises(InvalidInput) as exc:
        actions.refuse_absence(actor=lena, absence=leave, version=1, reason="  ")
    assert exc.value.errors == {"reason": ["say why the absence is refused"]}
    with pytest.raises(Conflict):  # read at version 1, changed since
        actions.update_absence(actor=tess, absence=leave, version=1, changes={"note": "Trip"})
        actions.approve_absence(actor=lena, absence=leave, version=1)
    refused = actions.refuse_absence(actor=office.staff, absence=leave, version=2,
                                     reason="Release week")
    assert refused.status == AbsenceStatus.REFUSED and refused.reason == "Release week"
    assert notes_of(tess)[0].message.endswith(": Release week")
    with pytest.raises(Conflict):  # already decided
        actions.approve_absence(actor=lena, absence=refused, version=3)
    # A refused absence frees its days for a new request.
    again = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0))
    assert again.status == AbsenceStatus.REQUESTED
    with pytest.raises(InvalidInput) as overlap:
        actions.record_absence(actor=tess, person=tess, kind="training", start=day(0),
                               end=day(1))
    assert "start" in overlap.value.errors


def test_without_a_line_manager_the_pmo_manager_is_asked(office: Office) -> None:
    tess = office.members["team_member"]
    leave = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0))
    assert [n.recipient for n in Notification.objects.filter(
        kind=NotificationKind.ABSENCE)] == [office.pmo]
    assert [v.absence for v in queries.absences_awaiting(office.pmo)] == [leave]
    assert [v.absence for v in queries.absences_awaiting(office.staff)] == [leave]
    assert queries.absences_awaiting(office.pm) == []
    # The PMO manager's own request is not theirs to decide.
    own = actions.record_absence(actor=office.pmo, person=office.pmo, kind="leave",
                                 start=day(0), end=day(0))
    assert own.status == AbsenceStatus.REQUESTED
    assert own not in [v.absence for v in queries.absences_awaiting(office.pmo)]
    with pytest.raises(Forbidden):
        actions.approve_absence(actor=office.pmo, absence=own, version=own.version)


def test_cancel_a_request_or_an_approved_absence_before_it_starts(office: Office) -> None:
    tess, lena = managed(office)
    leave = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0))
    with pytest.raises(Forbidden):
        actions.cancel_absence(actor=office.pm, absence=leave, version=1, today=TODAY)
    cancelled = actions.cancel_absence(actor=tess, absence=leave, version=1, today=TODAY)
    assert cancelled.status == AbsenceStatus.CANCELLED
    assert queries.absences_awaiting(lena) == []
    later = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0))
    later = actions.approve_absence(actor=lena, absence=later, version=1)
    with pytest.raises(Conflict):  # started already
        actions.cancel_absence(actor=tess, absence=later, version=later.version,
                               today=day(0))
    assert actions.cancel_absence(actor=tess, absence=later, version=later.version,
                                  today=TODAY).status == AbsenceStatus.CANCELLED


def test_moving_an_approved_absence_asks_again(office: Office) -> None:
    tess, lena = managed(office)
    leave = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0))
    leave = actions.approve_absence(actor=lena, absence=leave, version=1)
    moved = actions.update_absence(actor=tess, absence=leave, version=leave.version,
                                   changes={"start": day(3), "end": day(4)})
    assert moved.status == AbsenceStatus.REQUESTED and moved.decided_by is None
    noted = actions.update_absence(actor=tess, absence=moved, version=moved.version,
                                   changes={"note": "Family"})
    assert noted.status == AbsenceStatus.REQUESTED


def test_sickness_stays_private_in_requests_and_notifications(office: Office) -> None:
    tess, lena = managed(office)
    actions.update_absence_settings(actor=office.pmo, version=1,
                                    changes={"sickness_needs_approval": True})
    sick = actions.record_absence(actor=tess, person=tess, kind="sickness", start=day(0),
                                  end=day(0), note="Dentist")
    [note] = notes_of(lena)
    assert "sick" not in note.message.lower() and "an absence" in note.message
    [view] = queries.absences_awaiting(lena)
    assert (view.label, view.note) == ("Absent", "")
    page = browser(lena).get("/people/absences/awaiting/")
    assert b"Absent" in page.content and b"Sickness" not in page.content
    assert b"Dentist" not in page.content
    actions.approve_absence(actor=lena, absence=sick, version=1)
    # The person hears of their own sickness by name.
    assert "sickness" in notes_of(tess)[0].message


def test_line_manager_is_set_by_the_pmo_and_shown_in_the_directory(office: Office) -> None:
    tess, _ = managed(office)
    with pytest.raises(Forbidden):
        actions.update_profile(actor=tess, person=tess, version=2,
                               changes={"line_manager": None})
    with pytest.raises(InvalidInput) as exc:
        actions.update_profile(actor=office.pmo, person=tess, version=2,
                               changes={"line_manager": tess})
    assert "line_manager" in exc.value.errors
    page = browser(office.pm).get("/people/")
    assert b"Line manager" in page.content and b'href="/people/lena/"' in page.content


def test_the_api_requests_decides_and_answers_errors(office: Office, api_as: Any) -> None:
    tess, lena = managed(office)
    made = api_as(tess).post("/absences", {"kind": "leave", "start": "2027-03-01",
                                           "end": "2027-03-02"})
    assert made.status_code == 201 and made.json()["status"] == "requested"
    ident = made.json()["id"]
    assert api_as(tess).post(f"/absences/{ident}/approve",
                             {"version": 1}).status_code == 403
    mine = api_as(lena).get("/absences/awaiting-me")
    assert [a["id"] for a in mine.json()] == [ident]
    no_reason = api_as(lena).post(f"/absences/{ident}/refuse", {"version": 1})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    stale = api_as(lena).post(f"/absences/{ident}/approve", {"version": 7})
    assert stale.status_code == 409
    done = api_as(lena).post(f"/absences/{ident}/approve", {"version": 1})
    assert done.status_code == 200 and done.json()["decided_by"] == "lena"
    cancelled = api_as(tess).post(f"/absences/{ident}/cancel", {"version": 2})
    assert cancelled.json()["status"] == "cancelled"
    assert api_as(tess).get("/absence-settings").json()["leave_needs_approval"] is True
    assert api_as(tess).patch("/absence-settings", {"version": 1,
                                                    "other_needs_approval": True}
                              ).status_code == 403
    changed = api_as(office.pmo).patch("/absence-settings", {"version": 1,
                                                             "other_needs_approval": True})
    assert changed.status_code == 200 and changed.json()["other_needs_approval"] is True
    person = api_as(office.pm).get("/people/team_member").json()
    assert person["line_manager"] == "lena"


def test_approve_and_refuse_in_place(office: Office) -> None:
    tess, lena = managed(office)
    leave = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                   end=day(0), note="Wedding")
    client = browser(lena)
    page = client.get("/people/absences/awaiting/")
    assert b"Wedding" in page.content and b"Approve" in page.content
    url = f"/people/absences/{leave.pk}/decide/"
    missing = client.post(url, {"version": 1, "decision": "refuse"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 200 and b"say why the absence is refused" in missing.content
    refused = client.post(url, {"version": 1, "decision": "refuse", "reason": "Cover"},
                          HTTP_HX_REQUEST="true")
    assert b"Refused" in refused.content and b"Cover" in refused.content
    stale = client.post(url, {"version": 1, "decision": "approve"}, HTTP_HX_REQUEST="true")
    assert b"changed by someone else" in stale.content
    assert browser(tess).post(url, {"version": 2, "decision": "approve"}).status_code == 403
    mine = browser(tess).get("/people/team_member/")
    assert b"Refused" in mine.content and b"Cover" in mine.content
    settings = browser(office.pmo).get("/people/absences/settings/")
    assert settings.status_code == 200 and b"needs approval" in settings.content
    assert browser(office.staff).get("/people/absences/settings/").status_code == 403
