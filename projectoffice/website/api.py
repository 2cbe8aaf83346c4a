"""The status pages over the API — a project's and a programme's: read them (members),
choose their content, post announcements, publish them and revoke their public link (the
project manager, the web master; for a programme its manager and its projects' publishers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    has_perm,
    object_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project

from . import actions, queries
from .models import StatusAnnouncement, StatusPage

router = Router(tags=["Status page"])


# A document version's id as the database can hold it: larger numbers are refused at the
# field, not passed to the database.
DocumentId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class StatusMilestoneOut(Schema):
    name: str
    date: dt.date | None
    done: bool


class StatusComponentOut(Schema):
    name: str
    state: str


class StatusAnnouncementOut(Schema):
    id: int
    title: str
    body: str
    posted_at: dt.datetime


class StatusDocumentOut(Schema):
    id: int = Field(description="The document version's id")
    title: str
    code: str
    version: str
    filename: str
    public_path: str | None = Field(description="Its download from the public page")


class StatusProjectOut(Schema):
    name: str
    headline: str
    rag: str | None


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
    announcements: list[StatusAnnouncementOut]
    documents: list[StatusDocumentOut]


class ProgrammePageOut(Schema):
    version: int
    headline: str
    message: str
    projects: list[str] = Field(description="Codes of the projects shown")
    project_summaries: list[StatusProjectOut]
    published: bool
    published_at: dt.datetime | None
    public_path: str | None = Field(description="The public link (publishers only)")
    announcements: list[StatusAnnouncementOut]
    documents: list[StatusDocumentOut]


class ProgrammePagePatch(StrictIn):
    version: int | None = None
    headline: str | None = Field(None, max_length=200)
    message: str | None = Field(None, max_length=5000)
    projects: list[str] | None = Field(None, max_length=200)
    documents: list[DocumentId] | None = Field(None, max_length=200)


class StatusAnnouncementIn(StrictIn):
    title: str = Field(max_length=200)
    body: str = Field("", max_length=5000)


class StatusPagePatch(StrictIn):
    version: int | None = None
    headline: str | None = Field(None, max_length=200)
    message: str | None = Field(None, max_length=5000)
    show_rag: bool | None = None
    show_milestones: bool | None = None
    components: list[str] | None = Field(None, max_length=200)
    documents: list[DocumentId] | None = Field(None, max_length=200)


def _shared_out(page: StatusPage, content: dict[str, Any], may_publish: bool
                ) -> dict[str, Any]:
    token = page.token
    return {
        "published": page.is_public, "published_at": page.published_at,
        "public_path": f"/status/{token}/" if token and may_publish else None,
        "announcements": [{"id": a.pk, "title": a.title, "body": a.body,
                           "posted_at": a.posted_at}
                          for a in (page.announcements.all() if page.pk else [])],
        "documents": [{**d, "public_path": f"/status/{token}/documents/{d['id']}/"
                       if token and may_publish else None} for d in content["documents"]],
    }


def page_out(page: StatusPage, may_publish: bool) -> dict[str, Any]:
    content = queries.page_content(page)
    return {
        **_shared_out(page, content, may_publish),
        "version": page.version, "headline": page.headline, "message": page.message,
        "show_rag": page.show_rag, "show_milestones": page.show_milestones,
        "components": [c.reference for c in queries.chosen_components(page)],
        "rag": content["rag"]["key"] if content["rag"] else None,
        "milestones": content["milestones"],
        "component_states": [{"name": c["name"], "state": c["state"]}
                             for c in content["components"]],
    }


@router.get("/projects/{code}/status-page", response=StatusPageOut,
            summary="The project's status page")
@project_operation("project.view")
def get_status_page(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return page_out(queries.page_of(project),
                    has_perm(request.user, project, actions.PUBLISH))


@router.patch("/projects/{code}/status-page", response=StatusPageOut,
              summary="Choose what the status page shows")
@project_operation(actions.PUBLISH)
def update_status_page(request: AuthedRequest, project: Project,
                       payload: StatusPagePatch) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    components = data.pop("components", None)
    documents = data.pop("documents", None)
    changes = {k: v for k, v in data.items() if v is not None}
    page = actions.update_status_page(actor=request.user, project=project, version=version,
                                      changes=changes, components=components,
                                      documents=documents)
    return page_out(page, True)


@router.post("/projects/{code}/status-page/publish", response=StatusPageOut,
             summary="Publish the page under an unguessable public link")
@project_operation(actions.PUBLISH)
def publish_status_page(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return page_out(actions.publish_status_page(actor=request.user, project=project), True)


@router.post("/projects/{code}/status-page/revoke", response=StatusPageOut,
             summary="Revoke the public link (it answers 404 from then on)")
@project_operation(actions.PUBLISH)
def revoke_status_page(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return page_out(actions.revoke_status_page(actor=request.user, project=project), True)


def _project_page(request: AuthedRequest, project: Project) -> StatusPage:
    page = queries.page_of(project)
    if page.pk is None:
        page = actions.update_status_page(actor=request.user, project=project, version=None,
                                          changes={})
    return page


def _announcement(page: StatusPage, post_id: int) -> StatusAnnouncement:
    post = page.announcements.filter(pk=post_id).first() if page.pk else None
    if post is None:
        raise NotFound(f"No announcement {post_id} on this page")
    return post


@router.post("/projects/{code}/status-page/announcements", response={201: StatusAnnouncementOut},
             summary="Post a dated announcement on the status page")
@project_operation(actions.PUBLISH)
def post_project_announcement(request: AuthedRequest, project: Project,
                              payload: StatusAnnouncementIn) -> Status[Any]:
    page = _project_page(request, project)
    return Status(201, actions.post_status_announcement(
        actor=request.user, page=page, title=payload.title, body=payload.body))


@router.post("/projects/{code}/status-page/announcements/{post_id}/remove",
             response={204: None},
             summary="Remove an announcement from the status page")
@project_operation(actions.PUBLISH)
def remove_project_announcement(request: AuthedRequest, project: Project,
                                post_id: int) -> Status[Any]:
    page = _project_page(request, project)
    actions.remove_status_announcement(actor=request.user, page=page,
                                       post_id=_announcement(page, post_id).pk)
    return Status(204, None)


def programme_out(page: StatusPage, may_publish: bool) -> dict[str, Any]:
    content = queries.page_content(page)
    return {
        **_shared_out(page, content, may_publish),
        "version": page.version, "headline": page.headline, "message": page.message,
        "projects": [p.code for p in queries.chosen_projects(page)],
        "project_summaries": [{"name": p["name"], "headline": p["headline"],
                               "rag": p["rag"]["key"] if p["rag"] else None}
                              for p in content["projects"]],
    }


def _programme_page(request: AuthedRequest, code: str) -> StatusPage:
    programme = actions.access_programme(request.user, code, publish=True)
    page = queries.programme_page_of(programme)
    if page.pk is None:
        page = actions.update_programme_page(actor=request.user, programme=programme,
                                             version=None, changes={})
    return page


@router.get("/programmes/{code}/status-page", response=ProgrammePageOut,
            summary="The programme's status page (read by whoever sees one of its projects)")
@object_operation("project.view")
def get_programme_page(request: AuthedRequest, code: str) -> dict[str, Any]:
    programme = actions.access_programme(request.user, code)
    return programme_out(queries.programme_page_of(programme),
                         actions.may_publish_programme(request.user, programme))


@router.patch("/programmes/{code}/status-page", response=ProgrammePageOut,
              summary="Choose what the programme's status page shows")
@object_operation(actions.PUBLISH)
def update_programme_page(request: AuthedRequest, code: str,
                          payload: ProgrammePagePatch) -> dict[str, Any]:
    programme = actions.access_programme(request.user, code, publish=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    projects = data.pop("projects", None)
    documents = data.pop("documents", None)
    changes = {k: v for k, v in data.items() if v is not None}
    page = actions.update_programme_page(actor=request.user, programme=programme,
                                         version=version, changes=changes, projects=projects,
                                         documents=documents)
    return programme_out(page, True)


@router.post("/programmes/{code}/status-page/publish", response=ProgrammePageOut,
             summary="Publish the programme's page under an unguessable public link")
@object_operation(actions.PUBLISH)
def publish_programme_page(request: AuthedRequest, code: str) -> dict[str, Any]:
    programme = actions.access_programme(request.user, code, publish=True)
    return programme_out(actions.publish_programme_page(actor=request.user,
                                                        programme=programme), True)


@router.post("/programmes/{code}/status-page/revoke", response=ProgrammePageOut,
             summary="Revoke the programme page's public link (404 from then on)")
@object_operation(actions.PUBLISH)
def revoke_programme_page(request: AuthedRequest, code: str) -> dict[str, Any]:
    programme = actions.access_programme(request.user, code, publish=True)
    return programme_out(actions.revoke_programme_page(actor=request.user,
                                                       programme=programme), True)


@router.post("/programmes/{code}/status-page/announcements",
             response={201: StatusAnnouncementOut},
             summary="Post a dated announcement on the programme's status page")
@object_operation(actions.PUBLISH)
def post_programme_announcement(request: AuthedRequest, code: str,
                                payload: StatusAnnouncementIn) -> Status[Any]:
    page = _programme_page(request, code)
    return Status(201, actions.post_status_announcement(
        actor=request.user, page=page, title=payload.title, body=payload.body))


@router.post("/programmes/{code}/status-page/announcements/{post_id}/remove",
             response={204: None},
             summary="Remove an announcement from the programme's status page")
@object_operation(actions.PUBLISH)
def remove_programme_announcement(request: AuthedRequest, code: str,
                                  post_id: int) -> Status[Any]:
    page = _programme_page(request, code)
    actions.remove_status_announcement(actor=request.user, page=page,
                                       post_id=_announcement(page, post_id).pk)
    return Status(204, None)
