"""Control-register operations beyond the kernel: escalation, my actions and the RAID view
across projects, change requests' plan edits and impact, per-project control settings."""

from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Router
from pydantic import Field

from projectoffice.apischema import MAX_LIMIT, Page, StrictIn, check_offset, paginate
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.planning.api import EditIn
from projectoffice.portfolio.access import (
    access_project,
    has_perm,
    object_operation,
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project
from projectoffice.registers.api import item_out
from projectoffice.registers.queries import get_item

from . import actions, queries
from .models import ChangeRequest, Dependency, project_controls
from .registers import ACTIONS, CHANGES, DEPENDENCIES, ISSUES

router = Router(tags=["Issue log"])


class EscalateIn(StrictIn):
    version: int
    reason: str = Field(..., max_length=2000)


@router.post("/projects/{code}/issues/{ref}/escalate", summary="Escalate to programme or portfolio")
@project_operation("issue.escalate")
def escalate(request: AuthedRequest, project: Project,
             ref: str, payload: EscalateIn) -> dict[str, Any]:
    issue = get_item(ISSUES, project, ref)
    if issue is None:
        raise NotFound(f"No issue {ref!r} in {project.code}")
    issue = actions.escalate_issue(actor=request.user, issue=issue,  # type: ignore[arg-type]
                                   version=payload.version, reason=payload.reason)
    return item_out(ISSUES, issue)


my_router = Router(tags=["Actions"])


@my_router.get("/me/actions", response=Page,
               summary="Open actions assigned to or owned by me, in every project")
@office_operation("authenticated")
def my_actions(request: AuthedRequest, overdue: bool = False, limit: int = 50,
               offset: int = 0) -> dict[str, Any]:
    qs = queries.my_open_actions(request.user)
    if overdue:
        qs = qs.filter(due_date__lt=timezone.localdate())
    count, rows = paginate(qs, limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [item_out(ACTIONS, a) for a in rows]}


@my_router.get("/actions/overdue", response=Page,
               summary="Overdue actions in every project the caller can see")
@office_operation("authenticated")
def overdue_actions(request: AuthedRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    count, rows = paginate(queries.overdue_actions(request.user, timezone.localdate()),
                           limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [item_out(ACTIONS, a) for a in rows]}


# ---------------------------------------------------------------------------------------------
# Change control: plan edits, impact assessment; per-project control settings.

change_router = Router(tags=["Change requests"])


ChangeOp = Literal["update", "insert", "delete", "indent", "outdent", "move", "link", "unlink",
                   "budget"]


class ChangeEditOpIn(EditIn):
    """A plan edit in the plan editor's format, or a budget-line edit: ``op`` "budget" with
    ``wbs`` (a plan task UID, empty for the project as a whole), ``category`` (a cost
    category), ``period`` (a month, "2026-05") and ``amount`` (added to the line; negative
    reduces it)."""

    op: ChangeOp = "update"  # type: ignore[assignment]
    wbs: int | None = None
    category: str | None = Field(None, max_length=20)
    period: str | None = Field(None, max_length=10)
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)


class ChangeEditIn(StrictIn):
    version: int
    edit: ChangeEditOpIn


class AssessIn(StrictIn):
    version: int
    cost_impact: Decimal | None = Field(None, max_digits=12, decimal_places=2)


def _change(project: Project, ref: str) -> ChangeRequest:
    change = get_item(CHANGES, project, ref)
    if change is None:
        raise NotFound(f"No change request {ref!r} in {project.code}")
    assert isinstance(change, ChangeRequest)
    return change


COST_KEYS = ("cost", "resource_cost", "budget_cost", "other_cost")


def impact_out(change: ChangeRequest, user: Any) -> dict[str, Any]:
    """The impact as ``user`` may read it: without ``cost.view`` no cost figure or budget
    amount is sent."""
    costs = has_perm(user, change.project, "cost.view")
    edits = [{"row": n, **edit, "text": text} if costs or edit.get("op") != "budget"
             else {"row": n, "op": "budget", "text": text}
             for n, (edit, text) in enumerate(
                 zip(change.plan_edits, queries.describe_edits(change, costs=costs),
                     strict=True), start=1)]
    impact = change.impact if costs else {k: v for k, v in (change.impact or {}).items()
                                          if k not in COST_KEYS}
    return {"reference": change.reference, "status": change.status, "version": change.version,
            "plan_edits": edits, "impact": impact,
            "assessed_plan_version": change.assessed_plan_version,
            "delay_days": change.delay_days,
            "cost_impact": change.cost_impact if costs else None,
            "baseline_number": change.baseline_number}


@change_router.get("/projects/{code}/changes/{ref}/impact",
                   summary="A change request's plan edits and impact")
@project_operation("change.view")
def change_impact(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
    return impact_out(_change(project, ref), request.user)


@change_router.post("/projects/{code}/changes/{ref}/edits",
                    summary="Propose a plan edit (plan editor format) or a budget-line edit")
@project_operation("change.change")
def add_edit(request: AuthedRequest, project: Project, ref: str, payload: ChangeEditIn
             ) -> dict[str, Any]:
    change = _change(project, ref)
    edit = {k: v for k, v in payload.edit.model_dump().items() if v is not None}
    change = actions.add_change_edit(actor=request.user, change=change,
                                     version=payload.version, edit=edit)
    return impact_out(change, request.user)


@change_router.delete("/projects/{code}/changes/{ref}/edits/{row}",
                      summary="Remove a proposed plan edit")
@project_operation("change.change")
def remove_edit(request: AuthedRequest, project: Project, ref: str, row: int,
                version: int | None = None) -> dict[str, Any]:
    change = _change(project, ref)
    change = actions.remove_change_edit(actor=request.user, change=change, version=version,
                                        row=row)
    return impact_out(change, request.user)


@change_router.post("/projects/{code}/changes/{ref}/assess",
                    summary="Assess the impact on a what-if copy of the plan")
@project_operation("change.transition")
def assess(request: AuthedRequest, project: Project, ref: str, payload: AssessIn) -> dict[str, Any]:
    change = _change(project, ref)
    change = actions.assess_change(actor=request.user, change=change, version=payload.version,
                                   cost_impact=payload.cost_impact)
    return impact_out(change, request.user)


class ControlsIn(StrictIn):
    version: int
    approval_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    approval_days: int | None = Field(None, ge=0, le=10000)
    risk_scale: int | None = Field(None, ge=3, le=10)


def controls_out(project: Any) -> dict[str, Any]:
    controls = project_controls(project)
    return {"project": project.code, "version": controls.version,
            "approval_cost": controls.approval_cost, "approval_days": controls.approval_days,
            "risk_scale": controls.risk_scale, "own": controls.pk is not None}


@change_router.get("/projects/{code}/controls",
                   summary="The project's change thresholds and risk scale")
@project_operation("project.view")
def get_controls(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return controls_out(project)


@change_router.patch("/projects/{code}/controls",
                     summary="Set the project's change thresholds and risk scale "
                             "(PMO manager or sponsor)")
@object_operation("controls.configure")
def set_controls(request: AuthedRequest, code: str, payload: ControlsIn) -> dict[str, Any]:
    project = access_project(request.user, code, "project.view")
    changes = {k: v for k, v in payload.model_dump(exclude={"version"}).items()
               if v is not None}
    actions.set_project_controls(actor=request.user, project=project,
                                 version=payload.version, changes=changes)
    project.__dict__.pop("_controls", None)
    return controls_out(project)


@change_router.get("/projects/{code}/dependencies/{ref}/schedule", tags=["Dependencies"],
                   summary="The linked task of an internal dependency and its live "
                           "scheduled finish")
@project_operation("dependency.view")
def dependency_schedule(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
    dep = get_item(DEPENDENCIES, project, ref)
    if dep is None:
        raise NotFound(f"No dependency {ref!r} in {project.code}")
    assert isinstance(dep, Dependency)
    return queries.dependency_schedule(dep)


# ---------------------------------------------------------------------------------------------
# The PMO's RAID view across projects.


@my_router.get("/raid", response=Page,
               summary="Open RAID items across every project the caller can see")
@office_operation("authenticated")
def raid(request: AuthedRequest, programme: str = "", owner: str = "", severity: str = "",
         overdue: bool = False, kind: str = "", q: str = "", limit: int = 50,
         offset: int = 0) -> dict[str, Any]:
    if severity and severity not in queries.SEVERITIES:
        raise InvalidInput.field("severity", f"use one of {', '.join(queries.SEVERITIES)}")
    if kind and kind not in queries.RAID_SPECS:
        raise InvalidInput.field("kind", f"use one of {', '.join(queries.RAID_SPECS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.field("limit", f"must be between 1 and {MAX_LIMIT}")
    check_offset(offset)
    f = queries.RaidFilter(programme=programme, owner=owner, severity=severity,
                           overdue=overdue, register=kind, q=q.strip()[:100])
    count, rows = queries.raid_page(request.user, f, timezone.localdate(), limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [queries.raid_row_out(r) for r in rows]}
