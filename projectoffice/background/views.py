"""The status page of a run: it refreshes itself (an HTTP Refresh header, no script needed)
while the job waits or runs, then goes on to the result, or shows the error."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from projectoffice.http import AuthedRequest
from projectoffice.web.shortcuts import office_view

from .models import RunState
from .runs import run_for

REFRESH_SECONDS = 2


@login_required
@office_view
def run_page(request: AuthedRequest, run_id: uuid.UUID) -> HttpResponse:
    run = run_for(request.user, str(run_id))
    if run.state == RunState.DONE and run.result_url and request.GET.get("stay") != "1":
        messages.success(request, run.summary or f"{run.label}: done.")
        return redirect(run.result_url)
    response = render(request, "background/run.html", {"run": run,
                                                       "refresh": REFRESH_SECONDS})
    if not run.finished:
        response["Refresh"] = str(REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
    return response
