"""The directory in a real browser: a team member asks for training from their profile page
and finds it pending on "Who is where"; a colleague sees their sickness only as Absent; the
line manager refuses a request without a reason (told at the field) and approves another,
in place."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from projectoffice.people import actions
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_record_an_absence_and_see_it_on_the_week_grid(page, live_server):
    office = Office()
    tess = office.members["team_member"]
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    sick = monday if today != monday else monday + dt.timedelta(days=1)
    actions.record_absence(actor=tess, person=tess, kind="sickness", start=sick, end=sick,
                           note="Dentist")
    sign_in(page, live_server, "team_member")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.get_by_role("link", name="My profile and absences").click()
    page.get_by_label("Kind").select_option("training")
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_label("Note").fill("Cloud course")
    page.get_by_role("button", name="Request or record").click()
    expect(page.get_by_role("status")).to_contain_text("Absence requested")
    expect(page.get_by_role("table", name="Upcoming absences")).to_contain_text(
        "Awaiting approval")
    expect(page.get_by_role("table", name="Upcoming absences")).to_contain_text("Cloud course")

    page.get_by_role("link", name="Who is where").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is where this week")
    page.goto(f"{live_server.url}/people/whereabouts/?weekend=1")
    row = page.get_by_role("row").filter(has_text="Team Member")
    expect(row).to_contain_text("Training")
    expect(row).to_contain_text("Cloud course")
    expect(row).to_contain_text("Sickness")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "planner")
    page.goto(f"{live_server.url}/people/whereabouts/?project=MTX&weekend=1")
    row = page.get_by_role("row").filter(has_text="Team Member")
    expect(row).to_contain_text("Absent")
    expect(row).not_to_contain_text("Dentist")
    expect(row).to_contain_text("Cloud course")


def test_the_line_manager_decides_requests_in_place(page, live_server):
    office = Office()
    tess, planner = office.members["team_member"], office.members["planner"]
    for person in (tess, office.members["architect"]):
        actions.update_profile(actor=office.pmo, person=person, version=1,
                               changes={"line_manager": planner})
    start = dt.date.today() + dt.timedelta(days=30)
    actions.record_absence(actor=tess, person=tess, kind="leave", start=start, end=start,
                           note="Wedding")
    other = office.members["architect"]
    actions.record_absence(actor=other, person=other, kind="leave", start=start, end=start)
    sign_in(page, live_server, "planner")
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Absence requests").click()
    requests = page.get_by_role("region", name="Absences awaiting my decision")
    first = requests.get_by_role("listitem").filter(has_text="Wedding")
    first.get_by_role("button", name="Refuse").click()
    expect(first.get_by_role("alert")).to_contain_text("say why the absence is refused")
    first = requests.get_by_role("listitem").filter(has_text="Wedding")
    first.get_by_role("button", name="Approve").click()
    expect(first.get_by_role("status")).to_contain_text("Approved")
    second = requests.get_by_role("listitem").filter(has_text="Architect")
    second.get_by_label("Reason (to refuse)").fill("Release week")
    second.get_by_role("button", name="Refuse").click()
    expect(second.get_by_role("status")).to_contain_text("Refused — Release week")
