"""My work over the API: my tasks across plans, and the inbox of what waits for me."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema

from projectoffice.http import AuthedRequest

from . import inbox as inbox_sources
from . import queries

router = Router(tags=["My work"])


class MyTaskOut(Schema):
    group: str
    project: str
    uid: int
    row: int
    name: str
    start: dt.datetime | None
    finish: dt.datetime | None
    percent_complete: float
    milestone: bool
    work_hours: float
    plan_version: int
    may_update: bool


class InboxEntryOut(Schema):
    kind: str
    kind_label: str
    project: str | None
    title: str
    what: str
    since: dt.datetime | dt.date | None
    url: str


@router.get("/me/tasks", response=list[MyTaskOut],
            openapi_extra={"x-permission": "authenticated"})
def my_tasks(request: AuthedRequest) -> list[dict[str, Any]]:
    """My unfinished tasks in every plan: late, due this week or next, or in progress or
    starting within four weeks (`group`)."""
    groups = queries.my_tasks(request.user, timezone.localdate())
    return [{"group": key, "project": t.project.code, "uid": t.uid, "row": t.row,
             "name": t.name, "start": t.start, "finish": t.finish,
             "percent_complete": t.percent_complete, "milestone": t.milestone,
             "work_hours": float(t.work_hours), "plan_version": t.plan_version,
             "may_update": t.may_update}
            for key, _ in queries.TASK_GROUPS for t in groups[key]]


@router.get("/me/inbox", response=list[InboxEntryOut],
            openapi_extra={"x-permission": "authenticated"})
def my_inbox(request: AuthedRequest) -> list[dict[str, Any]]:
    """Everything waiting for my decision across projects, by kind, oldest first."""
    return [{"kind": source.key, "kind_label": source.label,
             "project": e.project.code if e.project else None, "title": e.title,
             "what": e.what, "since": e.since, "url": e.url}
            for source, entries in inbox_sources.inbox(request.user) for e in entries]
