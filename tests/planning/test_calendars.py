"""Named calendars: created and edited on the calendar page, given to a task from the plan
grid's Calendar column; the schedule follows the task's calendar."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from projectoffice.planning.models import Plan, PlanCalendar
from tests.conftest import PASSWORD

from .helpers import SIMPLE, build, task


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


WEEKEND = {"day0": "", "day1": "", "day2": "", "day3": "", "day4": "",
           "day5": "08:00-12:00, 13:00-17:00", "day6": "08:00-12:00, 13:00-17:00"}


def test_create_a_calendar_and_give_it_to_a_task_from_the_grid(office) -> None:
    build(office.pm, office.project, SIMPLE)
    planner = client_for(office.members["planner"])
    page = planner.get("/projects/MTX/plan/calendar/").content.decode()
    assert "project calendar" in page and "New calendar" in page
    plan = Plan.objects.get()
    new = planner.get("/projects/MTX/plan/calendar/?uid=new").content.decode()
    assert 'value="new"' in new and "Create calendar" in new
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "new", "version": plan.version, "name": "Weekend crew", **WEEKEND,
        "exceptions": "2026-01-17, 2026-01-18, Crew away"})
    assert r.status_code == 302 and r["Location"].endswith("?uid=2")
    crew = PlanCalendar.objects.get(plan=plan, uid=2)
    assert crew.name == "Weekend crew" and crew.week[0] == [] and crew.week[5] == [
        [480, 720], [780, 1020]]
    assert crew.exceptions[0]["name"] == "Crew away"
    # The project calendar is unchanged; the grid offers the new calendar on every task.
    assert PlanCalendar.objects.get(plan=plan, uid=1).week[0] == [[480, 720], [780, 1020]]
    grid = planner.get("/projects/MTX/plan/").content.decode()
    assert grid.count('<option value="2">Weekend crew</option>') == 4
    docs_before = task(office.project, 3).start
    assert docs_before.weekday() < 5
    plan = Plan.objects.get()
    r = planner.post("/projects/MTX/plan/cell/", {"uid": 3, "field": "calendar_uid",
                                                  "value": "2", "version": plan.version})
    assert r.status_code == 200
    assert '<option value="2" selected>Weekend crew</option>' in r.content.decode()
    docs = task(office.project, 3)
    assert docs.calendar_uid == 2
    # Three days of work on Saturdays and Sundays only, skipping the crew's weekend away.
    # Design finishes on Friday 9 January: Saturday 10, Sunday 11, then (17-18 away)
    # Saturday 24.
    assert docs.start == dt.datetime(2026, 1, 10, 8, 0)
    assert docs.finish == dt.datetime(2026, 1, 24, 17, 0)
    # Editing the calendar reschedules the task.
    plan = Plan.objects.get()
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "2", "version": plan.version, "name": "Weekend crew", **WEEKEND,
        "exceptions": ""})
    assert r.status_code == 302
    assert task(office.project, 3).finish == dt.datetime(2026, 1, 17, 17, 0)
    listing = planner.get("/projects/MTX/plan/calendar/?uid=2").content.decode()
    assert "Weekend crew" in listing and "editing" in listing
    # Back to the project calendar.
    plan = Plan.objects.get()
    planner.post("/projects/MTX/plan/cell/", {"uid": 3, "field": "calendar_uid", "value": "",
                                              "version": plan.version})
    assert task(office.project, 3).calendar_uid is None
    assert task(office.project, 3).start == docs_before


def test_calendar_errors_and_permissions(office) -> None:
    build(office.pm, office.project, SIMPLE)
    planner = client_for(office.members["planner"])
    plan = Plan.objects.get()
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": "new", "version": plan.version, "name": "", **WEEKEND, "day6": "late"})
    page = r.content.decode()
    assert r.status_code == 200 and "write periods like" in page
    assert PlanCalendar.objects.filter(plan=plan).count() == 1
    r = planner.post("/projects/MTX/plan/cell/", {"uid": 3, "field": "calendar_uid",
                                                  "value": "9", "version": plan.version})
    assert r.status_code == 422 and "no calendar" in r.content.decode()
    stakeholder = client_for(office.members["stakeholder"])
    view = stakeholder.get("/projects/MTX/plan/calendar/").content.decode()
    assert "New calendar" not in view and "Save calendar" not in view
    assert stakeholder.post("/projects/MTX/plan/calendar/", {
        "uid": "new", "version": plan.version, "name": "X", **WEEKEND}).status_code == 403
    assert 'name="calendar_uid"' not in stakeholder.get("/projects/MTX/plan/").content.decode()


def test_a_calendar_is_removed_only_when_nothing_uses_it(office, api_as) -> None:
    from projectoffice.audit.models import AuditEntry
    from projectoffice.planning import actions

    build(office.pm, office.project, SIMPLE)
    planner = client_for(office.members["planner"])
    plan = Plan.objects.get()
    planner.post("/projects/MTX/plan/calendar/", {
        "uid": "new", "version": plan.version, "name": "Weekends", **WEEKEND})
    weekends = PlanCalendar.objects.get(plan=plan, name="Weekends")
    plan = Plan.objects.get()
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"uid": 3, "calendar_uid": weekends.uid}])
    plan = Plan.objects.get()
    page = planner.get(f"/projects/MTX/plan/calendar/?uid={weekends.uid}").content.decode()
    assert "Remove “Weekends”" in page
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": weekends.uid, "version": plan.version, "remove": "1"}, follow=True)
    assert "1 task use “Weekends”" in r.content.decode()
    assert PlanCalendar.objects.filter(pk=weekends.pk).exists()

    api = api_as(office.members["planner"])
    project_calendar = api.delete(f"/projects/MTX/plan/calendars/{plan.calendar_uid}")
    assert project_calendar.status_code == 422
    assert "project calendar" in project_calendar.json()["errors"]["uid"][0]
    stale = api.delete(f"/projects/MTX/plan/calendars/{weekends.uid}?version=1")
    assert stale.status_code == 409

    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"uid": 3, "calendar_uid": None}])
    assert api_as(office.members["stakeholder"]).delete(
        f"/projects/MTX/plan/calendars/{weekends.uid}").status_code == 403
    r = planner.post("/projects/MTX/plan/calendar/", {
        "uid": weekends.uid, "version": plan.version, "remove": "1"}, follow=True)
    assert "Calendar “Weekends” removed." in r.content.decode()
    assert not PlanCalendar.objects.filter(pk=weekends.pk).exists()
    assert AuditEntry.objects.filter(verb="calendar removed").count() == 1
