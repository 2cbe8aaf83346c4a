"""The one pattern for slow work started from a page: `start` stores the upload and enqueues
`carry_out`; the job does the work all-or-nothing in one transaction and keeps how it ended
on the run (the summary and where to see the result, or the error in the user's words).

A piece of work is a module-level function declared with `@background_work`, taking the run
and the uploaded bytes and returning an `Outcome`. It runs as the person who started it, so
it checks their permissions again as it would have inside the request."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from projectoffice.errors import NotFound, OfficeError
from projectoffice.portfolio.access import has_global
from projectoffice.portfolio.models import Project

from .models import Run, RunState
from .registry import enqueue, office_job, spec_for

logger = logging.getLogger("projectoffice.jobs")

WORK_MARK = "_background_work"


@dataclass(frozen=True)
class Outcome:
    summary: str  # e.g. "Plan imported: 1,204 tasks"
    url: str  # where the result is shown
    result: dict[str, Any] = field(default_factory=dict)  # kept on the run (JSON)


Work = Callable[[Run, bytes], Outcome]


def background_work(func: Work) -> Work:
    """Marks a function as work `start` may run (nothing else is ever looked up by name)."""
    setattr(func, WORK_MARK, True)
    return func


def _path(work: Work) -> str:
    return f"{work.__module__}.{work.__qualname__}"


def _work(path: str) -> Work:
    try:
        found = import_string(path)
    except ImportError as exc:
        raise LookupError(f"no background work {path}") from exc
    if not getattr(found, WORK_MARK, False):
        raise LookupError(f"{path} is not background work")
    return found  # type: ignore[no-any-return]


def _stored_name(filename: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip(".-")[-100:]
    return name or "upload"


def start(*, actor: Any, work: Work, label: str, project: Project | None = None,
          data: bytes | None = None, filename: str = "", params: dict[str, Any] | None = None,
          back_url: str = "") -> Run:
    """Records the run, stores the upload (in the office's file storage, so a worker on
    another machine reads it too) and enqueues the job, as part of the caller's transaction.
    With PMO_JOBS_BACKEND=at-once the run has finished when this returns."""
    _work(_path(work))
    with transaction.atomic():
        run = Run.objects.create(work=_path(work), label=label[:200], project=project,
                                 started_by=actor, filename=filename[:255],
                                 params=params or {}, back_url=back_url[:500])
        if data is not None:
            run.upload.save(_stored_name(filename), ContentFile(data), save=True)
        enqueue(carry_out, str(run.pk))
    run.refresh_from_db()
    return run


def _finish(run: Run, state: str, **fields: Any) -> None:
    Run.objects.filter(pk=run.pk).update(state=state, finished_at=timezone.now(), **fields)
    if run.upload:
        # All or nothing, and done with: the stored file is not kept past the end.
        run.upload.delete(save=False)
        Run.objects.filter(pk=run.pk).update(upload="")


def _where(key: str) -> str:
    """ "row 12.owner" → "Row 12, owner: "; a field of the request itself (file, plan) names
    nothing more than the message does."""
    row, dot, name = key.partition(".")
    return f"{row.capitalize()}, {name}: " if dot else ""


def problems_of(exc: OfficeError) -> list[str]:
    """One line per field or row the error names (the message alone when it names none)."""
    lines = [f"{_where(key)}{m}" for key, messages in exc.errors.items() for m in messages]
    return lines if lines else [exc.message]


@office_job(label="Import, levelling or other work started from a page", attempts=3,
            own_transaction=True)
def carry_out(run_id: str, job_attempt: int = 1) -> str:
    run = Run.objects.select_related("project", "started_by").filter(pk=run_id).first()
    if run is None:
        return "the run is gone"
    if run.finished:
        return f"already {run.state}"
    Run.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=timezone.now(),
                                         attempt=job_attempt, message="")
    try:
        work = _work(run.work)
        data = b""
        if run.upload:
            with run.upload.open("rb") as handle:
                data = handle.read()
        with transaction.atomic():
            outcome = work(run, data)
    except OfficeError as exc:
        # The input is wrong (or no longer allowed): another attempt would end the same way.
        _finish(run, RunState.FAILED, message=exc.message, problems=problems_of(exc))
        raise
    except Exception as exc:
        spec = spec_for(carry_out.module_path)
        if spec is not None and job_attempt < spec.attempts:
            Run.objects.filter(pk=run.pk).update(
                state=RunState.QUEUED,
                message=f"Attempt {job_attempt} did not finish ({type(exc).__name__}); "
                        "it is tried again shortly.")
        else:
            _finish(run, RunState.FAILED,
                    message=f"The work could not be finished: {type(exc).__name__}: {exc}",
                    problems=[])
        raise
    _finish(run, RunState.DONE, summary=outcome.summary[:500], result_url=outcome.url[:500],
            result=outcome.result, message="")
    return outcome.summary


def run_for(user: Any, run_id: str) -> Run:
    """A run, for the person who started it or a Project Office manager (jobs.view)."""
    try:
        key = uuid.UUID(str(run_id))
    except ValueError:
        raise NotFound(f"No run {run_id}") from None
    run = Run.objects.select_related("project", "started_by").filter(pk=key).first()
    if run is None or (run.started_by_id != user.pk and not has_global(user, "jobs.view")):
        raise NotFound(f"No run {run_id}")
    return run


def latest(*, work: Work, project: Project, user: Any) -> Run | None:
    """The last run of this work on the project that this person started."""
    return Run.objects.filter(work=_path(work), project=project,
                              started_by=user).order_by("-created_at").first()
