"""LDAP sign-in through the sign-in page, against ldap3's in-memory directory: the same
client code, search filters and binds as against a real server."""

from __future__ import annotations

from typing import Any

import ldap3
import pytest
from django.test import Client

from projectoffice.accounts import ldap
from projectoffice.accounts.models import User
from projectoffice.audit.models import AuditEntry
from tests.conftest import make_user

BASE = "dc=office,dc=test"
SERVICE = f"cn=office,ou=services,{BASE}"
GROUPS = "pmo_manager=PMO Managers;pmo_staff=PMO Staff,PMO Analysts"


@pytest.fixture
def directory(settings: Any, monkeypatch: Any) -> ldap3.Server:
    server = ldap3.Server("directory.test", get_info=ldap3.NONE)
    admin = ldap3.Connection(server, user=SERVICE, password="service-secret",
                             client_strategy=ldap3.MOCK_SYNC)
    admin.strategy.add_entry(SERVICE, {"objectClass": "person", "userPassword": "service-secret"})
    admin.strategy.add_entry(f"uid=ada,ou=people,{BASE}", {
        "objectClass": "inetOrgPerson", "uid": "ada", "cn": "Ada Lovelace",
        "displayName": "Ada Lovelace", "mail": "ada@office.test", "userPassword": "engine-1843",
        "memberOf": [f"cn=PMO Managers,ou=groups,{BASE}"]})
    admin.strategy.add_entry(f"uid=bob,ou=people,{BASE}", {
        "objectClass": "inetOrgPerson", "uid": "bob", "cn": "Bob Builder",
        "userPassword": "can-we-fix-it"})
    admin.strategy.add_entry(f"cn=PMO Staff,ou=groups,{BASE}", {
        "objectClass": "groupOfNames", "cn": "PMO Staff",
        "member": [f"uid=bob,ou=people,{BASE}"]})
    monkeypatch.setattr(ldap, "server", lambda: server)
    monkeypatch.setattr(ldap, "CLIENT_STRATEGY", ldap3.MOCK_SYNC)
    settings.PMO_LDAP_URL = "ldap://directory.test"
    settings.PMO_LDAP_BIND_DN = SERVICE
    settings.PMO_LDAP_BIND_PASSWORD = "service-secret"
    settings.PMO_LDAP_USER_BASE = f"ou=people,{BASE}"
    settings.PMO_LDAP_GROUP_BASE = f"ou=groups,{BASE}"
    settings.PMO_LDAP_GROUP_FILTER = "(member={dn})"
    settings.PMO_SSO_ROLE_GROUPS = GROUPS
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "projectoffice.accounts.oidc.OidcBackend",
                                        "projectoffice.accounts.ldap.LdapBackend"]
    return server


def _sign_in(username: str, password: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


@pytest.mark.django_db
def test_first_ldap_sign_in_creates_the_account_with_the_role_of_its_group(directory):
    client, response = _sign_in("ada", "engine-1843")
    assert response.status_code == 302 and response.url == "/"
    ada = User.objects.get(username="ada")
    assert (ada.display_name, ada.email, ada.global_role) == (
        "Ada Lovelace", "ada@office.test", "pmo_manager")
    assert not ada.has_usable_password()  # the directory keeps the password, not the office
    assert client.get("/").status_code == 200
    verbs = list(AuditEntry.objects.filter(object_id=str(ada.pk)).order_by("pk")
                 .values_list("verb", "changes__method"))
    assert verbs == [("created", None), ("signed_in", "ldap")]


@pytest.mark.django_db
def test_groups_found_by_a_group_search_give_their_role_too(directory):
    _sign_in("bob", "can-we-fix-it")
    assert User.objects.get(username="bob").global_role == "pmo_staff"


@pytest.mark.django_db
def test_a_wrong_password_or_unknown_person_is_refused_and_creates_nobody(directory):
    for username, password in (("ada", "wrong-password"), ("nobody", "engine-1843"),
                               ("ada", ""), ("*", "engine-1843"), ("ada)(uid=*", "x")):
        _, response = _sign_in(username, password)
        assert response.status_code == 200, username
        assert b"correct" in response.content or b"required" in response.content.lower()
    assert not User.objects.filter(username__in=["ada", "nobody", "*"]).exists()


@pytest.mark.django_db
def test_leaving_the_group_takes_the_role_away_at_the_next_sign_in(directory, settings):
    _sign_in("ada", "engine-1843")
    conn = ldap3.Connection(directory, user=SERVICE, password="service-secret",
                            client_strategy=ldap3.MOCK_SYNC)
    conn.bind()
    conn.modify(f"uid=ada,ou=people,{BASE}", {"memberOf": [(ldap3.MODIFY_DELETE, [])]})
    _sign_in("ada", "engine-1843")
    assert User.objects.get(username="ada").global_role == ""
    assert AuditEntry.objects.filter(verb="updated_from_directory",
                                     changes__global_role=["pmo_manager", ""]).exists()


@pytest.mark.django_db
def test_an_account_switched_off_in_the_office_stays_out(directory):
    User.objects.filter(pk=make_user("ada").pk).update(is_active=False)
    client, response = _sign_in("ada", "engine-1843")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_directory_that_cannot_be_reached_refuses_quietly(directory, monkeypatch, settings):
    monkeypatch.setattr(ldap, "CLIENT_STRATEGY", ldap3.SYNC)
    monkeypatch.setattr(ldap, "server", lambda: ldap3.Server("ldap://127.0.0.1:9",
                                                             connect_timeout=2))
    _, response = _sign_in("ada", "engine-1843")
    assert response.status_code == 200  # the form again, never a 500
    assert not User.objects.filter(username="ada").exists()
