"""From a change impact to a trained group, in a real browser: the impact proposes a
training need, a session of a course is booked in a room, the group is enrolled, its
attendance recorded, and the group's coverage rises. Then the future org chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projectoffice.engagement.registers import STAKEHOLDERS
from projectoffice.facilities import actions as facilities
from projectoffice.orgdesign.registers import POSITIONS
from projectoffice.registers import actions as register_actions
from projectoffice.training.models import TrainingSession
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_impact_to_need_to_session_to_coverage(page, live_server):
    office = Office()
    register_actions.create_item(actor=office.pm, spec=STAKEHOLDERS, project=office.project,
                                 data={"title": "Store managers", "kind": "group",
                                       "headcount": 10, "email": "stores@example.org"})
    facilities.add_resource(actor=office.staff, name="Training suite", capacity=8)
    later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    sign_in(page, live_server, "change_manager")
    page.goto(f"{live_server.url}/projects/MTX/change-impacts/new/")
    page.get_by_label("Title").fill("Visits planned in the CRM")
    page.get_by_label("Stakeholder group").select_option(label="STK-0001 Store managers")
    page.get_by_label("Changes on").fill(later)
    page.get_by_role("button", name="Create change impact").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visits planned")

    page.context.clear_cookies()
    sign_in(page, live_server, "training_manager")
    page.goto(f"{live_server.url}/projects/MTX/services/training/")
    page.get_by_role("link", name="Training coverage and sessions").click()
    need_row = page.locator('tr[data-need="TNE-0001"]')
    expect(need_row).to_contain_text("Visits planned in the CRM")
    expect(need_row).to_contain_text("10 not yet trained")
    expect(page.locator('[data-figure="coverage"]')).to_have_text("0 %")

    page.goto(f"{live_server.url}/projects/MTX/courses/new/")
    page.get_by_label("Title").fill("Visit planning")
    page.get_by_label("Training need").select_option(label="TNE-0001 Visits planned in the CRM")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visit planning")
    page.get_by_role("link", name="Schedule a session…").click()

    # Tomorrow morning, whatever the time the test runs; the session is moved to have begun
    # (time passing) before its attendance is recorded.
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) \
        + dt.timedelta(days=1)
    end = start + dt.timedelta(hours=2)
    page.get_by_label("Date *").fill(start.date().isoformat())
    page.get_by_label("From *").fill(start.strftime("%H:%M"))
    page.get_by_label("Until *").fill(end.strftime("%H:%M"))
    page.get_by_label("Room").select_option(label="Training suite (8 seats)")
    page.get_by_label("Places *").fill("12")
    page.get_by_role("button", name="Schedule and book the room").click()
    expect(page.locator(".field.has-error")).to_contain_text("Training suite seats 8")
    page.get_by_label("Places *").fill("8")
    page.get_by_role("button", name="Schedule and book the room").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit planning")
    expect(page.locator(".page-head .subtitle")).to_contain_text("Training suite")

    page.get_by_label("Stakeholder group").select_option(label="Store managers (10 people)")
    page.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.locator(".alert.success")).to_contain_text("8 places, 2 on the waiting list")
    expect(page.locator('[data-figure="taken"]')).to_have_text("8 / 8")
    expect(page.locator('[data-figure="waiting"]')).to_have_text("2")

    begun = timezone.now() - dt.timedelta(minutes=30)
    TrainingSession.objects.update(starts_at=begun, ends_at=begun + dt.timedelta(hours=2))
    page.reload()
    page.get_by_label("Attended of 8: Store managers").fill("7")
    page.get_by_label("Result: Store managers").select_option("passed")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".alert.success")).to_contain_text("Attendance recorded")
    expect(page.locator('[data-figure="attended"]')).to_have_text("7")

    page.goto(f"{live_server.url}/projects/MTX/training/")
    expect(page.locator('[data-figure="coverage"]')).to_have_text("70 %")
    expect(need_row).to_contain_text("3 not yet trained")
    # The room is booked in the office's bookings.
    page.goto(f"{live_server.url}/facilities/bookings/?day={start.date().isoformat()}")
    expect(page.get_by_text("Training: Visit planning").first).to_be_visible()


def test_org_charts_show_what_changes(page, live_server):
    office = Office()
    designer = office.members["org_designer"]
    boss = register_actions.create_item(actor=designer, spec=POSITIONS, project=office.project,
                                        data={"title": "Service manager", "design": "current",
                                              "holder": "Ana"})
    register_actions.create_item(actor=designer, spec=POSITIONS, project=office.project,
                                 data={"title": "Filing clerk", "design": "current",
                                       "holder": "Bo", "reports_to": boss})
    sign_in(page, live_server, "org_designer")
    page.goto(f"{live_server.url}/projects/MTX/positions/new/")
    page.get_by_label("Title").fill("CRM agent")
    page.get_by_label("Organisation").select_option("future")
    page.get_by_role("button", name="Create position").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CRM agent")
    page.goto(f"{live_server.url}/projects/MTX/services/orgdesign/")
    page.get_by_role("link", name="Org charts").click()
    expect(page.locator("#future svg g.orgchart-role")).to_have_count(1)
    expect(page.locator("#current svg g.orgchart-role")).to_have_count(2)
    expect(page.locator("#unplaced")).to_contain_text("Ana")
    expect(page.locator("#differences")).to_contain_text("Filing clerk")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/projects/MTX/organisation/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page scrolls sideways at 390 px ({width})"
