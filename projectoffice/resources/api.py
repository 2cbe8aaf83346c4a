"""REST operations on resources, rates and assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, user_by_username
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project

from . import actions, queries
from .models import Resource

router = Router(tags=["resources"])


def needs(perm: str) -> dict[str, Any]:
    return {"x-permission": perm}


class ResourcesOut(Schema):
    resources: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    planned_cost: Decimal
    currency: str


class ResourceIn(StrictIn):
    name: str = Field(min_length=1, max_length=150)
    kind: Literal["person", "work", "material", "cost"] = "person"
    user: str | None = Field(None, max_length=150)
    unit: str = Field("hour", max_length=20)


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


def _resource(r: Resource) -> dict[str, Any]:
    return {"id": r.pk, "name": r.name, "kind": r.kind, "unit": r.unit, "version": r.version,
            "user": r.user.username if r.user else None,
            "rates": [{"effective_from": x.effective_from, "standard": x.standard,
                       "overtime": x.overtime, "cost_per_use": x.cost_per_use}
                      for x in r.rates.all()]}


@router.get("/projects/{code}/resources", response=ResourcesOut,
            openapi_extra=needs("resource.view"))
def list_resources(request: AuthedRequest, code: str) -> dict[str, Any]:
    project = access_project(request.user, code, "resource.view")
    view = queries.resources_view(project, today=timezone.localdate())
    # Working days a person resource's user is away in the next four weeks (any kind).
    return {"resources": [{**_resource(r), "absent": [
                {"first": first, "last": last} for first, last in getattr(r, "away", [])]}
                          for r in view["resources"]],
            "assignments": [{"id": row.assignment.pk, "version": row.assignment.version,
                             "resource_id": row.assignment.resource_id,
                             "task_uid": row.assignment.task_uid, "task": row.task_name,
                             "units": row.assignment.units, "work": row.assignment.work,
                             "planned_cost": row.cost} for row in view["assignments"]],
            "planned_cost": view["total"], "currency": project.currency}


@router.post("/projects/{code}/resources", response={201: dict[str, Any]},
             openapi_extra=needs("resource.manage"))
def create_resource(request: AuthedRequest, code: str, payload: ResourceIn) -> Any:
    project = access_project(request.user, code, "resource.manage")
    resource = actions.create_resource(actor=request.user, project=project, name=payload.name,
                                       kind=payload.kind, unit=payload.unit,
                                       user=user_by_username(payload.user, "user"))
    return Status(201, _resource(resource))


@router.post("/projects/{code}/resources/{resource_id}/rates", response={201: dict[str, Any]},
             openapi_extra=needs("resource.manage"))
def set_rate(request: AuthedRequest, code: str, resource_id: int, payload: RateIn) -> Any:
    project = access_project(request.user, code, "resource.manage")
    resource = Resource.objects.filter(project=project, pk=resource_id).first()
    if resource is None:
        raise NotFound(f"No resource {resource_id} on {code}")
    actions.set_rate(actor=request.user, resource=resource, **payload.dict())
    return Status(201, _resource(resource))


@router.post("/projects/{code}/assignments", response={201: dict[str, Any]},
             openapi_extra=needs("resource.manage"))
def assign(request: AuthedRequest, code: str, payload: AssignmentIn) -> Any:
    project = access_project(request.user, code, "resource.manage")
    a = actions.assign_resource(actor=request.user, project=project, **payload.dict())
    return Status(201, {"id": a.pk, "version": a.version, "task_uid": a.task_uid,
                        "units": a.units, "work": a.work})


@router.patch("/projects/{code}/assignments/{assignment_id}", response=dict[str, Any],
              openapi_extra=needs("resource.manage"))
def update_assignment(request: AuthedRequest, code: str, assignment_id: int,
                      payload: AssignmentPatch) -> dict[str, Any]:
    project = access_project(request.user, code, "resource.manage")
    a = actions.update_assignment(actor=request.user, project=project,
                                  assignment_id=assignment_id, **payload.dict())
    return {"id": a.pk, "version": a.version, "task_uid": a.task_uid, "units": a.units,
            "work": a.work}
