"""Office accounts in a real browser: the Project Office manager invites a new business
analyst, who chooses a password from the e-mailed link and signs in; the manager then
switches the account off and the person can no longer sign in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from projectoffice.accounts.models import User
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHOSEN = "sunlit-harbour-lanterns"


def password_step(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_invite_set_password_sign_in_and_switch_off(page, live_server):
    Office()
    mail.outbox.clear()
    sign_in(page, live_server, "pmo_manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    page.get_by_text("Invite someone").click()
    page.get_by_label("User name").fill("yara")
    page.get_by_label("E-mail").fill("not-an-address")
    page.get_by_label("Full name").fill("Yara Haddad")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("E-mail: enter a valid e-mail address")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Yara Haddad")
    page.get_by_label("E-mail").fill("yara@example.org")
    page.get_by_label("Job title").fill("Business analyst")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").first).to_contain_text("Yara Haddad is invited")
    page.get_by_label("Status").select_option("invited")
    expect(page.get_by_role("row", name=re.compile("Yara Haddad"))).to_contain_text("Invited")

    [message] = mail.outbox
    link = re.search(r"(/login/password/\S+/)", message.body).group(1)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Yara Haddad")
    page.get_by_label("New password").fill(CHOSEN)
    page.get_by_label("The same password again").fill(CHOSEN)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")
    password_step(page, live_server, "yara", CHOSEN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")

    page.context.clear_cookies()
    sign_in(page, live_server, "pmo_manager")
    page.goto(f"{live_server.url}/people/accounts/?q=yara")
    row = page.get_by_role("row", name=re.compile("Yara Haddad"))
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name="Switch off").click()
    expect(page.get_by_role("status").first).to_contain_text("switched off")
    assert not User.objects.get(username="yara").is_active
    page.context.clear_cookies()
    password_step(page, live_server, "yara", CHOSEN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
