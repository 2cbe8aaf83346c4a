"""Backup and restore of the whole office: the database and the uploaded files, in one file.

A backup is a tar archive holding `manifest.json`, the database (`database.sqlite3`, from
SQLite's online backup API, consistent while the office runs; or `database.pgdump`, pg_dump
in custom format) and every uploaded file the database refers to (`media/…`: attachments and
document versions).

Restore replaces the database (SQLite's backup API, or pg_restore --clean) and then the
uploaded files: the data directory's `media/` ends up holding exactly the files the restored
database refers to, so no orphan is left behind. It works into a new, empty data directory.
A bare database file from an older backup is still restored (its files are then untouched).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, models

MAGIC_SQLITE = b"SQLite format 3\x00"
MAGIC_PGDUMP = b"PGDMP"
FORMAT = "project-office-backup"
DB_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


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


def stored_files() -> set[str]:
    """The names (relative to MEDIA_ROOT) of every file the database refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._default_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True)
                names.update(str(v) for v in values if v)
    return names


def _dump_database(path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(str(path))
        try:
            connection.connection.backup(dest)
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


def backup(target: str) -> str:
    path = Path(target)
    if path.exists() and path.is_dir():
        raise BackupError(f"{target} is a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        db_file = Path(work) / DB_NAMES.get(connection.vendor, "database")
        _dump_database(db_file)
        # Files are named by their content's hash and never rewritten, so those referred to
        # once the database is copied are the ones it needs.
        wanted = sorted(stored_files())
        present = [n for n in wanted if (media / n).is_file()]
        absent = sorted(set(wanted) - set(present))
        manifest = {"format": FORMAT, "version": 1, "database": connection.vendor,
                    "files": present, "missing": absent}
        draft = path.with_name(f".{path.name}.partial")
        with tarfile.open(draft, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            with tempfile.TemporaryFile() as buf:
                buf.write(data)
                buf.seek(0)
                tar.addfile(info, buf)
            tar.add(db_file, arcname=db_file.name)
            for name in present:
                tar.add(media / name, arcname=f"media/{name}")
        draft.replace(path)
    missing = f"; {len(absent)} missing from storage" if absent else ""
    return (f"Backed up the {connection.vendor} database and {len(present)} uploaded "
            f"file{'s' if len(present) != 1 else ''}{missing} to {path} "
            f"({path.stat().st_size} bytes)")


def _restore_database(path: Path, source_file: str) -> None:
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


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        parts = Path(m.name).parts
        if m.name.startswith("/") or ".." in parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"the backup holds an unsafe entry: {m.name}")
        members.append(m)
    return members


def _replace_media(extracted: Path) -> int:
    """Makes MEDIA_ROOT hold exactly the files the restored database refers to."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
    count = 0
    for name in stored_files():
        source = extracted / name
        if source.is_file():
            (fresh / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), fresh / name)
            count += 1
    old = media.with_name(f".media-old-{os.getpid()}")
    if media.exists():
        media.replace(old)
    fresh.replace(media)
    shutil.rmtree(old, ignore_errors=True)
    return count


def restore(source_file: str) -> str:
    path = Path(source_file)
    if not path.is_file():
        raise BackupError(f"{source_file} does not exist")
    if not tarfile.is_tarfile(path):  # a bare database file, as older backups were
        _restore_database(path, source_file)
        return f"Restored {connection.vendor} database from {path}"
    with tempfile.TemporaryDirectory(dir=Path(settings.MEDIA_ROOT).parent) as work:
        with tarfile.open(path) as tar:
            members = _safe_members(tar)
            names = {m.name for m in members}
            if "manifest.json" not in names:
                raise BackupError(f"{source_file} is not a Project Office backup")
            manifest_file = tar.extractfile("manifest.json")
            manifest = json.loads(manifest_file.read() if manifest_file else b"{}")
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{source_file} is not a Project Office backup")
            if manifest.get("database") != connection.vendor:
                raise BackupError(f"{source_file} holds a {manifest.get('database')} database; "
                                  f"this office runs on {connection.vendor}")
            tar.extractall(work, members=members, filter="data")
        _restore_database(Path(work) / DB_NAMES[connection.vendor], source_file)
        restored = _replace_media(Path(work) / "media")
    missing = len(stored_files()) - restored
    note = f" ({missing} referred to but not in the backup)" if missing else ""
    return (f"Restored the {connection.vendor} database and {restored} uploaded "
            f"file{'s' if restored != 1 else ''}{note} from {path}")
