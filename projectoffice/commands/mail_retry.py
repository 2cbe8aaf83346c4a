"""`pmo mail-retry`: sends again the e-mail the mail server refused or could not take (kept in
the outbox as not sent). Run it every few minutes or hourly; `pmo digest` runs it too."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("mail-retry",
                                   help="send again the e-mail that could not be sent")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    from projectoffice.notices.outbox import retry_failed

    sent, failing = retry_failed()
    print(f"{sent} sent, {failing} still not sent")
    return 1 if failing else 0
