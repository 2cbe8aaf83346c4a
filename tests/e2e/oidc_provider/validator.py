from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Puts the claims organisations send into the ID token: user name, name, e-mail and
    the person's groups (as Keycloak and Entra ID do with a groups claim)."""

    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {"preferred_username": user.username, "name": user.get_full_name(),
                "email": user.email, "email_verified": True,
                "groups": sorted(user.groups.values_list("name", flat=True))}
