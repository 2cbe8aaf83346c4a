"""Pages of the engagement service: the stakeholder map, the communications calendar, the
effectiveness of what was sent, the audience and sending forms of a communication's page,
and the page a recipient's signed link opens (signed out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.errors import InvalidInput, NotFound, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers import views as register_views
from projectoffice.registers.queries import get_item
from projectoffice.registers.views import item_url
from projectoffice.web.shortcuts import field_errors, office_view

from . import actions, charts, orgchange, queries, readiness
from .models import ADKAR, ChangeImpact, Channel, Communication, Stakeholder
from .registers import COMMUNICATIONS, IMPACTS


def _communication(request: AuthedRequest, project: Project, ref: str) -> tuple[Project,
                                                                         Communication]:
    item = get_item(COMMUNICATIONS, project, ref)
    if not isinstance(item, Communication):
        raise Http404(f"No communication {ref} in {project.code}")
    return project, item


@login_required
@office_view
@project_operation("stakeholder.view")
def stakeholder_map(request: AuthedRequest, project: Project) -> HttpResponse:
    rows = queries.stakeholder_map(project)
    return render(request, "engagement/map.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "rows": rows, "grid": charts.power_interest_svg(rows),
        "gap": charts.attitude_gap_svg(rows),
        "to_move": sum(1 for r in rows if r.gap > 0)})


def _month(value: str, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return today.replace(day=1)


def _shift(month: dt.date, months: int) -> dt.date:
    n = month.month - 1 + months
    return dt.date(month.year + n // 12, n % 12 + 1, 1)


@login_required
@office_view
@project_operation("communication.view")
def communications_calendar(request: AuthedRequest, project: Project) -> HttpResponse:
    """Three months of communications from the month asked for: planned dates (late when
    passed with nothing sent), what was sent and the plan's milestones."""
    today = timezone.localdate()
    start = _month(request.GET.get("month", ""), today)
    end = _shift(start, 3) - dt.timedelta(days=1)
    entries = queries.calendar(project, start, end, today)
    months: list[dict[str, Any]] = []
    for n in range(3):
        first = _shift(start, n)
        days: dict[dt.date, list[queries.CalendarEntry]] = {}
        for e in entries:
            if (e.day.year, e.day.month) == (first.year, first.month):
                days.setdefault(e.day, []).append(e)
        months.append({"first": first, "days": sorted(days.items())})
    return render(request, "engagement/calendar.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "months": months, "start": start, "today": today,
        "previous": _shift(start, -1), "next": _shift(start, 1),
        "counts": {k: sum(1 for e in entries if e.kind == k)
                   for k in ("planned", "sent", "milestone")},
        "late": sum(1 for e in entries if e.late)})


@login_required
@office_view
@project_operation("communication.view")
def effectiveness(request: AuthedRequest, project: Project) -> HttpResponse:
    rows = queries.send_rows(project)
    surveyed = [r for r in rows if r.send.has_survey]
    recipients = sum(r.reception.recipients for r in surveyed)
    responses = sum(r.reception.responses for r in surveyed)
    ratings = [r.reception.mean_rating * r.reception.responses for r in surveyed
               if r.reception.mean_rating is not None]
    return render(request, "engagement/effectiveness.html", {
        "project": project, "perms": project_permissions(request.user, project),
        "rows": rows, "chart": charts.effectiveness_svg(queries.effectiveness(project)),
        "response_rate": responses / recipients if recipients else None,
        "mean_rating": sum(ratings) / responses if responses else None,
        "emailed": sum(1 for r in rows if r.send.method == "emailed")})


def _back(item: Communication, anchor: str) -> HttpResponse:
    return redirect(f"{item_url(item)}#{anchor}")


def _failed(request: AuthedRequest, project: Project, item: Communication,
            exc: OfficeError, form: str) -> HttpResponse:
    context = register_views._detail_context(request, COMMUNICATIONS, project, item)
    messages.error(request, exc.message)
    return render(request, "registers/detail.html",
                  {**context, "engagement_errors": {form: field_errors(exc)},
                   "engagement_post": request.POST}, status=422)


