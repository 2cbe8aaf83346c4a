"""Architecture over the API beyond the kernel's register operations (/adrs, /components,
/standards): supersession, interfaces and the component diagram as SVG."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn, username
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions, diagram
from .models import Component, ComponentInterface, DecisionRecord
from .registers import COMPONENTS, DECISION_RECORDS

router = Router(tags=["Architecture"])



class SupersedeIn(StrictIn):
    version: int
    by: str = Field(..., max_length=20, description="Reference of the later record")
    comment: str = Field("", max_length=500)


class RecordOut(Schema):
    reference: str
    status: str
    version: int
    superseded_by: str | None
    supersedes: list[str]


class InterfaceIn(StrictIn):
    target: str = Field(..., max_length=20, description="Reference of the other component")
    name: str = Field(..., min_length=1, max_length=120)
    protocol: str = Field("", max_length=60)


class InterfaceOut(Schema):
    id: int
    source: str
    target: str
    name: str
    protocol: str
    created_by: str | None
    created_at: dt.datetime


def interface_out(i: ComponentInterface) -> dict[str, Any]:
    return {"id": i.pk, "source": i.source.reference, "target": i.target.reference,
            "name": i.name, "protocol": i.protocol, "created_by": username(i.created_by),
            "created_at": i.created_at}


def _record(project: Any, ref: str, field: str = "ref") -> DecisionRecord:
    item = get_item(DECISION_RECORDS, project, ref)
    if not isinstance(item, DecisionRecord):
        if field == "ref":
            raise NotFound(f"No decision record {ref!r} in {project.code}")
        raise InvalidInput.field(field, f"no decision record {ref!r} in {project.code}")
    return item


def _component(project: Any, ref: str, field: str = "ref") -> Component:
    item = get_item(COMPONENTS, project, ref)
    if not isinstance(item, Component):
        if field == "ref":
            raise NotFound(f"No component {ref!r} in {project.code}")
        raise InvalidInput.field(field, f"no component {ref!r} in {project.code}")
    return item


@router.post("/projects/{code}/adrs/{ref}/supersede", response=RecordOut,
             summary="Mark an accepted decision record superseded by a later one")
@project_operation("adr.transition")
def supersede(request: AuthedRequest, project: Project, ref: str, payload: SupersedeIn
              ) -> dict[str, Any]:
    record = _record(project, ref)
    moved = actions.supersede_decision(actor=request.user, record=record,
                                       by=_record(project, payload.by, "by"),
                                       version=payload.version, comment=payload.comment)
    return {"reference": moved.reference, "status": moved.status, "version": moved.version,
            "superseded_by": moved.superseded_by.reference if moved.superseded_by else None,
            "supersedes": [r.reference for r in moved.supersedes.all()]}


@router.get("/projects/{code}/components/{ref}/interfaces", response=list[InterfaceOut],
            summary="The interfaces from and to a component")
@project_operation("component.view")
def interfaces(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    component = _component(project, ref)
    qs = ComponentInterface.objects.select_related("source", "target", "created_by")
    return [interface_out(i) for i in
            [*qs.filter(source=component), *qs.filter(target=component)]]


@router.post("/projects/{code}/components/{ref}/interfaces", response={201: InterfaceOut},
             summary="Add an interface from this component to another")
@project_operation("component.change")
def add_interface(request: AuthedRequest, project: Project, ref: str, payload: InterfaceIn
                  ) -> Status[Any]:
    made = actions.add_interface(actor=request.user, source=_component(project, ref),
                                 target=_component(project, payload.target, "target"),
                                 name=payload.name, protocol=payload.protocol)
    return Status(201, interface_out(made))


@router.post("/projects/{code}/components/{ref}/interfaces/{interface_id}/remove",
             response={204: None},
             summary="Remove one of the component's interfaces")
@project_operation("component.change")
def remove_interface(request: AuthedRequest, project: Project, ref: str,
                     interface_id: int) -> Status[None]:
    component = _component(project, ref)
    found = ComponentInterface.objects.filter(pk=interface_id, source=component).select_related(
        "source__project", "target").first()
    if found is None:
        raise NotFound(f"No interface {interface_id} from {component.reference}")
    actions.remove_interface(actor=request.user, interface=found)
    return Status(204, None)


@router.get("/projects/{code}/architecture/diagram.svg",
            summary="The component diagram as SVG, drawn from the register")
@project_operation("component.view")
def diagram_svg(request: AuthedRequest, project: Project) -> HttpResponse:
    return HttpResponse(diagram.build(project).svg, content_type="image/svg+xml")
