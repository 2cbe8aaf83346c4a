"""`pmo remind-timesheets`: reminds people with assignments who have not submitted last
week's timesheet (in the app and by e-mail).  Run it weekly, e.g. on Monday morning."""

from __future__ import annotations

import argparse
import datetime as dt


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("remind-timesheets",
                                   help="remind people of last week's missing timesheets")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the day to count last week from (YYYY-MM-DD; default today)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    from django.utils import timezone

    from projectoffice.timesheets.actions import remind_timesheets

    made = remind_timesheets(today=args.today or timezone.localdate())
    print(f"{made} reminder{'s' if made != 1 else ''} sent")
    return 0
