"""`pmo import-junit FILE --project CODE --run NAME`: import automated test results.

The file (JUnit XML, as pytest --junitxml, JUnit, Maven Surefire, Jest or go test write it)
becomes a new test run of the project; its cases are matched to the project's test cases by
class name and name and the missing ones are created. All or nothing: a file that is not
JUnit XML, or is cut short, changes nothing and the exit code is 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import-junit", help="import JUnit XML test results as a test run",
        description="Import a JUnit XML file as a new test run of project CODE. Test cases "
        "are matched by class name and name; missing ones are created. Nothing changes if "
        "the file has problems.")
    parser.add_argument("file", help="the results, in JUnit XML")
    parser.add_argument("--project", required=True, metavar="CODE", help="the project's code")
    parser.add_argument("--run", default="", metavar="NAME",
                        help="the run's name (default: the file's name)")
    parser.add_argument("--build", default="", help="the build or release tested")
    parser.add_argument("--plan", default="", metavar="REF",
                        help="the test plan the run belongs to, e.g. TPL-0001")
    parser.add_argument("--raise-defects", action="store_true",
                        help="raise a defect in the issue log for each failure")
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
    from projectoffice.assurance.actions import import_junit
    from projectoffice.assurance.models import TestPlan
    from projectoffice.errors import OfficeError
    from projectoffice.portfolio.models import Project

    def fail(message: str) -> int:
        print(f"pmo import-junit: {message}", file=sys.stderr)
        return BAD_INPUT

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}")
    project = Project.objects.filter(code=args.project.strip().upper()).first()
    if project is None:
        return fail(f"no project {args.project!r}")
    plan = None
    if args.plan:
        plan = TestPlan.objects.filter(project=project, reference=args.plan.upper()).first()
        if plan is None:
            return fail(f"no test plan {args.plan!r} in {project.code}")
    users = User.objects.filter(is_active=True)
    actor = (users.filter(username=args.username).first() if args.username
             else users.filter(is_superuser=True).order_by("pk").first())
    if actor is None:
        return fail("no such user: give --as USER" if args.username else
                    "no superuser to record the import as: give --as USER")
    try:
        done = import_junit(actor=actor, project=project, data=data, filename=path.name,
                            run_name=args.run, build=args.build, test_plan=plan,
                            raise_defects=args.raise_defects)
    except OfficeError as exc:
        messages = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
        for message in messages:
            print(f"pmo import-junit: {message}", file=sys.stderr)
        return BAD_INPUT
    print(f"{project.code}: run {done.run.name!r}: {done.executed} results, {done.failed} "
          f"failed, {done.created_cases} new test cases"
          + (f", {done.defects} defects raised" if done.defects else ""))
    return 0
