"""Pages of the configuration service: baselines and releases (with status accounting,
comparison and the configuration audit) and recording an item's versions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from projectoffice.errors import OfficeError
from projectoffice.formats.tabular import export_response
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    project_operation,
    project_permissions,
    require_perm,
)
from projectoffice.portfolio.models import Project
from projectoffice.registers.views import item_or_404, item_url
from projectoffice.web.shortcuts import errors_to_form, office_view

from . import configuration
from .config_models import BaselineKind, ConfigurationBaseline, ConfigurationItem
from .quality_registers import CONFIGURATION_ITEMS, CONFIGURATION_SERVICE

NAV = {"nav_service": CONFIGURATION_SERVICE}


class BaselineForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. Release 1.0 or Design baseline")
    kind = forms.ChoiceField(choices=BaselineKind.choices, initial=BaselineKind.BASELINE)
    description = forms.CharField(max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@office_view
@project_operation("configitem.view")
def configuration_page(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    form = BaselineForm()
    if request.method == "POST":
        require_perm(request.user, project, "configuration.manage")
        form = BaselineForm(request.POST)
        if form.is_valid():
            try:
                baseline = configuration.create_baseline(actor=request.user, project=project,
                                                         **form.cleaned_data)
            except OfficeError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, f"{baseline.get_kind_display()} {baseline.name} "
                                          f"frozen with {baseline.entries.count()} items.")
                return redirect("assurance-baseline", project.code, baseline.pk)
    items = ConfigurationItem.objects.filter(project=project).select_related(
        "current_version", "owner").order_by("number")
    return render(request, "assurance/configuration.html", {
        "project": project, "perms": perms, "form": form, "items": items,
        "baselines": configuration.baselines_of(project), **NAV})


@login_required
@office_view
@project_operation("configitem.view")
def baseline_detail(request: AuthedRequest, project: Project, baseline_id: int) -> HttpResponse:
    baseline = get_object_or_404(ConfigurationBaseline, project=project, pk=baseline_id)
    others = configuration.baselines_of(project).exclude(pk=baseline.pk)
    other = others.filter(pk=request.GET.get("compare") or 0).first() \
        if (request.GET.get("compare") or "").isdigit() else None
    return render(request, "assurance/baseline.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "baseline": baseline,
        "entries": baseline.entries.select_related("item", "version", "version__change")
        .order_by("item__number"),
        "accounting": configuration.status_accounting(baseline),
        "audit": configuration.configuration_audit(baseline),
        "others": others, "other": other,
        "comparison": configuration.compare(other, baseline) if other else None, **NAV})


BASELINE_HEADERS = ("Item", "Title", "Type", "Version", "Document version", "Location",
                    "Revision", "Change request", "Recorded")


@login_required
@office_view
@project_operation("configitem.view")
def baseline_export(request: AuthedRequest, project: Project, baseline_id: int,
                    fmt: str) -> HttpResponse:
    """A baseline's frozen item versions as CSV or XLSX, for a release note or an audit."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("Baselines are exported as CSV or XLSX")
    baseline = get_object_or_404(ConfigurationBaseline, project=project, pk=baseline_id)
    rows = [(e.item.reference, e.item.title, e.item.get_ci_type_display(), e.version.label,
             str(e.version.document_version or ""), e.version.location, e.version.revision,
             e.version.change.reference if e.version.change else "",
             e.version.created_at.date())
            for e in baseline.entries.select_related(
                "item", "version", "version__change", "version__document_version")
            .order_by("item__number")]
    return export_response(f"{project.code}-{slugify(baseline.name)}", BASELINE_HEADERS, rows,
                           fmt)


@login_required
@require_POST
@office_view
@project_operation("configuration.manage")
def item_version(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    item = item_or_404(CONFIGURATION_ITEMS, project, ref, request.user)
    assert isinstance(item, ConfigurationItem)
    p = request.POST
    number = p.get("document_version", "").strip()
    try:
        version = configuration.record_version(
            actor=request.user, item=item, label=p.get("label", ""),
            location=p.get("location", "")[:300], revision=p.get("revision", "")[:100],
            note=p.get("note", "")[:500], document_reference=p.get("document", ""),
            document_version=int(number) if number.isdigit() else None,
            change_reference=p.get("change", ""))
    except OfficeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{item.name} is now at version {version.label}.")
    return redirect(item_url(item) + "#versions")
