"""Pages of the Training service: coverage by need and group with the sessions, a
session's page (enrolment, waiting list, attendance), its .ics invitation, and the
scheduling form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.documents.models import Document
from projectoffice.engagement.models import Stakeholder
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.facilities.models import BookableResource
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item
from projectoffice.web.shortcuts import field_errors, office_view

from . import actions, invitations, queries
from .models import Course, Enrolment, EnrolmentStatus, Result, TrainingSession
from .registers import COURSES

VIEW = "trainingneed.view"


def _session(request: AuthedRequest, project: Project, pk: int) -> tuple[Project, TrainingSession]:
    session = (TrainingSession.objects.filter(project=project, pk=pk)
               .select_related("course", "room", "trainer", "booking").first())
    if session is None:
        raise Http404(f"No training session {pk} in {project.code}")
    return project, session


def _members(project: Project) -> list[User]:
    return list(User.objects.filter(memberships__project=project, is_active=True)
                .distinct().order_by("first_name", "last_name", "username"))


def _when(post: Any, day_field: str, time_field: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(post.get(day_field, ""))
    except ValueError as exc:
        raise InvalidInput.field(day_field, "give the date") from exc
    try:
        at = dt.time.fromisoformat(post.get(time_field, ""))
    except ValueError as exc:
        raise InvalidInput.field(time_field, "give a time such as 09:30") from exc
    return timezone.make_aware(dt.datetime.combine(day, at))


def _number(value: str, name: str) -> int:
    try:
        return int(value.strip())
    except ValueError as exc:
        raise InvalidInput.field(name, "give a whole number") from exc


@login_required
@office_view
@project_operation(VIEW)
def home(request: AuthedRequest, project: Project) -> HttpResponse:
    """Coverage of each need and group, the people still missing training, the sessions and
    the form to schedule one (POST)."""
    perms = project_permissions(request.user, project)
    errors: dict[str, list[str]] = {}
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            course = Course.objects.filter(project=project, pk=_number(
                post.get("course", "") or "0", "course")).first()
            if course is None:
                raise InvalidInput.field("course", "choose a course")
            room = (BookableResource.objects.filter(pk=_number(post["room"], "room")).first()
                    if post.get("room") else None)
            trainer = (User.objects.filter(username=post.get("trainer"), is_active=True).first()
                       if post.get("trainer") else None)
            session = actions.schedule_session(
                actor=request.user, course=course, starts_at=_when(post, "day", "start"),
                ends_at=_when(post, "day", "end"),
                capacity=_number(post.get("capacity", ""), "capacity"), room=room,
                venue=post.get("venue", ""), trainer=trainer)
            messages.success(request, f"Session of {course.title} scheduled"
                                      f"{' in ' + session.where if session.where else ''}.")
            return redirect("training-session", project.code, session.pk)
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    rows = queries.coverage(project)
    return render(request, "training/home.html", {
        "project": project, "perms": perms, "rows": rows,
        "groups": sorted(queries.group_coverage(rows).values(),
                         key=lambda g: (g.group.title.lower(), g.group.pk)),
        "sessions": queries.sessions(project),
        "courses": Course.objects.filter(project=project).exclude(status="retired")
        .order_by("title", "pk"),
        "rooms": BookableResource.objects.filter(kind="room", active=True).order_by("name"),
        "people": _members(project), "errors": errors, "post": post,
        "now": timezone.now(), "chosen_course": request.GET.get("course", "")},
        status=422 if errors else 200)


def _session_page(request: AuthedRequest, project: Project, session: TrainingSession,
                  errors: dict[str, dict[str, list[str]]] | None = None,
                  post: Any = None) -> HttpResponse:
    order: dict[str, int] = {EnrolmentStatus.ENROLLED: 0, EnrolmentStatus.WAITING: 1,
                             EnrolmentStatus.CANCELLED: 2}
    rows = sorted(queries.enrolments(session), key=lambda r: (order[r.status], r.created_at,
                                                               r.pk))
    taken = sum(r.seats for r in rows if r.status == EnrolmentStatus.ENROLLED)
    return render(request, "training/session.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "manage": "training.manage" in project_permissions(request.user, project),
        "session": session, "rows": rows, "taken": taken,
        "waiting": sum(r.seats for r in rows if r.status == EnrolmentStatus.WAITING),
        "attended": sum(r.attended or 0 for r in rows if r.status == EnrolmentStatus.ENROLLED),
        "started": session.starts_at <= timezone.now(),
        "over": session.ends_at <= timezone.now(),
        "people": _members(project),
        "groups": Stakeholder.objects.filter(project=project, kind="group")
        .exclude(status="archived").order_by("title", "pk"),
        "results": Result.choices, "errors": errors or {}, "post": post or {}},
        status=422 if errors else 200)


@login_required
@office_view
@project_operation(VIEW)
def session_page(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    project, session = _session(request, project, pk)
    return _session_page(request, project, session)


@login_required
@require_POST
@office_view
@project_operation(VIEW)
def session_action(request: AuthedRequest, project: Project, pk: int, what: str) -> HttpResponse:
    """Enrol, cancel an enrolment, record attendance, change capacity or cancel the
    session; errors show beside the form that sent them."""
    project, session = _session(request, project, pk)
    post = request.POST
    try:
        if what == "enrol":
            person = (User.objects.filter(username=post.get("person"), is_active=True).first()
                      if post.get("person") else None)
            group = (Stakeholder.objects.filter(pk=_number(post["group"], "group")).first()
                     if post.get("group") else None)
            seats = _number(post["seats"], "seats") if post.get("seats", "").strip() else None
            if person is None and group is None and not post.get("name", "").strip():
                raise InvalidInput.field("name", "choose a person or a group, or give a name")
            rows = actions.enrol(actor=request.user, session=session, person=person,
                                 group=group if person is None or group else None,
                                 name=post.get("name", ""), email=post.get("email", ""),
                                 seats=seats)
            given = sum(r.seats for r in rows if r.status == EnrolmentStatus.ENROLLED)
            waiting = sum(r.seats for r in rows if r.status == EnrolmentStatus.WAITING)
            messages.success(request, f"{rows[0].name}: {given} place{'s' if given != 1 else ''}"
                                      + (f", {waiting} on the waiting list" if waiting else "")
                                      + ".")
        elif what == "withdraw":
            row = Enrolment.objects.filter(session=session, pk=_number(
                post.get("enrolment", "") or "0", "enrolment")).first()
            if row is None:
                raise InvalidInput.field("enrolment", "no such enrolment on this session")
            moved = actions.cancel_enrolment(actor=request.user, enrolment=row)
            messages.success(request, f"{row.name} no longer enrolled"
                                      + (f"; {', '.join(m.name for m in moved)} moved up from "
                                         "the waiting list" if moved else "") + ".")
        elif what == "attendance":
            attendance = {
                r.pk: (post.get(f"attended-{r.pk}", ""), post.get(f"result-{r.pk}", ""))
                for r in session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
                if f"attended-{r.pk}" in post}
            actions.record_attendance(actor=request.user, session=session,
                                      attendance=attendance)
            messages.success(request, "Attendance recorded.")
        elif what == "capacity":
            actions.set_capacity(actor=request.user, session=session,
                                 version=_number(post.get("version", ""), "version"),
                                 capacity=_number(post.get("capacity", ""), "capacity"))
            messages.success(request, "Places changed.")
        elif what == "cancel":
            actions.cancel_session(actor=request.user, session=session,
                                   version=_number(post.get("version", ""), "version"),
                                   reason=post.get("reason", ""))
            messages.success(request, "Session cancelled; its room is free again.")
        else:
            raise Http404("No such operation")
    except OfficeError as exc:
        messages.error(request, exc.message)
        session.refresh_from_db()
        return _session_page(request, project, session, {what: field_errors(exc)}, post)
    return redirect(f"{request.path.rsplit('/', 2)[0]}/#{what}")


@login_required
@office_view
@project_operation(VIEW)
def invitation(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    """The session as an .ics invitation for calendar programs."""
    project, session = _session(request, project, pk)
    response = HttpResponse(invitations.session_ics(session),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="training-{project.code}-'
                                       f'{session.pk}.ics"')
    return response


@require_POST
@login_required
@office_view
@project_operation("course.view")
def course_material(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    """Links a document of the register to a course as its material, or unlinks it."""
    course = get_item(COURSES, project, ref, request.user)
    if not isinstance(course, Course):
        raise Http404(f"No course {ref!r} in {project.code}")
    wanted = request.POST.get("document", "").strip().upper()
    try:
        document = Document.objects.filter(project=project, reference=wanted).first()
        if document is None:
            raise InvalidInput.field("document", "choose a document of the register")
        if request.POST.get("remove"):
            actions.remove_course_material(actor=request.user, course=course, document=document)
            messages.success(request, f"{document.reference} unlinked.")
        else:
            actions.add_course_material(actor=request.user, course=course, document=document)
            messages.success(request, f"{document.reference} linked as course material.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(f"/projects/{project.code}/courses/{course.reference}/#materials")
