"""Reads of organisational change: each group's latest readiness and its trend, the
impacts by group, the go-live milestone they lead to, and an impact's change activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from projectoffice.controls.models import Action
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import ItemLink

from .models import ChangeImpact, ReadinessAssessment, Stakeholder


@dataclass
class GroupReadiness:
    group: Stakeholder
    latest: ReadinessAssessment | None = None
    history: list[ReadinessAssessment] = field(default_factory=list)
    impacts: list[ChangeImpact] = field(default_factory=list)
    trained: float | None = None  # the share of the group trained (the training service)

    @property
    def high_impacts(self) -> int:
        return sum(1 for i in self.impacts if i.impact_level == "high")


def readiness(project: Project) -> list[GroupReadiness]:
    """Every open stakeholder with a change impact or an assessment, by name, with their
    assessments oldest first and their open impacts."""
    rows: dict[int, GroupReadiness] = {}
    impacts = (ChangeImpact.objects.filter(project=project).exclude(status="withdrawn")
               .select_related("group").order_by("changes_on", "number"))
    for impact in impacts:
        rows.setdefault(impact.group_id, GroupReadiness(impact.group)).impacts.append(impact)
    for a in (ReadinessAssessment.objects.filter(project=project).select_related("group")
              .order_by("assessed_on", "id")):
        row = rows.setdefault(a.group_id, GroupReadiness(a.group))
        row.history.append(a)
        row.latest = a
    return sorted((r for r in rows.values() if not r.group.is_closed),
                  key=lambda r: (r.group.title.lower(), r.group.pk))


def go_live(project: Project) -> PlanTask | None:
    """The milestone the change leads to: the latest-finishing milestone named by the
    project's open change impacts, else none."""
    uids = set(ChangeImpact.objects.filter(project=project, milestone_uid__isnull=False)
               .exclude(status="withdrawn").values_list("milestone_uid", flat=True))
    if not uids:
        return None
    return (PlanTask.objects.filter(plan__project=project, uid__in=uids)
            .exclude(finish=None).order_by("-finish").first())


def day_of(task: PlanTask | None) -> dt.date | None:
    if task is None or task.finish is None:
        return None
    return task.finish.date() if isinstance(task.finish, dt.datetime) else task.finish


def activities(impact: ChangeImpact) -> list[Action]:
    """The actions linked to an impact, in either direction."""
    impact_ct = ContentType.objects.get_for_model(ChangeImpact)
    action_ct = ContentType.objects.get_for_model(Action)
    links = ItemLink.objects.filter(
        Q(content_type=action_ct, target_type=impact_ct, target_id=impact.pk)
        | Q(content_type=impact_ct, object_id=impact.pk, target_type=action_ct))
    ids = {link.object_id if link.content_type_id == action_ct.pk else link.target_id
           for link in links}
    return list(Action.objects.filter(pk__in=ids).select_related("assignee")
                .order_by("due_date", "number"))


# Training coverage is part of being ready: the training app gives the share of each
# stakeholder group (by pk) trained so far, registering in its AppConfig.ready.
_TRAINED: list[Callable[[Project], dict[int, float | None]]] = []


def trained_shares_from(source: Callable[[Project], dict[int, float | None]]) -> None:
    if source not in _TRAINED:
        _TRAINED.append(source)


def trained_shares(project: Project) -> dict[int, float | None]:
    out: dict[int, float | None] = {}
    for source in _TRAINED:
        out.update(source(project))
    return out
