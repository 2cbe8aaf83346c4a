"""A project manager's day in a real browser: sign in, find the project, raise an issue,
move it through its workflow and see each step in the audit trail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, Office

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")


def test_raise_an_issue_and_move_it_through_its_workflow(page, live_server):
    Office()
    sign_in(page, live_server, "project_manager")

    page.get_by_role("link", name="Projects", exact=True).click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    page.get_by_label("Search").fill("Matrix")
    expect(page.locator("#project-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Matrix project").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matrix project")

    page.get_by_role("link", name="New issue").click()
    page.get_by_label("Title *").fill("Vendor API rate limits block the data load")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Due date").fill("2001-01-01")
    page.get_by_role("button", name="Create issue").click()
    # The date is before the day it was raised: the form says so at the field.
    expect(page.locator(".field.has-error")).to_contain_text("on or after")
    page.get_by_label("Due date").fill("2099-06-30")
    page.get_by_role("button", name="Create issue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ISS-0002")

    page.get_by_role("button", name="Start work").click()
    expect(page.locator(".workflow .current")).to_have_text("In progress")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".workflow .current")).to_have_text("Resolved")
    page.get_by_role("button", name="Close").click()
    expect(page.locator(".workflow .current")).to_have_text("Closed")

    page.get_by_label("Add a comment").fill("Closed after the vendor raised our quota.")
    page.get_by_role("button", name="Comment").click()
    expect(page.locator(".comment")).to_contain_text("raised our quota")

    page.get_by_role("link", name="Audit trail").first.click()
    rows = page.locator("tbody tr").filter(has_text="ISS-0002")
    for verb in ("created", "start", "resolve", "close", "commented"):
        badge = page.locator(".badge", has_text=re.compile(f"^{verb}$"))
        expect(rows.filter(has=badge)).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(re.compile(r"in_progress\s*→\s*resolved"))


def test_a_stakeholder_reads_but_cannot_raise(page, live_server):
    Office()
    sign_in(page, live_server, "stakeholder")
    page.goto(f"{live_server.url}/projects/MTX/issues/")
    expect(page.get_by_role("link", name="Supplier late")).to_be_visible()
    expect(page.get_by_role("link", name="New issue")).to_have_count(0)
    response = page.goto(f"{live_server.url}/projects/MTX/issues/new/")
    assert response.status == 403
    response = page.goto(f"{live_server.url}/projects/OTHER/")
    assert response.status == 404
