"""My work: one page per person with the tasks assigned to them in every plan, their actions
and issues, and the inbox of what waits for their decision — each decided in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.documents import actions as document_actions
from projectoffice.documents.models import DocumentVersion
from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.planning.actions import edit_plan
from projectoffice.portfolio.access import access_project, project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions
from projectoffice.timesheets import actions as timesheet_actions
from projectoffice.timesheets.models import Timesheet
from projectoffice.timesheets.week_queries import part_lines
from projectoffice.web.shortcuts import office_view

from . import inbox as inbox_sources
from . import queries


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@office_view
def my_work(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    tasks = queries.my_tasks(request.user, today)
    actions, issues = queries.my_open_items(request.user)
    inbox = inbox_sources.inbox(request.user)
    return render(request, "work/my_work.html", {
        "today": today, "inbox": inbox, "waiting": sum(section.count for section in inbox),
        "task_groups": [(key, label, tasks[key]) for key, label in queries.TASK_GROUPS],
        "task_count": sum(len(t) for t in tasks.values()),
        "my_actions": actions, "my_issues": issues})


def _decided(request: AuthedRequest, key: str, done: str, problem: OfficeError | None
             ) -> HttpResponse:
    """HTMX replaces the entry with what happened (or the error, and the form again);
    without HTMX the page is shown again with the same message."""
    if request.headers.get("HX-Request"):
        return render(request, "work/_decided.html", {
            "key": key, "done": done if problem is None else "",
            "error": problem.message if problem else ""})
    if problem is None:
        messages.success(request, done)
    else:
        messages.error(request, problem.message)
    return redirect("my-work")


@login_required
@require_POST
@office_view
def decide_review(request: AuthedRequest, pk: int) -> HttpResponse:
    version = DocumentVersion.objects.select_related("document__project").filter(pk=pk).first()
    if version is None:
        raise Http404("No such document version")
    access_project(request.user, version.document.project.code, "document.view")
    decision = request.POST.get("decision", "")
    try:
        saved = document_actions.decide_review(
            actor=request.user, doc_version=version, decision=decision,
            comment=request.POST.get("comment", ""), version=_int(request.POST.get("version")))
    except OfficeError as exc:
        return _decided(request, f"review-{pk}", "", exc)
    return _decided(request, request.POST.get("key", f"review-{pk}"),
                    f"{version.document.code} v{version.number}: you {decision} it; the "
                    f"version is {saved.get_state_display().lower()}.", None)


@login_required
@require_POST
@office_view
def decide_item(request: AuthedRequest, source: str, pk: int) -> HttpResponse:
    models = {"changes": "controls.ChangeRequest", "requests": "facilities.FacilityRequest"}
    if source not in models:
        raise Http404("No such kind of decision")
    from django.apps import apps

    model = apps.get_model(models[source])
    item = model.objects.select_related("project").filter(pk=pk).first()
    if item is None:
        raise Http404("No such item")
    access_project(request.user, item.project.code, item.register_spec.perm("view"))
    transition = request.POST.get("transition", "")
    try:
        saved = register_actions.transition_item(
            actor=request.user, item=item, transition=transition,
            version=_int(request.POST.get("version")),
            comment=request.POST.get("comment", ""), today=timezone.localdate())
    except OfficeError as exc:
        return _decided(request, f"{source}-{pk}", "", exc)
    return _decided(request, f"{source}-{pk}",
                    f"{saved.reference} is {saved.state.label.lower()}.", None)


@login_required
@require_POST
@office_view
@project_operation("plan.edit")
def task_progress(request: AuthedRequest, project: Project, uid: int) -> HttpResponse:
    raw = request.POST.get("percent_complete", "").strip().rstrip("%")
    try:
        edit_plan(actor=request.user, project=project,
                  version=_int(request.POST.get("version")),
                  edits=[{"op": "update", "uid": uid, "percent_complete": raw}])
    except OfficeError as exc:
        message = next(iter(exc.errors.values()))[0] if exc.errors else exc.message
        messages.error(request, f"{project.code} task {uid}: % complete {message}")
        return redirect("my-work")
    messages.success(request, f"{project.code}: progress recorded ({raw}% complete).")
    return redirect("my-work")


@login_required
@require_POST
@office_view
def decide_timesheet(request: AuthedRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        sheet = timesheet_actions.decide_part(
            actor=request.user, timesheet_id=pk, version=_int(request.POST.get("version")) or 0,
            approve=approve, comment=request.POST.get("comment", ""))
    except OfficeError as exc:
        return _decided(request, f"timesheet-{pk}", "", exc)
    return _decided(request, f"timesheet-{pk}",
                    f"{sheet.person}'s {sheet.project.code} time for the week of "
                    f"{sheet.week_start:%d %b} is {'approved' if approve else 'rejected'}.",
                    None)


@login_required
@office_view
def timesheet_lines(request: AuthedRequest, pk: int) -> HttpResponse:
    """The lines of a part waiting in the inbox, loaded when the approver opens them."""
    sheet = Timesheet.objects.select_related("project", "person").filter(pk=pk).first()
    if sheet is None:
        raise Http404("No such timesheet")
    access_project(request.user, sheet.project.code, "timesheet.approve")
    return render(request, "timesheets/_part_lines.html",
                  {"part": part_lines(sheet, request.user)})
