"""Sign-in against an LDAP directory (OpenLDAP, Active Directory…) with ldap3.

The password typed on the sign-in page is checked by binding to the directory as the person:
the office first finds their entry (as the service account PMO_LDAP_BIND_DN, or anonymously),
then binds with its DN and the password. Their groups come from ``memberOf`` and, when
PMO_LDAP_GROUP_BASE is set, from a search of the groups naming them as member. Configuration:
PMO_LDAP_* in settings.py and docs/security.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import ldap3
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from projectoffice.errors import OfficeError

from .actions import sign_in_from_directory
from .directory import global_role_for
from .models import User

log = logging.getLogger(__name__)
SOURCE = "ldap"
TIMEOUT = 10
# How connections talk to the server; tests use ldap3's in-memory directory (MOCK_SYNC).
CLIENT_STRATEGY = ldap3.SYNC


@dataclass(frozen=True)
class DirectoryEntry:
    dn: str
    username: str
    email: str
    display_name: str
    groups: tuple[str, ...]


def server() -> ldap3.Server:
    """The directory server; tests put ldap3's in-memory server here."""
    return ldap3.Server(settings.PMO_LDAP_URL, get_info=ldap3.NONE, connect_timeout=TIMEOUT)


def _connection(user: str | None, password: str | None) -> ldap3.Connection:
    conn = ldap3.Connection(server(), user=user, password=password, read_only=True,
                            client_strategy=CLIENT_STRATEGY, receive_timeout=TIMEOUT,
                            raise_exceptions=False)
    conn.open()
    if settings.PMO_LDAP_START_TLS:
        conn.start_tls()
    return conn


def _first(attributes: dict[str, Any], *names: str) -> str:
    for name in names:
        value = attributes.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value:
            return str(value)
    return ""


def find_and_check(username: str, password: str) -> DirectoryEntry | None:
    """The person's entry when the directory accepts their password; None otherwise."""
    if not username or not password:  # an empty password would be an anonymous bind
        return None
    search = _connection(settings.PMO_LDAP_BIND_DN or None,
                         settings.PMO_LDAP_BIND_PASSWORD or None)
    try:
        if not search.bind():
            log.warning("LDAP service bind refused: %s", search.result)
            return None
        search.search(settings.PMO_LDAP_USER_BASE,
                      settings.PMO_LDAP_USER_FILTER.format(username=escape_filter_chars(username)),
                      attributes=["uid", "sAMAccountName", "mail", "displayName", "cn",
                                  "memberOf"], size_limit=2)
        if len(search.entries) != 1:  # none, or ambiguous: refuse rather than guess
            return None
        found = search.response[0]
        dn, attributes = str(found["dn"]), dict(found.get("attributes") or {})
        groups = [str(g) for g in attributes.get("memberOf") or []]
        if settings.PMO_LDAP_GROUP_BASE:
            search.search(settings.PMO_LDAP_GROUP_BASE,
                          settings.PMO_LDAP_GROUP_FILTER.format(dn=escape_filter_chars(dn)),
                          attributes=["cn"])
            groups += [str(g["dn"]) for g in search.response if g.get("type") == "searchResEntry"]
    finally:
        search.unbind()
    person = _connection(dn, password)
    try:
        if not person.bind():
            return None
    finally:
        person.unbind()
    return DirectoryEntry(dn=dn, username=username, email=_first(attributes, "mail"),
                          display_name=_first(attributes, "displayName", "cn"),
                          groups=tuple(groups))


class LdapBackend(ModelBackend):
    """Authenticates against the directory and keeps the office's account of the person up
    to date (created on first sign-in, role from the group mapping)."""

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        if not settings.PMO_LDAP_URL or username is None or password is None:
            return None
        try:
            entry = find_and_check(username.strip(), password)
        except LDAPException as exc:
            log.warning("LDAP directory unreachable: %s", exc)
            return None
        if entry is None:
            return None
        try:
            user = sign_in_from_directory(source=SOURCE, subject=entry.dn,
                                          username=entry.username,
                                          email=entry.email, display_name=entry.display_name,
                                          global_role=global_role_for(entry.groups))
        except OfficeError as exc:  # switched off in the office: the directory cannot undo it
            log.info("LDAP sign-in of %s refused: %s", entry.username, exc)
            return None
        return user if self.user_can_authenticate(user) else None
