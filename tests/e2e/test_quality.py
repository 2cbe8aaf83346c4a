"""Quality management in a real browser: the quality manager writes the plan's criteria,
reviews a deliverable against the checklist drawn from them, passes it, and the project's
quality page and the office's show the first-time pass; a baselined item then takes a new
version only through an approved change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projectoffice.assurance.registers import DELIVERABLES
from projectoffice.registers import actions as kernel
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_checklist_review_and_first_time_pass(page, live_server):
    office = Office()
    kernel.create_item(actor=office.pm, spec=DELIVERABLES, project=office.project,
                       data={"title": "Portal web application", "product_type": "software",
                             "acceptance_criteria": "Signs customers in"})
    sign_in(page, live_server, "quality_manager")
    base = f"{live_server.url}/projects/MTX"

    page.goto(f"{base}/services/assurance/")
    page.locator("#content").get_by_role("link", name="Quality", exact=True).click()
    page.get_by_role("link", name="Write the plan").click()
    page.get_by_label("Standards applied").fill("ISO 9001:2015")
    page.get_by_label("Criteria per deliverable type").fill(
        "software: Code reviewed by a second developer\ndocument: Spelling checked")
    page.get_by_role("button", name="Save quality plan").click()
    expect(page.locator(".quality-criteria")).to_have_count(2)

    page.goto(f"{base}/quality-reviews/new/")
    page.get_by_label("Title *").fill("Release review")
    page.get_by_label("Deliverable or document *").fill("DLV-0099")
    page.get_by_role("button", name="Create quality review").click()
    expect(page.locator(".field.has-error")).to_contain_text("no deliverable or document")
    page.get_by_label("Deliverable or document *").fill("dlv-0001")
    page.get_by_role("button", name="Create quality review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("QRV-0001")
    page.get_by_role("button", name="Start review").click()
    checklist = page.locator("#checklist tbody tr")
    expect(checklist).to_have_count(2)
    expect(checklist.first).to_contain_text("Code reviewed by a second developer")
    expect(checklist.nth(1)).to_contain_text("Signs customers in")

    page.get_by_role("button", name="Pass", exact=True).click()
    expect(page.locator(".alert.error")).to_contain_text("check criterion 1")
    page.get_by_label("Result of criterion 1").select_option("met")
    page.get_by_label("Result of criterion 2").select_option("met")
    page.get_by_label("Finding on criterion 2").fill("Tried with three accounts")
    page.get_by_role("button", name="Save checklist").click()
    page.get_by_role("button", name="Pass", exact=True).click()
    expect(page.locator(".workflow .current")).to_have_text("Passed")
    expect(page.locator("#checklist")).to_contain_text("Tried with three accounts")

    page.goto(f"{base}/quality/")
    expect(page.locator("#quality-measures [data-figure=first-time-pass]")).to_have_text("100 %")
    page.goto(f"{live_server.url}/quality/")
    expect(page.locator("tr[data-project=MTX] [data-figure=first-time-pass]")).to_have_text(
        "100 %")
