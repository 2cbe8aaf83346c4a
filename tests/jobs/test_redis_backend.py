"""The Redis queue (PMO_TASKS=redis://…, django-tasks-rq): a real job enqueued by the office
lands in Redis, not in the database, and the office's worker runs it. Skipped when Redis is
not listening on 127.0.0.1:6379 or the `redis` extra is not installed."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from django.core import mail

from projectoffice.mail import QUEUED_BACKEND

pytest.importorskip("django_tasks_rq")

# A Redis database of its own for each test process (the tests empty it), so that tests run
# side by side by pytest-xdist's workers never empty each other's queue.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
REDIS_URL = f"redis://127.0.0.1:6379/{12 + int(_WORKER or 0) % 4}"


def _redis_listens() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not _redis_listens(), reason="no Redis on 127.0.0.1:6379")]


@pytest.fixture
def redis_queue(settings: Any) -> Any:
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = QUEUED_BACKEND
    settings.PMO_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def test_a_job_queued_in_redis_is_run_by_the_worker(
        redis_queue: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from projectoffice.jobs.worker import run_redis_worker, uses_redis

    assert uses_redis()
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("Board pack ready", "See the portfolio pack.", "pmo@example.org",
                       ["exec@example.org"])
    # Queued in Redis once the request's writes are committed; nothing sent yet.
    assert redis_queue.count == 1
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()

    run_redis_worker(burst=True)

    assert [m.subject for m in mail.outbox] == ["Board pack ready"]
    assert redis_queue.count == 0
    job = redis_queue.fetch_job(redis_queue.finished_job_registry.get_job_ids()[0])
    assert job.get_status() == "finished"


def test_the_jobs_page_lists_the_jobs_kept_in_redis(
        redis_queue: Any, client: Any, django_capture_on_commit_callbacks: Any) -> None:
    from projectoffice.jobs.worker import run_redis_worker
    from tests.conftest import Office

    office = Office()
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("Board pack ready", "See the pack.", "pmo@example.org",
                       ["exec@example.org"])
    client.force_login(office.pmo)
    page = client.get("/jobs/").content.decode()
    assert page.count('data-state="queued"') == 1 and "Send an e-mail" in page
    queued = client.get("/api/v1/jobs?state=queued").json()
    assert queued["count"] == 1 and queued["items"][0]["name"] == "deliver_mail"
    assert client.get("/api/v1/jobs?state=done").json()["count"] == 0

    run_redis_worker(burst=True)

    done = client.get("/api/v1/jobs?state=done").json()
    assert done["count"] == 1 and "exec@example.org" in done["items"][0]["result"]
    detail = client.get(f"/api/v1/jobs/{done['items'][0]['id']}").json()
    assert detail["state"] == "done"
    assert client.get("/api/v1/jobs/no-such-job").status_code == 404
    assert client.get("/api/v1/jobs?state=queued").json()["count"] == 0


def test_a_failing_job_in_redis_is_retried_then_shown_failed_with_its_error(
        redis_queue: Any, client: Any, settings: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from projectoffice.jobs.worker import run_redis_worker
    from tests.conftest import Office

    office = Office()
    settings.PMO_JOB_RETRY_SECONDS = 0
    settings.PMO_EMAIL_DELIVERY_BACKEND = "tests.jobs.test_jobs.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("Reminder", "Body", "pmo@example.org", ["ann@example.org"])

    run_redis_worker(burst=True)

    client.force_login(office.pmo)
    failed = client.get("/api/v1/jobs?state=failed").json()
    assert failed["count"] == 3  # three attempts, each failed
    assert sorted(j["attempt"] for j in failed["items"]) == [1, 2, 3]
    assert [j["retried"] for j in sorted(failed["items"], key=lambda j: j["attempt"])] == [
        True, True, False]
    assert all("mailbox unavailable" in j["error"] for j in failed["items"])
    page = client.get("/jobs/?state=failed").content.decode()
    assert page.count('data-state="failed"') == 3 and "mailbox unavailable" in page
    assert "Failed · retried" in page
    assert client.get("/jobs/").status_code == 200
    last = next(j for j in failed["items"] if j["attempt"] == 3)
    detail = client.get(f"/jobs/{last['id']}/").content.decode()
    assert "Traceback" in detail and "SMTPRecipientsRefused" in detail
