"""Failed sign-ins lock a (user, client address) pair, not the account: a person keeps
signing in from their usual address or after a password reset, and behind a reverse proxy
the client address comes from trusted proxies only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from projectoffice.accounts.throttle import client_address
from tests.conftest import PASSWORD, Office

ATTACKER, HOME, OFFICE_NAT = "203.0.113.9", "198.51.100.7", "192.0.2.50"


@pytest.fixture(autouse=True)
def fresh(settings: Any, db: Any) -> Any:
    cache.clear()
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    settings.PMO_TRUSTED_PROXIES = []
    yield
    cache.clear()


def sign_in(password: str, address: str, username: str = "project_manager",
            **meta: str) -> bool:
    client = Client(REMOTE_ADDR=address, **meta)
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_failures_from_one_address_do_not_lock_the_person_elsewhere(office: Office) -> None:
    for _ in range(3):
        assert not sign_in("wrong", ATTACKER)
    assert not sign_in(PASSWORD, ATTACKER), "the guessing address is locked for this account"
    assert sign_in(PASSWORD, HOME), "the person signs in from another address"
    assert sign_in(PASSWORD, ATTACKER, username="pmo_manager"), "other accounts are not locked"


def test_guessing_from_many_addresses_spares_the_usual_address(office: Office) -> None:
    assert sign_in(PASSWORD, HOME)
    for n in range(12):  # four times the per-pair limit, spread over addresses
        assert not sign_in("wrong", f"203.0.113.{n + 100}")
    assert not sign_in(PASSWORD, "203.0.113.200"), "a new address is locked for the account"
    assert sign_in(PASSWORD, HOME), "the address they used before stays open"


def test_a_password_reset_lifts_the_lock(office: Office) -> None:
    for _ in range(3):
        sign_in("wrong", HOME)
    assert not sign_in(PASSWORD, HOME)
    office.pm.set_password("a-brand-new-password-7")
    office.pm.save()
    assert sign_in("a-brand-new-password-7", HOME)


def test_forwarded_addresses_count_only_behind_trusted_proxies(office: Office,
                                                              settings: Any) -> None:
    proxy = {"HTTP_X_FORWARDED_FOR": ATTACKER}
    assert client_address({"REMOTE_ADDR": "10.0.0.2", **proxy}) == "10.0.0.2"
    settings.PMO_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address({"REMOTE_ADDR": "10.0.0.2", **proxy}) == ATTACKER
    # A client cannot choose its address by sending the header itself.
    forged = {"HTTP_X_FORWARDED_FOR": f"1.2.3.4, {ATTACKER}, 10.0.0.7"}
    assert client_address({"REMOTE_ADDR": "10.0.0.2", **forged}) == ATTACKER
    assert client_address({"REMOTE_ADDR": ATTACKER, **forged}) == ATTACKER

    # Behind the proxy, an attacker's failures lock only the attacker's address.
    for _ in range(3):
        sign_in("wrong", "10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert not sign_in(PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert sign_in(PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE_NAT)
