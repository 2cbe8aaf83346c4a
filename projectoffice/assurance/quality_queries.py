"""Reads of the quality service: a project's quality measures and the office's quality
page across the projects one can see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Project

from .quality_models import NcSeverity, NonConformance, QualityAudit, QualityReview

OUTCOMES = ("passed", "conditional", "failed")
# Age bands of open non-conformances, in days since they were raised.
AGE_BANDS = ((0, 30, "0–30 days"), (31, 60, "31–60 days"), (61, 90, "61–90 days"),
             (91, None, "over 90 days"))


@dataclass
class QualityMeasures:
    reviews_done: int = 0
    reviews_open: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    subjects_reviewed: int = 0
    first_time_passes: int = 0
    audits: int = 0
    open_ncs: int = 0
    open_by_age: dict[str, int] = field(
        default_factory=lambda: {label: 0 for _, _, label in AGE_BANDS})
    open_by_severity: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(NcSeverity.values, 0))
    oldest_open_days: int | None = None

    @property
    def first_time_pass_rate(self) -> float | None:
        """Subjects whose first completed review passed outright, over subjects reviewed."""
        return self.first_time_passes / self.subjects_reviewed if self.subjects_reviewed \
            else None


def _band(days: int) -> str:
    return next(label for low, high, label in AGE_BANDS
                if days >= low and (high is None or days <= high))


def _measure(reviews: Iterable[tuple[Any, ...]], ncs: Iterable[tuple[Any, ...]],
             audits: int, today: date) -> QualityMeasures:
    m = QualityMeasures(audits=audits)
    first: dict[tuple[Any, Any], str] = {}
    # Reviews come ordered by the day they closed, then by creation.
    for status, deliverable_id, document_id, subject in reviews:
        if status in OUTCOMES:
            m.reviews_done += 1
            m.outcomes[status] += 1
            first.setdefault((deliverable_id, document_id) if deliverable_id or document_id
                             else (subject, None), status)
        elif status != "cancelled":
            m.reviews_open += 1
    m.subjects_reviewed = len(first)
    m.first_time_passes = sum(1 for s in first.values() if s == "passed")
    for raised_on, severity in ncs:
        days = (today - raised_on).days
        m.open_ncs += 1
        m.open_by_age[_band(max(days, 0))] += 1
        m.open_by_severity[severity] = m.open_by_severity.get(severity, 0) + 1
        m.oldest_open_days = max(days, m.oldest_open_days or 0)
    return m


REVIEW_ORDER = ("closed_on", "number")
REVIEW_VALUES = ("status", "deliverable_id", "document_id", "subject_reference")
NC_OPEN_STATES = ("open", "actions_planned", "awaiting_verification")


def measures(project: Project, today: date) -> QualityMeasures:
    reviews = QualityReview.objects.filter(project=project).order_by(*REVIEW_ORDER) \
        .values_list(*REVIEW_VALUES)
    ncs = NonConformance.objects.filter(project=project, status__in=NC_OPEN_STATES) \
        .values_list("raised_on", "severity")
    audits = QualityAudit.objects.filter(project=project).exclude(status="cancelled").count()
    return _measure(reviews, ncs, audits, today)


def office_quality(user: Any, today: date) -> list[tuple[Project, QualityMeasures]]:
    """Every visible project with quality records, and its measures: three queries
    whatever the number of projects."""
    projects = {p.pk: p for p in visible_projects(user).order_by("code")}
    reviews: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for project_id, *row in QualityReview.objects.filter(project_id__in=projects) \
            .order_by(*REVIEW_ORDER).values_list("project_id", *REVIEW_VALUES):
        reviews[project_id].append(tuple(row))
    ncs: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for project_id, *row in NonConformance.objects.filter(
            project_id__in=projects, status__in=NC_OPEN_STATES).order_by("raised_on", "id") \
            .values_list("project_id", "raised_on", "severity"):
        ncs[project_id].append(tuple(row))
    audits: dict[int, int] = defaultdict(int)
    for project_id in QualityAudit.objects.filter(project_id__in=projects).exclude(
            status="cancelled").values_list("project_id", flat=True):
        audits[project_id] += 1
    return [(p, _measure(reviews[pk], ncs[pk], audits[pk], today))
            for pk, p in projects.items() if reviews[pk] or ncs[pk] or audits[pk]]
