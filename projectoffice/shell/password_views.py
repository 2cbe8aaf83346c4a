"""Pages for choosing a password from an e-mailed link: the forgotten-password form on the
sign-in page, and the page the link (an invitation or a reset) opens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from projectoffice.accounts import passwords
from projectoffice.errors import OfficeError
from projectoffice.web.shortcuts import field_errors


def forgotten(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    identifier = ""
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")
        try:
            passwords.request_reset(identifier, base_url=request.build_absolute_uri("/"))
            return render(request, "web/password_sent.html", {})
        except OfficeError as exc:
            errors = field_errors(exc)
    return render(request, "web/password_forgotten.html",
                  {"errors": errors, "identifier": identifier}, status=422 if errors else 200)


def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = passwords.user_for_link(uidb64, token)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and user is not None:
        try:
            passwords.set_from_link(uidb64, token, request.POST.get("new_password", ""),
                                    request.POST.get("repeated", ""))
            messages.success(request, "Your password is set. Sign in with it now.")
            return redirect("login")
        except OfficeError as exc:
            errors = field_errors(exc)
    return render(request, "web/password_set.html",
                  {"person": user, "errors": errors,
                   "first": user is not None and not user.has_usable_password()},
                  status=422 if errors else (200 if user is not None else 410))
