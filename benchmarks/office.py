"""A fresh office for the benchmarks that go through the application: a temporary SQLite
database, migrated, with a PMO superuser and a portfolio to create projects in."""

from __future__ import annotations

import os
import tempfile
from typing import Any


def fresh_office() -> tuple[Any, Any]:
    """(the PMO superuser, the portfolio), in a new database under a temporary folder."""
    os.environ["PMO_DATA_DIR"] = tempfile.mkdtemp(prefix="pmo-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectoffice.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from projectoffice.accounts.actions import create_user
    from projectoffice.portfolio import actions as portfolio_actions

    root = create_user(actor=None, username="bench", password="bench-pass-123",
                       display_name="Bench", global_role="pmo_manager", validate=False,
                       is_superuser=True)
    return root, portfolio_actions.create_portfolio(actor=root, name="Bench")
