"""The resources, timesheet and finance pages: fill, submit, approve, see the figures."""

from __future__ import annotations

from typing import Any

from django.test import Client

from projectoffice.finance.models import ActualCost
from projectoffice.planning.models import PlanTask
from tests.conftest import PASSWORD
from tests.timesheets.helpers import cost_loaded


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_fill_submit_approve_through_the_pages(office: Any) -> None:
    world = cost_loaded(office)
    member = login(world["member"])
    page = member.get("/projects/MTX/timesheets/?week=2026-01-05")
    assert page.status_code == 200 and b"Design" in page.content and b"Training" in page.content
    form = {"week": "2026-01-05", "version": "", "submit": "1", "h-0-0": "8", "h-0-1": "7.5"}
    response = member.post("/projects/MTX/timesheets/save/", form)
    assert response.status_code == 302
    pm = login(office.pm)
    page = pm.get("/projects/MTX/timesheets/")
    assert b"Tess" in page.content or b"Team Member" in page.content
    from projectoffice.timesheets.models import Timesheet

    sheet = Timesheet.objects.get()
    assert sheet.status == "submitted"
    pm.post(f"/projects/MTX/timesheets/{sheet.pk}/decide/",
            {"version": sheet.version, "decision": "approve"})
    assert sum(c.hours for c in ActualCost.objects.all()) == 15.5
    assert PlanTask.objects.get(plan__project=office.project, uid=1).percent_complete == 38.8
    finance = pm.get("/projects/MTX/finance/")
    assert finance.status_code == 200
    assert b"<svg class=\"scurve\"" in finance.content and b"data-series=\"ac\"" in finance.content
    assert pm.get("/projects/MTX/resources/").status_code == 200


def test_bad_hours_show_an_error_and_write_nothing(office: Any) -> None:
    world = cost_loaded(office)
    member = login(world["member"])
    response = member.post("/projects/MTX/timesheets/save/",
                           {"week": "2026-01-05", "h-0-0": "-2"}, follow=True)
    assert response.status_code == 422 and b"hours cannot be negative" in response.content
    assert b"value=\"-2\"" in response.content
    assert not ActualCost.objects.exists()


def test_stakeholder_sees_neither_finance_nor_the_timesheet(office: Any) -> None:
    client = login(office.members["stakeholder"])
    assert client.get("/projects/MTX/finance/").status_code == 403  # costs need cost.view
    assert login(office.members["project_accountant"]).get(
        "/projects/MTX/finance/").status_code == 200
    assert client.get("/projects/MTX/timesheets/").status_code == 403


def test_manager_corrects_locked_time_by_adjustment(office: Any) -> None:
    world = cost_loaded(office)
    from projectoffice.timesheets import actions as ts

    sheet = ts.save_timesheet(actor=world["member"], project=office.project,
                              week_start=world["design"].project.start_date, version=None,
                              lines=[{"assignment_id": world["design"].pk,
                                      "hours": ["8", "0", "0", "0", "0", "0", "0"]}])
    sheet = ts.submit_timesheet(actor=world["member"], project=office.project,
                                week_start=sheet.week_start, version=sheet.version)
    ts.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                        version=sheet.version, approve=True)
    pm = login(office.pm)
    assert b"Approved (locked) weeks" in pm.get("/projects/MTX/timesheets/").content
    response = pm.post(f"/projects/MTX/timesheets/{sheet.pk}/adjust/",
                       {"assignment": world["design"].pk, "date": "2026-01-05", "hours": "-10",
                        "reason": "Typo"}, follow=True)
    assert b"would leave -2" in response.content
    pm.post(f"/projects/MTX/timesheets/{sheet.pk}/adjust/",
            {"assignment": world["design"].pk, "date": "2026-01-05", "hours": "-2",
             "reason": "Typo"})
    assert sum(c.hours for c in ActualCost.objects.all()) == 6
    assert PlanTask.objects.get(plan__project=office.project, uid=1).percent_complete == 15.0
