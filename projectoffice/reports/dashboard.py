"""The portfolio dashboard and the programme page: reads shared by the pages and the chart
exports.

The health matrix is what the projects REPORTED: the declared RAG per dimension of each
project's latest published status report, with the move since the report before it; the
computed overall RAG next to it is today's (portfolio/health.py). The matrix shows a page of
projects; the value-against-risk bubbles and the due and slipped milestones cover every
active project and are kept under the projects' data versions (audit/kept.py), so they
show each change on the next read; escalated issues and risks are read live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from projectoffice.audit.kept import kept
from projectoffice.controls.models import ProjectControls, Risk, default_risk_scale
from projectoffice.controls.queries import escalated_issues
from projectoffice.controls.workflows import RISK_WORKFLOW
from projectoffice.engine import health as health_rule
from projectoffice.engine.reporting import trend_arrow
from projectoffice.finance.models import CashFlowLine
from projectoffice.finance.queries import earned_value_figures
from projectoffice.planning.models import BaselineTask, PlanTask
from projectoffice.portfolio.health import (
    ProjectHealth,
    computed_rags,
    health_of,
    thresholds_row,
)
from projectoffice.portfolio.models import Project, ProjectStatus

from .charts import FONT, RAG_COLOURS
from .models import ReportStatus, StatusReport
from .queries import period_of
from .snapshot import DECLARED_DIMENSIONS

MATRIX_KEYS = ("overall", *(k for k, _ in DECLARED_DIMENSIONS))
HORIZON_DAYS = 30
MILESTONES_SHOWN = 20  # of those due and of those slipped
CLOSED = (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)


@dataclass
class MatrixRow:
    project: Project
    health: ProjectHealth
    period: str = ""
    cells: list[dict[str, Any]] = field(default_factory=list)  # key, rag, before, arrow
    history: list[str | None] = field(default_factory=list)  # overall, oldest first


def _period_label(report: StatusReport) -> str:
    return period_of(report).label


def health_matrix(projects: list[Project], today: dt.date, periods: int = 6) -> list[MatrixRow]:
    """Per project: the declared RAG of each dimension in its latest published report,
    its move since the previous one, and the overall RAG of the last ``periods`` reports."""
    healths = health_of(projects, today)
    published: dict[int, list[StatusReport]] = {}
    for r in (StatusReport.objects.filter(project__in=projects, status=ReportStatus.PUBLISHED)
              .order_by("project_id", "-period_start").only(
                  "project_id", "period_start", "period_kind", "declared")):
        rows = published.setdefault(r.project_id, [])
        if len(rows) < periods:
            rows.append(r)
    out = []
    for project in projects:
        row = MatrixRow(project, healths[project.pk])
        reports = published.get(project.pk, [])
        latest = reports[0] if reports else None
        before = reports[1] if len(reports) > 1 else None
        if latest is not None:
            row.period = _period_label(latest)
        for key in MATRIX_KEYS:
            rag = latest.declared.get(key) if latest else None
            old = before.declared.get(key) if before else None
            row.cells.append({"key": key, "rag": rag, "before": old,
                              "arrow": trend_arrow(old, rag)})
        row.history = [r.declared.get("overall") for r in reversed(reports)]
        out.append(row)
    return out


def active_projects(visible: QuerySet[Project]) -> list[Project]:
    return list(visible.exclude(status__in=CLOSED)
                .select_related("manager", "programme").order_by("code"))


def milestones(projects: list[Project], today: dt.date) -> dict[str, Any]:
    """Open milestones due in the next 30 days, and open ones forecast after their
    baseline (the lowest-numbered baseline, as earned value uses). Which they are is kept
    under the projects' data versions and today (plans and baselines are project data)."""
    ids = [p.pk for p in projects]
    found = kept("dashboard-milestones", today.isoformat(),
                 lambda: _milestone_rows(ids, today), projects=ids)
    by_pk = {p.pk: p for p in projects}
    due: list[dict[str, Any]] = []
    slipped: list[dict[str, Any]] = []
    for project_id, name, finish, planned, slip in found:
        item = {"project": by_pk[project_id], "name": name, "finish": finish,
                "baseline": planned, "slip": slip}
        if finish and today <= finish <= today + dt.timedelta(days=HORIZON_DAYS):
            due.append(item)
        if slip and slip > 0:
            slipped.append(item)
    slipped.sort(key=lambda m: -int(m["slip"] or 0))
    # The soonest and the furthest slipped: a large portfolio has hundreds due in a month.
    return {"due": due[:MILESTONES_SHOWN], "due_count": len(due),
            "slipped": slipped[:MILESTONES_SHOWN], "slipped_count": len(slipped)}


