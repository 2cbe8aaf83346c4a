"""Pages: announcements (read, post, withdraw) and notification preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.mail import OUTBOX_BACKEND, delivery_backend
from projectoffice.portfolio.access import access_project, project_permissions, visible_projects
from projectoffice.portfolio.models import Programme
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import EmailDelivery, NotificationKind
from projectoffice.web.shortcuts import field_errors, flash_errors, office_view

from . import actions, queries
from .models import Announcement, Audience

KIND_HELP: dict[str, str] = {
    NotificationKind.ASSIGNED: "You are made owner or assignee of an item",
    NotificationKind.ESCALATED: "An issue is escalated to you",
    NotificationKind.DUE: "An item of yours is due within two days",
    NotificationKind.OVERDUE: "An item of yours is past its due date",
    NotificationKind.ANNOUNCEMENT: "The office, your programme or project announces something",
    NotificationKind.BOOKING: "Someone else cancels your room or equipment booking",
    NotificationKind.REQUEST: "Your request is approved, rejected or fulfilled",
    NotificationKind.MEETING: "A meeting you are invited to is moved or cancelled",
    NotificationKind.REVIEW: "You are asked to review a document, or a version you sent "
                             "for review is approved or rejected",
    NotificationKind.TIMESHEET: "A timesheet waits for your approval, or yours is approved "
                                "or rejected",
    NotificationKind.CHANGE: "A change request you raised, own or must decide is assessed, "
                             "decided or applied",
    NotificationKind.ABSENCE: "An absence waits for your approval, or yours is decided",
    NotificationKind.TASK: "You are assigned to a task of a plan",
    NotificationKind.DEPENDENCY: "A dependency you own or manage is now expected late",
    NotificationKind.MENTION: "Someone mentions you (@name) in a comment",
    NotificationKind.TRAINING: "You have a place on a training session (or moved up from its "
                               "waiting list), it is cancelled, or you are its trainer",
    NotificationKind.INCIDENT: "A security incident is reported on a project whose security "
                               "you manage",
}


def _audiences(user: Any) -> dict[str, Any]:
    """Where this person may announce: everyone, the programmes they manage (all for the
    office) and the projects where they hold announcement.post."""
    everyone = actions.may_speak_to_everyone(user)
    programmes = Programme.objects.order_by("code")
    if not everyone:
        programmes = programmes.filter(manager=user)
    projects = [p for p in visible_projects(user).order_by("code")
                if actions.POST in project_permissions(user, p)]
    return {"everyone": everyone, "programmes": list(programmes), "projects": projects}


@login_required
@office_view
def announcements(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    where = _audiences(request.user)
    errors: dict[str, list[str]] = {}
    post: Any = {}
    if request.method == "POST":
        post = request.POST
        try:
            audience = post.get("audience", "")
            project = (access_project(request.user, post.get("project", ""), actions.POST)
                       if audience == Audience.PROJECT and post.get("project") else None)
            programme = (Programme.objects.filter(code=post.get("programme", "")).first()
                         if audience == Audience.PROGRAMME else None)
            expires = post.get("expires_on", "")
            try:
                expires_on = dt.date.fromisoformat(expires) if expires else None
            except ValueError as exc:
                raise InvalidInput.field("expires_on", "give a date") from exc
            made = actions.post_announcement(
                actor=request.user, audience=audience, title=post.get("title", ""),
                body=post.get("body", ""), expires_on=expires_on, project=project,
                programme=programme)
            messages.success(request, f"Announced to {made.audience_label.lower()}: "
                                      f"{made.title}")
            return redirect(reverse("announcements"))
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    shown = list(queries.visible_announcements(request.user, today))
    mine = (Announcement.objects.filter(author=request.user).select_related(
        "project", "programme").order_by("-created_at")[:20])
    return render(request, "notices/announcements.html", {
        "shown": shown, "mine": mine, "where": where, "errors": errors, "post": post,
        "can_post": bool(where["everyone"] or where["programmes"] or where["projects"]),
        "today": today})


@login_required
@require_POST
@office_view
def announcement_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    found = queries.visible_announcements(request.user, timezone.localdate(),
                                          include_expired=True).filter(pk=pk).first()
    if found is None:
        raise Http404(f"No announcement {pk}")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    with flash_errors(request):
        actions.withdraw_announcement(actor=request.user, announcement=found, version=version)
        messages.success(request, f"Withdrawn: {found.title}")
    return redirect(reverse("announcements"))


@login_required
@office_view
def preferences(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = {kind: (request.POST.get(f"app-{kind}") == "on",
                         request.POST.get(f"email-{kind}", EmailDelivery.IMMEDIATE))
                  for kind in NotificationKind.values}
        with flash_errors(request):
            changed = register_actions.set_notification_preferences(actor=request.user,
                                                                    preferences=chosen)
            messages.success(request, "Preferences saved." if changed
                             else "Nothing changed.")
        return redirect(reverse("notification-preferences"))
    rows = []
    for kind, label in NotificationKind.choices:
        in_app, email = register_actions.preference_of(request.user, kind)
        rows.append({"kind": kind, "label": label, "help": KIND_HELP.get(kind, ""),
                     "in_app": in_app, "email": email})
    return render(request, "notices/preferences.html", {
        "rows": rows, "deliveries": EmailDelivery.choices,
        "has_email": bool(request.user.email)})


@login_required
@office_view
def outbox(request: AuthedRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    text = request.GET.get("q", "").strip()[:100]
    page = Paginator(queries.outbox(request.user, text), 50).get_page(request.GET.get("page"))
    return render(request, "notices/outbox.html", {
        "page": page, "q": text, "keeping": delivery_backend() == OUTBOX_BACKEND,
        "days": settings.PMO_OUTBOX_DAYS})


@login_required
@office_view
def outbox_message(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "notices/outbox_message.html",
                  {"message": queries.outbox_message(request.user, pk)})
