"""Levelling in a real browser: the resources page shows the over-allocation, the plan's
Level resources button previews the delays, Apply removes the red weeks, Clear restores."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in
from tests.resources.test_levelling import over_allocated

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_preview_apply_and_clear_levelling(page, live_server):
    office = Office()
    over_allocated(office)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/resources/")
    expect(page.locator("#usage .badge.red")).to_have_text("2 over-allocated")
    expect(page.locator('svg.histogram rect[fill="#d64545"]')).to_have_count(2)
    shot(page, "resource-usage")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    page.get_by_role("link", name="Level resources").click()
    table = page.get_by_role("table", name="Levelling delays")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Thu 8 Jan 2026 08:00")
    expect(table.locator("tbody tr").first).to_contain_text("other tasks of this plan")
    shot(page, "levelling-preview")
    # Levelling the plan alone re-runs the preview; the choice is kept for Apply.
    page.get_by_label("Take other projects' work into account").uncheck()
    expect(page).to_have_url(f"{live_server.url}/projects/MTX/plan/levelling/?others=0")
    expect(page.locator("#levelling-options")).to_contain_text("levelled alone")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Apply levelling").click()
    expect(page.locator(".alert.success").first).to_contain_text("Plan levelled")
    expect(page.get_by_role("button", name="Clear levelling")).to_be_enabled()
    page.goto(f"{live_server.url}/projects/MTX/resources/")
    expect(page.locator("#usage .badge.green")).to_have_text("no over-allocation")
    expect(page.locator('svg.histogram rect[fill="#d64545"]')).to_have_count(0)
    shot(page, "resource-usage-levelled")
    page.goto(f"{live_server.url}/projects/MTX/plan/levelling/")
    page.get_by_role("button", name="Clear levelling").click()
    expect(page.locator(".alert.success").first).to_contain_text("cleared")
    page.goto(f"{live_server.url}/projects/MTX/resources/")
    expect(page.locator("#usage .badge.red")).to_have_text("2 over-allocated")
