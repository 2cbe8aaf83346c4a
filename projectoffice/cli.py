"""`pmo`: the Project Office command line.

    pmo serve [--host H] [--port P] [--workers N]   migrate, then serve with gunicorn (and a
                                                    background worker unless --no-worker)
    pmo worker [--batch]                            run background jobs and the timetable
    pmo migrate                                     bring the schema up to date (locked)
    pmo demo [--projects N] [--fresh]               load the demo portfolio
    pmo createuser NAME [--password P] [--role R]   add a user (asks for the password if absent)
    pmo backup FILE / pmo restore FILE              consistent copy of the database
    pmo check                                       configuration and database checks
    pmo schedule FILE [...]                         schedule a plan file (MSPDI; .mpp, P6 with MPXJ)
    pmo import FILE --project CODE                  replace a project's plan (alias import-mspdi)
    pmo reindex                                     rebuild the search index
    pmo manage ARGS…                                any Django management command
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Commands that live in their own modules (they need no database).
COMMAND_MODULES = ("projectoffice.commands.migrate", "projectoffice.commands.schedule",
                   "projectoffice.commands.import_mspdi", "projectoffice.commands.import_junit",
                   "projectoffice.commands.reindex",
                   "projectoffice.commands.digest", "projectoffice.commands.remind_timesheets",
                   "projectoffice.commands.mail_retry", "projectoffice.commands.support_check",
                   "projectoffice.commands.send_reports", "projectoffice.commands.worker")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectoffice.settings")
    import django

    django.setup()


def migrate_quietly(verbosity: int = 0) -> None:
    from projectoffice.commands.migrate import migrate_database

    migrate_database(verbosity)


def cmd_serve(args: argparse.Namespace) -> int:
    # Migrations run in a child process so that this process, gunicorn's master, never opens
    # a database connection that its forked workers would inherit and share.
    if not args.no_migrate:
        migrated = subprocess.run([sys.executable, "-m", "projectoffice.cli", "migrate",
                                   "--quiet"], check=False)
        if migrated.returncode:
            print("pmo: migrations failed; not serving", file=sys.stderr)
            return migrated.returncode
    from gunicorn.app.wsgiapp import run as gunicorn_run

    if not args.no_worker:
        _start_worker()

    # Printed by gunicorn's master once it listens (gunicorn_conf.when_ready): where the
    # office is, where its mail goes and, after `pmo demo`, the sign-ins — last.
    os.environ["PMO_SERVE_BANNER"] = _serve_banner(args.host, args.port)
    sys.argv = ["gunicorn", "--config", "python:projectoffice.gunicorn_conf",
                "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers),
                "projectoffice.wsgi:application"]
    gunicorn_run()
    return 0


def _start_worker() -> None:
    """The background worker, as a child of this process: it stops when the server stops
    (here at exit, or by itself when it finds its parent gone)."""
    import atexit

    worker = subprocess.Popen([sys.executable, "-m", "projectoffice.cli", "worker",
                               "--parent", str(os.getpid())])

    def stop() -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    atexit.register(stop)


def _serve_banner(host: str, port: int) -> str:
    """Reads settings only: this process must not set Django up or open the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectoffice.settings")
    from django.conf import settings

    from projectoffice.mail import mail_destination

    lines = [f"Project Office is serving on http://{host}:{port}/",
             f"Mail: {mail_destination()}."]
    sign_ins = _demo_sign_ins_file(settings)
    if sign_ins.exists():
        database, _, text = sign_ins.read_text().partition("\n")
        if database == str(settings.DATABASES["default"]["NAME"]):
            lines += ["", text.rstrip()]
    return "\n".join(lines)


