"""Pages to open a project and to edit its details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from projectoffice.errors import OfficeError, StaleVersion
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.settings_page import office_settings_page
from projectoffice.web.shortcuts import errors_to_form, office_view

from . import actions
from .access import is_pmo_manager, office_operation, project_operation
from .forms import ProjectForm, ThresholdsForm
from .health import thresholds_row
from .models import THRESHOLD_FIELDS, Project


@login_required
@office_view
@office_operation("portfolio.manage")
def project_create(request: AuthedRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = str(data.pop("code")).upper()
        try:
            project = actions.create_project(actor=request.user, code=code, **data)
            messages.success(request, f"{project.code} opened.")
            return redirect("project", code=project.code)
        except OfficeError as exc:
            errors_to_form(form, exc)
    return render(request, "portfolio/project_form.html",
                  {"form": form, "title": "Open a project", "project_obj": None})


@login_required
@office_view
@project_operation("project.change")
def project_edit(request: AuthedRequest, project: Project) -> HttpResponse:
    can_move = is_pmo_manager(request.user)
    form = ProjectForm(request.POST or None, instance=project, editing=True, can_move=can_move)
    version = project.version
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        if form.is_valid():
            fresh = Project.objects.get(pk=project.pk)  # the form has changed `project`
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                actions.update_project(actor=request.user, project=fresh, version=version,
                                       changes=changes)
                messages.success(request, f"{fresh.code} saved.")
                return redirect("project", code=fresh.code)
            except StaleVersion as exc:
                form.add_error(None, exc.message)
                version = exc.current
            except OfficeError as exc:
                errors_to_form(form, exc)
    return render(request, "portfolio/project_form.html", {
        "form": form, "title": f"Edit {project.code}", "project_obj": project,
        "project": project, "version": version})


@login_required
@office_view
def health_thresholds(request: AuthedRequest) -> HttpResponse:
    """Everyone may read the limits computed health is judged by; the Project Office
    manager sets them."""
    return office_settings_page(
        request, load=thresholds_row, form_class=ThresholdsForm, fields=THRESHOLD_FIELDS,
        save=actions.update_health_thresholds, saved="Health thresholds saved.",
        url_name="health-thresholds", template="portfolio/health_thresholds.html")
