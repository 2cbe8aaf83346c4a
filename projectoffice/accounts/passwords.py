"""Setting a password from a link sent by e-mail: the invitation to a new account and the
forgotten-password reset. The link carries Django's password-reset token, which is signed
with the office's secret key, expires after PASSWORD_RESET_TIMEOUT and stops working once
the password changes or the person signs in (the token hashes both), so each link is good
for one use."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from projectoffice.audit.actions import record_change
from projectoffice.errors import InvalidInput
from projectoffice.mail import send_plain

from .models import User

# One forgotten-password e-mail per account in this many seconds, however often it is asked
# for: the form cannot be used to flood someone's mailbox.
RESET_MAIL_INTERVAL = 300


def link_for(user: User, base_url: str) -> str:
    """The absolute address at which ``user`` sets a new password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password-set", kwargs={"uidb64": uid, "token": token})
    return f"{(settings.PMO_BASE_URL or base_url).rstrip('/')}{path}"


def _days_valid() -> int:
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


def _send_once_committed(subject: str, body: str, address: str) -> None:
    """Mails after the surrounding transaction commits: an invitation whose account was
    rolled back is never sent."""
    transaction.on_commit(functools.partial(send_plain, subject, body, address), robust=True)


def send_invitation(user: User, *, inviter: User, base_url: str) -> None:
    body = (f"Hello {user.display_name or user.username},\n\n"
            f"{inviter.label} has given you an account in the Project Office.\n"
            f"Your user name is {user.username}. Choose your password here:\n\n"
            f"{link_for(user, base_url)}\n\n"
            f"The link works once and for {_days_valid()} days. If it has run out, use "
            "\"Forgotten your password?\" on the sign-in page.\n")
    _send_once_committed("Your Project Office account", body, user.email)


def send_reset(user: User, *, base_url: str, asked_by: User | None = None) -> None:
    who = (f"{asked_by.label} asked for a new password to be set on your account"
           if asked_by is not None and asked_by.pk != user.pk
           else "Someone, probably you, asked to reset your password")
    body = (f"Hello {user.display_name or user.username},\n\n"
            f"{who} in the Project Office (user name {user.username}).\n"
            f"Choose a new password here:\n\n{link_for(user, base_url)}\n\n"
            f"The link works once and for {_days_valid()} days. If you did not ask for "
            "this, ignore this message: your password stays as it is.\n")
    _send_once_committed("Reset your Project Office password", body, user.email)


def resettable(user: User) -> bool:
    """Accounts that sign in with the office's own password (or will, once invited): not
    switched off, with an e-mail address, and not signed in by the organisation's directory."""
    return bool(user.is_active and user.email and not user.directory_subject)


def request_reset(identifier: str, *, base_url: str) -> None:
    """The forgotten-password form: sends a link to the account named by user name or
    e-mail, when there is one that may have it. Says nothing either way, so the form does
    not tell strangers which names and addresses have accounts."""
    identifier = identifier.strip()[:254]
    if not identifier:
        raise InvalidInput.field("identifier", "enter your user name or e-mail address")
    by_email = "@" in identifier
    users = (User.objects.filter(email__iexact=identifier) if by_email
             else User.objects.filter(username=identifier))
    for user in users[:5]:
        if not resettable(user):
            continue
        if cache.add(f"password-reset-mail:{user.pk}", 1, RESET_MAIL_INTERVAL):
            send_reset(user, base_url=base_url)
            record_change(actor=None, obj=user, verb="password reset requested", changes={})


def check_new_password(new_password: str, user: User) -> None:
    """The office's password rules (settings.AUTH_PASSWORD_VALIDATORS), as a field error."""
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidInput("new_password: " + " ".join(exc.messages),
                           {"new_password": exc.messages}) from exc


def user_for_link(uidb64: str, token: str) -> User | None:
    """The account a set-password link is for, or None when the link is not (or no longer)
    good."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or user.directory_subject:
        return None
    return user if default_token_generator.check_token(user, token) else None


@transaction.atomic
def set_from_link(uidb64: str, token: str, new_password: str, repeated: str) -> User:
    user = user_for_link(uidb64, token)
    if user is None:
        raise InvalidInput.field("link", "this link has been used or has run out; ask for "
                                 "a new one from the sign-in page")
    if new_password != repeated:
        raise InvalidInput.field("repeated", "the two passwords are not the same")
    check_new_password(new_password, user)
    first = not user.has_usable_password()
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record_change(actor=user, obj=user, verb="password set" if first else "password reset",
                  changes={"method": "e-mailed link"})
    return user
