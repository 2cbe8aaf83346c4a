"""`pmo support-check`: warns the support team of tickets whose service level is at risk,
flags and reports breaches, and tells owners of licences and assets about to end. Run it
every few minutes (the clocks count working minutes) — e.g. from cron every 15 minutes."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "support-check", help="service-level warnings and breaches; licence expiry alerts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    from django.utils import timezone

    from projectoffice.support.actions import alert_assets, check_service_levels

    found = check_service_levels(now=timezone.now())
    told = alert_assets(today=timezone.localdate())
    print(f"{found['warnings']} service-level warning{'s' if found['warnings'] != 1 else ''}, "
          f"{found['breaches']} breach{'es' if found['breaches'] != 1 else ''}, "
          f"{told} expiry alert{'s' if told != 1 else ''}")
    return 0
