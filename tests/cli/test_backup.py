"""`pmo backup` then `pmo restore` gives back exactly the data that was backed up.

Runs the real command line in a subprocess against a scratch database: a SQLite file in a
temporary data directory, or a scratch PostgreSQL database when the suite runs on
PostgreSQL (DATABASE_URL set).
"""

from __future__ import annotations

import contextlib
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
    with scratch_office(tmp_path / "data") as env:
        yield env


@contextlib.contextmanager
def scratch_office(data_dir: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "PMO_DATA_DIR": str(data_dir), "PMO_LOG_LEVEL": "ERROR"}
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


FILES_SCRIPT = """
import hashlib, json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectoffice.settings")
import django
django.setup()
from pathlib import Path
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from projectoffice.accounts.models import User
from projectoffice.backup import stored_files
from projectoffice.controls.registers import ISSUES
from projectoffice.documents import actions as documents
from projectoffice.documents.registers import DOCUMENTS
from projectoffice.portfolio.actions import create_portfolio, create_project
from projectoffice.registers import actions
if sys.argv[1] == "attach":
    pmo = User.objects.get(username="pmo")
    project = create_project(actor=pmo, code="BAK", name="Backed up", manager=pmo,
                             portfolio=create_portfolio(actor=pmo, name="Everything"))
    issue = actions.create_item(actor=pmo, spec=ISSUES, project=project,
                                data={"title": "Supplier late"})
    actions.add_attachment(actor=pmo, item=issue,
                           upload=SimpleUploadedFile("evidence.txt", b"signed off on 3 March"))
    document = actions.create_item(actor=pmo, spec=DOCUMENTS, project=project,
                                   data={"title": "Plan", "doc_type": "PLN", "owner": pmo})
    documents.upload_version(actor=pmo, document=document,
                             upload=SimpleUploadedFile("plan.txt", b"The plan, first draft"))
media = Path(settings.MEDIA_ROOT)
on_disk = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
print(json.dumps({"referred": sorted(stored_files()), "on_disk": on_disk,
                  "hashes": {n: hashlib.sha256((media / n).read_bytes()).hexdigest()
                             for n in on_disk}}))
"""


def files_of(env: dict[str, str], tmp_path: Path, step: str = "list") -> dict[str, object]:
    script = tmp_path / "files.py"
    script.write_text(FILES_SCRIPT)
    result = subprocess.run([sys.executable, str(script), step],
                            env={**env, "PYTHONPATH": os.getcwd()}, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture
def second_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Another office: a new data directory (and on PostgreSQL a new, empty database)."""
    with scratch_office(tmp_path / "second") as env:
        yield env


def test_a_backup_holds_the_uploaded_files_and_restores_them_elsewhere(
        scratch_env: dict[str, str], second_env: dict[str, str], tmp_path: Path) -> None:
    for env in (scratch_env, second_env):
        migrated = pmo(env, "migrate")
        assert migrated.returncode == 0, migrated.stderr
    made = pmo(scratch_env, "createuser", "pmo", "--password", "a-long-passphrase-9",
               "--role", "pmo_manager")
    assert made.returncode == 0, made.stderr
    original = files_of(scratch_env, tmp_path, "attach")
    assert len(original["referred"]) >= 2  # type: ignore[arg-type]
    assert original["referred"] == original["on_disk"]
    backup_file = tmp_path / "office.backup"
    made = pmo(scratch_env, "backup", str(backup_file))
    assert made.returncode == 0, made.stderr
    before = dump(scratch_env)

    # The new office has a stray file of its own: after the restore it is gone.
    media = Path(second_env["PMO_DATA_DIR"]) / "media"
    (media / "attachments" / "9").mkdir(parents=True)
    (media / "attachments" / "9" / "stray").write_bytes(b"not in the backup")
    restored = pmo(second_env, "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert dump(second_env) == before
    after = files_of(second_env, tmp_path)
    assert after["referred"] == original["referred"]
    assert after["on_disk"] == original["referred"], "every file back, and no orphan"
    assert after["hashes"] == original["hashes"]