def _demo_sign_ins_file(settings: Any) -> Path:
    return Path(settings.DATA_DIR) / "demo-sign-ins.txt"


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    from projectoffice.demo import load_demo, reset_database

    if args.fresh:
        reset_database()
    migrate_quietly()
    from django.conf import settings

    if args.quiet:
        print(f"Loading the demo portfolio of {args.projects} projects…", flush=True)
    from django.test.utils import override_settings

    from projectoffice.mail import delivery_backend

    # The demo's own history (invitations, notifications of made-up events) goes straight to
    # the outbox: a queue of thousands of deliveries would only delay the worker's first jobs.
    with override_settings(EMAIL_BACKEND=delivery_backend()):
        logins = load_demo(projects=args.projects, seed=args.seed, progress=not args.quiet)
    text = "\n".join([f"Sign in with any of these (password for all: {logins.password}):",
                      *(f"  {username:<12} {role}" for username, role in logins.users)])
    # `pmo serve` prints the sign-ins again as the last thing it says.
    _demo_sign_ins_file(settings).write_text(
        f"{settings.DATABASES['default']['NAME']}\n{text}\n")
    print("Demo portfolio loaded." if args.quiet else f"\nDemo portfolio loaded. {text}")
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    setup_django()
    migrate_quietly()
    from projectoffice.accounts.actions import create_user
    from projectoffice.errors import OfficeError

    password = args.password or os.environ.get("PMO_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("pmo: give --password or PMO_PASSWORD when not at a terminal", file=sys.stderr)
            return 2
        password = getpass.getpass("Password: ")
    try:
        user = create_user(actor=None, username=args.username, password=password,
                           email=args.email, display_name=args.name or "",
                           global_role=args.role, is_superuser=args.superuser)
    except OfficeError as exc:
        print(f"pmo: {exc.message}", file=sys.stderr)
        return 2
    print(f"Created {user.username}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    setup_django()
    from projectoffice.backup import BackupError, backup

    try:
        info = backup(args.file)
    except BackupError as exc:
        print(f"pmo: {exc}", file=sys.stderr)
        return 2
    print(info)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    setup_django()
    from projectoffice.backup import BackupError, restore

    try:
        info = restore(args.file)
    except BackupError as exc:
        print(f"pmo: {exc}", file=sys.stderr)
        return 2
    print(info)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connection

    # For a deployment a warning fails the check too: each has a setting that answers it.
    try:
        call_command("check", deploy=args.deploy,
                     fail_level="WARNING" if args.deploy else "ERROR")
    except SystemCheckError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    from django.db.migrations.executor import MigrationExecutor

    pending = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes())
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print("Migrations: " + ("up to date" if not pending else f"{len(pending)} pending"))
    return 0 if not pending else 1


def cmd_notify(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import transaction
    from django.utils import timezone

    from projectoffice.controls.handoffs import tell_late_dependencies
    from projectoffice.registers.actions import notify_due_items

    made = notify_due_items(today=timezone.localdate(), due_within_days=args.days)
    print(f"{made} notification{'s' if made != 1 else ''} sent")
    with transaction.atomic():  # dependencies late since the last reschedule, e.g. by hand
        late = tell_late_dependencies(actor=None)
    print(f"{late} dependenc{'ies' if late != 1 else 'y'} became late")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pmo", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pmo", description="Project Office command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="migrate the database and serve the office")
    p.add_argument("--host", default=os.environ.get("PMO_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PMO_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("PMO_WORKERS", "3")))
    p.add_argument("--no-migrate", action="store_true",
                   help="do not run migrations first (when `pmo migrate` is a separate step)")
    p.add_argument("--no-worker", action="store_true",
                   default=os.environ.get("PMO_SERVE_WORKER", "1") == "0",
                   help="start no background worker (when `pmo worker` runs elsewhere)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="load the demo portfolio")
    p.add_argument("--projects", type=int, default=8, help="number of projects (default 8)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--fresh", action="store_true", help="empty the database first")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("createuser", help="add a user")
    p.add_argument("username")
    p.add_argument("--password")
    p.add_argument("--email", default="")
    p.add_argument("--name", help="display name")
    p.add_argument("--role", default="", choices=["", "pmo_manager", "pmo_staff", "executive"])
    p.add_argument("--superuser", action="store_true")
    p.set_defaults(func=cmd_createuser)

    p = sub.add_parser("backup", help="write a consistent copy of the database to FILE")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with the copy in FILE")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="check configuration and database")
    p.add_argument("--deploy", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("notify", help="tell owners about items due soon or overdue (daily)")
    p.add_argument("--days", type=int, default=2, help="due within this many days (default 2)")
    p.set_defaults(func=cmd_notify)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("pmo: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # Domain errors are the user's to fix: one line, no traceback.
        from projectoffice.errors import OfficeError

        if isinstance(exc, OfficeError):
            print(f"pmo: {exc.message}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
