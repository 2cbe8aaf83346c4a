"""Reads of training: coverage by need and by group (the share of the affected people who
attended a session in time), who is still missing it, and the sessions with their places."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from projectoffice.engagement.models import Stakeholder, StakeholderKind
from projectoffice.engine import training as engine
from projectoffice.portfolio.models import Project

from .models import Course, Enrolment, EnrolmentStatus, TrainingNeed, TrainingSession


def affected(group: Stakeholder) -> int:
    """How many people a stakeholder stands for: a group's headcount, a person one."""
    if group.kind == StakeholderKind.GROUP:
        return int(group.headcount or 0)
    return 1


@dataclass
class NeedCoverage:
    need: TrainingNeed
    affected: int
    trained: int
    booked: int  # places given on sessions still to come
    waiting: int
    missing: list[str] = field(default_factory=list)  # enrolled but absent or failed

    @property
    def share(self) -> float | None:
        return engine.coverage(self.affected, self.trained)

    @property
    def untrained(self) -> int:
        return max(self.affected - self.trained, 0)


def _places(rows: QuerySet[Enrolment], **extra: object) -> int:
    return int(rows.filter(**extra).aggregate(n=Sum("seats"))["n"] or 0)


def need_coverage(need: TrainingNeed, now: dt.datetime | None = None) -> NeedCoverage:
    """Attendance counts for a need when the session was of one of its courses, for its
    group, and held by the day it is needed (when one is set)."""
    now = now or timezone.now()
    rows = (Enrolment.objects.filter(session__course__need=need, group=need.group,
                                     session__cancelled=False)
            .select_related("session"))
    if need.needed_by is not None:
        rows = rows.filter(session__starts_at__date__lte=need.needed_by)
    given = rows.filter(status=EnrolmentStatus.ENROLLED)
    trained = int(given.exclude(result="failed").aggregate(n=Sum("attended"))["n"] or 0)
    missing = [f"{r.name} ({r.seats - (r.attended or 0)} of {r.seats})" if r.seats > 1
               else r.name
               for r in given.filter(session__ends_at__lte=now).order_by("name", "id")
               if (r.attended or 0) < r.seats or r.result == "failed"]
    return NeedCoverage(need, affected(need.group), trained,
                        _places(given, session__starts_at__gt=now),
                        _places(rows.filter(status=EnrolmentStatus.WAITING)), missing)


def coverage(project: Project, now: dt.datetime | None = None) -> list[NeedCoverage]:
    needs = (TrainingNeed.objects.filter(project=project).exclude(status="dropped")
             .select_related("group", "impact").order_by("needed_by", "number"))
    return [need_coverage(n, now) for n in needs]


@dataclass(frozen=True)
class GroupCoverage:
    group: Stakeholder
    affected: int
    trained: int  # the least-covered need's trained count: a group is as trained as that

    @property
    def share(self) -> float | None:
        return engine.coverage(self.affected, self.trained)


def group_coverage(rows: list[NeedCoverage]) -> dict[int, GroupCoverage]:
    """Each group's coverage: that of its least-covered open need."""
    out: dict[int, GroupCoverage] = {}
    for r in rows:
        if r.need.status in ("met", "dropped"):
            continue
        known = out.get(r.need.group_id)
        if known is None or (r.share or 0) < (known.share or 0):
            out[r.need.group_id] = GroupCoverage(r.need.group, r.affected, r.trained)
    return out


@dataclass(frozen=True)
class SessionRow:
    session: TrainingSession
    taken: int
    waiting: int
    attended: int | None


def sessions(project: Project, *, upcoming_only: bool = False,
             now: dt.datetime | None = None) -> list[SessionRow]:
    qs = (TrainingSession.objects.filter(project=project)
          .select_related("course", "room", "trainer", "booking")
          .annotate(taken=Sum("enrolments__seats",
                              filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
                    waiting=Sum("enrolments__seats",
                                filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
                    came=Sum("enrolments__attended",
                             filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
          .order_by("starts_at", "id"))
    if upcoming_only:
        qs = qs.filter(ends_at__gt=now or timezone.now())
    return [SessionRow(s, int(s.taken or 0), int(s.waiting or 0),
                       s.came)
            for s in qs]


def enrolments(session: TrainingSession) -> list[Enrolment]:
    return list(session.enrolments.select_related("group", "person")
                .order_by("status", "created_at", "id"))


def course_materials(course: Course) -> list[Any]:
    """The course's material documents, with their current versions."""
    return list(course.materials.select_related("current_version").order_by("reference"))


def trained_shares(project: Project) -> dict[int, float | None]:
    """The share of each stakeholder group (by pk) trained so far."""
    return {g: c.share for g, c in group_coverage(coverage(project)).items()}
