"""`pmo import PLAN --project CODE` (also `pmo import-mspdi`): replace a project's plan.

PLAN is MS Project XML or, through the optional MPXJ reader, an ``.mpp``/``.mpx`` file or a
Primavera P6 export (XER, PMXML); the reader is chosen by the file's content.  All or nothing:
a file with problems changes nothing, and every problem found is printed (with the task UID)
on stderr; the exit code is then 2.

With ``--update`` the file updates the plan instead of replacing it (tasks matched by UID,
recorded time and actuals kept): the changes are listed first and applied only after the
user confirms (``--yes`` confirms in advance, for scripts).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import", aliases=["import-mspdi"], help="import a plan file into a project's plan",
        description="Replace the plan of project CODE with a plan file and schedule it: MS "
        "Project XML (MSPDI), or with the optional MPXJ reader (pip install "
        "'projectoffice[mpp]' and Java) an .mpp or .mpx file or a Primavera P6 XER or PMXML "
        "export. Nothing changes if the file has problems; they are all listed.")
    parser.add_argument("file", help="the plan file (read by its content, not its name)")
    parser.add_argument("--project", required=True, metavar="CODE", help="the project's code")
    parser.add_argument("--update", action="store_true",
                        help="update the plan from the file: match tasks by UID, keep recorded "
                        "time and actuals; lists the changes and asks before applying")
    parser.add_argument("--yes", action="store_true",
                        help="with --update: apply the listed changes without asking")
    parser.add_argument("--as", dest="username", default=None, metavar="USER",
                        help="record the import as this user (default: the first superuser)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectoffice.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from projectoffice.accounts.models import User
    from projectoffice.errors import OfficeError
    from projectoffice.planning.exchange import import_mspdi, preview_update
    from projectoffice.portfolio.models import Project

    def fail(message: str) -> int:
        print(f"pmo import: {message}", file=sys.stderr)
        return BAD_INPUT

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}")
    project = Project.objects.filter(code=args.project).first()
    if project is None:
        return fail(f"no project {args.project!r}")
    users = User.objects.filter(is_active=True)
    actor = (users.filter(username=args.username).first() if args.username
             else users.filter(is_superuser=True).order_by("pk").first())
    if actor is None:
        return fail("no such user: give --as USER" if args.username else
                    "no superuser to record the import as: give --as USER")
    try:
        if args.update:
            preview = preview_update(actor=actor, project=project, data=data)
            print(f"{project.code}: updating from {args.file} changes:")
            for line in preview.lines():
                print(f"  {line}")
            if not args.yes:
                if not sys.stdin.isatty():
                    print("Nothing was changed: run again with --yes to apply these changes.")
                    return 0
                answer = input("Apply these changes? [y/N] ").strip().lower()
                if answer not in ("y", "yes"):
                    print("Nothing was changed.")
                    return 0
        plan = import_mspdi(actor=actor, project=project, data=data, update=args.update)
    except OfficeError as exc:
        print(f"pmo import: {exc.message}", file=sys.stderr)
        for problem in exc.errors.get("file", []):
            print(f"  {problem}", file=sys.stderr)
        return BAD_INPUT
    print(f"{project.code}: {plan.tasks.count()} tasks imported; finishes "
          f"{plan.finish:%Y-%m-%d %H:%M}" if plan.finish else f"{project.code}: imported")
    for warning in plan.warnings[:20]:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
