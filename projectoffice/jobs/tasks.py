"""The office's background jobs. Each is a thin call into the actions that did the work when
it ran from a command or inside a request; the scheduler (schedule.py) enqueues the daily and
weekly ones, and the e-mail backend (mail.py) enqueues one delivery per message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from projectoffice.controls.handoffs import tell_late_dependencies
from projectoffice.finance.warm import warm
from projectoffice.notices.outbox import keep_failed, retry_failed
from projectoffice.planning.consolidation import warm_master_schedule
from projectoffice.registers.actions import notify_due_items
from projectoffice.registers.actions import send_digests as send
from projectoffice.reportbuilder.actions import send_due_reports
from projectoffice.search.index import rebuild
from projectoffice.support.actions import alert_assets, check_service_levels
from projectoffice.timesheets.actions import remind_timesheets as remind
from projectoffice.timesheets.queries import warm_under_way

from .messages import deliver, from_data
from .queries import prune_finished
from .registry import enqueue_now, office_job, spec_for


@office_job(label="Send an e-mail", attempts=3, priority=10)
def deliver_mail(message: dict[str, Any], job_attempt: int = 1) -> str:
    try:
        deliver(message)
    except Exception as exc:
        spec = spec_for(deliver_mail.module_path)
        if spec and job_attempt >= spec.attempts:
            # Spent: the message waits in the outbox for `pmo mail-retry` (hourly) instead.
            keep_failed(from_data(message), exc)
        raise
    return f"sent to {', '.join(message['to'])}"


@office_job(label="Daily digest of notifications")
def send_digests() -> str:
    sent = send()
    return f"{sent} digest{'s' if sent != 1 else ''} sent"


@office_job(label="Items due soon or overdue")
def notify_due(days: int = 2) -> str:
    made = notify_due_items(today=timezone.localdate(), due_within_days=days)
    with transaction.atomic():
        late = tell_late_dependencies(actor=None)
    return f"{made} notification{'s' if made != 1 else ''}, {late} late dependenc" \
           f"{'ies' if late != 1 else 'y'}"


@office_job(label="Timesheet reminders")
def remind_timesheets(today: str = "") -> str:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    made = remind(today=day)
    return f"{made} reminder{'s' if made != 1 else ''} sent"


@office_job(label="Support service levels and licence expiry")
def support_check() -> str:
    found = check_service_levels(now=timezone.now())
    told = alert_assets(today=timezone.localdate())
    return f"{found['warnings']} warnings, {found['breaches']} breaches, {told} expiry alerts"


@office_job(label="E-mail the scheduled saved reports that are due")
def send_reports() -> str:
    sent = send_due_reports(timezone.now())
    return f"{sent} report{'s' if sent != 1 else ''} sent"


@office_job(label="Send again the e-mail the mail server refused")
def retry_mail() -> str:
    sent, failing = retry_failed()
    return f"{sent} sent, {failing} still not sent"


@office_job(label="Rebuild the search index", attempts=2)
def reindex() -> str:
    return f"{rebuild()} entries indexed"


@office_job(label="Forget finished jobs")
def prune_jobs() -> str:
    return f"{prune_finished()} finished jobs forgotten"


@office_job(label="Bring the projects' figures up to date", attempts=2)
def warm_figures(day: str = "") -> str:
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    looked = warm(today)
    warm_under_way(today)  # who is expected on the timesheet status page
    # The master schedule of every plan, kept per state of the plans, is worked out here
    # rather than by its first reader after an edit (seconds at a thousand projects).
    master = "; master schedule worked out" if warm_master_schedule() else ""
    return f"{looked} project{'s' if looked != 1 else ''} up to date{master}"


def figures_changed(sender: Any, project_ids: list[int], **kwargs: Any) -> None:
    """After a commit that changed projects' data: one job brings every project's figures up
    to date, unless one is already waiting to start (it will see these changes too)."""
    if isinstance(warm_figures.get_backend(), DatabaseBackend) and DBTaskResult.objects.filter(
            task_path=warm_figures.module_path, status=TaskResultStatus.READY).exists():
        return
    enqueue_now(warm_figures)
