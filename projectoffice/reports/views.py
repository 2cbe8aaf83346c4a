"""Status report pages: a project's reports and reporting set-up, one report (its figures,
the project manager's words, the review, the comparison with the last period), its PDF,
and the Project Office's page of reports to review and portfolio packs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.engine.reporting import period_containing
from projectoffice.errors import OfficeError
from projectoffice.finance import benefits as benefit_queries
from projectoffice.finance.rollup import MissingRate
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    has_global,
    project_operation,
    project_permissions,
    visible_projects,
)
from projectoffice.portfolio.health import health_of
from projectoffice.portfolio.models import Programme, Project, Rag
from projectoffice.web import paging
from projectoffice.web.shortcuts import office_view

from . import actions, charts, dashboard, queries
from .models import PeriodKind, ReportRevision
from .pdf import pack_pdf, report_pdf
from .snapshot import DECLARED_DIMENSIONS, SECTIONS


def _version(request: AuthedRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _back(project_code: str, pk: int) -> HttpResponse:
    return HttpResponseRedirect(reverse("report-detail", args=[project_code, pk]))


@login_required
@office_view
@project_operation("project.view")
def report_list(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    today = timezone.localdate()
    setup = actions.setup_of(project)

    current = period_containing(today, setup.period)
    reports = list(queries.reports_for(request.user, project))
    return render(request, "reports/list.html", {
        "project": project, "perms": perms, "reports": reports, "setup": setup,
        "current": current, "periods": PeriodKind.choices,
        "has_current": any(r.period_start == current.start for r in reports),
        "distribution": actions.distribution(project) if "report.write" in perms else [],
    })


@login_required
@office_view
@require_POST
@project_operation("report.write")
def report_setup(request: AuthedRequest, project: Project) -> HttpResponse:
    try:
        actions.configure_reporting(actor=request.user, project=project,
                                    version=_version(request),
                                    period=request.POST.get("period", ""),
                                    recipients=request.POST.get("recipients", ""))
        messages.success(request, "Reporting set-up saved.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("report-list", args=[project.code]))


@login_required
@office_view
@require_POST
@project_operation("report.write")
def report_start(request: AuthedRequest, project: Project) -> HttpResponse:
    try:
        report = actions.start_report(actor=request.user, project=project,
                                      today=timezone.localdate())
    except OfficeError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("report-list", args=[project.code]))
    return _back(project.code, report.pk)


@login_required
@office_view
@project_operation("project.view")
def report_detail(request: AuthedRequest, project: Project, pk: int,
                  error: OfficeError | None = None, posted: Any = None) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    perms = project_permissions(request.user, project)
    view = queries.report_view(report, timezone.localdate())
    revisions = (ReportRevision.objects.filter(report=report).select_related("saved_by")[:20]
                 if queries.sees_drafts(request.user, project) else [])
    errors = error.errors if error else {}
    sections = {key: {"key": key, "label": label,
                      "text": posted.get(f"commentary_{key}", text) if posted else text,
                      "errors": errors.get(f"commentary.{key}", [])}
                for key, label, text in view.sections}
    declarable = {"overall", *(k for k, _ in DECLARED_DIMENSIONS)}
    declared = [{**row, "declarable": row["key"] in declarable,
                 "errors": errors.get(f"declared.{row['key']}", []),
                 "value": posted.get(f"declared_{row['key']}") if posted else row["declared"]}
                for row in view.declared_rows]
    return render(request, "reports/detail.html", {
        "project": project, "perms": perms, "report": report, "view": view,
        "figures": view.figures, "sections": sections, "revisions": revisions,
        "declared": declared, "error": error,
        "reason_errors": errors.get("declared.reason", []),
        "reason": posted.get("declared_reason") if posted else report.declared.get("reason"),
        "can_edit": report.editable and "report.write" in perms,
        "can_submit": report.editable and "report.write" in perms,
        "can_review": report.status == "submitted" and "report.review" in perms,
        "can_publish": report.status == "accepted" and "report.review" in perms,
        "rags": Rag.choices, "dimensions": [("overall", "Overall"), *DECLARED_DIMENSIONS],
        "trend_svg": charts.ev_trend_svg(view.trend) if len(view.trend) > 1 else "",
    }, status=422 if error else 200)


@login_required
@office_view
@require_POST
@project_operation("project.view")
def report_edit(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    p = request.POST
    declared = {key: p.get(f"declared_{key}", "") for key in
                ("overall", *(k for k, _ in DECLARED_DIMENSIONS))}
    declared["reason"] = p.get("declared_reason", "")
    commentary = {key: p.get(f"commentary_{key}", "") for key, _ in SECTIONS}
    try:
        actions.edit_report(actor=request.user, report=report, version=_version(request),
                            declared=declared, commentary=commentary)
    except OfficeError as exc:
        return report_detail(request, project.code, pk, error=exc, posted=p)  # type: ignore[no-any-return]
    messages.success(request, "Report saved.")
    return _back(project.code, pk)


@login_required
@office_view
@require_POST
@project_operation("project.view")
def report_submit(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    try:
        actions.submit_report(actor=request.user, report=report, version=_version(request),
                              today=timezone.localdate())
        messages.success(request, "Report submitted to the Project Office; its figures are "
                                  "now frozen.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return _back(project.code, pk)


@login_required
@office_view
@require_POST
@project_operation("project.view")
def report_review(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    try:
        done = actions.review_report(actor=request.user, report=report,
                                     version=_version(request),
                                     decision=request.POST.get("decision", ""),
                                     comment=request.POST.get("comment", ""))
        messages.success(request, f"Report {done.get_status_display().lower()}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return _back(project.code, pk)


@login_required
@office_view
@require_POST
@project_operation("project.view")
def report_publish(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    try:
        actions.publish_report(actor=request.user, report=report, version=_version(request))
        messages.success(request, "Report published and sent to the project's distribution.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return _back(project.code, pk)


@login_required
@office_view
@project_operation("project.view")
def report_pdf_view(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="status-report-{project.code}-{report.period_start}.pdf"')
    return response


@login_required
@office_view
@project_operation("project.view")
def report_trend_svg(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    report = queries.get_report(request.user, project, pk)
    view = queries.report_view(report, timezone.localdate())
    svg = charts.ev_trend_svg(view.trend)
    if request.GET.get("format") == "png":
        return HttpResponse(charts.png(svg), content_type="image/png")
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@office_view
def office_reports(request: AuthedRequest) -> HttpResponse:
    projects = visible_projects(request.user)
    return render(request, "reports/office.html", {
        "queue": queries.review_queue(request.user),
        "reviewer": has_global(request.user, "report.review"),
        "periods": queries.published_periods(projects),
    })


@login_required
@office_view
def pack_view(request: AuthedRequest, kind: str, start: str) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(start)
    except ValueError as exc:
        raise Http404("No such period") from exc
    if kind not in PeriodKind.values:
        raise Http404("No such period")
    reports = queries.published_in(kind, day, visible_projects(request.user))
    if not reports:
        raise Http404("No published reports in that period")
    label = queries.period_of(reports[0]).label
    response = HttpResponse(pack_pdf(label, reports), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="portfolio-pack-{kind}-{day}.pdf"'
    return response


# ---- the portfolio dashboard and the programme page ---------------------------------------

def _chart_response(svg: str, fmt: str, name: str) -> HttpResponse:
    """An SVG chart as SVG, PNG or PDF (for slides and packs)."""
    if fmt == "png":
        response = HttpResponse(charts.png(svg), content_type="image/png")
    elif fmt == "pdf":
        import cairosvg

        response = HttpResponse(cairosvg.svg2pdf(bytestring=svg.encode()),
                                content_type="application/pdf")
    elif fmt == "svg":
        response = HttpResponse(svg, content_type="image/svg+xml")
    else:
        raise Http404("Charts come as svg, png or pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


MATRIX_PER_PAGE = 100  # projects in the dashboard's health matrix at a time


@login_required
@office_view
def portfolio_dashboard(request: AuthedRequest) -> HttpResponse:
    """The health matrix a page of projects at a time (a portfolio holds hundreds); the
    bubble chart, milestones and escalations over every active project."""
    today = timezone.localdate()
    projects = dashboard.active_projects(visible_projects(request.user))
    pager = paging.page_of(projects, request.GET.get("page"), MATRIX_PER_PAGE)
    return render(request, "reports/dashboard.html", {
        "rows": dashboard.health_matrix(list(pager.rows), today), "pager": pager,
        "milestones": dashboard.milestones(projects, today),
        "escalations": dashboard.escalations(request.user, projects),
        "bubble_svg": dashboard.bubble_svg(dashboard.bubbles(projects, today)),
        "labels": [("overall", "Overall"), *DECLARED_DIMENSIONS],
        "programmes": Programme.objects.filter(projects__in=projects).distinct(),
        "horizon": dashboard.HORIZON_DAYS, "today": today,
        "queue": queries.review_queue(request.user).count(),
    })


@login_required
@office_view
def dashboard_chart(request: AuthedRequest, chart: str, fmt: str) -> HttpResponse:
    today = timezone.localdate()
    projects = dashboard.active_projects(visible_projects(request.user))
    if chart == "bubble":
        svg = dashboard.bubble_svg(dashboard.bubbles(projects, today))
    elif chart == "matrix":
        svg = dashboard.matrix_svg(dashboard.health_matrix(projects, today))
    else:
        raise Http404("No such chart")
    return _chart_response(svg, fmt, f"portfolio-{chart}")


def _programme(request: AuthedRequest, code: str) -> tuple[Any, list[Any]]:
    programme = Programme.objects.filter(code=code).select_related("manager",
                                                                   "sponsor").first()
    projects = list(visible_projects(request.user).filter(programme__code=code)
                    .select_related("manager", "programme").order_by("code"))
    if programme is None or not projects:
        raise Http404(f"No programme {code}")
    return programme, projects


@login_required
@office_view
def programme_page(request: AuthedRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    programme, projects = _programme(request, code)
    rows = dashboard.health_matrix(projects, today)
    healths = {r.project.pk: r.health for r in rows}
    money: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.health.bac is None:
            continue
        m = money.setdefault(r.project.currency, {"bac": 0, "eac": 0, "vac": 0, "n": 0})
        m["bac"] += r.health.bac
        m["vac"] += r.health.vac or 0
        m["eac"] += r.health.bac - (r.health.vac or 0)
        m["n"] += 1
    benefit_error = ""
    try:
        benefits: Any = benefit_queries.rollup(projects, today)
    except MissingRate as exc:
        benefits, benefit_error = None, str(exc)
    return render(request, "reports/programme.html", {
        "programme": programme, "rows": rows,
        "labels": [("overall", "Overall"), *DECLARED_DIMENSIONS],
        "roadmap_svg": dashboard.roadmap_svg(projects, healths, today),
        "money": sorted(money.items()), "benefits": benefits, "benefit_error": benefit_error,
        "escalations": dashboard.escalations(request.user, projects),
        "milestones": dashboard.milestones(projects, today),
        "horizon": dashboard.HORIZON_DAYS,
    })


@login_required
@office_view
def programme_chart(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    programme, projects = _programme(request, code)
    healths = health_of(projects, timezone.localdate())
    return _chart_response(dashboard.roadmap_svg(projects, healths, timezone.localdate()),
                           fmt, f"roadmap-{programme.code}")
