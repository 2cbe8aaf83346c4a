"""Task information: every field of one task on one form, grouped as MS Project's Task
Information dialog (general, predecessors, resources, advanced, notes).  Saved as one batch
of plan edits, so it is one reschedule, one audit entry and one undo step; errors come back
at the field that caused them and the plan is unchanged."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    project_operation,
    project_permissions,
    require_perm,
)
from projectoffice.portfolio.models import Project
from projectoffice.web.shortcuts import is_htmx, office_view

from . import actions, queries
from .columns import float_text
from .models import Constraint, LinkType, TaskType
from .providers import providers

# The fields the form edits, as the plan edits name them.
GENERAL = ("name", "duration", "percent_complete", "milestone")
ADVANCED = ("constraint", "constraint_date", "deadline", "calendar_uid", "task_type",
            "effort_driven")
DATES = ("actual_start", "actual_finish")
LINK = re.compile(r"^(?:(?P<code>[^:]+):)?(?P<row>\d+)(?P<type>FS|SS|FF|SF)?(?P<lag>[+-].*)?$")
MAX_LINKS = 30


def _row(project: Project, uid: int) -> tuple[queries.PlanView, dict[str, Any]]:
    view = queries.plan_view(project)
    row = next((r for r in view.rows if r["uid"] == uid), None)
    if row is None:
        raise Http404("No such task in this plan.")
    return view, row


def _links(row: dict[str, Any]) -> list[dict[str, str]]:
    """The task's predecessors as rows of the form: where from, type and lag."""
    out = []
    for text in row["predecessors"]:
        found = LINK.match(text)
        if found is None:
            continue
        code = found["code"] or ""
        out.append({"task": f"{code}:{found['row']}" if code else found["row"],
                    "type": found["type"] or "FS", "lag": found["lag"] or ""})
    return out


def _value(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if name in ("constraint_date", "deadline", "actual_start", "actual_finish"):
        return str(value.strftime("%Y-%m-%dT%H:%M"))
    if name == "duration":
        return str(row.get("duration_text", ""))
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _predecessors(post: Any) -> str:
    """The predecessor rows of the form in the plan's notation: "3, 5SS+2d, OTHER:4FF"."""
    parts = []
    for task, type_, lag in zip(post.getlist("link_task")[:MAX_LINKS],
                                post.getlist("link_type")[:MAX_LINKS],
                                post.getlist("link_lag")[:MAX_LINKS], strict=False):
        task, lag = task.strip(), lag.strip()
        if not task:
            continue
        if lag and lag[0] not in "+-":
            lag = "+" + lag
        kind = "" if type_ == "FS" and not lag else type_
        parts.append(f"{task}{kind}{lag}")
    return ", ".join(parts)


def _changes(post: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The fields the person changed, as plan edit values."""
    changes: dict[str, Any] = {}
    for name in (*GENERAL, *ADVANCED, *DATES, "notes"):
        if name in ("milestone", "effort_driven"):
            sent: Any = post.get(name) == "1"
            if sent != bool(row.get(name)):
                changes[name] = sent
            continue
        if name not in post:
            continue
        sent = post.get(name, "").strip() if name != "notes" else post.get(name, "")
        if sent != _value(row, name):
            changes[name] = sent
    links = _predecessors(post)
    if links != ", ".join(row["predecessors"]):
        changes["predecessors"] = links
    return changes


def _resource_names(project: Project, uid: int) -> str:
    """The task's resources as MS Project writes them: ``Dan[50%], Omar``."""
    return providers.resource_names(project).get(uid, "")


def _field_errors(exc: OfficeError) -> dict[str, str]:
    """The edit's errors by field name (the plan edits key them ``tasks.N.field``)."""
    errors: dict[str, str] = {}
    for key, messages in exc.errors.items():
        name = key.split(".")[-1]
        errors[name] = " ".join(messages)
    return errors


@login_required
@office_view
@project_operation("plan.view")
def task_info(request: AuthedRequest, project: Project, uid: int) -> HttpResponse:
    editable = "plan.edit" in project_permissions(request.user, project)
    view, row = _row(project, uid)
    errors: dict[str, str] = {}
    message = ""
    posted: dict[str, Any] = {}
    if request.method == "POST":
        require_perm(request.user, project, "plan.edit")
        version_raw = request.POST.get("version", "")
        changes = _changes(request.POST, row)
        names = request.POST.get("resources")
        try:
            # The task's fields and its resources are saved together or not at all.
            with transaction.atomic():
                if changes:
                    actions.edit_plan(actor=request.user, project=project,
                                      version=int(version_raw) if version_raw.isdigit()
                                      else None,
                                      edits=[{"op": "update", "uid": uid, **changes}])
                if names is not None and names.strip() != _resource_names(project, uid):
                    providers.set_resource_names(request.user, project, uid, names.strip())
        except OfficeError as exc:
            errors, message = _field_errors(exc), exc.message
            posted = {name: request.POST.get(name, "") for name in request.POST}
        else:
            target = reverse("plan", args=[project.code]) + f"#task-{uid}"
            if is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Trigger"] = "plan-changed"
                return response
            return redirect(target)
    values = {name: posted.get(name, _value(row, name))
              for name in (*GENERAL, *ADVANCED, *DATES, "notes")}
    values["resources"] = posted.get("resources", _resource_names(project, uid))
    if posted:
        values["milestone"] = "1" if posted.get("milestone") == "1" else ""
        values["effort_driven"] = "1" if posted.get("effort_driven") == "1" else ""
    links = (_links(row) if not posted else
             [{"task": t, "type": ty, "lag": lg} for t, ty, lg in zip(
                 request.POST.getlist("link_task"), request.POST.getlist("link_type"),
                 request.POST.getlist("link_lag"), strict=False) if t.strip()])
    links += [{"task": "", "type": "FS", "lag": ""}] * 2  # room for new links
    context = {
        "project": project, "plan": view.plan, "row": row, "values": values,
        "float_text": (float_text(row["total_float"], max(view.plan.minutes_per_day, 1),
                                  bool(row.get("elapsed")))
                       if view.plan and row.get("total_float") is not None else ""),
        "links": links, "errors": errors, "message": message, "editable": editable,
        "constraints": Constraint.choices, "link_types": LinkType.choices,
        "task_types": TaskType.choices, "calendars": view.calendar_choices,
        "tasks": [(r["id"], r["name"]) for r in view.rows if r["uid"] != uid],
    }
    template = "planning/_task_info.html" if is_htmx(request) else "planning/task_info.html"
    return render(request, template, context, status=422 if errors or message else 200)
