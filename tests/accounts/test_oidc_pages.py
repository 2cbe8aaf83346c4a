"""The sign-in page offers OpenID Connect only when it is configured."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_without_configuration_there_is_no_single_sign_on(client, settings):
    settings.PMO_OIDC_ISSUER = ""
    assert b"Sign in with" not in client.get("/login/").content
    assert client.get("/login/sso/").status_code == 404
    assert client.get("/login/sso/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_configured_the_sign_in_page_names_the_provider(client, settings):
    settings.PMO_OIDC_ISSUER = "http://127.0.0.1:9/realms/office"
    settings.PMO_OIDC_CLIENT_ID = "office"
    settings.PMO_OIDC_NAME = "Northwind Keycloak"
    page = client.get("/login/?next=/projects/").content.decode()
    assert 'href="/login/sso/?next=/projects/"' in page
    assert "Sign in with Northwind Keycloak" in page


@pytest.mark.django_db
def test_a_provider_that_cannot_be_reached_is_a_message_not_a_500(client, settings):
    settings.PMO_OIDC_ISSUER = "http://127.0.0.1:9/realms/office"  # nothing listens on 9
    settings.PMO_OIDC_CLIENT_ID = "office"
    settings.PMO_OIDC_NAME = "Northwind Keycloak"
    response = client.get("/login/sso/")
    assert response.status_code == 400
    assert "Northwind Keycloak cannot be reached" in response.content.decode()
    response = client.get("/login/sso/callback/?error=access_denied")
    assert response.status_code == 400
    assert "did not sign you in (access_denied)" in response.content.decode()