MilestoneRow = tuple[int, str, "dt.date | None", "dt.date | None", "int | None"]


def _milestone_rows(project_ids: list[int], today: dt.date) -> list[MilestoneRow]:
    """(project pk, name, forecast finish day, baseline finish day, slip in days) of the open
    milestones due within the horizon or finishing after their baseline, soonest first."""
    # Rows, not model instances, and only the milestones the page can show — due within the
    # horizon or finishing after their baseline: a portfolio's plans hold tens of thousands.
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    saved = (BaselineTask.objects.filter(baseline__plan_id=OuterRef("plan_id"),
                                         uid=OuterRef("uid"))
             .order_by("baseline__number").values("finish")[:1])
    window = (dt.datetime.combine(today, dt.time()) - dt.timedelta(days=1),  # a day either
              dt.datetime.combine(horizon, dt.time()) + dt.timedelta(days=2))  # side
    rows: list[Any] = list(
        PlanTask.objects.filter(plan__project__in=project_ids, milestone=True,
                                percent_complete__lt=100, actual_finish__isnull=True,
                                finish__isnull=False)
        .annotate(saved=Subquery(saved))
        .filter(Q(finish__gt=F("saved")) | Q(finish__range=window))
        .order_by("finish", "pk")
        .values_list("uid", "name", "finish", "saved", "plan__project_id", named=True))
    out: list[MilestoneRow] = []
    for t in rows:
        finish: dt.date | None = health_rule.finish_day(t.finish)
        planned: dt.date | None = health_rule.finish_day(t.saved)
        out.append((t.plan__project_id, t.name, finish, planned,
                    (finish - planned).days if finish and planned else None))
    return out


def escalations(user: Any, projects: list[Project], limit: int = 8) -> dict[str, list[Any]]:
    """Issues escalated beyond their project, and the highest-scoring open risks."""
    issues = list(escalated_issues(user).filter(project__in=projects)[:limit])
    risks = list(Risk.objects.filter(project__in=projects,
                                     status__in=RISK_WORKFLOW.open_states)
                 .select_related("project", "owner")
                 .annotate(score=Coalesce("residual_score", "inherent_score"))
                 .order_by("-score", "project__code", "number")[:limit])
    return {"issues": issues, "risks": risks}


@dataclass(frozen=True)
class Bubble:
    code: str
    name: str
    value: float  # planned benefits of the business case (its cash-flow lines)
    risk: float  # worst open risk, % of the top score
    budget: float  # budget at completion
    rag: str | None
    currency: str


def bubbles(projects: list[Project], today: dt.date) -> list[Bubble]:
    """A bubble per project: its planned benefits, worst open risk, budget at completion
    (the earned value's, as its health reads it) and computed RAG. Kept as ``computed_rags``
    is, under every project's data version, today and the health thresholds (a project's
    RAG counts late dependencies on other projects)."""
    limits = thresholds_row().limits()
    return kept("dashboard-bubbles", (today.isoformat(), limits, [p.pk for p in projects]),
                lambda: _bubbles(projects, today))


