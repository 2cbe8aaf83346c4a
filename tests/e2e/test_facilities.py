"""Booking a room on the timeline, a clash refused at the field, the store refusing an
over-issue, and an announcement reaching the home page — in a real browser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projectoffice.facilities import actions
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_booking_stock_and_announcements(page, live_server):
    office = Office()
    actions.add_resource(actor=office.staff, name="Board room", capacity=12,
                         location="Floor 4")
    paper = actions.add_stock_item(actor=office.staff, name="A4 paper", unit="box",
                                   reorder_level=Decimal(5))
    actions.record_movement(actor=office.staff, item=paper, kind="receive",
                            quantity=Decimal(8), moved_on=timezone.localdate())
    today = timezone.localdate().isoformat()

    sign_in(page, live_server, "team_member")
    page.get_by_role("link", name="Room & equipment bookings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bookings")
    page.get_by_label("Room or equipment").select_option(label="Board room (12)")
    page.get_by_label("Day").fill(today)
    page.get_by_label("From").fill("10:00")
    page.get_by_label("Until").fill("11:30")
    page.get_by_label("Purpose").fill("Sprint planning")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator(".alert.success")).to_contain_text("Board room booked")
    lane = page.locator(".lane", has_text="Board room")
    expect(lane.locator(".chip.mine")).to_contain_text("10:00–11:30Sprint planning")
    page.get_by_role("link", name="Day", exact=True).click()
    expect(page.locator(".lane", has_text="Board room").locator(".tl-bar.mine")).to_contain_text(
        "10:00–11:30 Sprint planning")

    page.context.clear_cookies()
    sign_in(page, live_server, "planner")
    page.goto(f"{live_server.url}/facilities/bookings/")
    page.get_by_label("Room or equipment").select_option(label="Board room (12)")
    page.get_by_label("Day").fill(today)
    page.get_by_label("From").fill("11:00")
    page.get_by_label("Until").fill("12:00")
    page.get_by_label("Purpose").fill("Design review")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator(".field.has-error")).to_contain_text("Board room is already booked")
    expect(page.locator(".chip")).to_have_count(1)

    page.context.clear_cookies()
    sign_in(page, live_server, "pmo_staff")
    page.get_by_role("link", name="Materials stock").click()
    page.get_by_label("Item").select_option(label="A4 paper (8 box)")
    page.get_by_label("Movement").select_option("issue")
    page.get_by_label("Quantity").fill("9")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".alert.error")).to_contain_text("only 8 box of A4 paper in stock")
    page.get_by_label("Item").select_option(label="A4 paper (8 box)")
    page.get_by_label("Movement").select_option("issue")
    page.get_by_label("Quantity").fill("3")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("tr.low")).to_contain_text("Reorder")

    page.get_by_role("link", name="Announcements").click()
    page.get_by_label("To").select_option("everyone")
    page.get_by_label("Title").fill("Lift out of service on Friday")
    page.get_by_role("button", name="Announce").click()
    expect(page.locator(".alert.success")).to_contain_text("Announced to everyone")
    page.context.clear_cookies()
    sign_in(page, live_server, "outsider")
    expect(page.locator(".announcement")).to_contain_text("Lift out of service on Friday")
