"""Writes to accounts: users, passwords and API tokens."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from projectoffice.audit.actions import diff, record_change, record_creation, snapshot
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound

from . import passwords
from .models import ApiToken, User, hash_token
from .roles import GlobalRole, has_global, holds_global_role

# Giving and taking away the office-wide roles (the Project Office manager; superusers).
MANAGE_ROLES = "roles.manage"
# Inviting people, switching accounts off and on, sending password links.
MANAGE_ACCOUNTS = "accounts.manage"

TOKEN_PREFIX = "pmo_"
# The characters Django's user names allow.
_USERNAME = re.compile(r"[\w.@+-]+")


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    job_title: str = "",
    global_role: str = GlobalRole.NONE,
    is_superuser: bool = False,
    validate: bool = True,
) -> User:
    if not username or len(username) > 150:
        raise InvalidInput.field("username", "must be 1 to 150 characters")
    if User.objects.filter(username=username).exists():
        raise InvalidInput.field("username", f"{username!r} is taken")
    if global_role not in GlobalRole.values:
        raise InvalidInput.field("global_role", f"unknown role {global_role!r}")
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        job_title=job_title,
        global_role=global_role,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput("password: " + " ".join(exc.messages),
                               {"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    record_creation(actor=actor, obj=user, fields=("username", "display_name", "global_role"))
    return user


@transaction.atomic
def change_global_role(*, actor: User, user: User, global_role: str,
                       reason: str = "", version: int | None = None) -> User:
    """Sets a person's office-wide role ("" takes it away, e.g. when an access review
    revokes it), audited on their account. Nobody changes their own."""
    if not has_global(actor, MANAGE_ROLES):
        raise Forbidden(f"You need the {MANAGE_ROLES!r} permission")
    if global_role not in GlobalRole.values:
        raise InvalidInput.field("global_role", f"unknown role {global_role!r}")
    if user.pk == actor.pk:
        raise Forbidden("Someone else must change your own office-wide role")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if version is not None and version != locked.version:
        raise Conflict(f"{locked.label}'s account was changed by someone else; reload it")
    before = locked.global_role
    if before == global_role:
        return locked
    locked.global_role = global_role
    locked.version += 1
    locked.save(update_fields=["global_role", "version"])
    changes: dict[str, list[str | None]] = {"global_role": [before or None,
                                                           global_role or None]}
    if reason:
        changes["reason"] = [None, reason[:300]]
    record_change(actor=actor, obj=locked, verb="global role changed", changes=changes)
    user.global_role = global_role
    return locked


def _require(actor: User, perm: str) -> None:
    if not has_global(actor, perm):
        raise Forbidden(f"You need the {perm!r} permission")


@transaction.atomic
def invite_user(*, actor: User, username: str, email: str, display_name: str = "",
                job_title: str = "", global_role: str = GlobalRole.NONE,
                base_url: str = "") -> User:
    """A new account with no password yet: the person is e-mailed a link at which they
    choose one. Giving an office-wide role as well needs roles.manage."""
    _require(actor, MANAGE_ACCOUNTS)
    if global_role and not has_global(actor, MANAGE_ROLES):
        raise Forbidden(f"You need the {MANAGE_ROLES!r} permission to give an office-wide role")
    username, email = username.strip(), email.strip()
    if not username or len(username) > 150 or not _USERNAME.fullmatch(username):
        raise InvalidInput.field("username", "use 1 to 150 letters, digits and @ . + - _")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput.field("username", f"{username!r} is taken")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput.field("email", "enter a valid e-mail address") from None
    if len(email) > 254:
        raise InvalidInput.field("email", "must be at most 254 characters")
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise InvalidInput.field("email", f"another account already uses {email}")
    if global_role not in GlobalRole.values:
        raise InvalidInput.field("global_role", f"unknown role {global_role!r}")
    display_name, job_title = display_name.strip(), job_title.strip()
    if len(display_name) > 150:
        raise InvalidInput.field("display_name", "must be at most 150 characters")
    if len(job_title) > 150:
        raise InvalidInput.field("job_title", "must be at most 150 characters")
    user = User(username=username, email=email, display_name=display_name,
                job_title=job_title, global_role=global_role)
    user.set_unusable_password()
    user.save()
    record_change(actor=actor, obj=user, verb="invited",
                  changes=snapshot(user, ("username", "email", "display_name", "job_title",
                                          "global_role")))
    passwords.send_invitation(user, inviter=actor, base_url=base_url)
    return user


@transaction.atomic
def set_account_active(*, actor: User, user: User, active: bool, version: int | None = None,
                       reason: str = "") -> User:
    """Switches an account off (the person can no longer sign in or use their API tokens;
    their name stays on everything they did) or back on."""
    _require(actor, MANAGE_ACCOUNTS)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if version is not None and version != locked.version:
        raise Conflict(f"{locked.label}'s account was changed by someone else; reload it")
    if locked.is_active == active:
        return locked
    if not active and locked.pk == actor.pk:
        raise Forbidden("Someone else must switch your own account off")
    if not active and holds_global_role(locked, GlobalRole.PMO_MANAGER) and not User.objects.filter(
            global_role=GlobalRole.PMO_MANAGER, is_active=True).exclude(pk=locked.pk).exists():
        raise InvalidInput.field("active", "the office's only Project Office manager cannot "
                                 "be switched off; give the role to someone else first")
    locked.is_active = active
    locked.version += 1
    locked.save(update_fields=["is_active", "version"])
    changes: dict[str, list[object]] = {"is_active": [not active, active]}
    if reason.strip():
        changes["reason"] = [None, reason.strip()[:300]]
    record_change(actor=actor, obj=locked, verb="switched on" if active else "switched off",
                  changes=changes)
    return locked


def send_password_link(*, actor: User, user: User, base_url: str = "") -> None:
    """E-mails ``user`` a link to choose a new password (their current one keeps working
    until they do)."""
    _require(actor, MANAGE_ACCOUNTS)
    if not user.is_active:
        raise InvalidInput.field("account", "this account is switched off; switch it on first")
    if user.directory_subject:
        raise InvalidInput.field("account", "this person signs in through the organisation's "
                                 "directory, which keeps their password")
    if not user.email:
        raise InvalidInput.field("email", "the account has no e-mail address to send to")
    passwords.send_reset(user, base_url=base_url, asked_by=actor)
    record_change(actor=actor, obj=user, verb="password link sent", changes={})


@transaction.atomic
def change_password(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise InvalidInput.field("old_password", "is not your current password")
    passwords.check_new_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    record_change(actor=actor, obj=actor, verb="password_changed", changes={})


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored or shown again."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput.field("name", "must be 1 to 100 characters")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=raw[:12], token_hash=hash_token(raw)
    )
    record_creation(actor=actor, obj=token, fields=("name", "prefix"))
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token_id: int, now: datetime) -> ApiToken:
    token = ApiToken.objects.filter(user=actor, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(f"No active token {token_id}")
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    record_change(actor=actor, obj=token, verb="revoked", changes={})
    return token


def touch_api_token(*, token: ApiToken, now: datetime) -> None:
    """Notes when a token was last used; not audited (it is not a change of data)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def sign_in_from_directory(*, source: str, subject: str, username: str, email: str = "",
                           display_name: str = "", global_role: str | None = None) -> User:
    """The account of someone the organisation's directory (OpenID Connect or LDAP) has just
    vouched for, found by who they are at the directory (``subject``: the OpenID `sub`, the
    LDAP DN), never by user name or e-mail: created on their first sign-in with no password
    of its own, brought up to date from the directory on each later one, and the sign-in
    recorded in the audit trail. An account of the same user name that the office made
    itself, or that belongs to another directory person, is never taken over. ``global_role``
    None leaves the role as the office set it (no group mapping configured)."""
    username, subject = username.strip(), subject.strip()
    if not subject or len(subject) > 500:
        raise InvalidInput.field("subject", "the directory sent no lasting identifier")
    if not username or len(username) > 150:
        raise InvalidInput.field("username", "the directory sent no usable user name")
    if global_role is not None and global_role not in GlobalRole.values:
        raise InvalidInput.field("global_role", f"unknown role {global_role!r}")
    user = User.objects.select_for_update().filter(directory_source=source,
                                                   directory_subject=subject).first()
    if user is None:
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None and (user.directory_subject or user.has_usable_password()):
            raise InvalidInput.field(
                "username", f"the office already has another account named {username!r}; "
                "the Project Office manager must rename it first")
        if user is not None:
            # Made by an earlier directory sign-in, before the office kept the subject.
            user.directory_source, user.directory_subject = source, subject
            user.save(update_fields=["directory_source", "directory_subject"])
    if user is not None and not user.is_active:
        raise InvalidInput.field("username", "this account is switched off in the office")
    fields = ("email", "display_name", "global_role")
    wanted = {"email": email.strip()[:254], "display_name": display_name.strip()[:150]}
    if global_role is not None:
        wanted["global_role"] = global_role
    if user is None:
        user = User(username=username, directory_source=source, directory_subject=subject,
                    **wanted)
        user.set_unusable_password()
        user.save()
        record_change(actor=user, obj=user, verb="created",
                      changes={**snapshot(user, ("username", *fields)), "source": source})
    else:
        before = snapshot(user, fields)
        for name, value in wanted.items():
            if value or name == "global_role":  # an empty e-mail keeps the office's
                setattr(user, name, value)
        changes = diff(before, snapshot(user, fields))
        if changes:
            user.version += 1
            user.save(update_fields=[*changes, "version"])
            record_change(actor=user, obj=user, verb="updated_from_directory",
                          changes={**changes, "source": source})
    record_change(actor=user, obj=user, verb="signed_in", changes={"method": source})
    return user


def record_local_sign_in(*, user: User, address: str) -> None:
    """A sign-in with the office's own password, in the account's audit trail."""
    record_change(actor=user, obj=user, verb="signed_in",
                  changes={"method": "password", "address": address})


def record_refused_sign_in(*, username: str, address: str) -> None:
    """A refused password sign-in, in the audit trail of the account it named (a name no
    account has leaves no entry: the trail belongs to the office's objects)."""
    user = User.objects.filter(username=username[:150]).first()
    if user is not None:
        record_change(actor=None, obj=user, verb="sign_in_refused",
                      changes={"method": "password", "address": address})
