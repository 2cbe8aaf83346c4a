"""Two-factor sign-in: enrol with a code from the authenticator, then the password alone no
longer signs in; codes are single-use, recovery codes work once, and the Project Office
manager can require it of everyone."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from django.core.cache import cache
from django.test import Client

from projectoffice.accounts.models import TwoFactor
from projectoffice.accounts.twofactor import set_two_factor_policy
from projectoffice.errors import Forbidden
from tests.conftest import PASSWORD, Office


@pytest.fixture(autouse=True)
def clean_cache(db: Any) -> Any:
    cache.clear()
    yield
    cache.clear()


def enrol(client: Client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page
    secret = re.search(r'id="tf-secret">([A-Z2-7]+)<', page).group(1)  # type: ignore[union-attr]
    done = client.post("/account/two-factor/", {"form": "confirm",
                                                "code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.content.decode())
    return secret, codes


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_enrolled_people_need_a_code_after_the_password(office: Office) -> None:
    client = Client()
    client.force_login(office.pm)
    # A code sent before the set-up page gave a key: a clear message, not an error page.
    early = client.post("/account/two-factor/", {"form": "confirm", "code": "000000"})
    assert early.status_code == 200 and b"set-up has expired" in early.content
    client.get("/account/two-factor/")
    wrong = client.post("/account/two-factor/", {"form": "confirm", "code": "000000"})
    assert b"does not match" in wrong.content and not TwoFactor.objects.exists()
    secret, codes = enrol(client)
    assert len(codes) == 10 and TwoFactor.objects.filter(user=office.pm).exists()

    fresh = Client()
    after_password = fresh.post("/login/", {"username": "project_manager",
                                            "password": PASSWORD})
    assert after_password["Location"] == "/login/code/" and not signed_in(fresh)
    assert not signed_in(fresh) and fresh.get("/").status_code == 302
    bad = fresh.post("/login/code/", {"code": "123456"})
    assert b"does not match" in bad.content and not signed_in(fresh)
    TwoFactor.objects.filter(user=office.pm).update(last_step=0)
    code = pyotp.TOTP(secret).now()
    assert fresh.post("/login/code/", {"code": code})["Location"] == "/"
    assert signed_in(fresh)

    again = Client()  # the same code cannot be used twice
    again.post("/login/", {"username": "project_manager", "password": PASSWORD})
    again.post("/login/code/", {"code": code})
    assert not signed_in(again)
    again.post("/login/code/", {"code": codes[0]})
    assert signed_in(again), "a recovery code signs in"
    once = Client()
    once.post("/login/", {"username": "project_manager", "password": PASSWORD})
    once.post("/login/code/", {"code": codes[0]})
    assert not signed_in(once), "a recovery code works once"


def test_the_pmo_manager_can_require_it_of_everyone(office: Office) -> None:
    with pytest.raises(Forbidden):
        set_two_factor_policy(actor=office.staff, require=True)
    pmo = Client()
    pmo.force_login(office.pmo)
    pmo.post("/account/two-factor/", {"form": "policy", "require": "1"})
    member = Client()
    member.post("/login/", {"username": "team_member", "password": PASSWORD})
    assert member.get("/projects/MTX/")["Location"] == "/account/two-factor/"
    assert member.get("/api/v1/projects").status_code == 403
    enrol(member)
    assert member.get("/projects/MTX/").status_code == 200
