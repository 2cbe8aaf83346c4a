"""Every write of organisational change beyond the change-impact register: readiness
assessments of a stakeholder group, and change activities (briefings, coaching, the
champions network…) raised as items of the Actions register linked to the impact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_creation
from projectoffice.controls.registers import ACTIONS
from projectoffice.editing import validate
from projectoffice.errors import Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import RegisterItem

from .models import ADKAR, ChangeImpact, ReadinessAssessment, Stakeholder

MANAGE = "orgchange.manage"

ACTIVITY_KINDS = {"briefing": "Briefing", "coaching": "Coaching", "champions": "Champions",
                  "workshop": "Workshop", "support": "Support", "other": "Activity"}


def _require(actor: User, project: Project, perm: str = MANAGE) -> None:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def _score(name: str, value: Any) -> int:
    try:
        score = int(str(value).strip())
    except ValueError as exc:
        raise InvalidInput.field(name, "give a score from 1 to 5") from exc
    if not 1 <= score <= 5:
        raise InvalidInput.field(name, "must be from 1 to 5")
    return score


@transaction.atomic
def record_assessment(*, actor: User, group: Stakeholder, assessed_on: dt.date,
                      scores: dict[str, Any], note: str = "",
                      today: dt.date | None = None) -> ReadinessAssessment:
    """Records how ready a group is on a day, 1–5 on each ADKAR dimension. Every score is
    checked before anything is written; a day in the future is refused."""
    _require(actor, group.project)
    if group.is_closed:
        raise InvalidInput.field("group", f"{group.title} is no longer involved")
    if assessed_on > (today or timezone.localdate()):
        raise InvalidInput.field("assessed_on", "cannot be in the future")
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for name, _label in ADKAR:
        try:
            values[name] = _score(name, scores.get(name, ""))
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        first = next(iter(errors))
        raise InvalidInput(f"{first}: {errors[first][0]}", errors)
    assessment = ReadinessAssessment(project=group.project, group=group,
                                     assessed_on=assessed_on, note=note.strip()[:500],
                                     assessed_by=actor, **values)
    validate(assessment)
    assessment.save()
    record_creation(actor=actor, obj=assessment,
                    fields=("group", "assessed_on", *[n for n, _ in ADKAR], "note"))
    return assessment


@transaction.atomic
def add_change_activity(*, actor: User, impact: ChangeImpact, kind: str, title: str,
                        assignee: User | None = None, due_date: dt.date | None = None,
                        today: dt.date | None = None) -> RegisterItem:
    """Raises a change activity as an item of the Actions register, linked to the impact it
    answers, so it is followed up like any other action (My work, reminders, overdue)."""
    _require(actor, impact.project)
    if kind not in ACTIVITY_KINDS:
        raise InvalidInput.field("kind", f"use one of {', '.join(ACTIVITY_KINDS)}")
    title = title.strip()
    if not title:
        raise InvalidInput.field("title", "say what the activity is")
    label = f"{ACTIVITY_KINDS[kind]}: {title}"[:200]
    data: dict[str, Any] = {"title": label, "description": f"Change activity for "
                                                            f"{impact.reference} "
                                                            f"{impact.title}"}
    if assignee is not None:
        data["assignee"] = assignee
    if due_date is not None:
        data["due_date"] = due_date
    action = register_actions.create_item(actor=actor, spec=ACTIONS, project=impact.project,
                                          data=data, today=today)
    register_actions.link_items(actor=actor, item=action, target_reference=impact.reference)
    return action