def _bubbles(projects: list[Project], today: dt.date) -> list[Bubble]:
    ids = [p.pk for p in projects]
    value = dict(CashFlowLine.objects.filter(project_id__in=ids).values("project_id")
                 .annotate(v=Sum("benefits")).values_list("project_id", "v"))
    worst = dict(Risk.objects.filter(project_id__in=ids, status__in=RISK_WORKFLOW.open_states)
                 .values("project_id")
                 .annotate(top=Max(Coalesce("residual_score", "inherent_score")))
                 .values_list("project_id", "top"))
    scales = dict(ProjectControls.objects.filter(project_id__in=ids)
                  .values_list("project_id", "risk_scale"))
    bac = {pk: ev.figures.get("bac") for pk, ev in earned_value_figures(projects).items()
           if ev is not None}
    rags = computed_rags(projects, today)
    out = []
    for project in projects:
        pk = project.pk
        scale = scales.get(pk) or default_risk_scale()
        out.append(Bubble(project.code, project.name, float(value.get(pk) or 0),
                          100.0 * float(worst.get(pk) or 0) / (scale ** 2),
                          float(bac.get(pk) or Decimal(0)), rags.get(pk), project.currency))
    return out


def _money(v: float) -> str:
    if v >= 1e6:
        return f"{v / 1e6:.1f}m"
    if v >= 1e3:
        return f"{v / 1e3:.0f}k"
    return f"{v:.0f}"


def bubble_svg(points: list[Bubble], width: int = 640, height: int = 400) -> str:
    """Value for money (planned benefits ÷ budget at completion, x) against the worst open
    risk (y); the bubble's area is the budget, its colour the computed RAG. Projects
    without a budget cannot be placed and are named below the plot."""
    left, right, top, bottom = 64, 20, 20, 56
    pw, ph = width - left - right, height - top - bottom
    placed = [p for p in points if p.budget > 0]
    ratios = [p.value / p.budget for p in placed] or [0.0, 1.0]
    lo = max(0.0, min(ratios) - 0.15 * (max(ratios) - min(ratios) or 1))
    hi = max(ratios) + 0.15 * (max(ratios) - min(ratios) or 1)
    bmax = max([p.budget for p in placed] + [1.0])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Value for money '
             f'against the worst open risk, bubble area the budget">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>',
             f'<rect x="{left}" y="{top}" width="{pw / 2:.1f}" height="{ph / 2:.1f}" '
             f'fill="#fdf3f2"/>',
             f'<rect x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" width="{pw / 2:.1f}" '
             f'height="{ph / 2:.1f}" fill="#eef7f0"/>']
    for i in range(5):
        y = top + ph * i / 4
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e3e3e3"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end" font-size="11" {FONT} fill="#444">'
                     f'{100 - 25 * i}%</text>')
        x = left + pw * i / 4
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + ph}" '
                     f'stroke="#e3e3e3"/><text x="{x:.1f}" y="{top + ph + 16}" '
                     f'text-anchor="middle" font-size="11" {FONT} fill="#444">'
                     f'{lo + (hi - lo) * i / 4:.2f}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 14}" text-anchor="middle" '
                 f'font-size="12" {FONT} fill="#222">Value: planned benefits ÷ budget at '
                 f'completion</text>')
    parts.append(f'<text transform="translate(16 {top + ph / 2:.1f}) rotate(-90)" '
                 f'text-anchor="middle" font-size="12" {FONT} fill="#222">Worst open risk '
                 f'(% of top score)</text>')
    for p in sorted(placed, key=lambda b: -b.budget):
        cx = left + pw * (p.value / p.budget - lo) / (hi - lo)
        cy = top + ph * (1 - min(p.risk, 100) / 100)
        r = 6 + 18 * (p.budget / bmax) ** 0.5
        colour = RAG_COLOURS.get(p.rag, "#9e9e9e")
        parts.append(f'<g><title>{escape(p.code)} {escape(p.name)}: benefits '
                     f'{_money(p.value)}, budget {_money(p.budget)} {p.currency} (ratio '
                     f'{p.value / p.budget:.2f}), worst risk {p.risk:.0f}%</title>'
                     f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}" '
                     f'fill-opacity="0.45" stroke="{colour}"/><text x="{cx:.1f}" '
                     f'y="{cy - r - 3:.1f}" text-anchor="middle" font-size="11" '
                     f'font-weight="bold" {FONT} fill="#111">{escape(p.code)}</text></g>')
    unplaced = [p.code for p in points if p.budget <= 0]
    if unplaced:
        parts.append(f'<text x="{left}" y="{height - 1}" font-size="10" {FONT} fill="#666">'
                     f'No budget yet: {escape(", ".join(unplaced[:12]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def roadmap_svg(projects: list[Project], healths: dict[int, ProjectHealth], today: dt.date,
                width: int = 760) -> str:
    """A programme's projects as bars from start to finish, today marked."""
    rows = [(p, p.start_date, healths[p.pk].finish.date) for p in projects]
    days = [d for _, s, f in rows for d in (s, f) if d] + [today]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    left, right, top, bar = 150, 20, 28, 26
    height = top + bar * len(rows) + 16
    pw = width - left - right

    def x(day: dt.date) -> float:
        return left + pw * (day - first).days / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Roadmap of the '
             f'programme\'s projects">', f'<rect width="{width}" height="{height}" fill="#fff"/>']
    year = first.year
    while dt.date(year, 1, 1) <= last:
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if first <= day <= last:
                parts.append(f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="16" '
                             f'y2="{height - 8}" stroke="#e3e3e3"/><text x="{x(day) + 3:.1f}"'
                             f' y="14" font-size="10" {FONT} fill="#555">{day:%b %Y}</text>')
        year += 1
    for i, (p, start, finish) in enumerate(rows):
        y = top + i * bar
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
                     f'{FONT} fill="#222">{escape(p.code)}</text>')
        if start and finish:
            colour = RAG_COLOURS.get(healths[p.pk].computed, "#9e9e9e")
            parts.append(f'<rect x="{x(start):.1f}" y="{y + 4}" width="'
                         f'{max(x(finish) - x(start), 2):.1f}" height="{bar - 8}" rx="3" '
                         f'fill="{colour}" fill-opacity="0.75"><title>{escape(str(p))}: '
                         f'{start} to {finish}</title></rect>')
    parts.append(f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="18" y2="{height - 4}" '
                 f'stroke="#1565c0" stroke-width="2"/><text x="{x(today) + 3:.1f}" '
                 f'y="{height - 4}" font-size="10" {FONT} fill="#1565c0">today</text>')
    parts.append("</svg>")
    return "".join(parts)


