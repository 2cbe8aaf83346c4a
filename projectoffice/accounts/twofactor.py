"""Two-factor sign-in for local accounts: an authenticator app's time-based codes (TOTP,
RFC 6238, through pyotp) and ten single-use recovery codes. The Project Office manager can
require it of everyone: until they have enrolled, people who sign in are sent to enrol."""

from __future__ import annotations

import binascii
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from projectoffice.accounts.roles import require_global
from projectoffice.audit.actions import record_change
from projectoffice.errors import InvalidInput

from .models import SignInPolicy, TwoFactor, User

ISSUER = "Project Office"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of the enrolment address, as an SVG element to put in the page."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return str(svg.split("?>", 1)[-1]).strip()


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def enrolled(user: Any) -> bool:
    return bool(user.is_authenticated and TwoFactor.objects.filter(user_id=user.pk).exists())


def required() -> bool:
    policy = SignInPolicy.objects.order_by("pk").first()
    return bool(policy and policy.require_two_factor)


@transaction.atomic
def confirm_two_factor(*, actor: User, secret: str, code: str) -> list[str]:
    """Turns two-factor sign-in on once a code from the new authenticator checks; returns
    the recovery codes, shown once."""
    try:
        totp = pyotp.TOTP(secret)
        if not secret or len(totp.byte_secret()) < 16:  # no key, or a damaged one
            raise ValueError(secret)
    except (ValueError, binascii.Error):
        raise InvalidInput.field("code", "this set-up has expired: reload the page to get "
                                 "a new QR code, then enter its code") from None
    if not code.strip().isdigit() or not totp.verify(code.strip(), valid_window=1):
        raise InvalidInput.field("code", "does not match: enter the 6 digits your "
                                 "authenticator app shows now")
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    TwoFactor.objects.update_or_create(user=actor, defaults={
        "secret": secret, "confirmed_at": timezone.now(),
        "recovery": [_hash(c) for c in codes], "last_step": totp.timecode(timezone.now())})
    record_change(actor=actor, obj=actor, verb="two_factor_enabled", changes={})
    return codes


@transaction.atomic
def check_second_factor(*, user: User, code: str) -> bool:
    """A current authenticator code (each used once) or an unused recovery code."""
    row = TwoFactor.objects.select_for_update().filter(user=user).first()
    if row is None:
        return False
    text = code.strip().replace(" ", "")
    if text.isdigit() and len(text) == 6:
        totp = pyotp.TOTP(row.secret)
        now = timezone.now()
        for offset in (0, -1, 1):
            step = totp.timecode(now) + offset
            if step > row.last_step and secrets.compare_digest(totp.generate_otp(step), text):
                row.last_step = step
                row.save(update_fields=["last_step"])
                return True
        return False
    digest = _hash(text)
    if digest in row.recovery:
        row.recovery = [h for h in row.recovery if h != digest]
        row.save(update_fields=["recovery"])
        record_change(actor=user, obj=user, verb="recovery_code_used",
                      changes={"recovery codes left": [None, len(row.recovery)]})
        return True
    return False


@transaction.atomic
def turn_off_two_factor(*, actor: User) -> None:
    if required():
        raise InvalidInput.field("two_factor", "the Project Office requires two-factor "
                                 "sign-in for everyone")
    TwoFactor.objects.filter(user=actor).delete()
    record_change(actor=actor, obj=actor, verb="two_factor_disabled", changes={})


@transaction.atomic
def set_two_factor_policy(*, actor: User, require: bool) -> SignInPolicy:
    require_global(actor, "people.configure")
    policy = SignInPolicy.objects.select_for_update().order_by("pk").first() or SignInPolicy()
    before = policy.require_two_factor
    policy.require_two_factor = require
    policy.version += 1 if policy.pk else 0
    policy.save()
    record_change(actor=actor, obj=actor, verb="sign_in_policy_changed",
                  changes={"require_two_factor": [before, require]})
    return policy


# Sign-ins the organisation's directory vouched for: its own second factor (conditional
# access, the provider's MFA) applies, not the office's rule for local accounts.
DIRECTORY_BACKENDS = ("projectoffice.accounts.oidc.OidcBackend",
                      "projectoffice.accounts.ldap.LdapBackend")


def _by_directory(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(BACKEND_SESSION_KEY) in DIRECTORY_BACKENDS


# Pages one may reach before enrolling when two-factor sign-in is required.
OPEN_PREFIXES = ("/account/two-factor/", "/logout/", "/login/", "/static/", "/api/")


class RequireTwoFactorMiddleware:
    """While the office requires two-factor sign-in, a signed-in person who has not enrolled
    reaches only the enrolment page (API tokens are unaffected: they are made after sign-in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _by_directory(request):
            return self.get_response(request)
        if (user is not None and user.is_authenticated
                and not request.path.startswith(OPEN_PREFIXES)
                and required() and not enrolled(user)):
            return redirect("two-factor")
        if (user is not None and user.is_authenticated and request.path.startswith("/api/")
                and "HTTP_AUTHORIZATION" not in request.META and required()
                and not enrolled(user)):
            return JsonResponse({"status": 403, "message": "Set up two-factor sign-in first",
                                 "errors": {}}, status=403)
        return self.get_response(request)
