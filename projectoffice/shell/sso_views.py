"""Sign-in by OpenID Connect: off to the provider, and back with its answer."""

from __future__ import annotations

import logging

from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from requests import RequestException

from projectoffice.accounts import oidc
from projectoffice.accounts.actions import sign_in_from_directory
from projectoffice.accounts.directory import MappingError
from projectoffice.errors import OfficeError

log = logging.getLogger(__name__)
NEXT = "sso_next"


def _failed(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/login.html", {
        "sso_error": message, "sso_name": oidc.provider_name(), "sso_enabled": True,
        "form": None}, status=400)


def oidc_start(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404("Single sign-on is not configured")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    request.session[NEXT] = next_url
    try:
        response: HttpResponse = oidc.client().authorize_redirect(
            request, request.build_absolute_uri(reverse("login-oidc-callback")))
        return response
    except (RequestException, OAuthError, ValueError) as exc:
        log.warning("OpenID Connect provider unreachable: %s", exc)
        return _failed(request, f"{oidc.provider_name()} cannot be reached just now. Try "
                                "again in a minute, or ask the Project Office.")


def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404("Single sign-on is not configured")
    if "error" in request.GET:
        reason = request.GET.get("error_description") or request.GET["error"]
        return _failed(request, f"{oidc.provider_name()} did not sign you in ({reason[:200]}).")
    try:
        token = oidc.client().authorize_access_token(request)
        fields = oidc.account_fields(oidc.claims_of(token))
        user = sign_in_from_directory(source=oidc.SOURCE, **fields)
    except (OAuthError, RequestException, ValueError, KeyError) as exc:
        # A stale or replayed answer, a bad signature, or the provider down: never a 500.
        log.warning("OpenID Connect sign-in refused: %s", exc)
        if isinstance(exc, MappingError):
            return _failed(request, "Single sign-on is misconfigured: " + str(exc))
        return _failed(request, f"The answer from {oidc.provider_name()} could not be "
                                "checked. Start again from the sign-in page.")
    except OfficeError as exc:
        return _failed(request, f"You cannot sign in here: {exc}")
    auth.login(request, user, backend=oidc.BACKEND)
    return redirect(request.session.pop(NEXT, "") or settings.LOGIN_REDIRECT_URL)
