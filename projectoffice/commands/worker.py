"""`pmo worker`: runs the background jobs and the office's timetable. `pmo serve` starts one
beside the web server; run more on other machines for a larger office (docs/deployment.md)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("worker", help="run background jobs and the timetable")
    parser.add_argument("--batch", action="store_true",
                        help="run the jobs queued now, then stop (no timetable)")
    parser.add_argument("--no-schedule", action="store_true",
                        help="run jobs only; another worker keeps the timetable")
    parser.add_argument("--interval", type=float, default=1.0,
                        help="seconds between looks at an empty queue (default 1)")
    parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import setup_django

    setup_django()
    from projectoffice.jobs.worker import run_worker

    run_worker(interval=args.interval, schedule=not (args.batch or args.no_schedule),
               batch=args.batch, parent=args.parent)
    return 0
