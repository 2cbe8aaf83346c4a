"""Status reports over the API: a project's reports that the caller may read, with the
declared RAGs and, once submitted, the frozen figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema

from projectoffice.apischema import username
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project

from . import queries
from .models import StatusReport

router = Router(tags=["Status reports"])


class ReportOut(Schema):
    id: int
    version: int
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    status: str
    author: str | None
    declared: dict[str, Any]
    commentary: dict[str, Any]
    snapshot: dict[str, Any] | None
    review_comment: str
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None


def report_out(r: StatusReport) -> dict[str, Any]:
    return {"id": r.pk, "version": r.version, "period_kind": r.period_kind,
            "period_start": r.period_start, "period_end": r.period_end, "status": r.status,
            "author": username(r.author), "declared": r.declared, "commentary": r.commentary,
            "snapshot": r.snapshot, "review_comment": r.review_comment,
            "submitted_at": r.submitted_at, "published_at": r.published_at}


@router.get("/projects/{code}/status-reports", response=list[ReportOut],
            summary="A project's status reports (drafts only for its managers and the PMO)")
@project_operation("project.view")
def list_reports(request: AuthedRequest, project: Project) -> list[dict[str, Any]]:
    return [report_out(r) for r in queries.reports_for(request.user, project)]