@login_required
@require_POST
@office_view
@project_operation("communication.view")
def set_audience(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    project, item = _communication(request, project, ref)
    ids = [int(v) for v in request.POST.getlist("audience") if v.isdigit()]
    chosen = list(Stakeholder.objects.filter(pk__in=ids))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        actions.set_audience(actor=request.user, communication=item, version=version,
                             stakeholders=chosen)
    except OfficeError as exc:
        return _failed(request, project, item, exc, "audience")
    messages.success(request, f"Audience of {item.reference} saved.")
    return _back(item, "audience")


@login_required
@require_POST
@office_view
@project_operation("communication.view")
def send(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    project, item = _communication(request, project, ref)
    post = request.POST
    survey = post.get("survey") == "on"
    try:
        sent = actions.send_communication(
            actor=request.user, communication=item, subject=post.get("subject", ""),
            body=post.get("body", ""),
            addresses=post.get("addresses", "").replace(",", "\n").replace(";", "\n")
            .splitlines(),
            survey_question=post.get("survey_question", "") if survey else "",
            anonymous=survey and post.get("anonymous") == "on")
    except OfficeError as exc:
        return _failed(request, project, item, exc, "send")
    count = sent.recipients.count()
    messages.success(request, f"{item.reference} e-mailed to {count} recipient"
                              f"{'s' if count != 1 else ''}.")
    return _back(item, "sent")


@login_required
@require_POST
@office_view
@project_operation("communication.view")
def record(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    project, item = _communication(request, project, ref)
    post = request.POST
    try:
        try:
            sent_on = dt.date.fromisoformat(post.get("sent_on", ""))
        except ValueError as exc:
            raise InvalidInput.field("sent_on", "give the date it was sent") from exc
        actions.record_sent_elsewhere(actor=request.user, communication=item, sent_on=sent_on,
                                      channel=post.get("channel", ""),
                                      subject=post.get("subject", ""),
                                      note=post.get("note", ""))
    except OfficeError as exc:
        return _failed(request, project, item, exc, "record")
    messages.success(request, f"Recorded {item.reference} as sent.")
    return _back(item, "sent")


def reply(request: HttpRequest, token: str) -> HttpResponse:
    """A recipient's page, signed out: the message, a button to confirm reading it and,
    when asked, the survey. Nothing else of the project shows."""
    try:
        recipient = actions.recipient_of(token)
    except NotFound:
        return render(request, "engagement/reply.html", {"invalid": True}, status=404)
    errors: dict[str, list[str]] = {}
    done = ""
    if request.method == "POST":
        try:
            if request.POST.get("do") == "survey":
                actions.answer_survey(token=token, rating=request.POST.get("rating", ""),
                                      comment=request.POST.get("comment", ""))
                done = "Thank you for your answer."
            else:
                actions.acknowledge(token=token)
                done = "Thank you: your confirmation is recorded."
            recipient = actions.recipient_of(token)
        except OfficeError as exc:
            errors = field_errors(exc)
    send_row = recipient.send
    return render(request, "engagement/reply.html", {
        "recipient": recipient, "send": send_row, "organisation": send_row.project.name,
        "errors": errors, "done": done, "post": request.POST,
        "ratings": [(n, label) for n, label in ((1, "Not useful"), (2, "Of little use"),
                                                (3, "Useful"), (4, "Very useful"),
                                                (5, "Extremely useful"))]},
        status=422 if errors else 200)


def channels() -> list[tuple[str, str]]:
    return list(Channel.choices)


@login_required
@office_view
@project_operation("impact.view")
def readiness_page(request: AuthedRequest, project: Project) -> HttpResponse:
    """The readiness heat map (latest ADKAR scores by group), each group's trend towards
    the go-live milestone, impacts by group, and the form to record an assessment."""
    perms = project_permissions(request.user, project)
    errors: dict[str, list[str]] = {}
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            group = Stakeholder.objects.filter(project=project,
                                               pk=post.get("group", "") or 0).first() \
                if str(post.get("group", "")).isdigit() else None
            if group is None:
                raise InvalidInput.field("group", "choose a stakeholder group")
            try:
                day = dt.date.fromisoformat(post.get("assessed_on", ""))
            except ValueError as exc:
                raise InvalidInput.field("assessed_on", "give the date assessed") from exc
            orgchange.record_assessment(
                actor=request.user, group=group, assessed_on=day,
                scores={name: post.get(name, "") for name, _ in ADKAR},
                note=post.get("note", ""))
            messages.success(request, f"Readiness of {group.title} recorded.")
            return redirect(request.path)
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    rows = readiness.readiness(project)
    milestone = readiness.go_live(project)
    go_day = readiness.day_of(milestone)
    heat = charts.readiness_heat_svg(
        [(r.group.title, r.group.reference, r.latest.scores if r.latest else None,
          r.latest.assessed_on if r.latest else None) for r in rows],
        [label for _, label in ADKAR])
    trend = charts.readiness_trend_svg(
        [(r.group.title, [(a.assessed_on, a.overall) for a in r.history])
         for r in rows if r.history], go_day,
        milestone.name if milestone is not None else "Go-live")
    groups = queries.stakeholders(project)
    # Training coverage is part of being ready: the share of each group trained so far.
    trained = readiness.trained_shares(project)
    for r in rows:
        r.trained = trained.get(r.group.pk)
    return render(request, "engagement/readiness.html", {
        "project": project, "perms": perms, "rows": rows, "heat": heat, "trend": trend,
        "milestone": milestone, "go_day": go_day, "groups": groups, "dimensions": ADKAR,
        "errors": errors, "post": post, "today": timezone.localdate(),
        "scale": range(1, 6)}, status=422 if errors else 200)


@login_required
@require_POST
@office_view
@project_operation("impact.view")
def impact_activity(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    """Raises a change activity (an action linked to the impact) from the impact's page."""
    item = get_item(IMPACTS, project, ref)
    if not isinstance(item, ChangeImpact):
        raise Http404(f"No change impact {ref} in {project.code}")
    post = request.POST
    try:
        due = None
        if post.get("due_date"):
            try:
                due = dt.date.fromisoformat(post["due_date"])
            except ValueError as exc:
                raise InvalidInput.field("due_date", "give a date") from exc
        assignee = (User.objects.filter(username=post.get("assignee"), is_active=True).first()
                    if post.get("assignee") else None)
        action = orgchange.add_change_activity(
            actor=request.user, impact=item, kind=post.get("kind", ""),
            title=post.get("title", ""), assignee=assignee, due_date=due)
    except OfficeError as exc:
        context = register_views._detail_context(request, IMPACTS, project, item)
        messages.error(request, exc.message)
        return render(request, "registers/detail.html",
                      {**context, "engagement_errors": {"activity": field_errors(exc)},
                       "engagement_post": post}, status=422)
    messages.success(request, f"{action.reference} raised for {item.reference}.")
    return redirect(f"{register_views.item_url(item)}#activities")
