"""The office's paperwork in a real browser: a document is uploaded, reviewed and approved,
found by a word inside its file, and a meeting's action lands in "My actions"."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_document_review_search_and_meeting_action(page, live_server, tmp_path):
    Office()
    sign_in(page, live_server, "project_manager")

    page.goto(f"{live_server.url}/projects/MTX/documents/new/")
    page.get_by_label("Title *").fill("Cut-over plan")
    page.get_by_label("Type").select_option("PLN")
    page.get_by_role("button", name="Create document").click()
    expect(page.locator("#versions")).to_contain_text("MTX-PLN-002")

    plan = tmp_path / "cutover.txt"
    plan.write_text("Rehearse the cut-over twice; the quokka team signs off each run.")
    page.get_by_label("New version").set_input_files(str(plan))
    page.get_by_label("What changed").fill("First issue")
    page.get_by_role("button", name="Upload version").click()
    expect(page.locator(".alert.success")).to_contain_text("Version 1")

    page.locator("summary", has_text="Send for review").click()
    page.get_by_label("Reviewers").select_option(["testing_manager", "quality_manager"])
    page.get_by_role("button", name="Send for review", exact=True).click()
    expect(page.locator(".badge", has_text="In review")).to_be_visible()

    # Nobody reviews their own submission: the reviewers decide.
    page.context.clear_cookies()
    sign_in(page, live_server, "testing_manager")
    page.goto(f"{live_server.url}/projects/MTX/documents/DOC-0002/")
    page.get_by_label("Review comment").fill("Reads well.")
    page.get_by_role("button", name="Approve").click()
    # The quality manager has not decided yet: still in review.
    expect(page.locator(".badge", has_text="In review")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "quality_manager")
    page.goto(f"{live_server.url}/projects/MTX/documents/DOC-0002/")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#versions")).to_contain_text("v1 · approved")

    page.get_by_label("Find in every project").fill("quokka")
    page.get_by_label("Find in every project").press("Enter")
    results = page.locator("#search-results")
    expect(results).to_contain_text("1 result")
    expect(results.locator("mark")).to_have_text("quokka")
    results.get_by_role("link", name="Cut-over plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cut-over plan")

    page.context.clear_cookies()
    sign_in(page, live_server, "administrator")
    page.goto(f"{live_server.url}/projects/MTX/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title *").fill("Cut-over readiness")
    page.get_by_label("Room or location").fill("Room 4.02")
    start = dt.datetime.now().replace(microsecond=0, second=0) + dt.timedelta(days=2)
    page.get_by_label("Starts *").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Attendees").select_option(["project_manager", "planner"])
    page.get_by_label("Agenda item 1", exact=True).fill("Rehearsal results")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cut-over readiness")

    page.get_by_label("New action").fill("Book the rehearsal war room")
    page.get_by_label("Assigned to").select_option("project_manager")
    page.get_by_label("Due").fill((start + dt.timedelta(days=5)).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Raise action").click()
    expect(page.locator(".alert.info")).to_contain_text("added to the Actions register")

    page.context.clear_cookies()
    sign_in(page, live_server, "project_manager")
    page.get_by_role("link", name="My actions", exact=True).click()
    expect(page.locator("main")).to_contain_text("Book the rehearsal war room")
