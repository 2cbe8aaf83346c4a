"""The office's accounts, for the Project Office manager: who can sign in, how, with which
office-wide role; inviting someone, switching an account off or on, sending a password link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.accounts import actions as account_actions
from projectoffice.accounts import queries as account_queries
from projectoffice.accounts.actions import MANAGE_ACCOUNTS, MANAGE_ROLES
from projectoffice.accounts.models import User
from projectoffice.accounts.operations import office_operation
from projectoffice.accounts.roles import GlobalRole, has_global
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.web.shortcuts import field_errors, flash_errors, is_htmx, office_view


def _account(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise Http404(f"No account {username!r}")
    return user


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput.field("version", "reload the page and try again") from None


@login_required
@office_view
@office_operation(MANAGE_ACCOUNTS)
def accounts_page(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    role = g.get("role", "any")
    status = g.get("status", "active")
    if status not in dict(account_queries.STATUSES):
        status = "active"
    f = {"q": g.get("q", "")[:200], "role": role, "status": status}
    invite: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        invite = {k: request.POST.get(k, "") for k in
                  ("username", "email", "display_name", "job_title", "global_role")}
        try:
            user = account_actions.invite_user(actor=request.user,
                                               base_url=request.build_absolute_uri("/"),
                                               **invite)
            messages.success(request, f"{user.label} is invited: {user.email} has the link "
                                      "to choose a password.")
            return redirect("office-accounts")
        except OfficeError as exc:
            errors = field_errors(exc)
    rows, total = account_queries.accounts(
        q=f["q"], role=None if role == "any" else ("" if role == "none" else role),
        status=status)
    context = {"rows": rows, "total": total, "f": f, "invite": invite, "errors": errors,
               "statuses": account_queries.STATUSES, "counts": account_queries.counts(),
               "roles": GlobalRole.choices,
               "manages_roles": has_global(request.user, MANAGE_ROLES)}
    if is_htmx(request) and request.method == "GET":
        return render(request, "people/_accounts_table.html", context)
    return render(request, "people/accounts.html", context,
                  status=422 if errors else 200)


@require_POST
@login_required
@office_view
@office_operation(MANAGE_ROLES)
def account_role(request: AuthedRequest, username: str) -> HttpResponse:
    user = _account(username)
    with flash_errors(request):
        role = request.POST.get("global_role", "")
        account_actions.change_global_role(actor=request.user, user=user, global_role=role,
                                           reason=request.POST.get("reason", ""),
                                           version=_version(request))
        messages.success(request, f"{user.label}: office-wide role is now "
                                  f"{dict(GlobalRole.choices).get(role, role)}.")
    return redirect("office-accounts")


@require_POST
@login_required
@office_view
@office_operation(MANAGE_ACCOUNTS)
def account_active(request: AuthedRequest, username: str) -> HttpResponse:
    user = _account(username)
    active = request.POST.get("active") == "1"
    with flash_errors(request):
        account_actions.set_account_active(actor=request.user, user=user, active=active,
                                           version=_version(request),
                                           reason=request.POST.get("reason", ""))
        messages.success(request, f"{user.label}'s account is switched "
                                  f"{'on' if active else 'off'}.")
    return redirect("office-accounts")


@require_POST
@login_required
@office_view
@office_operation(MANAGE_ACCOUNTS)
def account_password_link(request: AuthedRequest, username: str) -> HttpResponse:
    user = _account(username)
    with flash_errors(request):
        account_actions.send_password_link(actor=request.user, user=user,
                                           base_url=request.build_absolute_uri("/"))
        messages.success(request, f"A link to choose a new password is on its way to "
                                  f"{user.email}.")
    return redirect("office-accounts")
