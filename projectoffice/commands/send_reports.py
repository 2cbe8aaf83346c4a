"""`pmo send-reports`: e-mails every scheduled saved report that has fallen due (weekly
reports on Mondays, monthly ones on the 1st).  The office's worker runs it every hour; a
report is sent once per period however often it runs."""

from __future__ import annotations

import argparse
import datetime as dt


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("send-reports",
                                   help="e-mail the scheduled saved reports that are due")
    parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                        help="the moment to check against (ISO date and time; default now)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    from django.utils import timezone

    from projectoffice.reportbuilder.actions import send_due_reports

    now = args.now or timezone.now()
    if timezone.is_naive(now):
        now = timezone.make_aware(now)
    sent = send_due_reports(now)
    print(f"{sent} report{'s' if sent != 1 else ''} sent")
    return 0
