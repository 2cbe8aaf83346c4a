"""REST operations on resources, rates and assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, user_by_username
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.planning import workspace as wsp
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.access import (
    has_perm,
    office_operation,
    project_operation,
    visible_projects,
)
from projectoffice.portfolio.models import Project

from . import actions, capacity, levelling, queries, usage
from .models import Resource

router = Router(tags=["resources"])



class ResourcesOut(Schema):
    """Rates and planned costs are sent to those with `cost.view` only (others get no rates
    and null costs: hours and dates are for everyone)."""

    resources: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    planned_cost: Decimal | None
    currency: str


class ResourceIn(StrictIn):
    name: str = Field(min_length=1, max_length=150)
    kind: Literal["person", "work", "material", "cost"] = "person"
    user: str | None = Field(None, max_length=150)
    unit: str = Field("hour", max_length=20)
    max_units: Decimal = Field(Decimal(100), ge=0, max_digits=7, decimal_places=2)
    skills: str = Field("", max_length=500)  # a work resource's, comma-separated


class ResourcePatch(StrictIn):
    version: int
    name: str | None = Field(None, min_length=1, max_length=150)
    unit: str | None = Field(None, max_length=20)
    max_units: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=2)
    skills: str | None = Field(None, max_length=500)


class PlanVersionIn(StrictIn):
    version: int


class LevelIn(StrictIn):
    version: int
    other_projects: bool = True  # keep room for each person's work on other projects


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    work: Decimal
    capacity: Decimal
    over: bool


class ResourceUsageOut(Schema):
    id: int
    name: str
    max_units: Decimal
    projects: list[str]
    overallocated: bool
    total_work: Decimal
    periods: list[PeriodOut]


class UsageOut(Schema):
    period: str
    resources: list[ResourceUsageOut]


class DelayOut(Schema):
    uid: int
    row: int
    name: str
    old_start: dt.datetime
    new_start: dt.datetime
    delay_minutes: int
    delay_days: float
    resources: str
    reason: str


class LevellingOut(Schema):
    plan_version: int
    delays: list[DelayOut]
    finish_before: dt.datetime | None
    finish_after: dt.datetime | None
    remaining_overallocations: list[str]
    current_delays: dict[int, int]
    other_projects: bool


class PlanLevelledOut(Schema):
    version: int
    finish: dt.datetime | None
    levelling_delays: dict[int, int]


class RateIn(StrictIn):
    effective_from: dt.date
    standard: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    overtime: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    cost_per_use: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)


class AssignmentIn(StrictIn):
    resource_id: int
    task_uid: int
    units: Decimal = Field(Decimal(100), ge=0, max_digits=6, decimal_places=2)
    work: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=2)


class AssignmentPatch(StrictIn):
    version: int
    units: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=2)
    work: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)


def _resource(r: Resource, costs: bool = True) -> dict[str, Any]:
    return {"id": r.pk, "name": r.name, "kind": r.kind, "unit": r.unit, "version": r.version,
            "max_units": r.max_units,
            "user": r.user.username if r.user else None,
            "skills": r.skill_list, "skills_from": "profile" if r.user_id else "resource",
            "rates": [{"effective_from": x.effective_from, "standard": x.standard,
                       "overtime": x.overtime, "cost_per_use": x.cost_per_use}
                      for x in r.rates.all()] if costs else []}


@router.get("/projects/{code}/resources", response=ResourcesOut)
@project_operation("resource.view")
def list_resources(request: AuthedRequest, project: Project, skill: str = "") -> dict[str, Any]:
    """The project's resources — with ``skill``, only those one of whose skills contains it
    (ignoring case; a person's skills are those of their profile) — and all assignments."""
    view = queries.resources_view(project, today=timezone.localdate(), skill=skill)
    costs = has_perm(request.user, project, "cost.view")
    # Working days a person resource's user is away in the next four weeks (any kind).
    return {"resources": [{**_resource(r, costs), "absent": [
                {"first": first, "last": last} for first, last in getattr(r, "away", [])]}
                          for r in view["resources"]],
            "assignments": [{"id": row.assignment.pk, "version": row.assignment.version,
                             "resource_id": row.assignment.resource_id,
                             "task_uid": row.assignment.task_uid, "task": row.task_name,
                             "units": row.assignment.units, "work": row.assignment.work,
                             "planned_cost": row.cost if costs else None}
                            for row in view["assignments"]],
            "planned_cost": view["total"] if costs else None, "currency": project.currency}


@router.post("/projects/{code}/resources", response={201: dict[str, Any]})
@project_operation("resource.manage")
def create_resource(request: AuthedRequest, project: Project, payload: ResourceIn) -> Any:
    resource = actions.create_resource(actor=request.user, project=project, name=payload.name,
                                       kind=payload.kind, unit=payload.unit,
                                       max_units=payload.max_units, skills=payload.skills,
                                       user=user_by_username(payload.user, "user"))
    return Status(201, _resource(resource))


@router.post("/projects/{code}/resources/{resource_id}/rates", response={201: dict[str, Any]})
@project_operation("resource.manage")
def set_rate(request: AuthedRequest, project: Project, resource_id: int, payload: RateIn) -> Any:
    resource = Resource.objects.filter(project=project, pk=resource_id).first()
    if resource is None:
        raise NotFound(f"No resource {resource_id} on {project.code}")
    actions.set_rate(actor=request.user, resource=resource, **payload.dict())
    return Status(201, _resource(resource))


@router.post("/projects/{code}/assignments", response={201: dict[str, Any]})
@project_operation("resource.manage")
def assign(request: AuthedRequest, project: Project, payload: AssignmentIn) -> Any:
    a = actions.assign_resource(actor=request.user, project=project, **payload.dict())
    return Status(201, {"id": a.pk, "version": a.version, "task_uid": a.task_uid,
                        "units": a.units, "work": a.work})


@router.patch("/projects/{code}/assignments/{assignment_id}", response=dict[str, Any])
@project_operation("resource.manage")
def update_assignment(request: AuthedRequest, project: Project, assignment_id: int,
                      payload: AssignmentPatch) -> dict[str, Any]:
    a = actions.update_assignment(actor=request.user, project=project,
                                  assignment_id=assignment_id, **payload.dict())
    return {"id": a.pk, "version": a.version, "task_uid": a.task_uid, "units": a.units,
            "work": a.work}


def _usage_out(item: usage.ResourceUsage, period: str) -> dict[str, Any]:
    periods = item.weeks if period == "week" else item.days
    return {"id": item.resource.pk, "name": item.resource.name,
            "max_units": item.resource.max_units, "projects": item.projects,
            "overallocated": item.overallocated, "total_work": item.total_work,
            "periods": [{"start": p.start, "end": p.end, "work": p.work,
                         "capacity": p.capacity, "over": p.over} for p in periods]}


@router.get("/projects/{code}/resources/usage", response=UsageOut)
@project_operation("resource.view")
def resource_usage(request: AuthedRequest, project: Project,
                   period: Literal["day", "week"] = "week") -> dict[str, Any]:
    """Planned work of each work resource per day or week (Monday first) against its
    availability; ``over`` marks over-allocated periods."""
    return {"period": period,
            "resources": [_usage_out(u, period) for u in usage.project_usage(project)]}


@router.get("/projects/{code}/resources/{resource_id}/usage", response=UsageOut)
@project_operation("resource.view")
def person_usage(request: AuthedRequest, project: Project, resource_id: int,
                 period: Literal["day", "week"] = "week") -> dict[str, Any]:
    """One resource's usage across every project where the same person is a resource and
    which the caller may see, against this resource's availability."""
    resource = Resource.objects.filter(project=project, pk=resource_id).first()
    if resource is None:
        raise NotFound(f"No resource {resource_id} on {project.code}")
    projects = [p for p in visible_projects(request.user)
                if has_perm(request.user, p, "resource.view")]
    item = usage.person_usage(resource, projects)
    return {"period": period, "resources": [_usage_out(item, period)]}


def _levelling_out(plan: Plan, found: levelling.Levelling) -> dict[str, Any]:
    return {"plan_version": plan.version,
            "delays": [{"uid": d.uid, "row": d.row, "name": d.name, "old_start": d.old_start,
                        "new_start": d.new_start, "delay_minutes": d.delay,
                        "delay_days": d.days, "resources": d.resources, "reason": d.reason}
                       for d in found.delays],
            "finish_before": found.finish_before, "finish_after": found.finish_after,
            "remaining_overallocations": found.remaining, "current_delays": found.current,
            "other_projects": found.other_projects}


def _plan(code: str, project: Any) -> Plan:
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise NotFound(f"{code} has no plan yet")
    return plan


@router.get("/projects/{code}/plan/levelling", response=LevellingOut)
@project_operation("plan.view")
def preview_levelling(request: AuthedRequest, project: Project,
                      other_projects: bool = True) -> dict[str, Any]:
    """What levelling the plan would do, without changing it: the delay per task and why,
    its start before and after, the finish before and after and any over-allocation left.
    ``other_projects=false`` levels the plan alone, ignoring its people's other projects."""
    plan = _plan(project.code, project)
    return _levelling_out(plan, levelling.compute(wsp.load(plan),
                                                  other_projects=other_projects))


def _levelled(plan: Plan) -> dict[str, Any]:
    delays = dict(PlanTask.objects.filter(plan=plan, levelling_delay__gt=0)
                  .values_list("uid", "levelling_delay"))
    return {"version": plan.version, "finish": plan.finish, "levelling_delays": delays}


@router.post("/projects/{code}/plan/level", response=PlanLevelledOut)
@project_operation("plan.edit")
def level(request: AuthedRequest, project: Project, payload: LevelIn) -> dict[str, Any]:
    """Writes the levelling delays of the preview to the plan (stale version: 409)."""
    return _levelled(actions.level_resources(actor=request.user, project=project,
                                             version=payload.version,
                                             other_projects=payload.other_projects))


@router.post("/projects/{code}/plan/clear-levelling", response=PlanLevelledOut)
@project_operation("plan.edit")
def clear_levelling(request: AuthedRequest, project: Project,
                    payload: PlanVersionIn) -> dict[str, Any]:
    return _levelled(actions.clear_levelling(actor=request.user, project=project,
                                             version=payload.version))


@router.patch("/projects/{code}/resources/{resource_id}", response=dict[str, Any])
@project_operation("resource.manage")
def update_resource(request: AuthedRequest, project: Project, resource_id: int,
                    payload: ResourcePatch) -> dict[str, Any]:
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    resource = actions.update_resource(actor=request.user, project=project,
                                       resource_id=resource_id, version=version,
                                       changes={k: v for k, v in changes.items()
                                                if v is not None})
    return _resource(resource)


# Capacity across projects (resources/capacity.py).


class CapacityCellOut(Schema):
    week: dt.date  # Monday
    planned: Decimal  # hours
    available: Decimal  # hours
    load: int | None  # percent of the hours available; null when none are
    over: bool


class CapacityRowOut(Schema):
    person: str  # user name
    name: str
    team: str
    over_weeks: int
    levelable: list[str]  # projects of over-allocated weeks whose plan the caller may level
    cells: list[CapacityCellOut]


class CapacityQuery(Schema):
    first: str | None = Field(None, alias="from", description="a day of the first week, "
                                                             "YYYY-MM-DD (this week if none)")
    weeks: str | None = Field(None, description="how many weeks, 1 to 52 (12 if none)")
    team: str = ""
    skill: str = ""
    programme: str = Field("", description="a programme's code")


class CapacityOut(Schema):
    weeks: list[dt.date]
    people: list[CapacityRowOut]


class CapacityWorkOut(Schema):
    project: str
    task_uid: int
    task: str
    start: dt.datetime
    finish: dt.datetime
    hours: Decimal


@router.get("/capacity", response=CapacityOut,
            summary="Planned against available hours per person and week, across the "
                    "projects whose resources the caller may see")
@office_operation("authenticated")
def capacity_grid(request: AuthedRequest, window: Query[CapacityQuery]) -> dict[str, Any]:
    first, count = capacity.read_window(window.first or "", window.weeks or "",
                                        timezone.localdate())
    grid = capacity.capacity(request.user, first, count,
                             capacity.read_filter(window.team, window.skill,
                                                  window.programme))
    return {"weeks": grid.weeks, "people": [
        {"person": r.person.username, "name": str(r.person), "team": r.team,
         "over_weeks": r.over_weeks, "levelable": [p.code for p in r.levelable],
         "cells": [{"week": c.week, "planned": c.planned, "available": c.available,
                    "load": c.load, "over": c.over} for c in r.cells]}
        for r in grid.rows]}


@router.get("/capacity/work", response=list[CapacityWorkOut],
            summary="The assignments behind one person's week (the caller's by default)")
@office_operation("authenticated")
def capacity_work(request: AuthedRequest, person: str = "", week: str = ""
                  ) -> list[dict[str, Any]]:
    who = user_by_username(person, "person") or request.user
    first, _ = capacity.read_window(week, "", timezone.localdate())
    return [{"project": w.project.code, "task_uid": w.task_uid, "task": w.task_name,
             "start": w.start, "finish": w.finish, "hours": w.hours}
            for w in capacity.cell_work(request.user, who, first)]
