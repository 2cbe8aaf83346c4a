"""The generic REST operations every register gets from its declaration."""

import datetime as dt
from typing import Any

from django.db import models
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, create_model

from projectoffice.accounts.models import User
from projectoffice.apischema import (
    Page,
    StrictIn,
    field_type,
    input_schema,
    model_field,
    paginate,
    provided,
    require_not_null,
    user_by_username,
    username,
    version_of,
)
from projectoffice.audit.queries import history_of, without_fields
from projectoffice.background.api import BackgroundRunOut, run_out
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.files import file_response
from projectoffice.formats.tabular import export_response, read_table
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    object_operation,
    office_operation,
    project_operation,
)
from projectoffice.portfolio.models import Project

from . import actions, imports, queries
from .models import LinkKind, RegisterItem
from .spec import RegisterSpec, all_specs


class CommentOut(Schema):
    id: int
    author: str | None
    author_name: str
    body: str
    created_at: dt.datetime


class CommentIn(StrictIn):
    body: str = Field(..., max_length=10000)


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int
    sha256: str
    mime_type: str
    uploaded_by: str | None
    created_at: dt.datetime


class LinkIn(StrictIn):
    target: str = Field(..., max_length=20, description="Reference of the other item")
    kind: LinkKind = LinkKind.RELATES


class LinkOut(Schema):
    relation: str
    reference: str
    title: str
    register_key: str


class TransitionIn(StrictIn):
    transition: str = Field(..., max_length=40)
    version: int
    comment: str = Field("", max_length=5000)


class ImportOut(Schema):
    created: int
    references: list[str]


class HistoryOut(Schema):
    at: dt.datetime
    actor: str | None
    verb: str
    changes: dict[str, Any]


def plain(value: Any) -> Any:
    if isinstance(value, User):
        return value.username
    if isinstance(value, Project):
        return value.code
    if isinstance(value, models.Model):
        return str(value)
    return value


