"""Runs over the API: an import or levelling started over the API answers 202 with the run;
its `status_url` says how it went (the person who started it, or the Project Office
manager)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Router, Schema

from projectoffice.accounts.operations import object_operation
from projectoffice.http import AuthedRequest

from .models import Run
from .runs import run_for

router = Router(tags=["Background jobs"])


class BackgroundRunOut(Schema):
    """Work done by a background job: `state` is queued, running, done or failed. Done: the
    `summary`, the `result` (e.g. a levelling proposal) and where to see it; failed: the
    `message` and one line per field or row in `problems`; nothing was changed."""

    id: str
    label: str
    state: str
    project: str | None
    filename: str
    attempt: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    summary: str
    result: dict[str, Any]
    result_url: str
    message: str
    problems: list[str]
    status_url: str  # this resource, to poll
    page_url: str  # the status page for a browser


def run_out(run: Run) -> dict[str, Any]:
    return {"id": str(run.pk), "label": run.label, "state": run.state,
            "project": run.project.code if run.project else None, "filename": run.filename,
            "attempt": run.attempt, "created_at": run.created_at,
            "started_at": run.started_at, "finished_at": run.finished_at,
            "summary": run.summary, "result": run.result, "result_url": run.result_url,
            "message": run.message, "problems": run.problems,
            "status_url": f"/api/v1/background-runs/{run.pk}",
            "page_url": reverse("run", kwargs={"run_id": run.pk})}


@router.get("/background-runs/{background_run_id}", response=BackgroundRunOut)
@object_operation("own run, or jobs.view")
def get_run(request: AuthedRequest, background_run_id: str) -> dict[str, Any]:
    """How an import or levelling started in the background went; poll until `state` is
    done or failed."""
    return run_out(run_for(request.user, background_run_id))
