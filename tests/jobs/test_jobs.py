"""Background jobs: e-mail goes through the worker, failures are retried and then shown as
failed with their error to the Project Office manager, and the timetable runs each slot once."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from projectoffice.jobs import schedule, tasks
from projectoffice.jobs.models import ScheduledRun
from projectoffice.jobs.worker import run_worker
from projectoffice.notices.models import OutboxMessage, OutboxState
from projectoffice.notices.outbox import send_plain
from tests.conftest import Office

from .conftest import AT_ONCE

pytestmark = pytest.mark.django_db
# The worker's loop closes connections between jobs, as it should between requests: its tests
# commit for real instead of running inside one test transaction.
worker_db = pytest.mark.django_db(transaction=True)


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"ann@example.org": (550, b"mailbox unavailable")})


@worker_db
def test_mail_waits_for_the_worker_then_is_delivered(queued_mail: Any) -> None:
    send_plain("Your timesheet", "Please submit last week.", "ann@example.org")
    assert mail.outbox == []  # the request only enqueued it
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.READY
    assert row.task_path == tasks.deliver_mail.module_path

    run_worker(batch=True, schedule=False)

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert [(m.subject, m.to) for m in mail.outbox] == [("Your timesheet", ["ann@example.org"])]


@worker_db
def test_attachments_survive_the_queue(queued_mail: Any) -> None:
    from django.core.mail import EmailMessage

    message = EmailMessage("Minutes", "Attached.", to=["bo@example.org"])
    message.attach("minutes.pdf", b"%PDF-1.4 fake", "application/pdf")
    message.send()
    run_worker(batch=True, schedule=False)
    [sent] = mail.outbox
    assert sent.attachments[0][0] == "minutes.pdf"
    assert bytes(sent.attachments[0][1]) == b"%PDF-1.4 fake"


@worker_db
def test_failing_job_is_retried_then_shown_failed_with_its_error(
        queued_mail: Any, client: Any) -> None:
    office = Office()
    queued_mail.PMO_EMAIL_DELIVERY_BACKEND = f"{__name__}.RefusingBackend"
    send_plain("Reminder", "Body", "ann@example.org")

    run_worker(batch=True, schedule=False)

    # (Making the office also had the projects' figures brought up to date by a job.)
    rows = list(DBTaskResult.objects.filter(task_path=tasks.deliver_mail.module_path)
                .order_by("enqueued_at", "id"))
    assert [r.status for r in rows] == [TaskResultStatus.FAILED] * 3  # three attempts
    assert [r.args_kwargs["kwargs"].get("job_attempt", 1) for r in rows] == [1, 2, 3]
    assert "SMTPRecipientsRefused" in rows[-1].exception_class_path
    # Spent: the message waits in the outbox for the hourly mail retry, nothing is lost.
    kept = OutboxMessage.objects.get()
    assert kept.state == OutboxState.FAILED and "mailbox unavailable" in kept.error

    client.force_login(office.pmo)
    page = client.get("/jobs/?state=failed").content.decode()
    assert page.count('data-state="failed"') == 3
    assert "Failed · retried" in page and "mailbox unavailable" in page
    assert "3 of 3" in page
    api = client.get("/api/v1/jobs?state=failed").json()
    assert api["count"] == 3
    last = next(j for j in api["items"] if j["attempt"] == 3)
    assert last["retried"] is False and "mailbox unavailable" in last["error"]
    detail = client.get(f"/jobs/{last['id']}/").content.decode()
    assert "Traceback" in detail and "SMTPRecipientsRefused" in detail


@worker_db
def test_retry_waits_longer_each_time(queued_mail: Any) -> None:
    queued_mail.PMO_JOB_RETRY_SECONDS = 60
    queued_mail.PMO_EMAIL_DELIVERY_BACKEND = f"{__name__}.RefusingBackend"
    send_plain("Reminder", "Body", "ann@example.org")
    run_worker(batch=True, schedule=False)  # the first attempt; the second is not due yet
    first, second = DBTaskResult.objects.order_by("enqueued_at", "id")
    assert first.status == TaskResultStatus.FAILED
    assert second.status == TaskResultStatus.READY
    wait = (second.run_after - first.finished_at).total_seconds()
    assert 55 < wait < 70


def test_only_the_pmo_manager_sees_jobs(client: Any) -> None:
    office = Office()
    client.force_login(office.pm)
    assert client.get("/jobs/").status_code == 403
    assert client.get("/api/v1/jobs").status_code == 403
    client.force_login(office.pmo)
    assert client.get("/jobs/").status_code == 200


def test_bad_state_names_the_field(client: Any) -> None:
    office = Office()
    client.force_login(office.pmo)
    response = client.get("/api/v1/jobs?state=stuck")
    assert response.status_code == 422
    assert "state" in response.json()["errors"]


def test_timetable_enqueues_each_slot_once(settings: Any) -> None:
    settings.TASKS = AT_ONCE
    monday_morning = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC)
    first = schedule.enqueue_due(monday_morning)
    assert set(first) == {"notify", "digest", "remind-timesheets", "support-check",
                          "send-reports", "mail-retry", "prune-jobs", "warm-figures"}
    assert schedule.enqueue_due(monday_morning + dt.timedelta(minutes=5)) == []
    # A quarter of an hour later only the quarter-hourly check is due again.
    assert schedule.enqueue_due(monday_morning + dt.timedelta(minutes=11)) == ["support-check"]
    tuesday_early = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    assert set(schedule.enqueue_due(tuesday_early)) == {"support-check", "send-reports",
                                                             "mail-retry", "warm-figures"}
    assert ScheduledRun.objects.filter(name="digest").count() == 1
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count()
    assert done == DBTaskResult.objects.count() == ScheduledRun.objects.count()


def test_start_reindex_by_hand(client: Any, settings: Any) -> None:
    settings.TASKS = AT_ONCE
    office = Office()
    client.force_login(office.pmo)
    response = client.post("/api/v1/jobs", {"name": "reindex"}, content_type="application/json")
    assert response.status_code == 202
    job = client.get(f"/api/v1/jobs/{response.json()['job_id']}").json()
    assert job["state"] == "done" and "entries indexed" in job["result"]
    assert client.post("/api/v1/jobs", {"name": "nope"},
                       content_type="application/json").status_code == 422
    client.force_login(office.pm)
    assert client.post("/api/v1/jobs", {"name": "reindex"},
                       content_type="application/json").status_code == 403
