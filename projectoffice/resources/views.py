"""Resources page: resources with their rates, assignments to plan tasks, and the forms to
add them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.apischema import user_by_username
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.planning import actions as plan_actions
from projectoffice.planning import workspace as wsp
from projectoffice.planning.models import Plan
from projectoffice.portfolio.access import project_operation, project_permissions, require_perm
from projectoffice.portfolio.models import Project
from projectoffice.web.forms_input import date_input, decimal_input, int_input, show_error
from projectoffice.web.shortcuts import office_view

from . import actions as resource_actions
from . import level_runs, levelling, usage
from . import queries as resource_queries
from .models import Assignment, Resource, ResourceKind


@login_required
@office_view
@project_operation("resource.view")
def resources_page(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    found = usage.project_usage(project)
    return render(request, "resources/resources.html", {
        "project": project, "perms": perms, "kinds": ResourceKind.choices,
        "members": [m.user for m in project.memberships.select_related("user")],
        "usage": [{"item": u, "chart": usage.histogram(u)} for u in found if u.weeks],
        "overallocated": [u for u in found if u.overallocated],
        **resource_queries.resources_view(project, today=timezone.localdate(),
                                          skill=request.GET.get("skill", "")[:100])})


@login_required
@office_view
@require_POST
@project_operation("resource.manage")
def resources_post(request: AuthedRequest, project: Project) -> HttpResponse:
    form = request.POST
    try:
        what = form.get("what")
        if what == "resource":
            resource_actions.create_resource(
                actor=request.user, project=project, name=form.get("name", ""),
                kind=form.get("kind", "person"), unit=form.get("unit") or "hour",
                max_units=decimal_input(form.get("max_units", "") or "100", "max_units"),
                skills=form.get("skills", ""),
                user=user_by_username(form.get("user") or None, "user"))
        elif what == "skills":
            chosen, _, version = (form.get("resource") or "").partition(":")
            resource_actions.update_resource(
                actor=request.user, project=project,
                resource_id=int_input(chosen, "resource"),
                version=int_input(version, "version"),
                changes={"skills": form.get("skills", "")})
        elif what == "max_units":
            # The choice carries the version of the resource the page showed.
            chosen, _, version = (form.get("resource") or "").partition(":")
            resource_actions.update_resource(
                actor=request.user, project=project,
                resource_id=int_input(chosen, "resource"),
                version=int_input(version, "version"),
                changes={"max_units": decimal_input(form.get("max_units", ""), "max_units")})
        elif what == "change":
            chosen, _, version = (form.get("assignment") or "").partition(":")
            field = form.get("field")
            if field not in ("units", "work"):
                raise InvalidInput.field("field", "choose units or work")
            resource_actions.update_assignment(
                actor=request.user, project=project,
                assignment_id=int_input(chosen, "assignment"),
                version=int_input(version, "version"),
                **{field: decimal_input(form.get("value", ""), "value")})
        elif what == "task_type":
            plan_actions.edit_plan(
                actor=request.user, project=project,
                version=int_input(form.get("version"), "version"),
                edits=[{"op": "update", "uid": int_input(form.get("task_uid"), "task_uid"),
                        "task_type": form.get("task_type", ""),
                        "effort_driven": form.get("effort_driven") == "on"}])
        elif what == "rate":
            resource_id = int_input(form.get("resource"), "resource")
            resource = Resource.objects.filter(project=project, pk=resource_id).first()
            if resource is None:
                raise InvalidInput.field("resource", "choose a resource")
            resource_actions.set_rate(
                actor=request.user, resource=resource,
                effective_from=date_input(form.get("effective_from", ""), "effective_from"),
                standard=decimal_input(form.get("standard", ""), "standard"),
                overtime=decimal_input(form.get("overtime", ""), "overtime"),
                cost_per_use=decimal_input(form.get("cost_per_use", ""), "cost_per_use"))
        elif what == "assignment":
            resource_actions.assign_resource(
                actor=request.user, project=project,
                resource_id=int_input(form.get("resource"), "resource"),
                task_uid=int_input(form.get("task_uid"), "task_uid"),
                units=decimal_input(form.get("units", "") or "100", "units"),
                work=decimal_input(form.get("work", ""), "work"))
        messages.success(request, "Saved.")
    except OfficeError as exc:
        show_error(request, exc)
    url = reverse("resources", kwargs={"code": project.code})
    skill = form.get("skill", "").strip()
    return redirect(f"{url}?{urlencode({'skill': skill})}" if skill else url)




@login_required
@office_view
@project_operation("plan.view")
def levelling_page(request: AuthedRequest, project: Project) -> HttpResponse:
    """What levelling would change in the plan, with Apply and Clear buttons. A large plan's
    levelling is worked out by a job (`level_runs`): the page offers to start it and shows
    the proposal the run keeps."""
    plan = Plan.objects.filter(project=project).first()
    found, problem, run, stale, background = None, "", None, False, False
    others = request.GET.get("others", "1") != "0"
    if plan is not None:
        try:
            if request.GET.get("run"):
                run, found = level_runs.proposal(request.user, project, request.GET["run"])
                others = found.other_projects
                stale = run.result.get("plan_version") != plan.version
            elif level_runs.in_background(plan):
                background = True
            else:
                found = levelling.compute(wsp.load(plan), other_projects=others)
        except OfficeError as exc:
            problem = exc.message
    return render(request, "resources/levelling.html", {
        "project": project, "plan": plan, "found": found, "problem": problem,
        "others": others, "run": run, "stale": stale, "background": background,
        "perms": project_permissions(request.user, project),
        "overallocated": [u for u in usage.project_usage(project) if u.overallocated]})


@login_required
@office_view
@require_POST
@project_operation("plan.view")
def levelling_post(request: AuthedRequest, project: Project) -> HttpResponse:
    """Works the levelling of a large plan out (a job; reading the plan is enough), or
    applies or clears it (which edits the plan)."""
    form = request.POST
    others = form.get("others", "1") != "0"
    if form.get("what") == "work-out":
        try:
            run = level_runs.start_levelling(actor=request.user, project=project,
                                             others=others)
        except OfficeError as exc:
            show_error(request, exc)
            return redirect(level_runs.page_url(project, others=others))
        return redirect("run", run_id=run.pk)
    require_perm(request.user, project, "plan.edit")
    try:
        version = int_input(form.get("version"), "version")
        if form.get("what") == "clear":
            resource_actions.clear_levelling(actor=request.user, project=project,
                                             version=version)
            messages.success(request, "Levelling delays cleared.")
        else:
            delays = None
            if form.get("run"):
                _, found = level_runs.proposal(request.user, project, form["run"])
                delays, others = found.wanted, found.other_projects
            resource_actions.level_resources(actor=request.user, project=project,
                                             version=version, other_projects=others,
                                             delays=delays)
            messages.success(request, "Plan levelled: the delays are on the tasks.")
    except OfficeError as exc:
        show_error(request, exc)
    return redirect(level_runs.page_url(project, others=others))


@login_required
@office_view
@project_operation("resource.view")
def task_resources(request: AuthedRequest, project: Project, uid: int) -> HttpResponse:
    """The resources of one task, with units and work, for the plan's Task information."""
    perms = project_permissions(request.user, project)
    assignments = (Assignment.objects.filter(project=project, task_uid=uid)
                   .select_related("resource").order_by("resource__name"))
    return render(request, "resources/_task_resources.html", {
        "project": project, "uid": uid, "assignments": assignments,
        "may_manage": "resource.manage" in perms})
