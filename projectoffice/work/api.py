"""My work over the API: my tasks across plans, and the inbox of what waits for me."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema

from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import office_operation

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
    key: str
    project: str | None
    title: str
    what: str
    since: dt.datetime | dt.date | None
    url: str


class InboxSectionOut(Schema):
    kind: str
    label: str
    count: int
    entries: list[InboxEntryOut]


@router.get("/me/tasks", response=list[MyTaskOut])
@office_operation("authenticated")
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


@router.get("/me/inbox", response=list[InboxSectionOut])
@office_operation("authenticated")
def my_inbox(request: AuthedRequest, limit: int = 50) -> list[dict[str, Any]]:
    """Everything waiting for my decision across projects, by kind: how many, and the
    oldest `limit` (1–500) of each."""
    if not 1 <= limit <= 500:
        raise InvalidInput.field("limit", "must be between 1 and 500")
    return [{"kind": section.source.key, "label": section.source.label,
             "count": section.count,
             "entries": [{"key": e.key, "project": e.project.code if e.project else None,
                          "title": e.title, "what": e.what, "since": e.since, "url": e.url}
                         for e in section.entries]}
            for section in inbox_sources.inbox(request.user, limit)]
