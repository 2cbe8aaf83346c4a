"""Pages that are not one register: sign-in, home, portfolio, project overview, audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts import actions as account_actions
from projectoffice.accounts import oidc, twofactor
from projectoffice.accounts.models import User
from projectoffice.accounts.roles import ProjectRole
from projectoffice.audit.queries import auditable_entries, entries_for_projects
from projectoffice.controls import queries as control_queries
from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.notices.queries import project_announcements, visible_announcements
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.portfolio.access import (
    is_pmo_manager,
    project_operation,
    project_permissions,
    projects_with,
    visible_projects,
)
from projectoffice.portfolio.health import (
    computed_rags,
    count_rags,
    health_of,
    project_health,
)
from projectoffice.portfolio.models import (
    Membership,
    Phase,
    Portfolio,
    Programme,
    Project,
    ProjectStatus,
    Rag,
)
from projectoffice.portfolio.queries import ProjectFilter, project_list
from projectoffice.registers.queries import project_items
from projectoffice.registers.spec import all_specs
from projectoffice.web.forms import PasswordChangeForm, ThrottledLoginForm, TokenForm
from projectoffice.web.shortcuts import errors_to_form, is_htmx, office_view

from . import twofactor_views


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso_enabled": oidc.enabled(),
                "sso_name": oidc.provider_name()}

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.enrolled(user):  # the password is right: now the code
            return twofactor_views.begin(self.request, user, self.get_redirect_url())
        return super().form_valid(form)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    # The RAG tiles count the project list's own rows (its default filter), so the two
    # pages cannot disagree; "my projects" are those rows the user is a member of.
    listed = list(project_list(user, ProjectFilter()))
    rags = computed_rags(listed, today)  # kept: every project's RAG, for the tiles
    member_of = set(Membership.objects.filter(user=user).values_list("project_id", flat=True))
    live = [p for p in listed
            if p.status not in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)]
    mine = [p for p in live if p.pk in member_of] or live
    health = health_of(mine[:12], today)  # the rows shown, in full
    actions = control_queries.my_open_actions(user)[:12]
    recent = entries_for_projects(visible_projects(user).values("pk"), user)[:15]
    return render(request, "web/home.html", {
        "rows": [health[p.pk] for p in mine[:12]], "my_count": len(mine),
        "my_actions": actions, "recent": recent,
        "today": today, "overdue_count": control_queries.overdue_actions(user, today).count(),
        "rag_counts": count_rags([(str(p.rag), rags[p.pk]) for p in listed]),
        "listed_count": len(listed),
        "announcements": visible_announcements(user, today)[:6],
    })


@login_required
def portfolio(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    try:
        portfolio_id = int(g.get("portfolio", "") or 0) or None
    except ValueError:
        portfolio_id = None
    f = ProjectFilter(q=g.get("q", "").strip(), portfolio=portfolio_id,
                      programme=g.get("programme", ""), status=g.get("status", ""),
                      phase=g.get("phase", ""), rag=g.get("rag", ""),
                      manager=g.get("manager", ""), sort=g.get("sort", "code"))
    page = Paginator(project_list(request.user, f), 50).get_page(g.get("page"))
    health = health_of(list(page.object_list), timezone.localdate())
    context = {
        "page": page, "rows": [health[p.pk] for p in page.object_list], "f": f,
        "portfolios": Portfolio.objects.all(),
        "programmes": Programme.objects.all(), "statuses": ProjectStatus.choices,
        "phases": Phase.choices, "rags": Rag.choices,
        "managers": User.objects.filter(pk__in=visible_projects(request.user)
                                        .values("manager")).order_by("display_name"),
        "query": g.urlencode(),
        "can_create": is_pmo_manager(request.user),
    }
    template = "web/_project_table.html" if is_htmx(request) else "web/portfolio.html"
    return render(request, template, context)


@login_required
@office_view
@project_operation("project.view")
def project_overview(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    today = timezone.localdate()
    summaries = []
    for spec in all_specs():
        qs: Any = project_items(spec, project, request.user)
        open_states = spec.workflow.open_states
        summaries.append({
            "spec": spec,
            "open": qs.filter(status__in=open_states).count(),
            "overdue": qs.filter(status__in=open_states, due_date__lt=today).count(),
            "total": qs.count(),
            "recent": qs.filter(status__in=open_states).select_related("owner")
            .order_by("due_date", "-number")[:5],
        })
    members = project.memberships.select_related("user").order_by("role", "user__username")
    return render(request, "web/project.html", {
        "project": project, "perms": perms, "health": project_health(project, today),
        "summaries": summaries, "members": members,
        "roles": ProjectRole.choices, "today": today,
        "recent": entries_for_projects([project.pk], request.user)[:10],
        "users": User.objects.filter(is_active=True).order_by("display_name", "username"),
        "announcements": project_announcements(project, today)[:6],
    })


@login_required
@require_POST
@office_view
@project_operation("membership.manage")
def add_member(request: AuthedRequest, project: Project) -> HttpResponse:
    user = User.objects.filter(username=request.POST.get("user", ""), is_active=True).first()
    try:
        if user is None:
            raise OfficeError("Choose a person to add")
        portfolio_actions.add_member(actor=request.user, project=project, user=user,
                                     role=request.POST.get("role", ""))
        messages.success(request, f"{user} added to {project.code}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect("project", code=project.code)


@login_required
@require_POST
@office_view
@project_operation("membership.manage")
def remove_member(request: AuthedRequest, project: Project, membership_id: int) -> HttpResponse:
    try:
        portfolio_actions.remove_member(actor=request.user, project=project,
                                        membership_id=membership_id)
        messages.success(request, "Membership removed.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect("project", code=project.code)


def _audit_page(request: AuthedRequest, qs: Any, title: str, project: Any = None) -> HttpResponse:
    verb = request.GET.get("verb", "")
    if verb:
        qs = qs.filter(verb=verb)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit.html", {"page": page, "title": title,
                                              "project": project, "verb": verb})


@login_required
@office_view
@project_operation("audit.view")
def project_audit(request: AuthedRequest, project: Project) -> HttpResponse:
    qs = entries_for_projects([project.pk], request.user)
    return _audit_page(request, qs, f"Audit trail · {project.code}", project)


@login_required
def audit(request: AuthedRequest) -> HttpResponse:
    return _audit_page(request, auditable_entries(
        request.user, projects_with(request.user, "audit.view")), "Audit trail · all projects")


@login_required
def my_actions(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "web/action_list.html", {
        "title": "My actions", "items": control_queries.my_open_actions(request.user),
        "today": today,
        "empty": "Nothing is waiting for you. Actions assigned to you appear here.",
    })


@login_required
def overdue_actions(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "web/action_list.html", {
        "title": "Overdue actions", "today": today,
        "items": control_queries.overdue_actions(request.user, today),
        "empty": "No open action in your projects is past its due date.",
    })


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    password_form = PasswordChangeForm()
    token_form = TokenForm()
    new_token = None
    if request.method == "POST" and request.POST.get("form") == "password":
        password_form = PasswordChangeForm(request.POST)
        if password_form.is_valid():
            try:
                account_actions.change_password(
                    actor=request.user, **password_form.cleaned_data)
                update_session_auth_hash(request, request.user)
                messages.success(request, "Your password has been changed.")
                return redirect("account")
            except OfficeError as exc:
                errors_to_form(password_form, exc)
    elif request.method == "POST" and request.POST.get("form") == "token":
        token_form = TokenForm(request.POST)
        if token_form.is_valid():
            try:
                _, new_token = account_actions.create_api_token(
                    actor=request.user, name=token_form.cleaned_data["name"])
                token_form = TokenForm()
            except OfficeError as exc:
                errors_to_form(token_form, exc)
    elif request.method == "POST" and request.POST.get("form") == "revoke":
        try:
            account_actions.revoke_api_token(actor=request.user,
                                             token_id=int(request.POST.get("token", "0")),
                                             now=timezone.now())
            messages.success(request, "Token revoked.")
        except (OfficeError, ValueError):
            messages.error(request, "That token does not exist.")
        return redirect("account")
    return render(request, "web/account.html", {
        "password_form": password_form, "token_form": token_form, "new_token": new_token,
        "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        "memberships": request.user.memberships.select_related("project"),
        "two_factor_on": twofactor.enrolled(request.user),
    })