def item_out(spec: RegisterSpec, item: RegisterItem,
             hidden: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The item as the API sends it; ``hidden`` guarded fields are null for this reader."""
    data = {
        "id": item.pk, "project": item.project.code, "reference": item.reference,
        "title": item.title, "description": item.description, "owner": username(item.owner),
        "status": item.status, "status_label": item.state.label, "priority": item.priority,
        "raised_on": item.raised_on, "due_date": item.due_date, "closed_on": item.closed_on,
        "created_at": item.created_at, "updated_at": item.updated_at, "version": item.version,
        "transitions": [t.key for t in spec.workflow.available_from(item.status)],
    }
    for name in (*spec.fields, *spec.list_columns):
        value = plain(getattr(item, name))
        # An unset optional choice is null, not an empty string outside the choices.
        data[name] = None if value == "" and model_field(spec.model, name).choices else value
    for name in hidden:
        data[name] = None
    return data


def _out_schema(spec: RegisterSpec) -> type[Schema]:
    fields: dict[str, Any] = {
        "id": (int, ...), "project": (str, ...), "reference": (str, ...), "title": (str, ...),
        "description": (str, ...), "owner": (str | None, None), "status": (str, ...),
        "status_label": (str, ...), "priority": (str, ...), "raised_on": (dt.date, ...),
        "due_date": (dt.date | None, None), "closed_on": (dt.date | None, None),
        "created_at": (dt.datetime, ...), "updated_at": (dt.datetime, ...),
        "version": (int, ...), "transitions": (list[str], ...),
    }
    for name in (*spec.fields, *spec.list_columns):
        f = spec.model._meta.get_field(name)
        fields[name] = (field_type(f) | None, None)
    schema: type[Schema] = create_model(f"{spec.model.__name__}Out", __base__=Schema, **fields)
    return schema


def _people(spec: RegisterSpec, data: dict[str, Any]) -> dict[str, Any]:
    """People are sent by user name, projects by code and other linked rows by id."""
    for name in list(data):
        f = spec.model._meta.get_field(name)
        if isinstance(f, models.ForeignKey) and f.related_model is User:
            data[name] = user_by_username(data[name], name)
        elif isinstance(f, models.ForeignKey) and f.related_model is Project:
            data[name] = project_by_code(data[name], name)
        elif isinstance(f, models.ForeignKey):
            data[name] = row_by_id(f.related_model, data[name], name)
    return data


def row_by_id(model: Any, value: str | None, field: str) -> Any:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    row = model._default_manager.filter(pk=int(text)).first() if text.isdigit() else None
    if row is None:
        raise InvalidInput.field(field, f"no {model._meta.verbose_name} {text!r}")
    return row


def project_by_code(code: str | None, field: str) -> Project | None:
    if not code:
        return None
    project = Project.objects.filter(code=code.strip().upper()).first()
    if project is None:
        raise InvalidInput.field(field, f"no project {code.strip().upper()!r}")
    return project


def _blank_text(spec: RegisterSpec, data: dict[str, Any]) -> dict[str, Any]:
    """null for a text field means empty text; null for a required choice is an error."""
    for name in list(data):
        f = spec.model._meta.get_field(name)
        if data[name] is None and isinstance(f, models.CharField | models.TextField):
            if (f.choices and not f.blank) or name == "title":
                raise InvalidInput.field(name, "cannot be empty")
            data[name] = ""
    return data


def build_router(spec: RegisterSpec) -> Router:
    router = Router(tags=[spec.label])
    base = f"/projects/{{code}}/{spec.key}"
    Out = _out_schema(spec)
    editable = actions.editable_fields(spec)
    In = input_schema(f"{spec.model.__name__}In", spec.model, editable, required=("title",))
    Patch = input_schema(f"{spec.model.__name__}Patch", spec.model, editable, with_version=True)
    filter_fields: dict[str, Any] = {
        "q": (str, ""), "status": (str, ""), "priority": (str, ""), "owner": (str, ""),
        "overdue": (bool, False), "sort": (str, "-reference"),
    }
    for name in spec.filters:
        filter_fields[name] = (str, "")
    Filters = create_model(f"{spec.model.__name__}Filters", __base__=Schema, **filter_fields)

    def fetch(request: AuthedRequest, project: Project, ref: str) -> RegisterItem:
        item = queries.get_item(spec, project, ref, request.user)
        if item is None:
            raise NotFound(f"No {spec.item_label.lower()} {ref!r} in {project.code}")
        return item

    @router.get(base, response=Page,
                operation_id=f"list_{spec.key}", summary=f"List the {spec.label.lower()}")
    @project_operation(spec.perm("view"))
    def list_items(request: AuthedRequest, project: Project,
                   filters: Query[Filters],  # type: ignore[valid-type]
                   limit: int = 50, offset: int = 0) -> dict[str, Any]:
        f = _item_filter(spec, filters)
        qs = queries.filter_items(spec, queries.project_items(spec, project, request.user), f,
                                  request.user,
                                  timezone.localdate())
        count, rows = paginate(qs, limit, offset)
        hidden = queries.hidden_fields(spec, request.user, project)
        return {"count": count, "limit": limit, "offset": offset,
                "items": [item_out(spec, i, hidden) for i in rows]}

    @router.post(base, response={201: Out},
                 operation_id=f"create_{spec.key}", summary=f"Add to the {spec.label.lower()}")
    @project_operation(spec.perm("add"))
    def create(request: AuthedRequest, project: Project,
               payload: In) -> Status[Any]:  # type: ignore[valid-type]
        data = _blank_text(spec, _people(spec, provided(payload)))
        data = {k: v for k, v in data.items() if v is not None}
        item = actions.create_item(actor=request.user, spec=spec, project=project, data=data)
        return Status(201, item_out(spec, item, queries.hidden_fields(spec, request.user,
                                                                      project)))

    @router.get(base + "/export",
                operation_id=f"export_{spec.key}", summary="Export as CSV or XLSX")
    @project_operation(spec.perm("view"))
    def export(request: AuthedRequest, project: Project,
               filters: Query[Filters],  # type: ignore[valid-type]
               format: str = "csv") -> HttpResponse:
        qs = queries.filter_items(spec, queries.project_items(spec, project, request.user),
                                  _item_filter(spec, filters), request.user,
                                  timezone.localdate())
        return export_items(spec, project.code, qs, format,
                            queries.hidden_fields(spec, request.user, project))

    @router.post(base + "/import", response={201: ImportOut, 202: BackgroundRunOut},
                 operation_id=f"import_{spec.key}",
                 summary="Import from CSV or XLSX, all or nothing",
                 description="Columns are named as in the export (or by field name). If any "
                             "row is wrong nothing is imported and `errors` maps "
                             "`row N.field` (N is the line in the file) to messages. A file "
                             "of more rows than PMO_IMPORT_IN_BACKGROUND_ROWS is imported by "
                             "a background job: 202 with the run, whose `status_url` gives "
                             "the outcome (`problems`: one line per wrong row and field); "
                             "`wait=true` imports it within the request instead.")
    @project_operation(spec.perm("add"))
    def import_(request: AuthedRequest, project: Project, file: File[UploadedFile],
                wait: bool = False) -> Status[Any]:
        data = file.read()
        headers, rows = read_table(data, file.name or "")
        if not wait and imports.in_background(len(rows)):
            run = imports.start_register_import(actor=request.user, spec=spec,
                                                project=project, data=data,
                                                filename=file.name or "")
            return Status(202, run_out(run))
        result = actions.import_items(actor=request.user, spec=spec, project=project,
                                      headers=headers, rows=rows)
        return Status(201, {"created": len(result.created),
                            "references": [i.reference for i in result.created]})

    @router.get(base + "/{ref}", response=Out,
                operation_id=f"get_{spec.key}")
    @project_operation(spec.perm("view"))
    def get(request: AuthedRequest, project: Project, ref: str) -> dict[str, Any]:
        item = fetch(request, project, ref)
        return item_out(spec, item, queries.hidden_fields(spec, request.user, item.project))

    @router.patch(base + "/{ref}", response=Out,
                  operation_id=f"update_{spec.key}")
    @project_operation(spec.perm("change"))
    def update(request: AuthedRequest, project: Project,
               ref: str, payload: Patch) -> dict[str, Any]:  # type: ignore[valid-type]
        item = fetch(request, project, ref)
        data = _blank_text(spec, _people(spec, provided(payload)))
        require_not_null(data, ("priority",))
        item = actions.update_item(actor=request.user, item=item, version=version_of(payload),
                                   changes=data)
        return item_out(spec, item, queries.hidden_fields(spec, request.user, item.project))

    # Each move needs its own permission (a team member may complete an action but not
    # cancel it), so the operation names them all.
    @router.post(base + "/{ref}/transitions", response=Out,
                 openapi_extra={"x-transition-permissions": {
                                    t.key: t.permission for t in spec.workflow.transitions}},
                 operation_id=f"transition_{spec.key}",
                 summary="Move through the workflow",
                 description="Transitions: " + ", ".join(
                     f"{t.key} ({'/'.join(t.sources)} → {t.target}, needs {t.permission})"
                     for t in spec.workflow.transitions))
    @object_operation("per transition")
    def transition(request: AuthedRequest, code: str, ref: str,
                   payload: TransitionIn) -> dict[str, Any]:
        item = fetch(request, access_project(request.user, code, spec.perm("view")), ref)
        item = actions.transition_item(actor=request.user, item=item,
                                       transition=payload.transition, version=payload.version,
                                       comment=payload.comment)
        return item_out(spec, item, queries.hidden_fields(spec, request.user, item.project))

    @router.get(base + "/{ref}/comments", response=list[CommentOut],
                operation_id=f"comments_{spec.key}")
    @project_operation(spec.perm("view"))
    def comments(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
        item = fetch(request, project, ref)
        return [{"id": c.pk, "author": username(c.author), "author_name": str(c.author),
                 "body": c.body, "created_at": c.created_at}
                for c in queries.comments_of(item)]

    @router.post(base + "/{ref}/comments", response={201: CommentOut},
                 operation_id=f"comment_{spec.key}")
    @object_operation("comment.add")
    def comment(request: AuthedRequest, code: str, ref: str,
                payload: CommentIn) -> Status[Any]:
        item = fetch(request, access_project(request.user, code, spec.perm("view")), ref)
        c = actions.add_comment(actor=request.user, item=item, body=payload.body)
        return Status(201, {"id": c.pk, "author": username(c.author), "author_name": str(c.author),
                     "body": c.body, "created_at": c.created_at})

    @router.get(base + "/{ref}/attachments", response=list[AttachmentOut],
                operation_id=f"attachments_{spec.key}")
    @project_operation(spec.perm("view"))
    def attachments(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
        item = fetch(request, project, ref)
        return [_attachment_out(a) for a in queries.attachments_of(item)]

    @router.post(base + "/{ref}/attachments", response={201: AttachmentOut},
                 operation_id=f"attach_{spec.key}")
    @object_operation("attachment.add")
    def attach(request: AuthedRequest, code: str, ref: str,
               file: File[UploadedFile]) -> Status[Any]:
        item = fetch(request, access_project(request.user, code, spec.perm("view")), ref)
        return Status(201, _attachment_out(actions.add_attachment(actor=request.user, item=item,
                                                           upload=file)))

    @router.get(base + "/{ref}/attachments/{attachment_id}/content",
                operation_id=f"download_{spec.key}")
    @project_operation(spec.perm("view"))
    def download(request: AuthedRequest, project: Project, ref: str,
                 attachment_id: int) -> FileResponse:
        item = fetch(request, project, ref)
        a = queries.attachments_of(item).filter(pk=attachment_id).first()
        if a is None:
            raise NotFound(f"No attachment {attachment_id} on {item.reference}")
        return file_response(a.file, a.filename, a.mime_type)

    @router.get(base + "/{ref}/links", response=list[LinkOut],
                operation_id=f"links_{spec.key}")
    @project_operation(spec.perm("view"))
    def links(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
        item = fetch(request, project, ref)
        return [{"relation": phrase, "reference": other.reference, "title": other.title,
                 "register_key": other.register_spec.key}
                for phrase, other in queries.links_of(item, request.user)]

    @router.post(base + "/{ref}/links", response={201: LinkOut},
                 operation_id=f"link_{spec.key}")
    @project_operation(spec.perm("change"))
    def link(request: AuthedRequest, project: Project, ref: str,
             payload: LinkIn) -> Status[Any]:
        item = fetch(request, project, ref)
        made = actions.link_items(actor=request.user, item=item, target_reference=payload.target,
                                  kind=payload.kind)
        target = made.target
        assert target is not None
        return Status(201, {"relation": made.get_kind_display(), "reference": target.reference,
                     "title": target.title, "register_key": target.register_spec.key})

    @router.get(base + "/{ref}/history", response=list[HistoryOut],
                operation_id=f"history_{spec.key}")
    @project_operation(spec.perm("view"))
    def history(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
        item = fetch(request, project, ref)
        hidden = queries.hidden_fields(spec, request.user, item.project)
        return [{"at": e.at, "actor": username(e.actor), "verb": e.verb, "changes": e.changes}
                for e in without_fields(history_of(item), hidden)]

    return router


def _item_filter(spec: RegisterSpec, filters: Any) -> queries.ItemFilter:
    return queries.ItemFilter(
        q=filters.q, status=filters.status, priority=filters.priority, owner=filters.owner,
        overdue=filters.overdue, sort=filters.sort,
        extra={name: getattr(filters, name) for name in spec.filters},
    )


def _attachment_out(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "filename": a.filename, "size": a.size, "sha256": a.sha256,
            "mime_type": a.mime_type, "uploaded_by": username(a.uploaded_by),
            "created_at": a.created_at}


EXPORT_BASE = ("reference", "title", "status", "priority", "owner", "raised_on", "due_date",
               "closed_on")


def export_items(spec: RegisterSpec, code: str, qs: Any, fmt: str,
                 hidden: frozenset[str] = frozenset()) -> HttpResponse:
    columns = (*EXPORT_BASE, *[c for c in (*spec.list_columns, *spec.fields)
                               if c not in EXPORT_BASE and c not in hidden], "description")
    columns = tuple(dict.fromkeys(columns))
    computed = dict(spec.computed_columns)
    headers = [str(model_field(spec.model, c).verbose_name).capitalize() for c in columns]
    headers += list(computed.values())

    def cell(item: RegisterItem, name: str) -> Any:
        if name == "status":
            return item.state.label
        f = model_field(spec.model, name)
        if f.choices:
            return getattr(item, f"get_{name}_display")()
        return plain(getattr(item, name))

    if spec.list_related:
        qs = qs.select_related(*spec.list_related)
    rows = ([*(cell(i, c) for c in columns), *(plain(getattr(i, c)) for c in computed)]
            for i in qs)
    return export_response(f"{code}-{spec.key}", headers, rows, fmt)


def register_routers() -> list[Router]:
    return [build_router(spec) for spec in all_specs()]


notifications_router = Router(tags=["Notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    url: str
    project: str | None = Field(None, description="None for office-wide notices")
    created_at: dt.datetime
    read: bool


class ReadIn(StrictIn):
    ids: list[int] | None = Field(None, description="Omit to mark every notification read")


@notifications_router.get("/me/notifications", response=Page,
                          summary="My notifications, newest first")
@office_operation("authenticated")
def my_notifications(request: AuthedRequest, unread: bool = False, limit: int = 50,
                     offset: int = 0) -> dict[str, Any]:
    qs = queries.notifications_of(request.user, unread_only=unread)
    count, rows = paginate(qs, limit, offset)
    return {"count": count, "limit": limit, "offset": offset, "items": [
        NotificationOut(id=n.pk, kind=n.kind, message=n.message, url=n.url,
                        project=n.project.code if n.project else None,
                        created_at=n.created_at,
                        read=n.read_at is not None).model_dump() for n in rows]}


@notifications_router.post("/me/notifications/read",
                           summary="Mark notifications read")
@office_operation("authenticated")
def read_notifications(request: AuthedRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": actions.mark_notifications_read(actor=request.user, ids=payload.ids)}
