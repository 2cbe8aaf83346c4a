"""Single sign-on in a real browser against a real OpenID Connect provider started by the
test (django-oauth-toolkit in its own process, RS256-signed ID tokens, PKCE): the sign-in page
offers the provider, a first sign-in creates the account with the role its groups map to,
the office's two-factor rule for local accounts does not stand in the way, and a replayed
answer from the provider is refused."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from projectoffice.accounts.models import User
from projectoffice.accounts.twofactor import set_two_factor_policy
from projectoffice.audit.models import AuditEntry
from tests.conftest import Office
from tests.e2e.oidc_provider.__main__ import CLIENT_ID, PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "office-client-secret-for-tests"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def provider(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.oidc_provider", str(port),
         f"{live_server.url}/login/sso/callback/", SECRET],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "OIDC_PROVIDER_DATA": str(tmp_path)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration",
                                            timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the test provider did not start:\n" + (
                    process.stdout.read() if process.stdout and process.poll() is not None
                    else "timed out"))
            time.sleep(0.3)
        settings.PMO_OIDC_ISSUER = issuer
        settings.PMO_OIDC_CLIENT_ID = CLIENT_ID
        settings.PMO_OIDC_CLIENT_SECRET = SECRET
        settings.PMO_OIDC_NAME = "Test Directory"
        settings.PMO_SSO_ROLE_GROUPS = "pmo_manager=PMO Managers;pmo_staff=PMO Staff"
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _through_the_provider(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with Test Directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test Directory")
    page.get_by_label("Directory user name").fill(username)
    page.get_by_label("Directory password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_single_sign_on_creates_the_account_with_its_role_and_is_audited(
        page, live_server, provider):
    office = Office()
    set_two_factor_policy(actor=office.pmo, require=True)  # for local accounts only
    _through_the_provider(page, live_server, "grace")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")
    grace = User.objects.get(username="grace")
    assert (grace.display_name, grace.email, grace.global_role) == (
        "Grace Hopper", "grace@directory.test", "pmo_manager")
    assert not grace.has_usable_password()
    assert AuditEntry.objects.filter(object_id=str(grace.pk), verb="signed_in",
                                     changes__method="oidc").count() == 1
    # As a PMO manager by group, she holds the office-wide sign-in rule.
    page.goto(f"{live_server.url}/account/two-factor/")
    expect(page.get_by_label("Require two-factor sign-in for everyone")).to_be_checked()

    # An answer that is not the one the office is waiting for is refused, not a 500.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/sso/callback/?code=replayed&state=forged")
    expect(page.get_by_role("alert")).to_contain_text("could not be checked")


def test_someone_in_no_mapped_group_signs_in_without_a_global_role(
        page, live_server, provider):
    Office()
    _through_the_provider(page, live_server, "linus")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")
    assert User.objects.get(username="linus").global_role == ""
    page.goto(f"{live_server.url}/account/two-factor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    expect(page.get_by_label("Require two-factor sign-in for everyone")).to_have_count(0)
