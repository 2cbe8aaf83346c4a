"""Deliverable assurance in a real browser: a requirement, a test case verifying it, a run
where a step fails and raises a defect, the fix, a re-test that passes, and the
traceability matrix showing the requirement fully covered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_requirement_to_defect_to_retest_to_full_coverage(page, live_server):
    Office()
    sign_in(page, live_server, "project_manager")
    base = f"{live_server.url}/projects/MTX"

    page.goto(f"{base}/services/assurance/")
    page.get_by_role("link", name="Requirements", exact=True).click()
    page.get_by_role("link", name="New requirement").click()
    page.get_by_label("Title *").fill("Customers reset a forgotten password")
    page.get_by_label("MoSCoW").select_option("must")
    page.get_by_role("button", name="Create requirement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RQT-0001")

    page.goto(f"{base}/test-cases/new/")
    page.get_by_label("Title *").fill("Reset link arrives")
    page.get_by_label("Requirements").fill("RQT-9999")
    page.get_by_role("button", name="Create test case").click()
    expect(page.locator(".field.has-error")).to_contain_text("no requirement RQT-9999")
    page.get_by_label("Requirements").fill("rqt-0001")
    page.get_by_role("button", name="Create test case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("TC-0001")
    page.get_by_label("Action 1").fill("Ask for a reset link")
    page.get_by_label("Expected result 1").fill("A confirmation is shown")
    page.get_by_label("Action 2").fill("Open the e-mail")
    page.get_by_label("Expected result 2").fill("It arrived within a minute")
    page.get_by_role("button", name="Save steps").click()
    expect(page.locator("#case-steps tbody tr")).to_have_count(5)  # two steps, three blanks

    page.goto(f"{base}/testing/runs/")
    page.get_by_label("Name *").fill("Build 41")
    page.get_by_role("button", name="Start run").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build 41")
    page.get_by_role("link", name="Execute TC-0001").click()
    page.get_by_label("Result of step 2").select_option("failed")
    page.get_by_label("Observed at step 2").fill("It took four minutes")
    page.get_by_role("button", name="Record result").click()
    expect(page.locator(".alert, .messages").first).to_contain_text("defect ISS-0002 raised")
    expect(page.locator("#executions [data-result]").first).to_have_attribute(
        "data-result", "failed")

    page.get_by_role("link", name="ISS-0002").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ISS-0002")
    expect(page.locator("main")).to_contain_text("It took four minutes")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".workflow .current")).to_have_text("Resolved")

    page.goto(f"{base}/testing/runs/")
    page.get_by_label("Name *").fill("Build 42")
    page.get_by_role("button", name="Start run").click()
    page.get_by_role("link", name="Execute TC-0001").click()
    expect(page.locator(".subtitle")).to_contain_text("this is a re-test")
    page.get_by_role("button", name="Record result").click()
    expect(page.locator("[data-figure=pass-rate]")).to_have_text("100 %")

    page.goto(f"{base}/traceability/")
    row = page.locator('#matrix tr[data-requirement="RQT-0001"]')
    expect(row.locator("[data-coverage]")).to_have_text("100 %")
    expect(row).to_contain_text("ISS-0002")
    expect(page.locator("[data-figure=covered]")).to_have_text("1")
    page.get_by_role("link", name="RQT-0001").click()
    expect(page.locator("#verification [data-figure=coverage]")).to_have_text("100 %")
