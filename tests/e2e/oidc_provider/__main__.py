"""Start the test provider: python -m tests.e2e.oidc_provider PORT REDIRECT_URI CLIENT_SECRET.

Creates its database, one confidential client for the office and two people in the
directory (grace, a PMO manager by group, and linus, in no mapped group), then serves until
it is stopped."""

from __future__ import annotations

import os
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PASSWORD = "directory-pass-1"
CLIENT_ID = "project-office"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    port, redirect_uri, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.environ.setdefault("OIDC_PROVIDER_DATA", tempfile.mkdtemp(prefix="oidc-provider-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.e2e.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    managers = Group.objects.create(name="PMO Managers")
    grace = User.objects.create_user("grace", "grace@directory.test", PASSWORD,
                                     first_name="Grace", last_name="Hopper")
    grace.groups.add(managers)
    User.objects.create_user("linus", "linus@directory.test", PASSWORD,
                             first_name="Linus", last_name="Pauling")
    Application.objects.create(
        name="Project Office", client_id=CLIENT_ID, client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri, algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True)
    server = make_server("127.0.0.1", port, get_wsgi_application(), server_class=_Threading,
                         handler_class=_Quiet)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
