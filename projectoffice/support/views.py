"""The support desk's pages: the desk (queue, my tickets, assigned to me), raising a
ticket, the knowledge base and the service levels; the forms the ticket and asset pages
post to. Tickets and assets themselves have the kernel's register pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    access_project,
    has_global,
    project_operation,
    projects_with,
)
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import Priority
from projectoffice.registers.queries import get_item
from projectoffice.registers.views import item_url
from projectoffice.web.shortcuts import field_errors, flash_errors, office_view

from . import actions, queries
from .models import Article, Asset, AssetCheckout, Ticket, TicketCategory
from .registers import ASSETS, TICKETS


def _ticket(request: AuthedRequest, project: Project, ref: str) -> Ticket:
    item = get_item(TICKETS, project, ref, request.user)
    if not isinstance(item, Ticket):
        raise Http404(f"No ticket {ref!r} in {project.code}")
    return item


def _asset(request: AuthedRequest, project: Project, ref: str) -> Asset:
    item = get_item(ASSETS, project, ref)
    if not isinstance(item, Asset):
        raise Http404(f"No asset {ref!r} in {project.code}")
    return item


def _version(request: AuthedRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _rows(tickets: list[Ticket]) -> list[dict[str, Any]]:
    now = timezone.now()
    calendars = queries.Calendars()
    levels = queries.targets()
    rows = []
    for ticket in tickets:
        clocks = queries.clocks(ticket, now=now, calendars=calendars, levels=levels)
        rows.append({"ticket": ticket, "clocks": clocks, "url": item_url(ticket)})
    return rows


SCOPES = (("queue", "Queue"), ("assigned", "Assigned to me"), ("mine", "Raised by me"),
          ("closed", "Recently closed"))


def _desk(request: AuthedRequest, project: Any = None) -> HttpResponse:
    support = queries.is_support_person(request.user)
    scope = request.GET.get("scope") or ("queue" if support else "mine")
    if scope not in dict(SCOPES) or (scope in ("queue", "assigned", "closed") and not support):
        scope = "mine"
    qs = queries.desk_tickets(request.user, scope="queue" if scope == "closed" else scope,
                              project=project)
    open_states = ("new", "in_progress", "waiting", "resolved")
    if scope == "closed":
        qs = qs.filter(status__in=("closed", "cancelled")).order_by("-closed_on", "-id")
        tickets = list(qs[:50])
    else:
        tickets = list(qs.filter(status__in=open_states)) if scope != "mine" \
            else list(qs.order_by("-opened_at")[:100])
    rows = _rows(tickets)
    clocked = [r for r in rows if r["ticket"].status in ("new", "in_progress", "waiting")]
    rated = [int(n or 0) for n in qs.filter(satisfaction__isnull=False)
             .values_list("satisfaction", flat=True)] if support else []
    stats = {
        "open": len(clocked),
        "breached": sum(1 for r in clocked if r["clocks"].worst == "breached"),
        "at_risk": sum(1 for r in clocked if r["clocks"].worst == "at_risk"),
        "satisfaction": round(sum(rated) / len(rated), 1) if rated else None,
    }
    scopes = [s for s in SCOPES if support or s[0] == "mine"]
    return render(request, "support/desk.html", {
        "rows": rows, "scope": scope, "scopes": scopes, "stats": stats, "support": support,
        "project": project, "can_raise": projects_with(request.user, "ticket.add").exists(),
        "base_url": reverse("support-desk-project", args=[project.code]) if project
        else reverse("support-desk"),
    })


@login_required
@office_view
def desk(request: AuthedRequest) -> HttpResponse:
    return _desk(request)


@login_required
@office_view
@project_operation("ticket.view")
def desk_project(request: AuthedRequest, project: Project) -> HttpResponse:
    return _desk(request, project)


@login_required
@office_view
def raise_ticket(request: AuthedRequest) -> HttpResponse:
    projects = list(projects_with(request.user, "ticket.add").order_by("code"))
    if not projects:
        raise Http404("You are not a member of any project")
    assets = list(Asset.objects.filter(project__in=projects).exclude(status="retired")
                  .select_related("project").order_by("project__code", "number"))
    errors: dict[str, list[str]] = {}
    post: Any = {"project": request.GET.get("project", projects[0].code),
                 "priority": Priority.MEDIUM}
    if request.method == "POST":
        post = request.POST
        try:
            project = access_project(request.user, post.get("project", ""), "ticket.add")
            asset_id = post.get("asset", "")
            asset = next((a for a in assets if str(a.pk) == asset_id), None)
            if asset_id and asset is None:
                raise InvalidInput.field("asset", "choose an asset of the project")
            ticket = actions.raise_ticket(actor=request.user, project=project, data={
                "title": post.get("title", ""), "description": post.get("description", ""),
                "category": post.get("category", ""), "priority": post.get("priority", ""),
                "asset": asset})
            messages.success(request, f"{ticket.reference} raised: the support team has it.")
            return redirect(item_url(ticket))
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    return render(request, "support/raise.html", {
        "projects": projects, "assets": assets, "errors": errors, "post": post,
        "categories": TicketCategory.choices, "priorities": list(reversed(Priority.choices)),
        "levels": queries.service_levels()})


@login_required
@require_POST
@office_view
@project_operation("ticket.view")
def ticket_note(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    ticket = _ticket(request, project, ref)
    with flash_errors(request):
        actions.add_ticket_note(actor=request.user, ticket=ticket,
                                body=request.POST.get("body", ""))
        messages.success(request, "Internal note added.")
    return redirect(item_url(ticket) + "#internal-notes")


@login_required
@require_POST
@office_view
@project_operation("ticket.view")
def ticket_close(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    ticket = _ticket(request, project, ref)
    with flash_errors(request):
        raw = request.POST.get("rating", "")
        if not raw.isdigit():
            raise InvalidInput.field("rating", "give a rating from 1 to 5")
        actions.close_ticket(actor=request.user, ticket=ticket, version=_version(request),
                             rating=int(raw), comment=request.POST.get("comment", ""))
        messages.success(request, f"{ticket.reference} is closed. Thank you for the rating.")
    return redirect(item_url(ticket))


@login_required
@require_POST
@office_view
@project_operation("ticket.view")
def ticket_article(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    ticket = _ticket(request, project, ref)
    with flash_errors(request):
        article = Article.objects.filter(pk=request.POST.get("article") or 0).first() \
            if str(request.POST.get("article", "")).isdigit() else None
        if article is None:
            raise InvalidInput.field("article", "choose an article")
        actions.link_article(actor=request.user, ticket=ticket, article=article)
        messages.success(request, f"“{article.title}” linked.")
    return redirect(item_url(ticket))


@login_required
@require_POST
@office_view
@project_operation("asset.view")
def asset_checkout(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    asset = _asset(request, project, ref)
    with flash_errors(request):
        holder = User.objects.filter(username=request.POST.get("holder", "")).first()
        if holder is None:
            raise InvalidInput.field("holder", "choose a person")
        raw_due = request.POST.get("due_back", "")
        try:
            due = dt.date.fromisoformat(raw_due) if raw_due else None
        except ValueError as exc:
            raise InvalidInput.field("due_back", "give a date") from exc
        actions.check_out_asset(actor=request.user, asset=asset, holder=holder,
                                today=timezone.localdate(), due_back=due,
                                note=request.POST.get("note", ""))
        messages.success(request, f"{asset.reference} checked out to {holder}.")
    return redirect(item_url(asset) + "#holders")


@login_required
@require_POST
@office_view
@project_operation("asset.view")
def asset_return(request: AuthedRequest, project: Project, ref: str, pk: int) -> HttpResponse:
    asset = _asset(request, project, ref)
    checkout = AssetCheckout.objects.filter(pk=pk, asset=asset).select_related(
        "asset__project", "holder").first()
    if checkout is None:
        raise Http404("No such check-out")
    with flash_errors(request):
        actions.return_asset(actor=request.user, checkout=checkout, today=timezone.localdate())
        messages.success(request, f"{asset.reference} returned by {checkout.holder}.")
    return redirect(item_url(asset) + "#holders")


@login_required
@office_view
def articles(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if category not in TicketCategory.values:
        category = ""
    return render(request, "support/articles.html", {
        "articles": queries.articles(text, category), "q": text, "category": category,
        "categories": TicketCategory.choices,
        "can_write": queries.is_support_person(request.user)})


@login_required
@office_view
def article(request: AuthedRequest, pk: int) -> HttpResponse:
    found = Article.objects.select_related("author").filter(pk=pk).first()
    if found is None:
        raise Http404("No such article")
    return render(request, "support/article.html", {
        "article": found, "tickets": queries.visible_tickets_for_article(found, request.user),
        "can_write": queries.is_support_person(request.user)})


@login_required
@office_view
def article_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    found = Article.objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and found is None:
        raise Http404("No such article")
    if not queries.is_support_person(request.user):
        raise Http404("No such page")
    errors: dict[str, list[str]] = {}
    post: Any = found or {}
    if request.method == "POST":
        post = request.POST
        values = {"title": post.get("title", ""), "body": post.get("body", ""),
                  "category": post.get("category", "")}
        try:
            if found is None:
                found = actions.create_article(actor=request.user, **values)
            else:
                found = actions.update_article(actor=request.user, article=found,
                                               version=_version(request), changes=values)
            messages.success(request, f"“{found.title}” saved.")
            return redirect("support-article", found.pk)
        except OfficeError as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
    return render(request, "support/article_form.html", {
        "article": found, "post": post, "errors": errors, "categories": TicketCategory.choices})


@login_required
@office_view
def service_levels(request: AuthedRequest) -> HttpResponse:
    can_edit = has_global(request.user, actions.CONFIGURE)
    if request.method == "POST" and can_edit:
        with flash_errors(request):
            try:
                response = round(float(request.POST.get("response_hours", "")) * 60)
                resolution = round(float(request.POST.get("resolution_hours", "")) * 60)
            except ValueError as exc:
                raise InvalidInput.field("response_hours", "give hours as a number") from exc
            level = actions.set_service_level(
                actor=request.user, priority=request.POST.get("priority", ""),
                version=_version(request), response_minutes=response,
                resolution_minutes=resolution)
            messages.success(request, f"{level.get_priority_display()} targets saved.")
        return redirect("support-levels")
    return render(request, "support/levels.html", {"levels": queries.service_levels(),
                                                   "can_edit": can_edit})
