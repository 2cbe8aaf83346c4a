"""Every write of the quality service: the quality plan and its criteria, a review's
checklist and findings, follow-up and corrective actions raised into the Actions register."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.controls.models import Action
from projectoffice.controls.registers import ACTIONS
from projectoffice.editing import check_version, lock_for_update
from projectoffice.errors import Conflict, InvalidInput
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import (
    ItemLink,
    LinkKind,
    NotificationKind,
    RegisterItem,
)
from projectoffice.registers.workflow import Transition

from .actions import _require
from .quality_models import CheckResult, QualityCriterion, QualityPlan, QualityReview, ReviewCheck

# Criteria listed under this type apply to every review.
EVERY_TYPE = "all"
CRITERION_LINE = re.compile(r"^\s*([^:]{1,100}):\s*(.+?)\s*$")


def follow_ups(item: RegisterItem) -> Any:
    """The actions that follow up a review or correct a non-conformance, oldest first."""
    ids = ItemLink.objects.filter(
        target_type=ContentType.objects.get_for_model(item), target_id=item.pk,
        kind=LinkKind.FOLLOWS_UP, content_type=ContentType.objects.get_for_model(Action),
    ).values_list("object_id", flat=True)
    return Action.objects.filter(pk__in=list(ids)).select_related("assignee").order_by("number")


capa_actions = follow_ups


def plan_of(project: Project) -> QualityPlan | None:
    return QualityPlan.objects.filter(project=project).first()


@dataclass(frozen=True)
class CriterionIn:
    product_type: str
    text: str


def parse_criteria(text: str) -> list[CriterionIn]:
    """'software: Code reviewed by a second developer' per line; a line without a type
    applies to every type."""
    found = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = CRITERION_LINE.match(line)
        product_type, criterion = (match.group(1), match.group(2)) if match else (
            EVERY_TYPE, line.strip())
        if len(criterion) > 500:
            raise InvalidInput.field("criteria", f"line {n}: keep a criterion under 500 "
                                                 "characters")
        found.append(CriterionIn(product_type.strip().lower(), criterion))
    return found


@transaction.atomic
def save_quality_plan(*, actor: User, project: Project, version: int | None,
                      standards: str = "", review_methods: str = "", approach: str = "",
                      criteria: Sequence[CriterionIn] = ()) -> QualityPlan:
    """Writes the project's quality plan; its criteria are replaced as a whole."""
    _require(actor, project, "quality.manage")
    for n, c in enumerate(criteria, start=1):
        if not c.product_type.strip() or not c.text.strip():
            raise InvalidInput.field("criteria", f"criterion {n}: give a deliverable type "
                                                 "and the criterion")
        if len(c.product_type) > 100 or len(c.text) > 500:
            raise InvalidInput.field("criteria", f"criterion {n} is too long")
    for name, value in (("standards", standards), ("review_methods", review_methods),
                        ("approach", approach)):
        if len(value) > (10000 if name == "approach" else 5000):
            raise InvalidInput.field(name, "is too long")
    plan, created = QualityPlan.objects.get_or_create(project=project,
                                                      defaults={"updated_by": actor})
    plan = lock_for_update(QualityPlan, plan.pk)
    if not created:
        check_version(plan, version)
    before = {"standards": plan.standards, "review_methods": plan.review_methods,
              "approach": plan.approach,
              "criteria": [str(c) for c in plan.criteria.all()]}
    plan.standards, plan.review_methods = standards.strip(), review_methods.strip()
    plan.approach, plan.updated_by = approach.strip(), actor
    plan.version += 0 if created else 1
    plan.save()
    plan.criteria.all().delete()
    QualityCriterion.objects.bulk_create(
        QualityCriterion(plan=plan, product_type=c.product_type.strip().lower(), position=n,
                         text=c.text.strip()) for n, c in enumerate(criteria, start=1))
    after = {"standards": plan.standards, "review_methods": plan.review_methods,
             "approach": plan.approach, "criteria": [f"{c.product_type.strip().lower()}: "
                                                     f"{c.text.strip()}" for c in criteria]}
    if created:
        record_creation(actor=actor, obj=plan, fields=("standards", "review_methods",
                                                       "approach"))
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        record_change(actor=actor, obj=plan, verb="updated", changes=changes)
    return plan


def checklist_for(review: QualityReview) -> list[str]:
    """The criteria a review checks: the plan's for the subject's type and for every type,
    then the deliverable's own acceptance criteria, one per line."""
    wanted: list[str] = []
    plan = plan_of(review.project)
    product_type = review.product_type.strip().lower()
    if plan is not None:
        wanted += [c.text for c in plan.criteria.order_by("position")
                   if c.product_type in (EVERY_TYPE, product_type)]
    if review.deliverable is not None:
        wanted += [line.strip(" -•*\t") for line in
                   review.deliverable.acceptance_criteria.splitlines() if line.strip(" -•*\t")]
    return list(dict.fromkeys(w[:500] for w in wanted))


