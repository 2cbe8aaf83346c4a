"""Directory groups to global roles, shared by OpenID Connect and LDAP sign-in.

PMO_SSO_ROLE_GROUPS names, for each global role, the groups that carry it:
``pmo_manager=PMO Managers;pmo_staff=PMO Staff,PMO Analysts;executive=Directors``. A group is
matched by its whole name or, for an LDAP distinguished name, by its first RDN's value
(``cn=PMO Managers,ou=groups,...`` matches ``PMO Managers``), ignoring case. When several roles
match, the one carrying most permissions wins. When no mapping is configured the directory
does not touch global roles: they are set in the office, as for local accounts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from .roles import GlobalRole

# Highest first: a person in both the managers' and the staff's group is a manager.
PRECEDENCE = (GlobalRole.PMO_MANAGER, GlobalRole.PMO_STAFF, GlobalRole.EXECUTIVE)


class MappingError(ValueError):
    """PMO_SSO_ROLE_GROUPS names a role the office does not have, or is malformed."""


def parse_role_groups(text: str) -> dict[str, frozenset[str]]:
    mapping: dict[str, frozenset[str]] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        role, sep, groups = part.partition("=")
        role = role.strip()
        if not sep or role not in PRECEDENCE:
            raise MappingError(
                f"PMO_SSO_ROLE_GROUPS: {part.strip()!r} should read role=group[,group] with "
                f"role one of {', '.join(PRECEDENCE)}")
        mapping[role] = frozenset(g.strip().casefold() for g in groups.split(",") if g.strip())
    return mapping


def _names(group: str) -> set[str]:
    """The names a directory group answers to: itself, and for a DN its first RDN value."""
    group = group.strip()
    names = {group.casefold()}
    first = group.split(",", 1)[0]
    if "=" in first and "," in group:
        names.add(first.split("=", 1)[1].strip().casefold())
    return names


def global_role_for(groups: Iterable[str], text: str | None = None) -> str | None:
    """The global role the groups give, "" for none, or None when no mapping is configured
    (the office keeps whatever role the person has)."""
    mapping = parse_role_groups(settings.PMO_SSO_ROLE_GROUPS if text is None else text)
    if not mapping:
        return None
    held: set[str] = set()
    for group in groups:
        held |= _names(group)
    for role in PRECEDENCE:
        if mapping.get(role, frozenset()) & held:
            return str(role)
    return str(GlobalRole.NONE)
