"""A small OpenID Connect provider for browser tests: django-oauth-toolkit with OIDC on,
signing RS256 ID tokens, run in its own process (``python -m tests.e2e.oidc_provider``)."""
