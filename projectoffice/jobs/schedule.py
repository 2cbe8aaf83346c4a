"""The office's own timetable: the daily and weekly jobs, enqueued by the scheduler that runs
inside each worker (no cron line to write). Several workers may run it: a unique row per job
and time slot (ScheduledRun) lets exactly one of them enqueue each run."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tasks
from .models import ScheduledRun
from .registry import enqueue_now, spec_for

logger = logging.getLogger("projectoffice.jobs")


@dataclass(frozen=True)
class Scheduled:
    name: str
    job: Any
    when: str  # in words, for the Jobs page
    slot: Callable[[dt.datetime], str | None]  # the current slot's key, None before it opens

    @property
    def label(self) -> str:
        spec = spec_for(self.job.module_path)
        return spec.label if spec else self.name


def _daily(hour: int, minute: int = 0) -> Callable[[dt.datetime], str | None]:
    def slot(now: dt.datetime) -> str | None:
        return now.date().isoformat() if (now.hour, now.minute) >= (hour, minute) else None
    return slot


def _weekly(weekday: int, hour: int) -> Callable[[dt.datetime], str | None]:
    def slot(now: dt.datetime) -> str | None:
        if now.weekday() != weekday or now.hour < hour:
            return None
        year, week, _ = now.isocalendar()
        return f"{year}-W{week:02d}"
    return slot


def _every(minutes: int) -> Callable[[dt.datetime], str | None]:
    def slot(now: dt.datetime) -> str | None:
        start = now.replace(minute=now.minute - now.minute % minutes, second=0, microsecond=0)
        return start.strftime("%Y-%m-%dT%H:%M")
    return slot


def timetable() -> list[Scheduled]:
    digest_hour = settings.PMO_DIGEST_HOUR
    return [
        Scheduled("notify", tasks.notify_due, "daily at 06:30", _daily(6, 30)),
        Scheduled("digest", tasks.send_digests, f"daily at {digest_hour:02d}:00",
                  _daily(digest_hour)),
        Scheduled("remind-timesheets", tasks.remind_timesheets, "Mondays at 09:00",
                  _weekly(0, 9)),
        Scheduled("support-check", tasks.support_check, "every 15 minutes", _every(15)),
        Scheduled("send-reports", tasks.send_reports, "every hour", _every(60)),
        Scheduled("mail-retry", tasks.retry_mail, "every hour", _every(60)),
        Scheduled("prune-jobs", tasks.prune_jobs, "daily at 03:00", _daily(3)),
        # The roll-ups' default status date is today: each day's figures kept before anyone
        # opens them.
        Scheduled("warm-figures", tasks.warm_figures, "daily at 00:05", _daily(0, 5)),
    ]


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueues every scheduled job whose current slot has not been run; returns their names.
    Times are the office's local time (PMO_TIME_ZONE)."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for entry in timetable():
        slot = entry.slot(local)
        if slot is None or ScheduledRun.objects.filter(name=entry.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=entry.name, slot=slot)
                run.job_id = enqueue_now(entry.job)
                run.save(update_fields=["job_id"])
        except IntegrityError:
            continue  # another worker's scheduler took this slot a moment earlier
        logger.info("Scheduled job %s enqueued for %s", entry.name, slot)
        started.append(entry.name)
    return started


def last_runs() -> dict[str, ScheduledRun]:
    runs: dict[str, ScheduledRun] = {}
    for entry in timetable():
        run = ScheduledRun.objects.filter(name=entry.name).order_by("-enqueued_at", "-pk").first()
        if run is not None:
            runs[entry.name] = run
    return runs
