"""What a status report reports, read from the office's data at one moment.

``build_snapshot`` gathers the figures a report shows — computed health (portfolio/health.py,
never recomputed here), milestones from the plan, earned value (finance/queries.py), top
risks and issues, decisions and changes of the period, the next period's tasks — as plain
JSON data. A draft shows it live; submitting a report freezes it in the report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.controls.models import ChangeRequest, Decision, Issue, Risk
from projectoffice.controls.workflows import (
    CHANGE_WORKFLOW,
    DECISION_WORKFLOW,
    ISSUE_WORKFLOW,
    RISK_WORKFLOW,
)
from projectoffice.engine import health as health_rule
from projectoffice.engine.reporting import Period, milestone_lists
from projectoffice.errors import InvalidInput
from projectoffice.finance.queries import earned_value
from projectoffice.planning.models import Baseline, Plan, PlanTask
from projectoffice.portfolio.health import project_health
from projectoffice.portfolio.models import Project, Rag

# The dimensions a project manager declares a RAG for, as the portfolio dashboard shows
# them; the first three are also judged from the figures (portfolio/health.py).
DECLARED_DIMENSIONS = (("schedule", "Schedule"), ("cost", "Cost"), ("risk", "Risk"),
                       ("scope", "Scope"), ("benefits", "Benefits"))
SECTIONS = (("summary", "Summary"), ("health", "Health"), ("milestones", "Milestones"),
            ("finance", "Earned value and cost"), ("risks", "Risks and issues"),
            ("decisions", "Decisions and changes"), ("next", "Next period"))
TOP = 5
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _num(value: Any) -> float | None:
    if value is None:
        return None
    return float(round(Decimal(value), 2))


def default_declared(project: Project, computed: dict[str, str | None]) -> dict[str, str]:
    """A new report's declared RAGs: the project's own RAG overall, and per dimension the
    computed one where the figures judge it, else green."""
    out = {"overall": str(project.rag), "reason": project.rag_reason}
    for key, _ in DECLARED_DIMENSIONS:
        out[key] = computed.get(key) or Rag.GREEN
    return out


def _milestones(project: Project, period: Period) -> list[dict[str, Any]]:
    tasks = list(PlanTask.objects.filter(plan__project=project, milestone=True)
                 .order_by("position"))
    if not tasks:
        return []
    baseline = Baseline.objects.filter(plan__project=project).order_by("number").first()
    base = dict(baseline.tasks.values_list("uid", "finish")) if baseline else {}
    out = []
    for t in tasks:
        finish = health_rule.finish_day(t.finish) if t.finish else None
        planned = health_rule.finish_day(base.get(t.uid)) if base.get(t.uid) else None
        done_on = None
        if t.actual_finish is not None:
            done_on = health_rule.finish_day(t.actual_finish)
        elif t.percent_complete >= 100:
            done_on = finish
        slip = (finish - planned).days if finish and planned else None
        out.append({"uid": t.uid, "name": t.name, "finish": _iso(finish),
                    "baseline": _iso(planned), "slip_days": slip, "done_on": _iso(done_on)})
    return out


def _next_tasks(project: Project, following: Period) -> list[dict[str, Any]]:
    start = dt.datetime.combine(following.start, dt.time.min)
    end = dt.datetime.combine(following.end + dt.timedelta(days=1), dt.time.min)
    rows = (PlanTask.objects.filter(plan__project=project, summary=False, start__gte=start,
                                    start__lt=end).order_by("start", "position")[:25])
    return [{"uid": t.uid, "name": t.name, "start": _iso(t.start.date()),
             "finish": _iso(health_rule.finish_day(t.finish)), "milestone": t.milestone}
            for t in rows]


def _person(user: Any) -> str:
    return str(user) if user is not None else ""


def _risks(project: Project) -> dict[str, Any]:
    rows = list(Risk.objects.filter(project=project, status__in=RISK_WORKFLOW.open_states)
                .select_related("owner"))
    rows.sort(key=lambda r: (-(r.residual_score or r.inherent_score or 0), r.number))
    return {"open": [{"ref": r.reference, "title": r.title} for r in rows],
            "top": [{"ref": r.reference, "title": r.title,
                     "score": r.residual_score or r.inherent_score, "owner": _person(r.owner),
                     "status": RISK_WORKFLOW.state(r.status).label} for r in rows[:TOP]]}


def _issues(project: Project) -> dict[str, Any]:
    rows = list(Issue.objects.filter(project=project, status__in=ISSUE_WORKFLOW.open_states)
                .select_related("owner"))
    rows.sort(key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), i.number))
    return {"open": [{"ref": i.reference, "title": i.title} for i in rows],
            "top": [{"ref": i.reference, "title": i.title, "severity": i.severity,
                     "owner": _person(i.owner), "escalation": i.escalation_level,
                     "status": ISSUE_WORKFLOW.state(i.status).label} for i in rows[:TOP]]}


def _in_period(period: Period) -> Any:
    from django.db.models import Q

    return (Q(raised_on__range=(period.start, period.end))
            | Q(closed_on__range=(period.start, period.end)))


def _decisions(project: Project, period: Period) -> list[dict[str, Any]]:
    from django.db.models import Q

    rows = (Decision.objects.filter(Q(project=project) & (
        _in_period(period) | Q(decided_on__range=(period.start, period.end))))
        .order_by("number"))
    return [{"ref": d.reference, "title": d.title, "decision": d.decision,
             "decided_on": _iso(d.decided_on),
             "status": DECISION_WORKFLOW.state(d.status).label} for d in rows]


def _changes(project: Project, period: Period) -> list[dict[str, Any]]:
    rows = ChangeRequest.objects.filter(project=project).filter(_in_period(period)) \
        .order_by("number")
    return [{"ref": c.reference, "title": c.title,
             "cost_impact": _num(c.cost_impact), "delay_days": c.delay_days,
             "status": CHANGE_WORKFLOW.state(c.status).label} for c in rows]


def _earned_value(project: Project, period: Period) -> dict[str, Any] | None:
    """Earned value at the plan's status date, or at the period's end when the report is
    of a period that ended before it."""
    status = Plan.objects.filter(project=project).values_list("status_date", flat=True).first()
    at = period.end if status is not None and period.end < status else None
    try:
        ev = earned_value(project, status_date=at, history=False)
    except InvalidInput:
        return None
    if ev is None:
        return None
    f = ev.figures
    return {"status_date": _iso(ev.status_date), "currency": ev.currency,
            **{k: _num(f.get(k)) for k in ("spi", "cpi", "spi_t", "bac", "pv", "ev", "ac",
                                           "eac", "vac")}}


def build_snapshot(project: Project, period: Period, today: dt.date,
                   declared: dict[str, Any] | None = None) -> dict[str, Any]:
    """The figures of ``project`` for ``period`` as they stand ``today``."""
    health = project_health(project, today)
    computed = {d.key: d.rag for d in health.health.dimensions}
    words = declared or default_declared(project, computed)
    following = period.following()
    milestones = _milestones(project, period)
    lists = milestone_lists(milestones, period, following)
    return {
        "as_of": today.isoformat(),
        "period": {"kind": period.kind, "start": _iso(period.start), "end": _iso(period.end),
                   "label": period.label},
        "project": {"code": project.code, "name": project.name,
                    "manager": _person(project.manager),
                    "programme": project.programme.name if project.programme else "",
                    "phase": project.get_phase_display(), "currency": project.currency},
        "health": {"computed": health.computed, "reason": health.health.reason,
                   "dimensions": [{"key": d.key, "label": d.label, "rag": d.rag,
                                   "reason": d.reason} for d in health.health.dimensions]},
        "declared": [{"key": "overall", "label": "Overall", "rag": words.get("overall")}]
        + [{"key": k, "label": label, "rag": words.get(k)} for k, label in DECLARED_DIMENSIONS],
        "declared_reason": words.get("reason", ""),
        "progress": {"percent_complete": health.percent_complete,
                     "finish": _iso(health.finish.date), "finish_is_target":
                     health.finish.is_target, "baseline_finish": _iso(health.baseline_finish)},
        "milestones": {"all": milestones, **lists},
        "earned_value": _earned_value(project, period),
        "risks": _risks(project),
        "issues": _issues(project),
        "decisions": _decisions(project, period),
        "changes": _changes(project, period),
        "next_period": {"label": following.label, "start": _iso(following.start),
                        "end": _iso(following.end), "tasks": _next_tasks(project, following)},
    }
