"""`pmo serve` under load straight after start: every worker has its own database connection
and every answer belongs to the request that asked for it — also with two servers started at
the same moment against one database (they race to migrate it).

The servers run as real processes (gunicorn, three workers each) on the database the suite
runs on: a new PostgreSQL database made for the test, or SQLite in a new data directory.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings

PASSWORD = "serve-test-password-42"
USERS = 8
SIGNED_IN = 4  # the first users also sign in through the form and use a session cookie
REQUESTS_PER_USER = 40

MAKE_USERS = f"""
import json
from projectoffice.cli import setup_django
setup_django()
from projectoffice.accounts.actions import create_api_token, create_user
made = []
for i in range({USERS}):
    user = create_user(actor=None, username=f"loaduser{{i}}", password={PASSWORD!r},
                       display_name=f"Load Person {{i}}", validate=False)
    made.append([user.username, create_api_token(actor=user, name="load")[1]])
print(json.dumps(made))
"""


def _on_postgresql() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@dataclass
class Database:
    env: dict[str, str]
    name: str


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[Database]:
    """A database no process has touched yet, and the environment that points `pmo` at it."""
    env = {**os.environ, "PMO_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    env.pop("PMO_SECRET_KEY", None)
    if not _on_postgresql():
        env.pop("DATABASE_URL", None)
        yield Database(env=env, name=str(tmp_path / "data" / "pmo.sqlite3"))
        return
    import psycopg

    server = settings.DATABASES["default"]
    name = f"pmo_serve_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(host=server["HOST"] or "127.0.0.1", port=server["PORT"] or 5432,
                            user=server["USER"], password=server["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    env["DATABASE_URL"] = (f"postgres://{server['USER']}{password}@{server['HOST'] or '127.0.0.1'}"
                           f":{server['PORT'] or 5432}/{name}")
    try:
        yield Database(env=env, name=name)
    finally:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]


def _start(database: Database, log: Path) -> Server:
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "projectoffice.cli", "serve", "--port", str(port),
             "--workers", "3", "--no-worker"], env=database.env, stdout=out,
            stderr=subprocess.STDOUT)
    return Server(process=process, port=port, log=log)


def _wait_until_serving(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"the server stopped:\n{server.output()}"
        try:
            answered = httpx.get(f"{server.url}/login/", timeout=5).status_code == 200
            if answered and len(server.workers()) == 3:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not start in {timeout} s:\n{server.output()}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def _make_users(database: Database) -> list[tuple[str, str]]:
    made = subprocess.run([sys.executable, "-c", MAKE_USERS], env=database.env,
                          capture_output=True, text=True, check=True)
    return [(name, token) for name, token in json.loads(made.stdout.strip().splitlines()[-1])]


def _sign_in(client: httpx.Client, username: str) -> None:
    form = client.get("/login/")
    assert form.status_code == 200, form.text[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, "the sign-in form carries a CSRF token"
    answer = client.post("/login/", data={"username": username, "password": PASSWORD,
                                          "csrfmiddlewaretoken": token.group(1)},
                         headers={"Referer": f"{client.base_url}/login/"})
    assert answer.status_code == 302, f"{username} could not sign in: {answer.status_code}"


def _one_user(base_url: str, username: str, token: str, signed_in: bool) -> list[str]:
    """Every request this user makes; returns what was wrong with any answer."""
    wrong: list[str] = []
    with httpx.Client(base_url=base_url, timeout=60) as session, \
            httpx.Client(base_url=base_url, timeout=60,
                         headers={"Authorization": f"Bearer {token}"}) as bearer:
        if signed_in:
            _sign_in(session, username)
        for n in range(REQUESTS_PER_USER):
            use_session = signed_in and n % 2 == 1
            client = session if use_session else bearer
            path = "/" if use_session and n % 4 == 1 else "/api/v1/me"
            answer = client.get(path)
            how = "session" if use_session else "token"
            if answer.status_code != 200:
                wrong.append(f"{username} {how} GET {path}: {answer.status_code}")
                continue
            if path == "/api/v1/me":
                if answer.json().get("username") != username:
                    wrong.append(f"{username} {how} GET {path} answered {answer.text[:200]}")
            else:
                others = set(re.findall(r"Load Person \d+", answer.text))
                if others != {f"Load Person {username.removeprefix('loaduser')}"}:
                    wrong.append(f"{username} home page names {sorted(others)}")
    return wrong


def _load(servers: list[Server], users: list[tuple[str, str]]) -> list[str]:
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        jobs = [pool.submit(_one_user, servers[i % len(servers)].url, name, token,
                            i < SIGNED_IN)
                for i, (name, token) in enumerate(users)]
        return [problem for job in jobs for problem in job.result()]


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if match := re.fullmatch(r"socket:\[(\d+)\]", target):
            inodes.add(int(match.group(1)))
    return inodes


def _connections_to(port: int) -> dict[int, int]:
    """Established TCP connections to `port`: socket inode → local port."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01":
                found[int(fields[9])] = int(fields[1].rsplit(":", 1)[1], 16)
    return found


