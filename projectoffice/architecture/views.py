"""The component diagram page and the forms the decision record and component pages post
to. The registers themselves have the kernel's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item
from projectoffice.registers.views import item_url
from projectoffice.web.shortcuts import flash_errors, office_view

from . import actions, diagram
from .models import Component, ComponentInterface, DecisionRecord
from .registers import COMPONENTS, DECISION_RECORDS


@login_required
@office_view
@project_operation("component.view")
def component_diagram(request: AuthedRequest, project: Project) -> HttpResponse:
    drawn = diagram.build(project, link=item_url)
    if request.GET.get("format") == "svg":
        response = HttpResponse(drawn.svg, content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="{project.code}-components.svg"'
        return response
    return render(request, "architecture/diagram.html", {
        "project": project, "diagram": drawn,
        "perms": project_permissions(request.user, project)})


def _component(request: AuthedRequest, project: Project, ref: str) -> Component:
    item = get_item(COMPONENTS, project, ref)
    if not isinstance(item, Component):
        raise Http404(f"No component {ref!r}")
    return item


@login_required
@require_POST
@office_view
@project_operation("component.view")
def interface_add(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    source = _component(request, project, ref)
    with flash_errors(request):
        target = get_item(COMPONENTS, source.project, request.POST.get("target", ""))
        if not isinstance(target, Component):
            raise InvalidInput.field("target", "choose a component of the project")
        actions.add_interface(actor=request.user, source=source, target=target,
                              name=request.POST.get("name", ""),
                              protocol=request.POST.get("protocol", ""))
        messages.success(request, f"Interface to {target.reference} added.")
    return redirect(item_url(source) + "#interfaces")


@login_required
@require_POST
@office_view
@project_operation("component.view")
def interface_remove(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    interface = ComponentInterface.objects.filter(pk=pk, project=project).select_related(
        "source__project", "target").first()
    if interface is None:
        raise Http404("No such interface")
    source = interface.source
    with flash_errors(request):
        actions.remove_interface(actor=request.user, interface=interface)
        messages.success(request, "Interface removed.")
    return redirect(item_url(source) + "#interfaces")


@login_required
@require_POST
@office_view
@project_operation("adr.view")
def adr_supersede(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    record = get_item(DECISION_RECORDS, project, ref)
    if not isinstance(record, DecisionRecord):
        raise Http404(f"No decision record {ref!r}")
    with flash_errors(request):
        by = get_item(DECISION_RECORDS, project, request.POST.get("by", ""))
        if not isinstance(by, DecisionRecord):
            raise InvalidInput.field("by", "choose a decision record of the project")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        actions.supersede_decision(actor=request.user, record=record, by=by, version=version,
                                   comment=request.POST.get("comment", ""))
        messages.success(request, f"{record.reference} is superseded by {by.reference}.")
    return redirect(item_url(record))
