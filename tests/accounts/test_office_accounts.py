"""The office's accounts: the Project Office manager invites someone, who chooses a password
from the e-mailed link and signs in; accounts are switched off and on; a forgotten password
is reset by a link that works once and says nothing about which accounts exist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from projectoffice.accounts.models import User
from projectoffice.audit.models import AuditEntry
from tests.conftest import PASSWORD, Office, make_user

NEW_PASSWORD = "a-long-and-new-passphrase"


@pytest.fixture(autouse=True)
def clean_cache(transactional_db: Any) -> Any:
    """A clean throttle; and real commits, after which the office sends its mail."""
    cache.clear()
    yield
    cache.clear()


def signed_in_client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/login/password/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def verbs(user: User) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(user.pk), content_type__model="user")
                .order_by("pk").values_list("verb", flat=True))


def test_invite_choose_a_password_and_sign_in(office: Office) -> None:
    pmo = signed_in_client(office.pmo)
    page = pmo.post("/people/accounts/", {"username": "yara", "email": "yara@example.org",
                                          "display_name": "Yara Haddad",
                                          "job_title": "Business analyst",
                                          "global_role": ""})
    assert page.status_code == 302
    yara = User.objects.get(username="yara")
    assert not yara.has_usable_password()
    listed = pmo.get("/people/accounts/?status=invited").content.decode()
    assert "Yara Haddad" in listed and "Invited" in listed
    [message] = mail.outbox
    assert message.to == ["yara@example.org"] and "yara" in message.body
    link = link_in(message)

    newcomer = Client()
    form = newcomer.get(link)
    assert form.status_code == 200 and "Welcome, Yara Haddad" in form.content.decode()
    mismatch = newcomer.post(link, {"new_password": NEW_PASSWORD, "repeated": "other"})
    assert mismatch.status_code == 422 and "not the same" in mismatch.content.decode()
    weak = newcomer.post(link, {"new_password": "12345", "repeated": "12345"})
    assert weak.status_code == 422 and "New password:" in weak.content.decode()
    done = newcomer.post(link, {"new_password": NEW_PASSWORD, "repeated": NEW_PASSWORD})
    assert done.status_code == 302 and done.url.endswith("/login/")
    assert newcomer.login(username="yara", password=NEW_PASSWORD)
    # The link worked once.
    again = Client().get(link)
    assert again.status_code == 410 and "no longer works" in again.content.decode()
    assert verbs(yara)[:2] == ["invited", "password set"]
    assert AuditEntry.objects.get(verb="invited").actor == office.pmo


def test_invitation_errors_name_the_field_and_keep_what_was_typed(office: Office) -> None:
    pmo = signed_in_client(office.pmo)
    taken = pmo.post("/people/accounts/", {"username": office.pm.username,
                                           "email": "new@example.org",
                                           "display_name": "Typed name"})
    body = taken.content.decode()
    assert taken.status_code == 422
    assert "User name:" in body and "is taken" in body and 'value="Typed name"' in body
    bad_mail = pmo.post("/people/accounts/", {"username": "zed", "email": "not-an-address"})
    assert bad_mail.status_code == 422 and "E-mail: enter a valid e-mail address" in \
        bad_mail.content.decode()
    assert not User.objects.filter(username="zed").exists() and not mail.outbox


def test_only_the_project_office_manager_manages_accounts(office: Office) -> None:
    staff = make_user("staffer", "pmo_staff")
    assert signed_in_client(staff).get("/people/accounts/").status_code == 403
    assert signed_in_client(office.pm).post("/people/accounts/", {
        "username": "x", "email": "x@example.org"}).status_code == 403
    victim = office.members["team_member"]
    refused = signed_in_client(office.pm).post(f"/people/accounts/{victim.username}/active/",
                                               {"active": "0"})
    assert refused.status_code == 403
    victim.refresh_from_db()
    assert victim.is_active


def test_switching_an_account_off_stops_its_sign_in_and_its_tokens(office: Office,
                                                                   api_as: Any) -> None:
    person = office.members["team_member"]
    token_client = api_as(person)
    assert token_client.get("/me").status_code == 200
    session = signed_in_client(person)
    pmo = signed_in_client(office.pmo)
    pmo.post(f"/people/accounts/{person.username}/active/",
             {"active": "0", "version": str(person.version)})
    person.refresh_from_db()
    assert not person.is_active
    assert token_client.get("/me").status_code == 401
    assert session.get("/").status_code == 302  # back to the sign-in page
    assert not Client().login(username=person.username, password=PASSWORD)
    listed = pmo.get("/people/accounts/?status=off").content.decode()
    assert person.display_name in listed and "Switch on" in listed
    pmo.post(f"/people/accounts/{person.username}/active/",
             {"active": "1", "version": str(person.version)})
    assert Client().login(username=person.username, password=PASSWORD)
    trail = verbs(person)
    assert trail.index("switched off") < trail.index("switched on")


def test_a_stale_version_is_refused_and_nothing_changes(office: Office, api_as: Any) -> None:
    person = office.members["planner"]
    pmo = api_as(office.pmo)
    read = pmo.get(f"/accounts?q={person.username}").json()["items"][0]
    first = pmo.patch(f"/accounts/{person.username}", {"version": read["version"],
                                                       "global_role": "pmo_staff"})
    assert first.status_code == 200 and first.json()["global_role"] == "pmo_staff"
    second = pmo.patch(f"/accounts/{person.username}", {"version": read["version"],
                                                        "is_active": False})
    assert second.status_code == 409
    person.refresh_from_db()
    assert person.is_active and person.global_role == "pmo_staff"


def test_the_only_project_office_manager_and_oneself_stay_switched_on(office: Office,
                                                                     api_as: Any) -> None:
    pmo = api_as(office.pmo)
    me = pmo.patch(f"/accounts/{office.pmo.username}", {"version": office.pmo.version,
                                                        "is_active": False})
    assert me.status_code == 403 and "your own account" in me.json()["message"]
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    only = api_as(root).patch(f"/accounts/{office.pmo.username}",
                              {"version": office.pmo.version, "is_active": False})
    assert only.status_code == 422 and only.json()["errors"].keys() == {"active"}
    office.pmo.refresh_from_db()
    assert office.pmo.is_active


def test_api_invite_list_and_password_link(office: Office, api_as: Any) -> None:
    pmo = api_as(office.pmo)
    made = pmo.post("/accounts", {"username": "quentin", "email": "quentin@example.org",
                                  "display_name": "Quentin Blake", "global_role": "executive"})
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "invited" and made.json()["global_role"] == "executive"
    assert pmo.post("/accounts", {"username": "q2", "email": "x@example.org",
                                  "global_role": "emperor"}).status_code == 422
    page = pmo.get("/accounts?status=invited").json()
    assert [a["username"] for a in page["items"]] == ["quentin"]
    assert pmo.get("/accounts?limit=0").status_code == 422
    person = office.members["planner"]
    person.email = "planner@example.org"
    person.save()
    mail.outbox.clear()
    sent = pmo.post(f"/accounts/{person.username}/password-link")
    assert sent.status_code == 202
    assert mail.outbox[0].to == ["planner@example.org"]
    assert office.pmo.label in mail.outbox[0].body
    assert api_as(office.pm).get("/accounts").status_code == 403
    assert pmo.post("/accounts/nobody/password-link").status_code == 404


def test_forgotten_password_says_the_same_whoever_is_named(office: Office) -> None:
    person = office.members["quality_manager"]
    person.email = "quality@example.org"
    person.save()
    visitor = Client()
    answers = [visitor.post("/login/forgotten/", {"identifier": who}).content.decode()
               for who in ("nobody@example.org", "QUALITY@example.org", "no-such-user")]
    assert answers[0] == answers[1] == answers[2]
    assert "Check your e-mail" in answers[0]
    [message] = mail.outbox
    assert message.to == ["quality@example.org"]
    # Asking again at once sends nothing more (no flooding someone's mailbox).
    visitor.post("/login/forgotten/", {"identifier": person.username})
    assert len(mail.outbox) == 1
    empty = visitor.post("/login/forgotten/", {"identifier": "  "})
    assert empty.status_code == 422 and "enter your user name" in empty.content.decode()
    link = link_in(message)
    visitor.post(link, {"new_password": NEW_PASSWORD, "repeated": NEW_PASSWORD})
    assert Client().login(username=person.username, password=NEW_PASSWORD)
    assert not Client().login(username=person.username, password=PASSWORD)
    trail = verbs(person)
    assert trail.index("password reset requested") < trail.index("password reset")


def test_links_of_switched_off_or_directory_accounts_do_not_work(office: Office) -> None:
    person = office.members["testing_manager"]
    person.email = "testing@example.org"
    person.save()
    Client().post("/login/forgotten/", {"identifier": "testing@example.org"})
    link = link_in(mail.outbox[0])
    person.is_active = False
    person.save()
    assert Client().get(link).status_code == 410
    sso = make_user("sso_person", email="sso@example.org")
    User.objects.filter(pk=sso.pk).update(directory_source="oidc", directory_subject="sub-1")
    cache.clear()
    Client().post("/login/forgotten/", {"identifier": "sso@example.org"})
    assert len(mail.outbox) == 1
    assert sso.has_usable_password()  # untouched
    garbage = Client().get("/login/password/zzz/not-a-token/")
    assert garbage.status_code == 410