def _database_held_by(pid: int, database: Database) -> set[Any]:
    """What process `pid` holds of the database: its TCP connections' local ports on
    PostgreSQL, or its open descriptors of the database file on SQLite."""
    if _on_postgresql():
        db_port = int(settings.DATABASES["default"]["PORT"] or 5432)
        connections = _connections_to(db_port)
        return {connections[inode] for inode in _socket_inodes(pid) if inode in connections}
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) == database.name:
                held.add(fd.name)
        except OSError:
            continue
    return held


def _backend_ports(database: Database) -> set[int]:
    import psycopg

    with psycopg.connect(database.env["DATABASE_URL"].replace("postgres://", "postgresql://"),
                         autocommit=True) as probe:
        rows = probe.execute("SELECT client_port FROM pg_stat_activity WHERE datname = %s "
                             "AND pid <> pg_backend_pid()", [database.name]).fetchall()
    return {row[0] for row in rows}


def _check_each_worker_has_its_own_connection(servers: list[Server],
                                              database: Database) -> None:
    owners: dict[Any, int] = {}
    for server in servers:
        assert not _database_held_by(server.process.pid, database), \
            "the master process holds a database connection its workers would inherit"
        for worker in server.workers():
            held = _database_held_by(worker, database)
            if _on_postgresql():
                assert held, f"worker {worker} served requests without its own connection"
                assert held <= _backend_ports(database), "each connection is a real backend"
                for port in held:
                    assert port not in owners, \
                        f"workers {owners[port]} and {worker} share one database connection"
                    owners[port] = worker


def _serve_and_load(database: Database, tmp_path: Path, servers_wanted: int) -> None:
    servers = [_start(database, tmp_path / f"server{i}.log") for i in range(servers_wanted)]
    try:
        for server in servers:
            _wait_until_serving(server)
        users = _make_users(database)
        wrong = _load(servers, users)
        logs = "\n".join(server.output() for server in servers)
        assert not wrong, f"{len(wrong)} wrong answers, e.g. {wrong[:10]}\n{logs[-3000:]}"
        assert "Traceback" not in logs, logs[-3000:]
        for server in servers:  # said once the server listens, start-up chatter left out
            said = server.output()
            assert said.startswith(f"Project Office is serving on {server.url}/\nMail: "), said
            assert "Booting worker" not in said
        _check_each_worker_has_its_own_connection(servers, database)
    finally:
        for server in servers:
            _stop(server)


def test_three_workers_answer_each_user_with_their_own_data(fresh_database: Database,
                                                           tmp_path: Path) -> None:
    _serve_and_load(fresh_database, tmp_path, servers_wanted=1)


def test_two_servers_started_together_migrate_once_and_serve(fresh_database: Database,
                                                             tmp_path: Path) -> None:
    _serve_and_load(fresh_database, tmp_path, servers_wanted=2)
