"""`pmo migrate`: bring the database schema up to date, safely when several servers start at
once. Migrations run while holding a lock that every other `pmo migrate` waits for — a
PostgreSQL advisory lock, or on SQLite an exclusive lock on a file beside the database — so
one process migrates and the others find nothing left to do."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

# Any fixed number shared by every copy of the office; it names the lock in pg_locks.
MIGRATION_LOCK_KEY = 0x504D4F5F4D494752  # "PMO_MIGR"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate", help="bring the database schema up to date (safe to run on several servers)")
    parser.add_argument("--quiet", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    migrate_database(verbosity=0 if args.quiet else 1)
    return 0


@contextlib.contextmanager
def migration_lock() -> Iterator[None]:
    """Hold the office-wide migration lock for the duration of the block."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        yield  # an in-memory database belongs to this process alone
        return
    lock_path = Path(name + ".migrate-lock")
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def migrate_database(verbosity: int = 0) -> None:
    """Apply pending migrations and create the cache table. (`pmo serve` runs this in a
    process of its own, so no connection opened here reaches the server's workers.)"""
    from django.core.management import call_command

    with migration_lock():
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("createcachetable", verbosity=0)
