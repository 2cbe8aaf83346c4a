"""The week page and the approver's part page, through the Django test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from projectoffice.people import actions as people_actions
from projectoffice.timesheets.models import Timesheet
from tests.timesheets.week_helpers import WEEK2, two_projects

PAGE = f"/timesheets/week/?week={WEEK2.isoformat()}"


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    return two_projects(office) | {"office": office}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(page: str, rows: dict[str, list[str]], notes: dict[str, str] | None = None,
         **extra: str) -> dict[str, str]:
    """The form as the page sends it: each row's key, hours and note."""
    keys = [part.split('value="')[1].split('"')[0]
            for part in page.split('name="r-')[1:]]
    data = {"week": WEEK2.isoformat(), **extra}
    for n, key in enumerate(keys):
        data[f"r-{n}"] = key
        for d, h in enumerate(rows.get(key, [])):
            data[f"h-{n}-{d}"] = h
        data[f"note-{n}"] = (notes or {}).get(key, "")
    for part in page.split('name="v-')[1:]:
        code, value = part.split('"')[0], part.split('value="')[1].split('"')[0]
        data[f"v-{code}"] = value
    return data


def test_the_week_page_shows_rows_under_way_planned_hours_and_absence(
        world: dict[str, Any]) -> None:
    member = world["member"]
    people_actions.record_absence(actor=world["office"].pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=1),
                                  end=WEEK2 + dt.timedelta(days=1))
    client = client_for(member)
    page = client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'aria-label="MTX Design Monday"' in html and "Support desk" in html
    assert "Build" not in html.split("<tbody")[1]  # starts next week
    assert '<span class="ts-plan" title="planned">8</span>' in html
    assert 'data-refuse="Tue 13 Jan is a day of your approved leave"' in html
    assert '<span class="ts-away">Leave</span>' in html
    assert client.get("/").content.count(b'href="/timesheets/week/"') == 1  # in the navigation


def test_saving_submitting_and_a_refused_leave_day(world: dict[str, Any]) -> None:
    member = world["member"]
    people_actions.record_absence(actor=world["office"].pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=1),
                                  end=WEEK2 + dt.timedelta(days=1))
    design, support = f"a{world['design'].pk}", f"a{world['support'].pk}"
    client = client_for(member)
    page = client.get(PAGE).content.decode()
    refused = client.post("/timesheets/week/save/", form(page, {
        design: ["8", "4"], support: ["2"]}, {design: "Model"}, save="1"))
    html = refused.content.decode()
    assert refused.status_code == 422 and not Timesheet.objects.exists()
    assert "Tue 13 Jan is a day of your approved leave" in html
    assert 'value="Model"' in html and 'name="h-0-1" value="4"' in html  # kept as typed
    saved = client.post("/timesheets/week/save/", form(page, {
        design: ["8", "", "6"], support: ["2"]}, {design: "Model"}, submit="1"))
    assert saved.status_code == 302
    assert {s.project.code: s.status for s in Timesheet.objects.all()} == {
        "MTX": "submitted", "OTHER": "submitted"}
    after = client.get(PAGE).content.decode()
    assert 'data-part="MTX" data-state="submitted"' in after
    assert 'name="h-0-0" value="8" inputmode="decimal"' in after and "disabled" in after


def test_the_approver_sees_the_lines_and_decides(world: dict[str, Any]) -> None:
    office, member = world["office"], world["member"]
    design = f"a{world['design'].pk}"
    client = client_for(member)
    page = client.get(PAGE).content.decode()
    client.post("/timesheets/week/save/", form(page, {design: ["8", "7"]},
                                               {design: "Schema review"}, submit="1"))
    part = Timesheet.objects.get(project__code="MTX")
    pm = client_for(office.pm)
    assert f'href="/timesheets/parts/{part.pk}/"'.encode() in pm.get("/timesheets/week/").content
    view = pm.get(f"/timesheets/parts/{part.pk}/").content.decode()
    assert "Schema review" in view and 'data-part-lines' in view and "Design" in view
    assert '<span class="ts-plan" title="planned">8</span>' in view
    stale = pm.post(f"/timesheets/parts/{part.pk}/decide/",
                    {"version": part.version - 1, "decision": "approve"})
    assert stale.status_code == 409
    bare = pm.post(f"/timesheets/parts/{part.pk}/decide/",
                   {"version": part.version, "decision": "reject"})
    assert bare.status_code == 422 and "say why" in bare.content.decode()
    done = pm.post(f"/timesheets/parts/{part.pk}/decide/",
                   {"version": part.version, "decision": "reject", "comment": "Split Tue"})
    assert done.status_code == 302
    week = client.get(PAGE).content.decode()
    assert "Rejected by Project Manager: “Split Tue”" in week
    assert client.get(f"/timesheets/parts/{part.pk}/").status_code == 403


def test_the_task_search_finds_ones_own_assignments(world: dict[str, Any]) -> None:
    client = client_for(world["member"])
    found = client.get(f"/timesheets/week/tasks/?week={WEEK2.isoformat()}&q=hand")
    assert b"Hand-over" in found.content and b"data-add-task" in found.content
    added = client.get(f"{PAGE}&add=a{world['handover'].pk}").content.decode()
    assert 'aria-label="OTHER Hand-over Monday"' in added


def test_overtime_is_added_from_the_search_and_saved_as_overtime(world: dict[str, Any]) -> None:
    client = client_for(world["member"])
    found = client.get(f"/timesheets/week/tasks/?week={WEEK2.isoformat()}&q=design")
    overtime = f"a{world['design'].pk}o"
    assert f'data-key="{overtime}"'.encode() in found.content
    page = client.get(f"{PAGE}&add={overtime}").content.decode()
    assert 'aria-label="MTX Design · overtime Monday"' in page
    saved = client.post("/timesheets/week/save/", form(page, {overtime: ["2"]}, save="1"))
    assert saved.status_code == 302
    line = Timesheet.objects.get(project__code="MTX").lines.get()
    assert line.overtime and line.hours[0] == "2"
