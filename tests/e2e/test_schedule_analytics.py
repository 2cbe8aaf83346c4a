"""Schedule health and risk in a real browser: the plan page links to both; estimates with
an error at the field; a run started from the page shows its progress and opens its results
(histogram, S-curve, milestones, tornado) when it is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projectoffice.jobs.worker import run_worker
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in
from tests.planning.helpers import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHAIN = [
    {"name": "Design", "duration": "5d"},
    {"name": "Build", "duration": "10d", "predecessors": "1"},
    {"name": "Docs", "duration": "3d", "predecessors": "1FS+1d"},
    {"name": "Test", "duration": "4d", "predecessors": "2"},
    {"name": "Release", "duration": "0d", "predecessors": "3, 4"},
]


def test_health_estimates_and_a_run(page, live_server):
    office = Office()
    build(office.pm, office.project, CHAIN)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    page.get_by_role("link", name="Schedule health").click()
    checks = page.get_by_role("table", name="DCMA checks")
    expect(checks.locator("tbody tr")).to_have_count(14)
    expect(checks.locator('tr[data-check="lags"]')).to_contain_text("fail")
    checks.locator('tr[data-check="lags"] summary').click()
    expect(checks.locator('tr[data-check="lags"]')).to_contain_text("Docs")

    page.get_by_role("link", name="Schedule risk").click()
    page.get_by_role("link", name="Edit estimates & risk events").click()
    page.get_by_label("Minimum for Build").fill("12")
    page.get_by_label("Most likely for Build").fill("10")
    page.get_by_label("Maximum for Build").fill("16")
    page.get_by_role("button", name="Save estimates").click()
    expect(page.locator("tr[data-uid='2']")).to_contain_text("must not be above the most likely")
    page.get_by_label("Minimum for Build").fill("8")
    page.get_by_role("button", name="Save estimates").click()
    expect(page.locator(".alert.success").first).to_contain_text("Risk model saved")

    page.get_by_role("link", name="Back to schedule risk").click()
    page.get_by_label("Iterations").fill("3000")
    page.get_by_role("button", name="Run simulation").click()
    # The run is a background job: the page follows its progress while the worker runs it,
    # then shows the results.
    expect(page.get_by_text("Run 1", exact=False).first).to_be_visible()
    run_worker(batch=True, schedule=False)
    expect(page.locator("#risk-p80")).to_be_visible(timeout=30_000)
    expect(page.locator("svg.risk-histogram")).to_be_visible()
    expect(page.locator("svg.risk-scurve")).to_be_visible()
    expect(page.locator("#risk-milestones")).to_contain_text("Release")
    expect(page.locator("svg.risk-tornado")).to_contain_text("Build")
