"""`pmo digest`: e-mail each person who chose the daily digest a summary of their unread
notifications since their previous digest. Run it once a day (cron, a systemd timer)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "digest", help="e-mail the daily digest of unread notifications (daily)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    from projectoffice.notices.outbox import retry_failed
    from projectoffice.registers.actions import send_digests

    retry_failed()
    sent = send_digests()
    print(f"{sent} digest{'s' if sent != 1 else ''} sent")
    return 0