def start_review(actor: User, review: QualityReview) -> None:
    """On starting a review: draw its checklist and tell the other reviewers."""
    if not review.checks.exists():
        ReviewCheck.objects.bulk_create(
            ReviewCheck(review=review, position=n, criterion=text)
            for n, text in enumerate(checklist_for(review), start=1))
    for username in filter(None, (n.strip() for n in review.other_reviewers.split(","))):
        person = User.objects.filter(username=username).first()
        kernel.notify(recipient=person, item=review, kind=NotificationKind.REVIEW, actor=actor,
                      message=f"{actor} asks you to review {review.subject_reference} in "
                              f"{review.reference}")


def tell_review_outcome(actor: User, review: QualityReview, move: Transition) -> None:
    subject = review.deliverable or review.document
    owner = getattr(subject, "owner", None)
    for person in {owner, review.owner} - {None}:
        kernel.notify(recipient=person, item=review, kind=NotificationKind.REVIEW, actor=actor,
                      message=f"{review.reference} of {review.subject_reference}: "
                              f"{review.state.label.lower()}")


@dataclass(frozen=True)
class CheckIn:
    position: int
    result: str
    note: str = ""


@transaction.atomic
def record_checks(*, actor: User, review: QualityReview, version: int | None,
                  checks: Sequence[CheckIn], findings: str | None = None,
                  add_criterion: str = "") -> QualityReview:
    """Records the result and finding of checklist lines (and the review's findings); a
    criterion may be added to the checklist while the review is under way."""
    _require(actor, review.project, "qualityreview.change")
    locked = lock_for_update(QualityReview, review.pk)
    check_version(locked, version)
    if locked.status != "in_review":
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}: the checklist is "
                       "worked through while the review is under way",
                       {"checks": ["the review is not under way"]})
    rows = {c.position: c for c in locked.checks.all()}
    changes: dict[str, list[Any]] = {}
    for n, check in enumerate(checks, start=1):
        row = rows.get(check.position)
        if row is None:
            raise InvalidInput.field(f"checks.{n}.position",
                                     f"the checklist has no line {check.position}")
        if check.result not in CheckResult.values:
            raise InvalidInput.field(f"checks.{n}.result",
                                     "choose met, not_met, na or leave it open")
        if len(check.note) > 2000:
            raise InvalidInput.field(f"checks.{n}.note", "keep a finding under 2,000 "
                                                         "characters")
        if (row.result, row.note) != (check.result, check.note.strip()):
            changes[f"check {row.position}"] = [f"{row.result} {row.note}".strip(),
                                                f"{check.result} {check.note.strip()}".strip()]
            row.result, row.note = check.result, check.note.strip()
            row.save(update_fields=["result", "note"])
    if add_criterion.strip():
        position = max(rows, default=0) + 1
        ReviewCheck.objects.create(review=locked, position=position,
                                   criterion=add_criterion.strip()[:500])
        changes[f"check {position}"] = [None, add_criterion.strip()[:500]]
    if findings is not None and findings.strip() != locked.findings:
        if len(findings) > 10000:
            raise InvalidInput.field("findings", "keep the findings under 10,000 characters")
        changes["findings"] = [locked.findings, findings.strip()]
        locked.findings = findings.strip()
    if changes:
        locked.version += 1
        locked.save(update_fields=["findings", "version", "updated_at"])
        record_change(actor=actor, obj=locked, verb="updated", changes=changes)
    return locked


@transaction.atomic
def raise_follow_up(*, actor: User, item: RegisterItem, title: str, kind: str = "follow-up",
                    assignee: User | None = None, due_date: date | None = None,
                    today: date | None = None) -> Action:
    """Creates an action in the Actions register that follows up a review or corrects (or
    prevents) a non-conformance, linked to it; the assignee is told by the register."""
    if not title.strip():
        raise InvalidInput.field("title", "say what must be done")
    if kind not in ("follow-up", "corrective", "preventive"):
        raise InvalidInput.field("kind", "choose follow-up, corrective or preventive")
    words = {"follow-up": "Follow-up of", "corrective": "Corrective action for",
             "preventive": "Preventive action for"}[kind]
    action = kernel.create_item(
        actor=actor, spec=ACTIONS, project=item.project, today=today,
        data={"title": title.strip()[:200], "assignee": assignee, "owner": item.owner,
              "due_date": due_date, "source": f"{words} {item.reference}"[:200]})
    ItemLink.objects.create(
        project=item.project, content_type=ContentType.objects.get_for_model(action),
        object_id=action.pk, target_type=ContentType.objects.get_for_model(item),
        target_id=item.pk, kind=LinkKind.FOLLOWS_UP, created_by=actor)
    record_change(actor=actor, obj=item, verb="linked",
                  changes={"link": [None, f"{kind} action {action.reference}"]})
    assert isinstance(action, Action)
    return action
