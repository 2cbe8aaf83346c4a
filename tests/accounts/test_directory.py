"""Directory groups to global roles, and the account a directory sign-in makes or updates."""

from __future__ import annotations

import pytest

from projectoffice.accounts.actions import sign_in_from_directory
from projectoffice.accounts.directory import MappingError, global_role_for, parse_role_groups
from projectoffice.accounts.models import User
from projectoffice.audit.models import AuditEntry
from projectoffice.errors import InvalidInput
from tests.conftest import make_user

MAPPING = "pmo_manager=PMO Managers;pmo_staff=PMO Staff, PMO Analysts;executive=Directors"


@pytest.mark.parametrize(("groups", "role"), [
    (["PMO Managers"], "pmo_manager"),
    (["pmo analysts"], "pmo_staff"),  # case does not matter
    (["cn=Directors,ou=groups,dc=example,dc=org"], "executive"),  # an LDAP group's DN
    (["Directors", "PMO Staff", "PMO Managers"], "pmo_manager"),  # the highest wins
    (["Engineers"], ""),
    ([], ""),
    (["cn=Engineers,ou=PMO Managers,dc=x"], ""),  # only the group's own name counts
])
def test_groups_map_to_the_highest_global_role(groups, role):
    assert global_role_for(groups, MAPPING) == role


def test_without_a_mapping_the_directory_leaves_roles_alone():
    assert global_role_for(["PMO Managers"], "") is None


@pytest.mark.parametrize("text", ["superuser=Admins", "pmo_manager", "=Admins"])
def test_a_mapping_naming_no_role_is_refused_with_the_setting_named(text):
    with pytest.raises(MappingError, match="PMO_SSO_ROLE_GROUPS"):
        parse_role_groups(text)


@pytest.mark.django_db
def test_a_later_sign_in_updates_the_account_and_audits_what_changed():
    first = sign_in_from_directory(source="oidc", subject="s-mara", username="mara",
                                   email="m@x.test",
                                   display_name="Mara", global_role="pmo_staff")
    again = sign_in_from_directory(source="oidc", subject="s-mara", username="mara", email="",
                                   display_name="Mara Quist", global_role=None)
    assert again.pk == first.pk
    again.refresh_from_db()
    # An empty e-mail keeps the office's; no mapping (None) keeps the role.
    assert (again.email, again.display_name, again.global_role) == (
        "m@x.test", "Mara Quist", "pmo_staff")
    entries = list(AuditEntry.objects.filter(object_id=str(first.pk)).order_by("pk")
                   .values_list("verb", "changes"))
    assert [verb for verb, _ in entries] == ["created", "signed_in", "updated_from_directory",
                                             "signed_in"]
    assert entries[2][1] == {"display_name": ["Mara", "Mara Quist"], "source": "oidc"}


@pytest.mark.django_db
def test_a_switched_off_account_or_a_missing_user_name_is_refused():
    User.objects.filter(pk=make_user("gone").pk).update(is_active=False)
    with pytest.raises(InvalidInput):
        sign_in_from_directory(source="ldap", subject="cn=gone", username="gone")
    with pytest.raises(InvalidInput, match="username"):
        sign_in_from_directory(source="oidc", subject="s", username="  ")


@pytest.mark.django_db
def test_the_account_is_found_by_the_directory_subject_not_the_name():
    first = sign_in_from_directory(source="oidc", subject="sub-1", username="kim",
                                   email="kim@x.test")
    # The directory renamed the person: the same account, still found by its subject.
    again = sign_in_from_directory(source="oidc", subject="sub-1", username="kim.lee")
    assert again.pk == first.pk
    # Another person given the old name at the directory does not get Kim's account.
    with pytest.raises(InvalidInput, match="another account"):
        sign_in_from_directory(source="oidc", subject="sub-2", username="kim")
    # Nor does anyone take over an account the office made with a password of its own.
    make_user("local")
    with pytest.raises(InvalidInput, match="another account"):
        sign_in_from_directory(source="ldap", subject="cn=local", username="local")
    with pytest.raises(InvalidInput, match="subject"):
        sign_in_from_directory(source="oidc", subject=" ", username="kim")


@pytest.mark.django_db
def test_an_account_made_before_subjects_were_kept_is_linked_once():
    old = User.objects.create(username="ola")
    old.set_unusable_password()
    old.save()
    linked = sign_in_from_directory(source="ldap", subject="cn=ola,dc=x", username="ola")
    assert linked.pk == old.pk
    linked.refresh_from_db()
    assert (linked.directory_source, linked.directory_subject) == ("ldap", "cn=ola,dc=x")
