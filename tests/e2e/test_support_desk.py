"""A team member raises a ticket, the support team replies within the service level and
resolves it, and the requester closes it with a rating — in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_raise_reply_resolve_and_rate_a_ticket(page, live_server):
    Office()
    sign_in(page, live_server, "team_member")
    page.get_by_role("link", name="Support desk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support desk")
    page.get_by_role("link", name="Raise a ticket").click()
    page.get_by_label("Project *").select_option("MTX")
    page.get_by_label("Category").select_option(label="Access and accounts")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Summary *").fill("Locked out of the test tool")
    page.get_by_label("What happened").fill("Three wrong passwords this morning.")
    page.get_by_role("button", name="Raise ticket").click()
    expect(page.locator(".alert.success")).to_contain_text("TKT-0001 raised")
    expect(page.locator("[data-clock=response]")).to_have_text("On track")
    expect(page.locator("#internal-notes")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, live_server, "support")
    page.get_by_role("link", name="Support desk").click()
    page.get_by_role("link", name="TKT-0001 Locked out of the test tool").click()
    page.get_by_label("Add an internal note").fill("Account locked by the password policy.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#internal-notes")).to_contain_text("password policy")
    page.get_by_label("Add a comment").fill("Unlocked it: please try again.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#comments")).to_contain_text("Unlocked it")
    page.reload()
    expect(page.locator("[data-clock=response]")).to_have_text("Met")
    page.get_by_text("Resolve…").click()
    page.locator("#why-resolve").fill("Account unlocked.")
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.locator(".workflow .current")).to_have_text("Resolved")

    page.context.clear_cookies()
    sign_in(page, live_server, "team_member")
    page.goto(f"{live_server.url}/support/")
    expect(page.get_by_role("row", name="TKT-0001")).to_contain_text("Resolved")
    page.get_by_role("link", name="TKT-0001 Locked out of the test tool").click()
    expect(page.locator("#comments")).to_contain_text("Unlocked it")
    expect(page.get_by_text("password policy")).to_have_count(0)
    page.get_by_label("4").check()
    page.get_by_label("Comment", exact=True).fill("Quick, thanks")
    page.get_by_role("button", name="Close the ticket").click()
    expect(page.locator(".alert.success")).to_contain_text("TKT-0001 is closed")
    expect(page.locator(".workflow .current")).to_have_text("Closed")
    expect(page.locator("[data-figure=satisfaction]")).to_have_text("4 / 5")
