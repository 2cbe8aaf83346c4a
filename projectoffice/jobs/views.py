"""The Jobs page (Project Office manager): what is queued, running, done and failed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import has_global
from projectoffice.web.shortcuts import office_view

from . import actions, queries
from .schedule import last_runs, timetable


@login_required
@office_view
def jobs_page(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in queries.STATE_FILTERS:
        state = ""
    found: Any = queries.jobs(request.user, state)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    runs = last_runs()
    return render(request, "jobs/jobs.html", {
        "page": page, "rows": [queries.view_of(r) for r in page],
        "state": state,
        "states": list(queries.STATE_FILTERS), "counts": queries.counts(request.user),
        "timetable": [(e, runs.get(e.name)) for e in timetable()],
        "may_start": has_global(request.user, "jobs.start"),
    })


@login_required
@office_view
def job_page(request: AuthedRequest, job_id: str) -> HttpResponse:
    return render(request, "jobs/job.html", {"job": queries.job(request.user, job_id)})


@login_required
@require_POST
@office_view
def job_start(request: AuthedRequest) -> HttpResponse:
    try:
        run = actions.start_job(actor=request.user, name=request.POST.get("name", ""))
    except OfficeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Job {run.name} queued: the worker starts it shortly.")
    return redirect("jobs")
