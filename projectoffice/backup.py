"""Backup and restore of the whole database.

SQLite: the online backup API copies a consistent snapshot while the office runs.
PostgreSQL: pg_dump in custom format, restored with pg_restore --clean.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

MAGIC_SQLITE = b"SQLite format 3\x00"
MAGIC_PGDUMP = b"PGDMP"


class BackupError(Exception):
    pass


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["-h", str(s.get("HOST") or "127.0.0.1"), "-p", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    return args, env


def backup(target: str) -> str:
    path = Path(target)
    if path.exists() and path.is_dir():
        raise BackupError(f"{target} is a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        dest = sqlite3.connect(str(path))
        try:
            source.backup(dest)
        finally:
            dest.close()
    elif connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not installed")
        args, env = _pg_env()
        result = subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", *args, "-f", str(path),
             str(connection.settings_dict["NAME"])],
            env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"backups of {connection.vendor} are not supported")
    return f"Backed up {connection.vendor} database to {path} ({path.stat().st_size} bytes)"


def restore(source_file: str) -> str:
    path = Path(source_file)
    if not path.is_file():
        raise BackupError(f"{source_file} does not exist")
    head = path.read_bytes()[:16]
    if connection.vendor == "sqlite":
        if not head.startswith(MAGIC_SQLITE):
            raise BackupError(f"{source_file} is not an SQLite backup")
        src = sqlite3.connect(str(path))
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source_file} is damaged (integrity check failed)")
            connection.ensure_connection()
            src.backup(connection.connection)
        finally:
            src.close()
        connections.close_all()
    elif connection.vendor == "postgresql":
        if not head.startswith(MAGIC_PGDUMP):
            raise BackupError(f"{source_file} is not a pg_dump custom-format backup")
        args, env = _pg_env()
        connections.close_all()
        result = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, "-d", str(connection.settings_dict["NAME"]), str(path)],
            env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"restores of {connection.vendor} are not supported")
    return f"Restored {connection.vendor} database from {path}"
