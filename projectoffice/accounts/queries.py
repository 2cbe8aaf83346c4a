"""Reads of the office's accounts for the Project Office manager's accounts page and API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Q

from .models import TwoFactor, User
from .roles import GlobalRole

STATUSES = (("active", "Active"), ("invited", "Invited, no password yet"),
            ("off", "Switched off"), ("all", "All"))


@dataclass(frozen=True)
class AccountRow:
    user: User
    username: str
    name: str
    email: str
    job_title: str
    global_role: str
    global_role_label: str
    is_active: bool
    sign_in: str  # how they sign in, in words
    invited: bool  # a local account whose owner has not chosen a password yet
    two_factor: bool
    last_login: dt.datetime | None
    version: int

    @property
    def status(self) -> str:
        if not self.is_active:
            return "Switched off"
        return "Invited" if self.invited else "Active"


def _sign_in(user: User) -> str:
    if user.directory_source == "oidc":
        return "Single sign-on"
    if user.directory_source == "ldap":
        return "Directory (LDAP)"
    return "Office password"


def accounts(*, q: str = "", role: str | None = None, status: str = "active",
             limit: int = 500, offset: int = 0,
             username: str | None = None) -> tuple[list[AccountRow], int]:
    """The accounts matching the filters, by name, and how many there are in all.
    ``role`` "" means people without an office-wide role; None means any."""
    rows = User.objects.annotate(
        has_two_factor=Exists(TwoFactor.objects.filter(user_id=OuterRef("pk"))))
    if username is not None:
        rows = rows.filter(username=username)
    q = q.strip()
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(display_name__icontains=q)
                           | Q(email__icontains=q) | Q(job_title__icontains=q))
    if role is not None:
        rows = rows.filter(global_role=role)
    if status == "active":
        rows = rows.filter(is_active=True)
    elif status == "off":
        rows = rows.filter(is_active=False)
    elif status == "invited":
        rows = rows.filter(is_active=True, directory_subject="",
                           password__startswith=UNUSABLE_PASSWORD_PREFIX)
    total = rows.count()
    out = []
    labels = dict(GlobalRole.choices)
    for user in rows.order_by("display_name", "username")[offset:offset + limit]:
        invited = not user.directory_subject and not user.has_usable_password()
        out.append(AccountRow(
            user=user, username=user.username, name=user.label, email=user.email,
            job_title=user.job_title, global_role=user.global_role,
            global_role_label=str(labels.get(user.global_role, user.global_role)),
            is_active=user.is_active, sign_in=_sign_in(user), invited=invited,
            two_factor=bool(getattr(user, "has_two_factor", False)),
            last_login=user.last_login, version=user.version))
    return out, total


def counts() -> dict[str, int]:
    """Accounts by status, for the page's filter labels."""
    active = User.objects.filter(is_active=True)
    invited = active.filter(directory_subject="", password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return {"active": active.count(), "invited": invited.count(),
            "off": User.objects.filter(is_active=False).count()}
