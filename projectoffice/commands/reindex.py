"""`pmo reindex`: rebuild the search index from the registers, documents and meetings
(after an upgrade that adds a searchable kind, or a restore from an older copy)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("reindex", help="rebuild the search index")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from projectoffice.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from projectoffice.search.index import rebuild

    print(f"Search index rebuilt: {rebuild()} entries.")
    return 0
