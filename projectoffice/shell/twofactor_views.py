"""Pages of two-factor sign-in: the code asked after the password, and the enrolment page
(authenticator QR code, recovery codes, and the office-wide rule for the PMO manager)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from projectoffice.accounts import throttle, twofactor
from projectoffice.accounts.models import User
from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import has_global

PENDING, BACKEND, NEXT, SECRET = ("two_factor_user", "two_factor_backend", "two_factor_next",
                                  "two_factor_secret")


def begin(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After the password: remember who is signing in and ask for their code."""
    request.session[PENDING] = user.pk
    request.session[BACKEND] = getattr(user, "backend",
                                       "django.contrib.auth.backends.ModelBackend")
    request.session[NEXT] = next_url
    return redirect("login-code")


def login_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    user = User.objects.filter(pk=int(pending), is_active=True).first() if pending else None
    if user is None:
        return redirect("login")
    error = ""
    if request.method == "POST":
        address = throttle.client_address(request.META)
        if throttle.is_locked(user.username, address):
            error = "Too many failed sign-ins. Wait 15 minutes and try again."
        elif twofactor.check_second_factor(user=user, code=request.POST.get("code", "")[:40]):
            backend = str(request.session.get(BACKEND))
            next_url = str(request.session.get(NEXT) or "")
            auth.login(request, user, backend=backend)
            throttle.note_success(user, user.username, address)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                                   require_https=request.is_secure()):
                next_url = settings.LOGIN_REDIRECT_URL
            return redirect(next_url)
        else:
            throttle.note_failure(user.username, address)
            error = ("That code does not match. Enter the 6 digits your authenticator app "
                     "shows now, or one of your recovery codes.")
    return render(request, "web/login_code.html", {"error": error})


@login_required
def two_factor(request: AuthedRequest) -> HttpResponse:
    user = request.user
    codes: list[str] = []
    error = ""
    if request.method == "POST":
        try:
            what = request.POST.get("form")
            if what == "confirm":
                codes = twofactor.confirm_two_factor(
                    actor=user, secret=str(request.session.get(SECRET, "")),
                    code=request.POST.get("code", "")[:12])
                request.session.pop(SECRET, None)
            elif what == "off":
                twofactor.turn_off_two_factor(actor=user)
                messages.success(request, "Two-factor sign-in is off for your account.")
                return redirect("two-factor")
            elif what == "policy":
                twofactor.set_two_factor_policy(actor=user,
                                                require=request.POST.get("require") == "1")
                messages.success(request, "The sign-in rule is saved.")
                return redirect("two-factor")
        except OfficeError as exc:
            error = exc.message
    enrolled = twofactor.enrolled(user)
    context = {"enrolled": enrolled, "codes": codes, "error": error,
               "required": twofactor.required(),
               "configures": has_global(user, "people.configure")}
    if not enrolled:
        secret = request.session.get(SECRET) or twofactor.new_secret()
        request.session[SECRET] = secret
        context.update(secret=secret, qr=twofactor.qr_svg(twofactor.provisioning_uri(user,
                                                                                   secret)))
    return render(request, "web/two_factor.html", context)
