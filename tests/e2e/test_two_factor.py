"""Two-factor sign-in in a real browser: the Project Office manager requires it, a team
member who signs in is sent to set it up (QR code shown), turns it on with a code from the
authenticator, keeps the recovery codes, and next time signs in with password and code."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from projectoffice.accounts.models import TwoFactor
from projectoffice.accounts.twofactor import set_two_factor_policy
from tests.conftest import PASSWORD, Office

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def password_step(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_required_two_factor_is_set_up_and_then_asked_for(page, live_server):
    office = Office()
    set_two_factor_policy(actor=office.pmo, require=True)
    password_step(page, live_server, "team_member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    expect(page.get_by_role("status")).to_contain_text("requires two-factor sign-in")
    expect(page.get_by_role("img", name="QR code to add Project Office to an authenticator "
                                       "app").locator("svg")).to_be_visible()
    page.goto(f"{live_server.url}/projects/MTX/")  # nothing else until it is set up
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    secret = page.locator("#tf-secret").inner_text()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")) \
        .to_have_count(10)
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")

    page.context.clear_cookies()
    TwoFactor.objects.update(last_step=0)  # the enrolment used this time step's code
    password_step(page, live_server, "team_member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in code")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("does not match")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")
