"""Sign-in by OpenID Connect (Entra ID, Google, Keycloak, Okta…) with Authlib.

The office is a confidential client using the authorisation code flow with PKCE; the
provider's endpoints and signing keys come from its discovery document, and Authlib checks
the ID token's signature, issuer, audience, expiry and nonce. Configuration: PMO_OIDC_* in
settings.py and docs/security.md.
"""

from __future__ import annotations

import functools
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .directory import global_role_for

SOURCE = "oidc"


def enabled() -> bool:
    return bool(settings.PMO_OIDC_ISSUER and settings.PMO_OIDC_CLIENT_ID)


def provider_name() -> str:
    return str(settings.PMO_OIDC_NAME)


def _discovery_url() -> str:
    return str(settings.PMO_OIDC_DISCOVERY_URL
               or f"{settings.PMO_OIDC_ISSUER}/.well-known/openid-configuration")


@functools.cache
def _client(issuer: str, discovery: str, client_id: str, secret: str, scopes: str) -> Any:
    """One Authlib client per configuration (the discovery document is fetched once)."""
    oauth = OAuth()
    return oauth.register(
        name="office", client_id=client_id, client_secret=secret,
        server_metadata_url=discovery,
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 15})


def client() -> Any:
    return _client(settings.PMO_OIDC_ISSUER, _discovery_url(), settings.PMO_OIDC_CLIENT_ID,
                   settings.PMO_OIDC_CLIENT_SECRET, settings.PMO_OIDC_SCOPES)


def claims_of(token: dict[str, Any]) -> dict[str, Any]:
    """The person's claims: the checked ID token's, completed from the user-info endpoint
    when the ID token leaves out the user name or the groups (Entra ID, Google)."""
    claims = dict(token.get("userinfo") or {})
    wanted = (settings.PMO_OIDC_USERNAME_CLAIM, settings.PMO_OIDC_GROUPS_CLAIM)
    if any(name not in claims for name in wanted):
        oauth_client = client()
        if oauth_client.load_server_metadata().get("userinfo_endpoint"):
            extra = dict(oauth_client.userinfo(token=token))
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
    return claims


def account_fields(claims: dict[str, Any]) -> dict[str, Any]:
    """What the office keeps of the claims: the person's `sub` (how the account is found),
    user name, e-mail, name and the global role."""
    groups = claims.get(settings.PMO_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return {
        "subject": str(claims.get("sub") or ""),
        "username": str(claims.get(settings.PMO_OIDC_USERNAME_CLAIM) or ""),
        "email": str(claims.get("email") or "") if claims.get("email_verified", True)
        else "",
        "display_name": str(claims.get("name") or ""),
        "global_role": global_role_for(str(g) for g in groups),
    }


class OidcBackend(ModelBackend):
    """Keeps a person signed in after the provider vouched for them; never checks a
    password (``authenticate`` is ModelBackend's, and directory accounts have none)."""

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        return None


BACKEND = f"{OidcBackend.__module__}.{OidcBackend.__qualname__}"
