"""Meeting pages: the project's meetings, scheduling, the meeting itself (agenda,
attendance and minutes, decisions, actions), .ics, minutes PDF and calendar feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.forms import people_of
from projectoffice.web.shortcuts import office_view

from . import actions
from .calendar import meeting_ics
from .minutes import minutes_pdf
from .models import Attendance, Meeting, Repeat


def _meeting(request: AuthedRequest, project: Project, pk: int) -> tuple[Project, Meeting]:
    meeting = Meeting.objects.filter(project=project, pk=pk).select_related("project").first()
    if meeting is None:
        raise Http404(f"No meeting {pk} in {project.code}")
    return project, meeting


def _url(meeting: Meeting) -> str:
    return reverse("meeting-detail", args=[meeting.project.code, meeting.pk])


def _when(value: str, field: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput.field(field, "give a date and time") from exc
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _person(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@login_required
@office_view
@project_operation("meeting.view")
def meeting_list(request: AuthedRequest, project: Project) -> HttpResponse:
    now = timezone.now()
    meetings = Meeting.objects.filter(project=project)
    return render(request, "meetings/list.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at")[:50],
        "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:50],
        "feed_url": request.session.pop("feed_url", ""),
    })


@login_required
@office_view
@project_operation("meeting.manage")
def meeting_create(request: AuthedRequest, project: Project) -> HttpResponse:
    people = people_of(project)
    error: OfficeError | None = None
    if request.method == "POST":
        p = request.POST
        try:
            start = _when(p.get("starts_at", ""), "starts_at")
            try:
                minutes = int(p.get("duration", "60"))
                occurrences = int(p.get("occurrences", "1") or "1")
            except ValueError as exc:
                raise InvalidInput.field("duration", "give whole numbers") from exc
            agenda = [actions.AgendaLine(title=t.strip(), owner=_person(o))
                      for t, o in zip(p.getlist("agenda_title"), p.getlist("agenda_owner"),
                                      strict=False) if t.strip()]
            guests = []
            for raw in p.get("guests", "").splitlines():
                name, _, email = raw.partition(",")
                if name.strip():
                    guests.append(actions.Guest(name=name.strip(), email=email.strip()))
            made = actions.schedule_meeting(
                actor=request.user, project=project, title=p.get("title", ""),
                starts_at=start, ends_at=start + dt.timedelta(minutes=minutes),
                location=p.get("location", ""), description=p.get("description", ""),
                attendees=list(User.objects.filter(username__in=p.getlist("attendees"))),
                guests=guests, agenda=agenda, repeat=p.get("repeat", Repeat.NONE),
                occurrences=occurrences)
            messages.success(request, f"{len(made)} meeting{'s' if len(made) > 1 else ''} "
                                      "scheduled.")
            return redirect(_url(made[0]))
        except OfficeError as exc:
            error = exc
    return render(request, "meetings/form.html", {
        "project": project, "people": people, "error": error, "repeats": Repeat.choices,
        "post": request.POST, "agenda_rows": range(4)})


@login_required
@office_view
@project_operation("meeting.view")
def meeting_detail(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    project, meeting = _meeting(request, project, pk)
    return render(request, "meetings/detail.html", {
        "project": project, "meeting": meeting,
        "perms": project_permissions(request.user, project),
        "attendees": meeting.attendees.select_related("user"),
        "agenda": meeting.agenda.select_related("owner", "action"),
        "decisions": meeting.decisions.all(),
        "raised": [ma.action for ma in meeting.actions.select_related("action__assignee")],
        "attendance_choices": Attendance.choices, "people": people_of(project),
        "today": timezone.localdate(),
        **{k: v for part in _PAGE_PARTS for k, v in part(meeting).items()},
    })


# Other apps add to a meeting's page, registering in their AppConfig.ready: facilities gives
# the rooms booked for the meeting and the rooms to book.
_PAGE_PARTS: list[Callable[[Meeting], dict[str, Any]]] = []


def add_to_meeting_page(part: Callable[[Meeting], dict[str, Any]]) -> None:
    if part not in _PAGE_PARTS:
        _PAGE_PARTS.append(part)


def _post(request: AuthedRequest, meeting: Meeting, done: str, call: Any) -> HttpResponse:
    try:
        call()
        messages.success(request, done)
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(_url(meeting))


def _version(request: AuthedRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_minutes(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)
    attendance = {int(k.split("-", 1)[1]): str(v) for k, v in request.POST.items()
                  if k.startswith("attendance-") and k.split("-", 1)[1].isdigit()}
    return _post(request, meeting, "Minutes saved.", lambda: actions.record_minutes(
        actor=request.user, meeting=meeting, version=_version(request),
        minutes=request.POST.get("minutes", ""), attendance=attendance))


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_decision(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)
    return _post(request, meeting, "Decision recorded.", lambda: actions.record_decision(
        actor=request.user, meeting=meeting, text=request.POST.get("text", "")))


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_action(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)

    def raise_action() -> None:
        due = request.POST.get("due_date", "")
        try:
            due_date = dt.date.fromisoformat(due) if due else None
        except ValueError as exc:
            raise InvalidInput.field("due_date", "give a date") from exc
        action = actions.record_meeting_action(
            actor=request.user, meeting=meeting, title=request.POST.get("title", ""),
            assignee=_person(request.POST.get("assignee", "")), due_date=due_date)
        messages.info(request, f"{action.reference} added to the Actions register.")

    return _post(request, meeting, "Action raised.", raise_action)


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_issue(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)
    return _post(request, meeting, "Minutes issued and sent to the attendees.",
                 lambda: actions.issue_minutes(actor=request.user, meeting=meeting,
                                               version=_version(request)))


@login_required
@office_view
@project_operation("meeting.view")
def meeting_ics_view(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)
    response = HttpResponse(meeting_ics([meeting]), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@office_view
@project_operation("meeting.view")
def meeting_pdf(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)
    response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def calendar_feed_create(request: AuthedRequest, project: Project) -> HttpResponse:
    token = actions.create_calendar_feed(actor=request.user)
    request.session["feed_url"] = request.build_absolute_uri(
        reverse("calendar-feed", args=[token]))
    return redirect("meeting-list", project.code)


def calendar_feed(request: Any, token: str) -> HttpResponse:
    """The token in the URL is the credential; calendar programs cannot sign in."""
    user = actions.feed_owner(token)
    if user is None:
        raise Http404("No such calendar")
    since = timezone.now() - dt.timedelta(days=90)
    meetings = (Meeting.objects.filter(starts_at__gte=since)
                .filter(Q(attendees__user=user) | Q(organiser=user)).distinct()
                .select_related("project", "organiser"))
    visible = [m for m in meetings if "meeting.view" in project_permissions(user, m.project)]
    return HttpResponse(meeting_ics(visible, name=f"Meetings of {user}"),
                        content_type="text/calendar")


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_cancel(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)
    return _post(request, meeting, "Meeting cancelled; the attendees have been told.",
                 lambda: actions.cancel_meeting(actor=request.user, meeting=meeting,
                                                version=_version(request),
                                                reason=request.POST.get("reason", "")))


@login_required
@require_POST
@office_view
@project_operation("meeting.view")
def meeting_reschedule(request: AuthedRequest, project: Project, pk: int) -> HttpResponse:
    _, meeting = _meeting(request, project, pk)

    def move() -> None:
        start = _when(request.POST.get("starts_at", ""), "starts_at")
        end = _when(request.POST.get("ends_at", ""), "ends_at")
        actions.reschedule_meeting(actor=request.user, meeting=meeting,
                                   version=_version(request), starts_at=start, ends_at=end,
                                   location=request.POST.get("location"))

    return _post(request, meeting, "Meeting moved; the attendees have the new time.", move)
