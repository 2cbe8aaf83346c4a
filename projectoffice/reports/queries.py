"""Reads of status reports shared by the pages, the API and the PDFs: who sees which report,
a report's figures (frozen, or live while a draft), the comparison with the previous
period's published report and the earned-value trend across published reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from projectoffice.engine.reporting import Changes, Period, compare, period_containing
from projectoffice.errors import NotFound
from projectoffice.portfolio.access import has_global, has_perm
from projectoffice.portfolio.models import Project

from .models import ReportStatus, StatusReport
from .snapshot import DECLARED_DIMENSIONS, SECTIONS, build_snapshot


def sees_drafts(user: Any, project: Project) -> bool:
    """The project's managers and the Project Office read reports before publication."""
    return has_perm(user, project, "report.write") or has_perm(user, project, "report.review")


def reports_for(user: Any, project: Project) -> QuerySet[StatusReport]:
    rows = StatusReport.objects.filter(project=project).select_related("author", "project")
    if sees_drafts(user, project):
        return rows
    return rows.filter(status=ReportStatus.PUBLISHED)


def get_report(user: Any, project: Project, pk: int) -> StatusReport:
    """A status report of the project the user may read (drafts only to those who see them)."""
    report = reports_for(user, project).filter(pk=pk).first()
    if report is None:
        raise NotFound(f"No status report {pk} in {project.code}")
    return report


def period_of(report: StatusReport) -> Period:
    return period_containing(report.period_start, report.period_kind)


def previous_published(report: StatusReport) -> StatusReport | None:
    return (StatusReport.objects.filter(project_id=report.project_id,
                                        status=ReportStatus.PUBLISHED,
                                        period_start__lt=report.period_start)
            .order_by("-period_start").first())


def figures_of(report: StatusReport, today: dt.date) -> dict[str, Any]:
    """The frozen snapshot of a submitted report; a draft's figures as they stand now."""
    if report.snapshot is not None:
        return dict(report.snapshot)
    return build_snapshot(report.project, period_of(report), today, report.declared)


def ev_trend(report: StatusReport, figures: dict[str, Any],
             limit: int = 12) -> list[dict[str, Any]]:
    """SPI and CPI of the published reports before this one, and this one's, by period."""
    earlier = (StatusReport.objects.filter(project_id=report.project_id,
                                           status=ReportStatus.PUBLISHED,
                                           period_start__lt=report.period_start)
               .order_by("-period_start").values_list("period_start", "snapshot")[:limit - 1])
    points = []
    for start, snap in reversed(list(earlier)):
        ev = (snap or {}).get("earned_value") or {}
        points.append({"period": start.isoformat(), "spi": ev.get("spi"),
                       "cpi": ev.get("cpi")})
    ev = figures.get("earned_value") or {}
    points.append({"period": report.period_start.isoformat(), "spi": ev.get("spi"),
                   "cpi": ev.get("cpi")})
    return points


@dataclass
class ReportView:
    report: StatusReport
    period: Period
    figures: dict[str, Any]
    changes: Changes | None
    previous: StatusReport | None
    trend: list[dict[str, Any]]

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        return [(key, label, self.report.commentary.get(key, "")) for key, label in SECTIONS]

    @property
    def declared_rows(self) -> list[dict[str, Any]]:
        """Per dimension: declared and computed RAG side by side."""
        computed = {d["key"]: d for d in self.figures["health"]["dimensions"]}
        rows = [{"key": "overall", "label": "Overall",
                 "declared": self.report.declared.get("overall"),
                 "computed": self.figures["health"]["computed"],
                 "reason": self.figures["health"]["reason"]}]
        for key, label in DECLARED_DIMENSIONS:
            c = computed.get(key)
            rows.append({"key": key, "label": label,
                         "declared": self.report.declared.get(key),
                         "computed": c["rag"] if c else None,
                         "reason": c["reason"] if c else "declared by the project manager"})
        for key, c in computed.items():
            if key not in dict(DECLARED_DIMENSIONS):
                rows.append({"key": key, "label": c["label"], "declared": None,
                             "computed": c["rag"], "reason": c["reason"]})
        return rows


def report_view(report: StatusReport, today: dt.date) -> ReportView:
    figures = figures_of(report, today)
    previous = previous_published(report)
    changes = None
    if previous is not None and previous.snapshot:
        changes = compare(previous.snapshot, figures, period_of(previous).label)
    return ReportView(report, period_of(report), figures, changes, previous,
                      ev_trend(report, figures))


def review_queue(user: Any) -> QuerySet[StatusReport]:
    """Reports waiting for the Project Office: submitted (to review) and accepted (to
    publish)."""
    if not has_global(user, "report.review"):
        return StatusReport.objects.none()
    return (StatusReport.objects.filter(status__in=(ReportStatus.SUBMITTED,
                                                    ReportStatus.ACCEPTED))
            .select_related("project", "author").order_by("submitted_at"))


def published_in(kind: str, start: dt.date,
                 projects: QuerySet[Project] | None = None) -> list[StatusReport]:
    """The published reports of one period, by project code."""
    rows = StatusReport.objects.filter(status=ReportStatus.PUBLISHED, period_kind=kind,
                                       period_start=start)
    if projects is not None:
        rows = rows.filter(project__in=projects)
    return list(rows.select_related("project", "project__programme").order_by("project__code"))


def published_periods(projects: QuerySet[Project]) -> list[dict[str, Any]]:
    """Each period with published reports: its label and how many."""
    from django.db.models import Count

    rows = (StatusReport.objects.filter(status=ReportStatus.PUBLISHED, project__in=projects)
            .values("period_kind", "period_start").annotate(n=Count("id"))
            .order_by("-period_start", "period_kind"))
    return [{"kind": r["period_kind"], "start": r["period_start"], "count": r["n"],
             "label": period_containing(r["period_start"], r["period_kind"]).label}
            for r in rows]
