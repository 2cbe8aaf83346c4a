"""A planner uploads a plan file in a real browser: the import waits for the worker on a status
page that refreshes itself, then the plan shows; a file with problems shows them there and
changes nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projectoffice.background.models import Run
from projectoffice.jobs.worker import run_worker
from projectoffice.planning.models import PlanTask
from tests.conftest import Office
from tests.formats.mspdi_samples import document

from .test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_waits_on_the_status_page_then_shows_the_plan(page, live_server, tmp_path):
    path = tmp_path / "plan.xml"
    path.write_bytes(document())
    Office()
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/import/")
    page.get_by_label("Plan file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    # No worker yet: the status page says the import waits, and nothing has changed.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import the plan of MTX from plan.xml")
    expect(page.locator("#run-status")).to_have_attribute("data-state", "queued")
    expect(page.locator("#run-status")).to_contain_text("refreshes itself")
    assert not PlanTask.objects.exists()

    run_worker(batch=True, schedule=False)

    # The page refreshes itself and goes on to the plan.
    expect(page.get_by_role("status")).to_contain_text("plan.xml imported into the plan of MTX",
                                                       timeout=20_000)
    expect(page).to_have_url(f"{live_server.url}/projects/MTX/plan/")
    expect(page.locator("tr.plan-row")).to_have_count(PlanTask.objects.count())
    assert Run.objects.get().state == "done"


def test_a_file_with_problems_shows_them_on_the_status_page(page, live_server, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<Project><Tasks><Task><UID>1</UID><Name>A</Name>"
                     b"<Duration>soon</Duration></Task></Tasks></Project>")
    Office()
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/import/")
    page.get_by_label("Plan file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#run-status")).to_have_attribute("data-state", "queued")

    run_worker(batch=True, schedule=False)

    status = page.locator("#run-status")
    expect(status).to_have_attribute("data-state", "failed", timeout=20_000)
    expect(status).to_contain_text("Nothing was changed.")
    expect(page.locator("#run-problems")).to_contain_text("Task UID 1: Duration")
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a plan file")
    assert not PlanTask.objects.exists()
