"""Project controls in a real browser: record a risk and find it on the heat map, escalate
an issue to the programme and find it in the PMO's RAID view."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_record_a_risk_escalate_an_issue_and_see_both_in_the_pmo_view(page, live_server):
    Office()
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/risks/new/")
    page.get_by_label("Title *").fill("Payment gateway certification may fail")
    page.get_by_label("Inherent probability").fill("7")
    page.get_by_role("button", name="Create risk").click()
    expect(page.locator(".field.has-error")).to_contain_text("between 1 and 5")
    page.get_by_label("Inherent probability").fill("4")
    page.get_by_label("Inherent impact on cost").fill("5")
    page.get_by_role("button", name="Create risk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RSK-0002")
    shot(page, "risk-detail")

    page.goto(f"{live_server.url}/projects/MTX/risks/")
    cell = page.locator('.heatmap').first.locator('.cell[data-probability="4"][data-impact="5"]')
    expect(cell).to_have_attribute("data-count", "1")
    expect(cell.locator("title")).to_contain_text("RSK-0002")
    shot(page, "risk-register")

    page.goto(f"{live_server.url}/projects/MTX/issues/ISS-0001/")
    page.get_by_label("Reason for escalating").fill("Needs funds beyond project tolerance")
    page.get_by_role("button", name="Escalate to programme").click()
    expect(page.locator(".alert.success")).to_contain_text("escalated to the programme")

    page.get_by_role("link", name="RAID across projects").click()
    expect(page.locator("#escalated")).to_contain_text("Supplier late")
    expect(page.locator("#raid-table")).to_contain_text("Escalated to programme")
    page.get_by_label("Register").select_option("risks")
    expect(page.locator("#raid-table")).to_contain_text("Payment gateway certification")
    expect(page.locator("#raid-table")).not_to_contain_text("Supplier late")
    shot(page, "raid")
