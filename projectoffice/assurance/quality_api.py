"""Quality and configuration operations beyond the kernel's registers: the quality plan
and measures, a review's checklist, follow-up and corrective actions, the office's quality
page, item versions and baselines with their status accounting and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.accounts.models import User
from projectoffice.apischema import StrictIn
from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item
from projectoffice.registers.spec import RegisterSpec

from . import configuration, quality, quality_queries
from .config_models import ConfigurationBaseline, ConfigurationItem
from .quality_models import QualityReview
from .quality_registers import CONFIGURATION_ITEMS, NONCONFORMANCES, QUALITY_REVIEWS

router = Router(tags=["Quality and configuration"])



def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


class QualityCriterionOut(Schema):
    product_type: str
    text: str


class QualityPlanOut(Schema):
    version: int
    standards: str
    review_methods: str
    approach: str
    criteria: list[QualityCriterionOut]


class QualityMeasuresOut(Schema):
    reviews_done: int
    reviews_open: int
    outcomes: dict[str, int] = Field(description="completed reviews by outcome")
    subjects_reviewed: int
    first_time_passes: int
    first_time_pass_rate: float | None = Field(
        description="per cent of reviewed products that passed their first review")
    audits: int
    open_nonconformances: int
    open_by_age: dict[str, int]
    open_by_severity: dict[str, int]
    oldest_open_days: int | None


class ProjectQualityOut(Schema):
    plan: QualityPlanOut | None
    measures: QualityMeasuresOut


class OfficeQualityRowOut(Schema):
    project: str
    name: str
    measures: QualityMeasuresOut


class QualityCriterionIn(StrictIn):
    product_type: str = Field(..., min_length=1, max_length=100)
    text: str = Field(..., min_length=1, max_length=500)


class QualityPlanIn(StrictIn):
    version: int | None = Field(None, description="the plan's version as read (none for a "
                                                  "new plan)")
    standards: str = Field("", max_length=5000)
    review_methods: str = Field("", max_length=5000)
    approach: str = Field("", max_length=10000)
    criteria: list[QualityCriterionIn] = Field(default_factory=list)


class ReviewCheckIn(StrictIn):
    position: int
    result: Literal["", "met", "not_met", "na"]
    note: str = Field("", max_length=2000)


class ReviewChecklistIn(StrictIn):
    version: int
    checks: list[ReviewCheckIn] = Field(default_factory=list)
    findings: str | None = Field(None, max_length=10000)
    add_criterion: str = Field("", max_length=500)


class ReviewCheckOut(Schema):
    position: int
    criterion: str
    result: str
    note: str


class ReviewChecklistOut(Schema):
    reference: str
    version: int
    status: str
    findings: str
    checks: list[ReviewCheckOut]


class FollowUpIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    kind: Literal["follow-up", "corrective", "preventive"] = "follow-up"
    assignee: str | None = Field(None, description="user name")
    due_date: dt.date | None = None


class FollowUpOut(Schema):
    reference: str
    title: str
    status: str
    assignee: str | None
    due_date: dt.date | None
    source: str


class ItemVersionIn(StrictIn):
    label: str = Field(..., min_length=1, max_length=50)
    location: str = Field("", max_length=300)
    revision: str = Field("", max_length=100)
    note: str = Field("", max_length=500)
    document: str = Field("", description="a document's reference, e.g. DOC-0002")
    document_version: int | None = None
    change: str = Field("", description="the approved change request allowing it, e.g. "
                                        "CR-0003 (required once the item is baselined)")


class ItemVersionOut(Schema):
    item: str
    label: str
    location: str
    revision: str
    note: str
    document_version: str | None
    change: str | None
    created_at: dt.datetime


class ConfigBaselineEntryIn(StrictIn):
    item: str = Field(..., description="the item's reference or identifier")
    version: str = Field(..., description="the version label")


class ConfigBaselineIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Literal["baseline", "release"] = "baseline"
    description: str = Field("", max_length=5000)
    entries: list[ConfigBaselineEntryIn] | None = Field(
        None, description="the item versions to freeze; every live item at its current "
                          "version if left out")


class ConfigBaselineEntryOut(Schema):
    item: str
    identifier: str
    version: str


class ConfigBaselineOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    created_at: dt.datetime
    created_by: str | None
    entries: list[ConfigBaselineEntryOut]


class StatusAccountingRowOut(Schema):
    item: str
    identifier: str
    baseline_version: str | None
    current_version: str | None
    state: str
    versions_since: list[str]


class DiscrepancyOut(Schema):
    item: str
    identifier: str
    problem: str


class ConfigBaselineDetailOut(ConfigBaselineOut):
    status_accounting: list[StatusAccountingRowOut]
    configuration_audit: list[DiscrepancyOut]


def measures_out(m: quality_queries.QualityMeasures) -> dict[str, Any]:
    return {"reviews_done": m.reviews_done, "reviews_open": m.reviews_open,
            "outcomes": m.outcomes, "subjects_reviewed": m.subjects_reviewed,
            "first_time_passes": m.first_time_passes,
            "first_time_pass_rate": _pct(m.first_time_pass_rate), "audits": m.audits,
            "open_nonconformances": m.open_ncs, "open_by_age": m.open_by_age,
            "open_by_severity": m.open_by_severity, "oldest_open_days": m.oldest_open_days}


def plan_out(plan: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {"version": plan.version, "standards": plan.standards,
            "review_methods": plan.review_methods, "approach": plan.approach,
            "criteria": [{"product_type": c.product_type, "text": c.text}
                         for c in plan.criteria.all()]}


@router.get("/projects/{code}/quality", response=ProjectQualityOut,
            summary="The project's quality plan and quality measures")
@project_operation("qualityreview.view")
def project_quality(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return {"plan": plan_out(quality.plan_of(project)),
            "measures": measures_out(quality_queries.measures(project, timezone.localdate()))}


@router.post("/projects/{code}/quality/plan", response=QualityPlanOut,
             summary="Write the quality plan (criteria replaced as a whole)")
@project_operation("quality.manage")
def save_plan(request: AuthedRequest, project: Project, payload: QualityPlanIn) -> dict[str, Any]:
    plan = quality.save_quality_plan(
        actor=request.user, project=project, version=payload.version,
        standards=payload.standards, review_methods=payload.review_methods,
        approach=payload.approach,
        criteria=[quality.CriterionIn(c.product_type, c.text) for c in payload.criteria])
    out = plan_out(plan)
    assert out is not None
    return out


@router.get("/quality", response=list[OfficeQualityRowOut],
            summary="Quality measures of every visible project with quality records")
@office_operation("authenticated")
def office_quality(request: AuthedRequest) -> list[dict[str, Any]]:
    return [{"project": p.code, "name": p.name, "measures": measures_out(m)}
            for p, m in quality_queries.office_quality(request.user, timezone.localdate())]


def checklist_out(review: QualityReview) -> dict[str, Any]:
    return {"reference": review.reference, "version": review.version, "status": review.status,
            "findings": review.findings,
            "checks": [{"position": c.position, "criterion": c.criterion, "result": c.result,
                        "note": c.note} for c in review.checks.all()]}


def _review(project: Project, ref: str) -> QualityReview:
    review = get_item(QUALITY_REVIEWS, project, ref)
    if not isinstance(review, QualityReview):
        raise InvalidInput.field("ref", f"no quality review {ref!r} in {project.code}")
    return review


@router.get("/projects/{code}/quality-reviews/{ref}/checklist", response=ReviewChecklistOut,
            summary="A review's checklist")
@project_operation("qualityreview.view")
def get_checklist(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
    return checklist_out(_review(project, ref))


@router.post("/projects/{code}/quality-reviews/{ref}/checklist", response=ReviewChecklistOut,
             summary="Record checklist results and findings of a review under way")
@project_operation("qualityreview.change")
def save_checklist(request: AuthedRequest, project: Project, ref: str,
                   payload: ReviewChecklistIn) -> dict[str, Any]:
    saved = quality.record_checks(
        actor=request.user, review=_review(project, ref), version=payload.version,
        checks=[quality.CheckIn(c.position, c.result, c.note) for c in payload.checks],
        findings=payload.findings, add_criterion=payload.add_criterion)
    return checklist_out(saved)


def _follow_up(request: AuthedRequest, project: Project, ref: str, spec: RegisterSpec,
               payload: FollowUpIn) -> Status[Any]:
    item = get_item(spec, project, ref)
    if item is None:
        raise InvalidInput.field(
            "ref", f"no {spec.item_label.lower()} {ref!r} in {project.code}")
    assignee = None
    if payload.assignee:
        assignee = User.objects.filter(username=payload.assignee).first()
        if assignee is None:
            raise InvalidInput.field("assignee", f"no user {payload.assignee!r}")
    action = quality.raise_follow_up(actor=request.user, item=item, title=payload.title,
                                     kind=payload.kind, assignee=assignee,
                                     due_date=payload.due_date)
    return Status(201, {"reference": action.reference, "title": action.title,
                        "status": action.status,
                        "assignee": action.assignee.username if action.assignee else None,
                        "due_date": action.due_date, "source": action.source})


@router.post("/projects/{code}/quality-reviews/{ref}/follow-ups",
             response={201: FollowUpOut},
             summary="Raise a follow-up action of a review in the Actions register")
@project_operation("action.add")
def review_follow_up(request: AuthedRequest, project: Project, ref: str,
                     payload: FollowUpIn) -> Status[Any]:
    return _follow_up(request, project, ref, QUALITY_REVIEWS, payload)


@router.post("/projects/{code}/nonconformances/{ref}/actions",
             response={201: FollowUpOut},
             summary="Raise a corrective or preventive action of a non-conformance")
@project_operation("action.add")
def nc_action(request: AuthedRequest, project: Project,
              ref: str, payload: FollowUpIn) -> Status[Any]:
    return _follow_up(request, project, ref, NONCONFORMANCES, payload)


@router.post("/projects/{code}/config-items/{ref}/versions", response={201: ItemVersionOut},
             summary="Record a new version of a configuration item")
@project_operation("configuration.manage")
def record_version(request: AuthedRequest, project: Project, ref: str,
                   payload: ItemVersionIn) -> Status[Any]:
    item = get_item(CONFIGURATION_ITEMS, project, ref)
    if not isinstance(item, ConfigurationItem):
        raise InvalidInput.field("ref", f"no configuration item {ref!r} in {project.code}")
    v = configuration.record_version(
        actor=request.user, item=item, label=payload.label, location=payload.location,
        revision=payload.revision, note=payload.note, document_reference=payload.document,
        document_version=payload.document_version, change_reference=payload.change)
    dv = v.document_version
    return Status(201, {"item": item.reference, "label": v.label, "location": v.location,
                        "revision": v.revision, "note": v.note,
                        "document_version": f"{dv.document.reference} v{dv.number}" if dv
                        else None, "change": v.change.reference if v.change else None,
                        "created_at": v.created_at})


def baseline_out(b: ConfigurationBaseline) -> dict[str, Any]:
    return {"id": b.pk, "name": b.name, "kind": b.kind, "description": b.description,
            "created_at": b.created_at,
            "created_by": b.created_by.username if b.created_by else None,
            "entries": [{"item": e.item.reference, "identifier": e.item.name,
                         "version": e.version.label}
                        for e in b.entries.select_related("item", "version")
                        .order_by("item__number")]}


@router.get("/projects/{code}/configuration/baselines", response=list[ConfigBaselineOut],
            summary="Baselines and releases")
@project_operation("configitem.view")
def list_baselines(request: AuthedRequest, project: Project) -> list[dict[str, Any]]:
    return [baseline_out(b) for b in configuration.baselines_of(project)]


@router.post("/projects/{code}/configuration/baselines", response={201: ConfigBaselineOut},
             summary="Freeze a baseline or release (all or nothing)")
@project_operation("configuration.manage")
def create_baseline(request: AuthedRequest, project: Project,
                    payload: ConfigBaselineIn) -> Status[Any]:
    baseline = configuration.create_baseline(
        actor=request.user, project=project, name=payload.name, kind=payload.kind,
        description=payload.description,
        entries=None if payload.entries is None else [(e.item, e.version)
                                                      for e in payload.entries])
    return Status(201, baseline_out(baseline))


@router.get("/projects/{code}/configuration/baselines/{baseline_id}",
            response=ConfigBaselineDetailOut,
            summary="A baseline with its status accounting and configuration audit")
@project_operation("configitem.view")
def get_baseline(request: AuthedRequest, project: Project, baseline_id: int) -> dict[str, Any]:
    baseline = get_object_or_404(ConfigurationBaseline, project=project, pk=baseline_id)
    return {**baseline_out(baseline),
            "status_accounting": [
                {"item": r.item.reference, "identifier": r.item.name,
                 "baseline_version": r.baseline_version.label if r.baseline_version else None,
                 "current_version": r.current_version.label if r.current_version else None,
                 "state": r.state, "versions_since": [v.label for v in r.since]}
                for r in configuration.status_accounting(baseline)],
            "configuration_audit": [
                {"item": d.reference, "identifier": d.name, "problem": d.problem}
                for d in configuration.configuration_audit(baseline)]}
