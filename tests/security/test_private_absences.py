"""Nobody but the person and the Project Office manager can tell sickness from another
private absence: not from the API, the pages, the answers to a change, nor by changing the
kind and reading the note."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client

from projectoffice.people import actions
from projectoffice.people.models import Absence
from tests.conftest import Api, Office

MONDAY = dt.date(2026, 3, 2)
QUERY = "/absences?start=2026-03-01&end=2026-03-31"


def private_pair(office: Office) -> tuple[Absence, Absence]:
    tess = office.members["team_member"]
    sick = actions.record_absence(actor=tess, person=tess, kind="sickness", start=MONDAY,
                                  end=MONDAY, note="Migraine")
    other = actions.record_absence(actor=tess, person=tess, kind="other",
                                   start=MONDAY + dt.timedelta(days=7),
                                   end=MONDAY + dt.timedelta(days=7), note="Jury service")
    return sick, other


def shown(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(v for k, v in row.items() if k not in ("id", "start", "end", "days"))


def test_the_api_and_pages_show_both_alike(office: Office) -> None:
    private_pair(office)
    for viewer in (office.members["planner"], office.pm, office.staff, office.executive):
        sick_row, other_row = Api(viewer).get(QUERY).json()
        assert shown(sick_row) == shown(other_row), viewer.username
        assert sick_row["kind"] == "absent" and sick_row["note"] == ""
        page = Client()
        page.force_login(viewer)
        html = b"".join(re.sub(rb'<p class="help.*?</p>', b"", page.get(
            f"/people/whereabouts/?week={week}").content, flags=re.S)
            for week in ("2026-03-02", "2026-03-09"))
        assert html.count(b"Absent") >= 2
        assert b"Jury" not in html and b"Migraine" not in html
        html = html.replace(b"Other project", b"")  # the second project of the fixture
        assert b"Other" not in html and b"Sickness" not in html, viewer.username
    sick_row, other_row = Api(office.pmo).get(QUERY).json()
    assert (sick_row["kind"], other_row["kind"]) == ("sickness", "other")


def test_changing_either_gets_the_same_answer(office: Office) -> None:
    sick, other = private_pair(office)
    pm = Api(office.pm)
    answers = [pm.patch(f"/absences/{a.pk}", {"version": a.version, "end": str(a.end)})
               for a in (sick, other)]
    assert [r.status_code for r in answers] == [403, 403]
    assert answers[0].json()["message"] == answers[1].json()["message"]


def test_pmo_staff_cannot_learn_the_kind_by_changing_it(office: Office) -> None:
    sick, other = private_pair(office)
    staff = Api(office.staff)
    for absence in (sick, other):
        for change in ({"kind": "leave"}, {"kind": "other"}, {"note": ""}):
            r = staff.patch(f"/absences/{absence.pk}", {"version": absence.version, **change})
            assert r.status_code == 403, (absence.kind, change)
    assert Absence.objects.get(pk=sick.pk).kind == "sickness"
    rows = staff.get(QUERY).json()
    assert all(r["note"] == "" and r["kind"] == "absent" for r in rows)
