"""Pages: the directory, a person (profile, projects, absences and requests), who is where
this week, absence requests awaiting one's decision, the absence settings and the outside
contacts. The enquiry log's pages are the register kernel's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.audit.queries import history_of
from projectoffice.errors import Forbidden, InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    project_permissions,
    visible_projects,
)
from projectoffice.portfolio.models import Project
from projectoffice.web.forms_input import date_input, decimal_input
from projectoffice.web.shortcuts import field_errors, flash_errors, is_htmx, office_view

from . import actions, queries
from .access import (
    configures_absences,
    keeps_skills,
    line_manager_of,
    manages_people,
    may_edit_profile,
    may_record_absence,
    sees_sickness,
)
from .models import WEEKDAYS, Absence, AbsenceKind, AbsenceStatus, Contact, Proficiency, Skill


def _person(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Http404(f"No person {username!r}")
    return user


def _project(request: AuthedRequest, code: str) -> Project | None:
    return access_project(request.user, code, "project.view") if code else None


def _and(words: list[str]) -> str:
    """'leave, training and travel'."""
    words = [w.lower() for w in words]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _project_nav(request: AuthedRequest, project: Project | None) -> dict[str, Any]:
    """What the layout needs to show the project's own links beside a project's grid."""
    return {"perms": project_permissions(request.user, project)} if project else {}


@login_required
@office_view
def directory(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    f = {"q": g.get("q", "")[:200], "team": g.get("team", ""),
         "location": g.get("location", ""), "project": g.get("project", "")}
    today = timezone.localdate()
    rows = queries.people(request.user, q=f["q"], team=f["team"], location=f["location"],
                          project=_project(request, f["project"]), today=today)
    teams, places = queries.teams_and_locations()
    context = {"rows": rows, "f": f, "teams": teams, "places": places, "today": today,
               "projects": visible_projects(request.user).order_by("code"),
               "awaiting_count": len(queries.absences_awaiting(request.user)),
               "configures": configures_absences(request.user)}
    if is_htmx(request):
        return render(request, "people/_directory_table.html", context)
    return render(request, "people/directory.html", context)


@login_required
@office_view
def person_page(request: AuthedRequest, username: str) -> HttpResponse:
    person = _person(username)
    today = timezone.localdate()
    profile = queries.profile_of(person)
    settings = actions.current_settings()
    # The person and the PMO also see refused requests, with the reason, until they pass.
    own = person.pk == request.user.pk or manages_people(request.user)
    statuses = [AbsenceStatus.REQUESTED, AbsenceStatus.APPROVED,
                *([AbsenceStatus.REFUSED] if own else [])]
    upcoming = [(v, actions.may_cancel_absence(request.user, v.absence, today))
                for v in queries.absences(request.user, person=person, start=today,
                                          statuses=statuses)]
    return render(request, "people/person.html", {
        "person": person, "profile": profile, "today": today,
        "memberships": queries.memberships_of(request.user, person),
        "upcoming": upcoming, "line_manager": line_manager_of(person),
        "may_edit": may_edit_profile(request.user, person),
        "may_record": may_record_absence(request.user, person),
        "kinds": AbsenceKind.choices, "weekdays": WEEKDAYS,
        "needing_approval": _and([str(label) for kind, label in AbsenceKind.choices
                                  if settings.needs_approval(kind)]).capitalize(),
        "needing_count": sum(settings.needs_approval(k) for k in AbsenceKind.values),
        "is_me": person.pk == request.user.pk,
        "held_skills": queries.person_skills(person),
        "catalogue": Skill.objects.order_by("name") if may_edit_profile(request.user, person)
        else [],
        "levels": Proficiency.choices,
        # Absences' history names their kind: only those who may see sickness read it.
        "history": (queries.changes_of_person(person)
                    if sees_sickness(request.user, person.pk) else []),
    })


@login_required
@office_view
def profile_edit(request: AuthedRequest, username: str) -> HttpResponse:
    person = _person(username)
    if not may_edit_profile(request.user, person):
        raise Forbidden("You may edit only your own profile")
    profile = queries.profile_of(person)
    error: OfficeError | None = None
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            version = int(post.get("version", "0") or 0)
            changes = {name: post.get(name, "") for name in
                       ("team", "location", "phone", "mobile", "skills")}
            changes["working_days"] = "".join(post.getlist("working_days"))
            changes["hours_per_week"] = decimal_input(post.get("hours_per_week", ""),
                                                      "hours_per_week")
            changes["job_title"] = post.get("job_title", "")
            if "line_manager" in post:
                changes["line_manager"] = User.objects.filter(
                    pk=int(post["line_manager"] or 0), is_active=True).first()
            actions.update_profile(actor=request.user, person=person, version=version,
                                   changes=changes)
            messages.success(request, "Profile saved.")
            return redirect("person", username=person.username)
        except Forbidden:
            raise
        except OfficeError as exc:
            error = exc
    return render(request, "people/profile_form.html", {
        "person": person, "profile": profile, "error": error, "post": post,
        "sets_manager": manages_people(request.user),
        "colleagues": User.objects.filter(is_active=True).exclude(pk=person.pk)
        .order_by("display_name", "username"),
        "weekdays": [(str(n), label) for n, label in WEEKDAYS],
        "chosen_days": "".join(post.getlist("working_days")) if post else profile.working_days,
    })


@login_required
@office_view
@require_POST
def absence_add(request: AuthedRequest, username: str) -> HttpResponse:
    person = _person(username)
    p = request.POST
    with flash_errors(request):
        start = date_input(p.get("start", ""), "start")
        end = date_input(p.get("end", "") or p.get("start", ""), "end")
        absence = actions.record_absence(
            actor=request.user, person=person, kind=p.get("kind", "leave"), start=start,
            end=end, half_day=p.get("half_day") == "1", note=p.get("note", ""),
            today=timezone.localdate())
        if absence.status == AbsenceStatus.REQUESTED:
            deciders = ", ".join(str(u) for u in actions.approvers_of(person)) or \
                "the Project Office"
            messages.success(request, f"Absence requested: {absence.start:%d %b} to "
                                      f"{absence.end:%d %b %Y}, awaiting {deciders}.")
        else:
            messages.success(request, f"Absence recorded: {absence.start:%d %b} to "
                                      f"{absence.end:%d %b %Y}.")
    return redirect(p.get("next") or reverse("person", args=[person.username]))


@login_required
@office_view
@require_POST
def absence_cancel(request: AuthedRequest, username: str, absence_id: int) -> HttpResponse:
    person = _person(username)
    absence = person.absences.filter(pk=absence_id).first()
    if absence is None:
        raise Http404(f"No absence {absence_id}")
    with flash_errors(request):
        actions.cancel_absence(actor=request.user, absence=absence,
                               version=int(request.POST.get("version", "0") or 0),
                               today=timezone.localdate())
        messages.success(request, "Absence cancelled.")
    return redirect("person", username=person.username)


@login_required
@office_view
def absences_awaiting(request: AuthedRequest) -> HttpResponse:
    """The requests awaiting the user's decision; the list is the partial
    people/_absences_awaiting.html, made to be embedded in other pages."""
    return render(request, "people/absences_awaiting.html", {
        "awaiting": queries.absences_awaiting(request.user),
        "perms_people": manages_people(request.user)})


@login_required
@office_view
@require_POST
def absence_decide(request: AuthedRequest, absence_id: int) -> HttpResponse:
    """Approves or refuses in place: HTMX swaps the request's row for its outcome, or for the
    row again with the error next to the field."""
    absence = Absence.objects.select_related("person").filter(pk=absence_id).first()
    if absence is None:
        raise Http404(f"No absence {absence_id}")
    p = request.POST
    error: OfficeError | None = None
    try:
        version = int(p.get("version", "0") or 0)
        if p.get("decision") == "refuse":
            absence = actions.refuse_absence(actor=request.user, absence=absence,
                                             version=version, reason=p.get("reason", ""),
                                             today=timezone.localdate())
        else:
            absence = actions.approve_absence(actor=request.user, absence=absence,
                                              version=version, today=timezone.localdate())
    except Forbidden:
        raise
    except OfficeError as exc:
        error = exc
    if not is_htmx(request):
        if error is not None:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{absence.get_status_display()}: {absence.person}, "
                                      f"{absence.start:%d %b}.")
        return redirect("absences-awaiting")
    return render(request, "people/_absence_request_row.html", {
        "v": queries.absence_view(absence, request.user), "error": error,
        "reason": p.get("reason", "")}, status=200)


@login_required
@office_view
def absence_settings(request: AuthedRequest) -> HttpResponse:
    if not configures_absences(request.user):
        raise Forbidden("Only the Project Office manager decides which absences need approval")
    error: OfficeError | None = None
    if request.method == "POST":
        try:
            actions.update_absence_settings(
                actor=request.user, version=int(request.POST.get("version", "0") or 0),
                changes={f"{kind}_needs_approval": request.POST.get(kind) == "1"
                         for kind in AbsenceKind.values})
            messages.success(request, "Absence settings saved.")
            return redirect("absence-settings")
        except OfficeError as exc:
            error = exc
    settings = actions.current_settings()
    return render(request, "people/absence_settings.html", {
        "settings": settings, "error": error,
        "rows": [(kind, label, settings.needs_approval(kind))
                 for kind, label in AbsenceKind.choices],
        "pending": Absence.objects.filter(status=AbsenceStatus.REQUESTED).count()})


@login_required
@office_view
@require_POST
def absence_remove(request: AuthedRequest, username: str, absence_id: int) -> HttpResponse:
    person = _person(username)
    absence = person.absences.filter(pk=absence_id).first()
    if absence is None:
        raise Http404(f"No absence {absence_id}")
    with flash_errors(request):
        version = int(request.POST.get("version", "0") or 0)
        actions.delete_absence(actor=request.user, absence=absence, version=version,
                               today=timezone.localdate())
        messages.success(request, "Absence removed.")
    return redirect("person", username=person.username)


@login_required
@office_view
def whereabouts(request: AuthedRequest) -> HttpResponse:
    code = request.GET.get("project", "")
    project = _project(request, code)
    try:
        week = date_input(request.GET.get("week", ""), "week") if request.GET.get("week") \
            else timezone.localdate()
    except InvalidInput:
        week = timezone.localdate()
    weekend = request.GET.get("weekend") == "1"
    grid = queries.week_grid(request.user, week, project=project, weekend=weekend)
    today = timezone.localdate()
    away = sum(1 for row in grid.rows for c in row.cells if c.day == today
               and c.tone not in ("", "off") and not c.pending)
    return render(request, "people/whereabouts.html", {
        "grid": grid, "project": project, "code": project.code if project else "",
        "projects": visible_projects(request.user).order_by("code"), "today": today,
        "this_monday": queries.monday_of(today), "weekend": weekend, "away_today": away,
        "kinds": AbsenceKind.choices, **_project_nav(request, project),
    })


@login_required
@office_view
def absence_calendar(request: AuthedRequest) -> HttpResponse:
    code = request.GET.get("project", "")
    project = _project(request, code)
    today = timezone.localdate()
    try:
        month = (date_input(request.GET["month"] + "-01", "month")
                 if request.GET.get("month") else today)
    except InvalidInput:
        month = today
    grid = queries.month_grid(request.user, month, project=project)
    return render(request, "people/calendar.html", {
        "grid": grid, "project": project, "code": code, "today": today,
        "projects": visible_projects(request.user).order_by("code"),
        "this_month": today.replace(day=1), **_project_nav(request, project),
    })


@login_required
@office_view
def contact_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    code = request.GET.get("project", "")
    rows = queries.contacts(request.user, q=q, project=_project(request, code))
    error: OfficeError | None = None
    manage = manages_people(request.user)
    if request.method == "POST":
        try:
            contact = actions.create_contact(
                actor=request.user,
                data={k: request.POST.get(k, "") for k in actions.CONTACT_FIELDS},
                projects=list(visible_projects(request.user).filter(
                    code__in=request.POST.getlist("projects"))))
            messages.success(request, f"{contact} added to the contacts.")
            return redirect("contact", contact_id=contact.pk)
        except Forbidden:
            raise
        except OfficeError as exc:
            error = exc
    context = {"rows": [(c, queries.visible_contact_projects(request.user, c))
                        for c in rows[:500]],
               "q": q, "code": code, "manage": manage, "error": error, "post": request.POST,
               "projects": visible_projects(request.user).order_by("code")}
    if is_htmx(request):
        return render(request, "people/_contact_table.html", context)
    return render(request, "people/contacts.html", context)


@login_required
@office_view
def contact_page(request: AuthedRequest, contact_id: int) -> HttpResponse:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(f"No contact {contact_id}")
    error: OfficeError | None = None
    if request.method == "POST":
        try:
            if request.POST.get("what") == "delete":
                actions.delete_contact(actor=request.user, contact=contact,
                                       version=int(request.POST.get("version", "0") or 0))
                messages.success(request, f"{contact} removed.")
                return redirect("contacts")
            actions.update_contact(
                actor=request.user, contact=contact,
                version=int(request.POST.get("version", "0") or 0),
                changes={k: request.POST.get(k, "") for k in actions.CONTACT_FIELDS},
                projects=list(visible_projects(request.user).filter(
                    code__in=request.POST.getlist("projects"))))
            messages.success(request, "Contact saved.")
            return redirect("contact", contact_id=contact.pk)
        except Forbidden:
            raise
        except OfficeError as exc:
            error = exc
    linked = queries.visible_contact_projects(request.user, contact)
    return render(request, "people/contact.html", {
        "contact": contact, "history": history_of(contact)[:30], "linked": linked,
        "linked_codes": {p.code for p in linked},
        "enquiries": queries.enquiries_of(request.user, contact),
        "manage": manages_people(request.user), "error": error,
        "projects": visible_projects(request.user).order_by("code"),
    })


@require_POST
@login_required
@office_view
def person_skill(request: AuthedRequest, username: str) -> HttpResponse:
    """Declares (or, for the Project Office, records as assessed) a skill at a level, or
    removes one."""
    person = _person(username)
    name = " ".join(request.POST.get("skill", "").split())
    try:
        skill = Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            raise InvalidInput.field("skill", f"{name!r} is not in the skills catalogue"
                                     if name else "choose a skill")
        if request.POST.get("remove"):
            actions.remove_person_skill(actor=request.user, person=person, skill=skill)
            messages.success(request, f"{skill.name} removed.")
        else:
            row = actions.set_person_skill(actor=request.user, person=person, skill=skill,
                                           level=request.POST.get("level", ""))
            messages.success(request, f"{skill.name}: {row.get_level_display()}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('person', args=[person.username])}#skills")


@login_required
@office_view
def skills_catalogue(request: AuthedRequest) -> HttpResponse:
    """The office's skills, how many people hold each, and (for those who keep it) a form
    to add one."""
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = request.POST.dict()
        try:
            skill = actions.create_skill(actor=request.user, name=posted.get("name", ""),
                                         category=posted.get("category", ""),
                                         description=posted.get("description", ""))
            messages.success(request, f"{skill.name} added to the catalogue.")
            return redirect("skills-catalogue")
        except OfficeError as exc:
            errors = field_errors(exc)
    return render(request, "people/skills.html", {
        "skills": queries.skills_catalogue(), "may_add": keeps_skills(request.user),
        "errors": errors, "posted": posted}, status=422 if errors else 200)
