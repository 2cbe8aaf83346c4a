"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from projectoffice.accounts.actions import touch_api_token
from projectoffice.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (ApiToken.objects.select_related("user")
               .filter(token_hash=hash_token(token), revoked_at__isnull=True).first())
        if row is None or not row.user.is_active:
            return None
        touch_api_token(token=row, now=timezone.now())
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token (ninja checks it)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


API_AUTH = [TokenAuth(), SessionAuth()]
