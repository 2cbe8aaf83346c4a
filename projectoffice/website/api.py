"""The project's status page over the API: read it (members), choose its content, publish
it and revoke its public link (the project manager and the web master)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import access_project, has_perm

from . import actions, queries
from .models import StatusPage

router = Router(tags=["Status page"])


def needs(perm: str) -> dict[str, str]:
    return {"x-permission": perm}


class StatusMilestoneOut(Schema):
    name: str
    date: dt.date | None
    done: bool


class StatusComponentOut(Schema):
    name: str
    state: str


class StatusPageOut(Schema):
    version: int
    headline: str
    message: str
    show_rag: bool
    show_milestones: bool
    components: list[str] = Field(description="References of the components shown")
    published: bool
    published_at: dt.datetime | None
    public_path: str | None = Field(description="The public link (publishers only)")
    rag: str | None
    milestones: list[StatusMilestoneOut]
    component_states: list[StatusComponentOut]


class StatusPagePatch(StrictIn):
    version: int | None = None
    headline: str | None = Field(None, max_length=200)
    message: str | None = Field(None, max_length=5000)
    show_rag: bool | None = None
    show_milestones: bool | None = None
    components: list[str] | None = Field(None, max_length=200)


def page_out(page: StatusPage, may_publish: bool) -> dict[str, Any]:
    content = queries.page_content(page)
    return {
        "version": page.version, "headline": page.headline, "message": page.message,
        "show_rag": page.show_rag, "show_milestones": page.show_milestones,
        "components": [c.reference for c in queries.chosen_components(page)],
        "published": page.is_public, "published_at": page.published_at,
        "public_path": f"/status/{page.token}/" if page.token and may_publish else None,
        "rag": content["rag"]["key"] if content["rag"] else None,
        "milestones": content["milestones"],
        "component_states": [{"name": c["name"], "state": c["state"]}
                             for c in content["components"]],
    }


@router.get("/projects/{code}/status-page", response=StatusPageOut,
            openapi_extra=needs("project.view"), summary="The project's status page")
def get_status_page(request: AuthedRequest, code: str) -> dict[str, Any]:
    project = access_project(request.user, code, "project.view")
    return page_out(queries.page_of(project),
                    has_perm(request.user, project, actions.PUBLISH))


@router.patch("/projects/{code}/status-page", response=StatusPageOut,
              openapi_extra=needs("statuspage.publish"),
              summary="Choose what the status page shows")
def update_status_page(request: AuthedRequest, code: str,
                       payload: StatusPagePatch) -> dict[str, Any]:
    project = access_project(request.user, code, actions.PUBLISH)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    components = data.pop("components", None)
    changes = {k: v for k, v in data.items() if v is not None}
    page = actions.update_status_page(actor=request.user, project=project, version=version,
                                      changes=changes, components=components)
    return page_out(page, True)


@router.post("/projects/{code}/status-page/publish", response=StatusPageOut,
             openapi_extra=needs("statuspage.publish"),
             summary="Publish the page under an unguessable public link")
def publish_status_page(request: AuthedRequest, code: str) -> dict[str, Any]:
    project = access_project(request.user, code, actions.PUBLISH)
    return page_out(actions.publish_status_page(actor=request.user, project=project), True)


@router.post("/projects/{code}/status-page/revoke", response=StatusPageOut,
             openapi_extra=needs("statuspage.publish"),
             summary="Revoke the public link (it answers 404 from then on)")
def revoke_status_page(request: AuthedRequest, code: str) -> dict[str, Any]:
    project = access_project(request.user, code, actions.PUBLISH)
    return page_out(actions.revoke_status_page(actor=request.user, project=project), True)
