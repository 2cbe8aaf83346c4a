"""The office on more than one server, as processes on this machine: two `pmo serve` on two
ports and one `pmo worker`, sharing the database (a new PostgreSQL database when the suite runs
on PostgreSQL), the data directory's uploaded files and nothing else. A person signs in on
one server, uploads a file there, downloads it from the other with the same session, and
the e-mail the upload's notification causes is sent by the worker, not by either server."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.test_serve_workers import Database, _free_port, fresh_database  # noqa: F401

PASSWORD = "two-servers-password-42"


def _pmo(database: Database, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "projectoffice.cli", *args], env=database.env,
                   check=True, capture_output=True, text=True)


@pytest.fixture
def topology(fresh_database: Database,  # noqa: F811 (the fixture imported above)
             tmp_path: Path) -> Iterator[tuple[list[str], Path]]:
    mail_dir = tmp_path / "mail"
    env = fresh_database.env
    env.update({"PMO_SECRET_KEY": "shared-secret-key-for-both-servers-" + "x" * 20,
                "PMO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "PMO_EMAIL_FILE_PATH": str(mail_dir), "PMO_PASSWORD": PASSWORD,
                "PMO_BASE_URL": "https://pmo.example.org", "PMO_SERVE_WORKER": "0"})
    env.pop("PMO_JOBS_BACKEND", None)
    env.pop("PMO_MAIL_IN_BACKGROUND", None)
    _pmo(fresh_database, "migrate")
    _pmo(fresh_database, "createuser", "ada", "--role", "pmo_manager",
         "--email", "ada@example.org")
    _pmo(fresh_database, "createuser", "bob", "--email", "bob@example.org")
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"server{i}.log" for i in range(2)] + [tmp_path / "worker.log"]
    commands = [["serve", "--no-migrate", "--workers", "1", "--port", str(p)] for p in ports]
    commands.append(["worker", "--interval", "0.2"])
    processes = []
    for command, log in zip(commands, logs, strict=True):
        with log.open("wb") as out:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "projectoffice.cli", *command], env=env, stdout=out,
                stderr=subprocess.STDOUT))
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url, process, log in zip(urls, processes, logs, strict=False):
            _wait_ready(url, process, log)
        yield urls, mail_dir
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} not ready:\n{log.read_text(errors='replace')}")


def _sign_in(client: httpx.Client) -> str:
    form = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token
    answer = client.post("/login/", data={"username": "ada", "password": PASSWORD,
                                          "csrfmiddlewaretoken": token.group(1)},
                         headers={"Referer": f"{client.base_url}/login/"})
    assert answer.status_code == 302, answer.text[:300]
    return str(client.cookies["csrftoken"])


def test_sign_in_upload_and_download_across_servers_mail_from_the_worker(
        topology: tuple[list[str], Path]) -> None:
    (first, second), mail_dir = topology
    with httpx.Client(base_url=first, timeout=30) as one:
        csrf = _sign_in(one)
        headers = {"X-CSRFToken": csrf, "Referer": f"{first}/"}
        portfolio = one.post("/api/v1/portfolios", json={"name": "Shared"}, headers=headers)
        assert portfolio.status_code == 201, portfolio.text
        project = one.post("/api/v1/projects", json={
            "code": "TWO", "name": "Two servers", "portfolio_id": portfolio.json()["id"],
            "manager": "bob"}, headers=headers)
        assert project.status_code == 201, project.text
        issue = one.post("/api/v1/projects/TWO/issues", json={
            "title": "Proxy drops uploads", "owner": "bob"}, headers=headers)
        assert issue.status_code == 201, issue.text
        ref = issue.json()["reference"]
        content = b"%PDF-1.4 uploaded through the first server\n" * 200
        upload = one.post(f"/api/v1/projects/TWO/issues/{ref}/attachments",
                          files={"file": ("evidence.pdf", content, "application/pdf")},
                          headers=headers)
        assert upload.status_code == 201, upload.text
        attachment = upload.json()["id"]
        cookies = dict(one.cookies)

    with httpx.Client(base_url=second, timeout=30, cookies=cookies) as other:
        me = other.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["username"] == "ada"  # the session, shared
        download = other.get(f"/api/v1/projects/TWO/issues/{ref}/attachments/{attachment}"
                             "/content")
        assert download.status_code == 200
        assert download.content == content
        assert httpx.get(f"{second}/healthz").json() == {"status": "ok"}

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = [p.read_text(errors="replace") for p in mail_dir.glob("*.log")] \
            if mail_dir.exists() else []
        if any("bob@example.org" in text for text in sent):
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the worker sent no e-mail to bob")
    message = next(text for text in sent if "bob@example.org" in text)
    assert "Proxy drops uploads" in message or ref in message
    assert "https://pmo.example.org/" in message  # absolute links from PMO_BASE_URL


def test_the_deploy_check_passes_on_the_servers_settings_behind_https(
        topology: tuple[list[str], Path], fresh_database: Database) -> None:  # noqa: F811
    """`pmo check --deploy` on the settings the two servers run with, as a proxy serving
    HTTPS in front of them adds to them (docs/deployment.md): it passes there, and fails
    without HTTPS."""
    # The browser tests' own switch, inherited from this test process, is no setting of an
    # office: left out, as a deployment would not have it.
    inherited = {k: v for k, v in fresh_database.env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    behind_proxy = {**inherited, "PMO_HTTPS": "1",
                    "PMO_ALLOWED_HOSTS": "pmo.example.org,127.0.0.1",
                    "PMO_CSRF_TRUSTED_ORIGINS": "https://pmo.example.org"}
    passed = subprocess.run([sys.executable, "-m", "projectoffice.cli", "check", "--deploy"],
                            env=behind_proxy, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "no issues" in passed.stdout
    plain = {**behind_proxy, "PMO_HTTPS": "0"}
    failed = subprocess.run([sys.executable, "-m", "projectoffice.cli", "check", "--deploy"],
                            env=plain, capture_output=True, text=True)
    assert failed.returncode != 0
