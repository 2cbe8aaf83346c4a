"""Generic HTML pages for every register: list, detail, create, edit, and the item's moves,
comments, attachments and links. A register gets all of them from its declaration."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.operations import declare
from projectoffice.apischema import model_field
from projectoffice.audit.queries import history_of, without_fields
from projectoffice.errors import InvalidInput, OfficeError, StaleVersion
from projectoffice.files import file_response
from projectoffice.formats.tabular import read_table
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    project_operation,
    project_permissions,
)
from projectoffice.portfolio.models import Project
from projectoffice.web.shortcuts import errors_to_form, flash_errors, is_htmx, office_view
from projectoffice.web.templatetags.office import get_display

from . import actions, imports, queries
from .api import export_items
from .forms import bind_item_form, people_of
from .models import LinkKind, Priority, RegisterItem
from .services import get_service
from .spec import RegisterSpec, get_spec


def _spec(register: str) -> RegisterSpec:
    spec = get_spec(register)
    if spec is None:
        raise Http404(f"No register {register!r}")
    return spec


def item_or_404(spec: RegisterSpec, project: Project, ref: str, user: Any) -> RegisterItem:
    item = queries.get_item(spec, project, ref, user)
    if item is None:
        raise Http404(f"No {spec.item_label.lower()} {ref} in {project.code}")
    return item


R = TypeVar("R")


def register_page(action: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Declares a register page and its permission, once: the register's own `action`
    permission (``spec.perm(action)``: view, add, change) on the project in the URL. The page
    takes ``(request, spec, project, ...)`` where the URL gives ``code`` and ``register``:
    404 for an unknown register or a project the person cannot see, 403 without it."""

    def decorate(func: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(func)
        def wrapper(request: AuthedRequest, code: str, register: str, *args: Any,
                    **kwargs: Any) -> R:
            spec = _spec(register)
            project = access_project(request.user, code, spec.perm(action))
            return func(request, spec, project, *args, **kwargs)

        declare(wrapper, f"{{register}}.{action}")
        return wrapper

    return decorate


def item_url(item: RegisterItem) -> str:
    return reverse("register-item", args=[item.project.code, item.register_spec.key,
                                          item.reference])


def _filter_from(request: AuthedRequest, spec: RegisterSpec) -> queries.ItemFilter:
    g = request.GET
    return queries.ItemFilter(
        q=g.get("q", "").strip(), status=g.get("status", "open"), priority=g.get("priority", ""),
        owner=g.get("owner", ""), overdue=g.get("overdue") == "1",
        sort=g.get("sort", "-reference"),
        extra={name: g.get(name, "") for name in spec.filters})


@login_required
@office_view
@register_page("view")
def item_list(request: AuthedRequest, spec: RegisterSpec,
              project: Project) -> HttpResponse:
    f = _filter_from(request, spec)
    today = timezone.localdate()
    qs = queries.filter_items(spec, queries.project_items(spec, project, request.user), f,
                               request.user, today)
    if spec.list_related:
        qs = qs.select_related(*spec.list_related)
    hidden = queries.hidden_fields(spec, request.user, project)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_items(spec, project.code, qs, request.GET["format"], hidden)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    extra_filters = [(name, model_field(spec.model, name).verbose_name,
                      model_field(spec.model, name).choices, f.extra.get(name, ""))
                     for name in spec.filters]
    columns = [(c, model_field(spec.model, c).verbose_name) for c in spec.list_columns
               if c not in hidden]
    columns += list(spec.computed_columns)
    context = {
        "spec": spec, "project": project, "page": page, "f": f, "today": today,
        "perms": project_permissions(request.user, project), "columns": columns,
        "states": spec.workflow.states, "priorities": Priority.choices,
        "people": people_of(project), "extra_filters": extra_filters,
        "query": request.GET.urlencode(),
    }
    template = "registers/_item_table.html" if is_htmx(request) else "registers/list.html"
    return render(request, template, context)


@login_required
@office_view
@project_operation("project.view")
def service_hub(request: AuthedRequest, project: Project, service: str) -> HttpResponse:
    """One service's registers and pages on a project, as one entry in the navigation."""
    found = get_service(service)
    if found is None:
        raise Http404
    perms = project_permissions(request.user, project)
    entries = queries.service_entries(found, project, perms, request.user)
    return render(request, "registers/service_hub.html",
                  {"service": found, "project": project, "entries": entries})


@login_required
@office_view
@register_page("add")
def item_create(request: AuthedRequest, spec: RegisterSpec,
                project: Project) -> HttpResponse:
    # A link may prefill the form ("raise a non-conformance" from an audit's page).
    initial = {k: v for k, v in request.GET.items() if k in actions.editable_fields(spec)}
    form = bind_item_form(spec, project, request.POST or None, user=request.user,
                          initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            item = actions.create_item(actor=request.user, spec=spec, project=project,
                                       data=data)
            messages.success(request, f"{item.reference} created.")
            return redirect(item_url(item))
        except OfficeError as exc:
            errors_to_form(form, exc)
    return render(request, "registers/form.html", {
        "spec": spec, "project": project, "form": form, "item": None,
        "title": f"New {spec.item_label.lower()}"})


@login_required
@office_view
@register_page("change")
def item_edit(request: AuthedRequest, spec: RegisterSpec,
              project: Project, ref: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    form = bind_item_form(spec, project, request.POST or None, instance=item,
                          user=request.user)
    version = item.version
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        if form.is_valid():
            fresh = item_or_404(spec, project, ref, request.user)
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                actions.update_item(actor=request.user, item=fresh, version=version,
                                    changes=changes)
                messages.success(request, f"{fresh.reference} saved.")
                return redirect(item_url(fresh))
            except StaleVersion as exc:
                form.add_error(None, exc.message)
                version = exc.current
            except OfficeError as exc:
                errors_to_form(form, exc)
    return render(request, "registers/form.html", {
        "spec": spec, "project": project, "form": form, "item": item, "version": version,
        "title": f"Edit {item.reference}"})


def _detail_context(request: AuthedRequest, spec: RegisterSpec, project: Project,
                    item: RegisterItem) -> dict[str, Any]:
    perms = project_permissions(request.user, project)
    moves = [t for t in spec.workflow.available_from(item.status) if t.permission in perms]
    hidden = queries.hidden_fields(spec, request.user, project)
    shown = [n for n in spec.fields if n not in hidden]
    fields = [(model_field(type(item), n).verbose_name, _display(item, n)) for n in shown
              if n not in ("impact", "resolution", "outcome")]
    long_fields = [(model_field(type(item), n).verbose_name, getattr(item, n)) for n in shown
                   if model_field(type(item), n).get_internal_type() == "TextField"]
    return {
        "spec": spec, "project": project, "item": item, "perms": perms, "moves": moves,
        "fields": fields, "long_fields": long_fields, "today": timezone.localdate(),
        "comments": queries.comments_of(item), "attachments": queries.attachments_of(item),
        "links": queries.links_of(item, request.user),
        "history": without_fields(history_of(item)[:50], hidden),
        "link_kinds": LinkKind.choices, "states": spec.workflow.states,
    }


def _display(item: RegisterItem, name: str) -> Any:
    return get_display(item, name)


@login_required
@office_view
@register_page("view")
def item_detail(request: AuthedRequest, spec: RegisterSpec,
                project: Project, ref: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    return render(request, "registers/detail.html", _detail_context(request, spec, project, item))


def _after_write(request: AuthedRequest, spec: RegisterSpec, project: Project, ref: str,
                 partial: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    if is_htmx(request):
        return render(request, partial, _detail_context(request, spec, project, item))
    return redirect(item_url(item))


@login_required
@require_POST
@office_view
@register_page("view")
def item_transition(request: AuthedRequest, spec: RegisterSpec,
                    project: Project, ref: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    with flash_errors(request):
        item = actions.transition_item(actor=request.user, item=item,
                                       transition=request.POST.get("transition", ""),
                                       version=version, comment=request.POST.get("comment", ""))
        messages.success(request, f"{item.reference} is now {item.state.label.lower()}.")
    return _after_write(request, spec, project, ref, "registers/_detail_main.html")


@login_required
@require_POST
@office_view
@register_page("view")
def item_comment(request: AuthedRequest, spec: RegisterSpec,
                 project: Project, ref: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    with flash_errors(request):
        actions.add_comment(actor=request.user, item=item, body=request.POST.get("body", ""))
    return _after_write(request, spec, project, ref, "registers/_detail_main.html")


@login_required
@require_POST
@office_view
@register_page("view")
def item_attach(request: AuthedRequest, spec: RegisterSpec,
                project: Project, ref: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    upload = request.FILES.get("file")
    with flash_errors(request):
        if upload is None:
            raise OfficeError("Choose a file to attach")
        actions.add_attachment(actor=request.user, item=item, upload=upload)
        messages.success(request, f"{upload.name} attached.")
    return redirect(item_url(item))


@login_required
@office_view
@register_page("view")
def item_download(request: AuthedRequest, spec: RegisterSpec,
                  project: Project, ref: str,
                  attachment_id: int) -> HttpResponseBase:
    item = item_or_404(spec, project, ref, request.user)
    attachment = queries.attachments_of(item).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment")
    return file_response(attachment.file, attachment.filename, attachment.mime_type)


@login_required
@require_POST
@office_view
@register_page("view")
def item_link(request: AuthedRequest, spec: RegisterSpec,
              project: Project, ref: str) -> HttpResponse:
    item = item_or_404(spec, project, ref, request.user)
    with flash_errors(request):
        actions.link_items(actor=request.user, item=item,
                           target_reference=request.POST.get("target", ""),
                           kind=request.POST.get("kind", LinkKind.RELATES))
        messages.success(request, "Link added.")
    return redirect(item_url(item))


@login_required
@office_view
@register_page("add")
def item_import(request: AuthedRequest, spec: RegisterSpec,
                project: Project) -> HttpResponse:
    """Upload a CSV or XLSX; every row becomes an item, or — if any row is wrong — none does
    and the page lists each wrong row and field."""
    problems: list[tuple[str, str, str]] = []
    message = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput.field("file", "choose a CSV or XLSX file")
            data = upload.read()
            headers, rows = read_table(data, upload.name or "")
            if imports.in_background(len(rows)):
                run = imports.start_register_import(actor=request.user, spec=spec,
                                                    project=project, data=data,
                                                    filename=upload.name or "")
                return redirect("run", run_id=run.pk)
            result = actions.import_items(actor=request.user, spec=spec, project=project,
                                          headers=headers, rows=rows)
            messages.success(request, f"{len(result.created)} "
                                      f"{spec.item_label.lower()}(s) imported.")
            return redirect(reverse("register-list", args=[project.code, spec.key]))
        except OfficeError as exc:
            message = exc.message
            for key, texts in exc.errors.items():
                row, _, field = key.partition(".")
                for text in texts:
                    problems.append((row.capitalize(), field, text))
    columns = [(str(model_field(spec.model, n).verbose_name).capitalize(), n)
               for n in actions.editable_fields(spec)]
    return render(request, "registers/import.html", {
        "spec": spec, "project": project, "problems": problems, "message": message,
        "columns": columns})


@login_required
@office_view
def notifications(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        count = actions.mark_notifications_read(actor=request.user)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
        return redirect(reverse("notifications"))
    page = Paginator(queries.notifications_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "registers/notifications.html", {"page": page})