def matrix_svg(rows: list[MatrixRow]) -> str:
    """The health matrix as a picture, for slides."""
    labels = [("overall", "Overall"), *DECLARED_DIMENSIONS]
    cw, rh, left, top = 86, 26, 250, 30
    width, height = left + cw * len(labels) + 10, top + rh * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Health matrix">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>']
    for j, (_, label) in enumerate(labels):
        parts.append(f'<text x="{left + cw * j + cw / 2}" y="20" text-anchor="middle" '
                     f'font-size="12" font-weight="bold" {FONT}>{label}</text>')
    arrows = {"up": "▲", "down": "▼", "same": "", "": ""}
    for i, row in enumerate(rows):
        y = top + rh * i
        parts.append(f'<text x="8" y="{y + 17}" font-size="12" {FONT}>'
                     f'{escape(str(row.project)[:34])}</text>')
        for j, cell in enumerate(row.cells):
            colour = RAG_COLOURS.get(cell["rag"], "#d6d6d6")
            parts.append(f'<rect x="{left + cw * j + 2}" y="{y + 2}" width="{cw - 4}" '
                         f'height="{rh - 4}" rx="3" fill="{colour}"/><text '
                         f'x="{left + cw * j + cw / 2}" y="{y + 17}" text-anchor="middle" '
                         f'font-size="11" {FONT} fill="#fff">{(cell["rag"] or "—").title()} '
                         f'{arrows[cell["arrow"]]}</text>')
    parts.append("</svg>")
    return "".join(parts)
