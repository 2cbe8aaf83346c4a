"""`pmo backup` then `pmo restore` gives back exactly the data that was backed up.

Runs the real command line in a subprocess against a scratch database: a SQLite file in a
temporary data directory, or a scratch PostgreSQL database when the suite runs on
PostgreSQL (DATABASE_URL set).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PMO = [sys.executable, "-m", "projectoffice.cli"]


@pytest.fixture
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "PMO_DATA_DIR": str(tmp_path / "data"), "PMO_LOG_LEVEL": "ERROR"}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"pmo_backup_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pmo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PMO, *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def dump(env: dict[str, str]) -> list[dict[str, object]]:
    result = pmo(env, "manage", "dumpdata", "--natural-foreign", "--exclude", "contenttypes",
                 "--exclude", "auth.permission", "--exclude", "sessions")
    assert result.returncode == 0, result.stderr
    return sorted(json.loads(result.stdout), key=lambda r: (r["model"], str(r["pk"])))


def test_backup_and_restore_round_trip(scratch_env: dict[str, str], tmp_path: Path) -> None:
    loaded = pmo(scratch_env, "demo", "--projects", "2", "--quiet")
    assert loaded.returncode == 0, loaded.stderr
    before = dump(scratch_env)
    assert any(r["model"] == "controls.issue" for r in before)
    backup_file = tmp_path / "office.backup"
    made = pmo(scratch_env, "backup", str(backup_file))
    assert made.returncode == 0, made.stderr
    assert backup_file.stat().st_size > 0

    changed = pmo(scratch_env, "createuser", "latecomer", "--password", "a-long-passphrase-9")
    assert changed.returncode == 0, changed.stderr
    assert dump(scratch_env) != before

    restored = pmo(scratch_env, "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert dump(scratch_env) == before


def test_restore_refuses_a_file_that_is_not_a_backup(scratch_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = pmo(scratch_env, "restore", str(bogus))
    assert result.returncode == 2
    assert "not" in result.stderr and "Traceback" not in result.stderr
    missing = pmo(scratch_env, "restore", str(tmp_path / "absent.db"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
