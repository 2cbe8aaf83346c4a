"""Background jobs over the API (Project Office manager)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from ninja import Router, Schema, Status

from projectoffice.apischema import StrictIn
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import office_operation

from . import actions, queries

router = Router(tags=["Background jobs"])


class JobOut(Schema):
    id: str
    name: str
    label: str
    state: str
    attempt: int
    attempts: int
    retried: bool
    enqueued_at: dt.datetime
    run_after: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: str
    error: str
    error_class: str
    traceback: str


class JobPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[JobOut]


class JobStartIn(StrictIn):
    name: str


class JobStarted(Schema):
    name: str
    job_id: str


@router.get("/jobs", response=JobPage)
@office_operation("jobs.view")
def list_jobs(request: AuthedRequest, state: str = "", limit: int = 50,
              offset: int = 0) -> dict[str, Any]:
    """The office's background jobs, newest first; `state` is queued, running, done or
    failed. A failed job shows its error; `retried` says a later attempt follows."""
    count, views = queries.job_page(request.user, state.strip(), limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [asdict(v) for v in views]}


@router.get("/jobs/{job_id}", response=JobOut)
@office_operation("jobs.view")
def get_job(request: AuthedRequest, job_id: str) -> dict[str, Any]:
    return asdict(queries.job(request.user, job_id))


@router.post("/jobs", response={202: JobStarted})
@office_operation("jobs.start")
def start_job(request: AuthedRequest, payload: JobStartIn) -> Status[Any]:
    """Starts a job by hand: `reindex` or any scheduled job (digest, notify, …)."""
    run = actions.start_job(actor=request.user, name=payload.name)
    return Status(202, {"name": run.name, "job_id": run.job_id})
