"""Time and money in a real browser: a team member fills and submits a week, the project
manager approves it, and the S-curve's actual cost and earned value move."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in
from tests.timesheets.helpers import cost_loaded

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_fill_submit_approve_and_see_the_s_curve_move(page, browser, live_server):
    office = Office()
    cost_loaded(office)
    sign_in(page, live_server, "team_member")
    page.goto(f"{live_server.url}/projects/MTX/timesheets/?week=2026-01-05")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday"):
        page.get_by_label(f"Design {day}").fill("8")
    page.get_by_label("Training Friday").fill("30")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".alert.error")).to_contain_text("a day has at most 24 hours")
    page.get_by_label("Training Friday").fill("4")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    shot(page, "timesheet-submitted")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    manager = context.new_page()
    sign_in(manager, live_server, "project_manager")
    manager.goto(f"{live_server.url}/projects/MTX/finance/")
    expect(manager.locator('[data-figure="ac"]')).to_have_text("0.00")
    expect(manager.locator('polyline[data-series="ac"]')).to_have_count(1)
    before = manager.locator('polyline[data-series="ac"]').get_attribute("points")
    manager.goto(f"{live_server.url}/projects/MTX/timesheets/")
    row = manager.locator("tr[data-timesheet]")
    expect(row).to_contain_text("36")
    shot(manager, "timesheet-approvals")
    row.get_by_role("button", name="Approve").click()
    expect(manager.locator(".alert.success")).to_contain_text("approved")
    manager.goto(f"{live_server.url}/projects/MTX/finance/")
    # 3 days at 50.00 and Thursday 8 January at 60.00; 32 of 40 hours = 80 % of 2,000.00.
    expect(manager.locator('[data-figure="ac"]')).to_have_text("1,680.00")
    expect(manager.locator('[data-figure="ev"]')).to_have_text("1,600.00")
    after = manager.locator('polyline[data-series="ac"]').get_attribute("points")
    assert after != before
    shot(manager, "finance")
    context.close()


def test_order_and_invoice_from_the_finance_page(page, browser, live_server):
    """The accountant enters an order, an invoice above it (refused amount first), and the
    project manager approves it; then the roll-up page shows the project."""
    office = Office()
    cost_loaded(office)
    sign_in(page, live_server, "project_accountant")
    page.goto(f"{live_server.url}/projects/MTX/finance/")
    page.get_by_role("link", name="New order").first.click()
    page.get_by_label("Order number").fill("PO-42")
    page.get_by_label("Supplier").fill("Acme Tools")
    page.get_by_label("Amount").fill("1000")
    page.get_by_label("Issued").fill("2026-01-05")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert.success")).to_contain_text("saved")
    page.locator("a.btn", has_text="Record invoice").first.click()
    page.get_by_label("Purchase order").select_option("PO-42")
    page.get_by_label("Invoice number").fill("INV-7")
    page.get_by_label("Amount").fill("12.345")
    page.get_by_label("Date").fill("2026-01-09")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field.has-error")).to_have_count(1)
    page.get_by_label("Amount").fill("1200")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Awaiting approval")
    shot(page, "finance-invoice-awaiting")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    manager = context.new_page()
    sign_in(manager, live_server, "project_manager")
    manager.goto(f"{live_server.url}/projects/MTX/finance/")
    manager.get_by_role("button", name="Approve").first.click()
    expect(manager.locator(".alert.success")).to_contain_text("Saved")
    expect(manager.locator('[data-figure="actual"]')).to_have_text("1,200.00")
    manager.goto(f"{live_server.url}/earned-value/?status_date=2026-01-09")
    expect(manager.locator('tr[data-project="MTX"]')).to_be_visible()
    context.close()
