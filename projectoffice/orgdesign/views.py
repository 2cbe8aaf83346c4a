"""The org charts page: the current and the future organisation side by side, the
differences, and who has no role in the future organisation; the skills gaps page; and the
position page's required skills."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from projectoffice.engagement.models import Stakeholder
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.people.models import Proficiency, Skill
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item
from projectoffice.web.shortcuts import field_errors, office_view

from . import actions, queries
from .models import Position
from .registers import POSITIONS


@login_required
@office_view
@project_operation("position.view")
def charts(request: AuthedRequest, project: Project) -> HttpResponse:
    found = queries.design(project)
    by_pk = {str(p.pk): p for p in [*found.current, *found.future]}

    def item(role_key: str) -> Position:
        return by_pk[role_key]

    diff = found.differences
    return render(request, "orgdesign/charts.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "found": found,
        # The engine escapes every text it writes into the SVG.
        "current_svg": mark_safe(found.current_svg),
        "future_svg": mark_safe(found.future_svg),
        "new": [item(r.key) for r in diff.new],
        "removed": [item(r.key) for r in diff.removed],
        "changed": [(item(c.current.key), item(c.future.key), c.what) for c in diff.changed],
        "unplaced": [item(r.key) for r in diff.unplaced],
        "moves": [p for p in found.current if p.holder and p.future_position_id]})


def _skill(name: str, field: str = "skill") -> Skill:
    found = Skill.objects.filter(name__iexact=" ".join(name.split())).first()
    if found is None:
        raise InvalidInput.field(field, f"{name!r} is not in the skills catalogue"
                                 if name.strip() else "choose a skill")
    return found


@login_required
@office_view
@project_operation("position.view")
def skills(request: AuthedRequest, project: Project) -> HttpResponse:
    """Required against held skills, by group and by person; a group's gap proposes the
    training need that closes it."""
    perms = project_permissions(request.user, project)
    errors: dict[str, list[str]] = {}
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = request.POST.dict()
        try:
            group = Stakeholder.objects.filter(project=project,
                                               reference=posted.get("group", "")).first()
            if group is None:
                raise InvalidInput.field("group", "choose a stakeholder group")
            try:
                people = int(posted.get("people", "1"))
            except ValueError:
                people = 1
            need = actions.propose_gap_need(actor=request.user, group=group,
                                            skill=_skill(posted.get("skill", "")),
                                            level=posted.get("level", ""), people=people)
            messages.success(request, f"{need.reference} proposed: {need.title}.")
            return redirect("orgdesign-skills", project.code)
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    found = queries.skills_gaps(project)
    short = sum(1 for r in found.people if r.gaps)
    return render(request, "orgdesign/skills.html", {
        "project": project, "perms": perms, "found": found, "short": short,
        "may_propose": bool({"trainingneed.add", "position.change"} & perms),
        "errors": errors, "posted": posted}, status=422 if errors else 200)


@require_POST
@login_required
@office_view
@project_operation("position.view")
def position_skill(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    """Adds (or changes the level of) a required skill, or removes one."""
    position = get_item(POSITIONS, project, ref, request.user)
    if not isinstance(position, Position):
        return redirect("register-list", project.code, "positions")
    try:
        skill = _skill(request.POST.get("skill", ""))
        if request.POST.get("remove"):
            actions.remove_position_skill(actor=request.user, position=position, skill=skill)
            messages.success(request, f"{skill.name} is no longer required.")
        else:
            row = actions.set_position_skill(actor=request.user, position=position,
                                             skill=skill, level=request.POST.get("level", ""))
            messages.success(request, f"{skill.name} required at {row.get_level_display()}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(f"/projects/{project.code}/positions/{position.reference}/#skills")


LEVELS = Proficiency.choices
