from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html import escape  # as Django's, without its lazy-text check per call
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from projectoffice.errors import Forbidden, InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    project_operation,
    project_permissions,
    visible_projects,
)
from projectoffice.portfolio.models import Programme, Project
from projectoffice.registers.views import item_or_404, item_url
from projectoffice.web import paging
from projectoffice.web.shortcuts import errors_to_form, flash_errors, is_htmx, office_view

from . import actions, charts, queries
from .models import (
    ChangeRequest,
    Issue,
    ProjectControls,
    default_approval_cost,
    default_approval_days,
    default_risk_scale,
    project_controls,
)
from .registers import CHANGES, ISSUES, RISKS


@login_required
@require_POST
@office_view
@project_operation("issue.view")
def escalate(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    issue = item_or_404(ISSUES, project, ref, request.user)
    assert isinstance(issue, Issue)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        issue = actions.escalate_issue(actor=request.user, issue=issue, version=version,
                                       reason=request.POST.get("reason", ""))
        messages.success(request, f"{issue.reference} escalated to the "
                                  f"{issue.get_escalation_level_display().lower()}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect(item_url(issue))


@login_required
@office_view
@project_operation("risk.view")
def risk_overview(request: AuthedRequest, project: Project) -> HttpResponse:
    risks = list(queries.open_risks(project))
    queries.share_controls(risks)
    return render(request, "controls/risk_overview.html", {
        "project": project, "spec": RISKS, "top": queries.top_risks(risks, 10),
        "perms": project_permissions(request.user, project), "count": len(risks)})


def raid_filter(request: AuthedRequest) -> queries.RaidFilter:
    g = request.GET
    return queries.RaidFilter(
        programme=g.get("programme", ""), owner=g.get("owner", ""),
        severity=g.get("severity", ""), overdue=g.get("overdue") == "1",
        register=g.get("register", ""), q=g.get("q", "").strip())


RAID_PER_PAGE = 100


def raid_rows_html(rows: list[queries.RaidRow], today: Any) -> SafeString:
    """The RAID table's rows, written out here rather than by the template: a page of a
    hundred items has three links, two badges and a date each, which the template language
    (reversing each link) takes several times longer to draw."""
    out = []
    for r in rows:
        item = r.item
        code = escape(item.project.code)
        url = escape(reverse("register-item", args=[item.project.code, r.register,
                                                    item.reference]))
        ref = escape(item.reference)
        escalated = (f' <span class="badge warning">Escalated to {escape(r.escalated)}</span>'
                     if r.escalated else "")
        due = item.due_date
        state = item.state
        out.append(
            f'<tr><td><a class="ref" href="{url}">{ref}</a></td>'
            f'<td><a href="{url}">{escape(item.title)}</a>{escalated}</td>'
            f'<td>{escape(r.register_label)}</td>'
            f'<td><a href="/projects/{code}/">{code}</a></td>'
            f'<td><span class="badge {escape(r.severity)}">{escape(r.severity.capitalize())}'
            f'</span></td><td>{escape(str(item.owner)) if item.owner else "—"}</td>'
            f'<td class="{"overdue" if due and due < today else ""}">'
            f'{f"{due.day} {due:%b %Y}" if due else "—"}</td>'
            f'<td><span class="badge {escape(state.tone)}">{escape(state.label)}</span></td>'
            f"</tr>")
    return mark_safe("\n".join(out))  # every value above is escaped


def owner_options(people: Any, chosen: str) -> SafeString:
    """The owner filter's options: everyone owning an open item (some hundreds across a large
    portfolio), written out here rather than by the template."""
    return mark_safe("".join(
        f'<option value="{escape(p.username)}"{" selected" if p.username == chosen else ""}>'
        f"{escape(str(p))}</option>" for p in people))  # every value is escaped


@login_required
@office_view
def raid(request: AuthedRequest) -> HttpResponse:
    """Every open RAID item across the portfolio, escalated issues, overdue actions and the
    dependency map between projects."""
    today = timezone.localdate()
    f = raid_filter(request)
    page = paging.requested(request.GET.get("page"))
    count, rows = queries.raid_page(request.user, f, today, RAID_PER_PAGE,
                                    (page - 1) * RAID_PER_PAGE)
    pages = paging.page_count(count, RAID_PER_PAGE)
    if page > pages:  # past the end: the last page
        page = pages
        count, rows = queries.raid_page(request.user, f, today, RAID_PER_PAGE,
                                        (page - 1) * RAID_PER_PAGE)
    pager = paging.Page(rows, page, pages, count, RAID_PER_PAGE, paging.filters_query((
        ("q", f.q), ("register", f.register), ("programme", f.programme), ("owner", f.owner),
        ("severity", f.severity), ("overdue", "1" if f.overdue else ""))))
    edges, depmap = queries.dependency_map(request.user, lambda nodes, edges: (
        charts.dependency_map_svg(nodes, edges, "Dependencies between projects")))
    visible = visible_projects(request.user)
    context = {
        "f": f, "rows": rows, "rows_html": raid_rows_html(rows, today), "today": today,
        "count": count, "pager": pager,
        "programmes": Programme.objects.filter(projects__in=visible).distinct(),
        "owner_options": owner_options(queries.raid_owners(request.user, f.owner), f.owner),
        "severities": queries.SEVERITIES, "registers": queries.RAID_SPECS,
        "escalated": queries.escalated_issues(request.user)[:50],
        "overdue_actions": queries.overdue_actions(request.user, today)[:10],
        "overdue_count": queries.overdue_actions(request.user, today).count(),
        "depmap": depmap,
        "edges": edges,
        "late_dependencies": queries.internal_dependencies_late(request.user, 20),
    }
    template = "controls/_raid_table.html" if is_htmx(request) else "controls/raid.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Change requests: proposed plan edits and impact; project control settings.


def _change(request: AuthedRequest, project: Project, ref: str) -> ChangeRequest:
    change = item_or_404(CHANGES, project, ref, request.user)
    assert isinstance(change, ChangeRequest)
    return change


def _version(request: AuthedRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def edit_from_form(post: Any) -> dict[str, Any]:
    """The plan edit the change page's form describes, in the plan editor's format."""
    kind = post.get("kind", "")

    def uid(name: str) -> int | None:
        value = post.get(name, "")
        return int(value) if value.isdigit() else None

    if kind == "duration":
        return {"op": "update", "uid": uid("task"), "duration": post.get("duration", "")}
    if kind == "link":
        return {"op": "link", "uid": uid("successor"), "predecessor": uid("predecessor"),
                "type": post.get("type", "FS") or "FS", "lag": post.get("lag", "")}
    if kind == "unlink":
        return {"op": "unlink", "uid": uid("successor"), "predecessor": uid("predecessor")}
    if kind == "insert":
        edit: dict[str, Any] = {"op": "insert", "name": post.get("name", "").strip(),
                                "duration": post.get("new_duration", "") or "1d"}
        if post.get("predecessors", "").strip():
            edit["predecessors"] = post.get("predecessors", "").strip()
        if uid("before") is not None:
            edit["before"] = uid("before")
        return edit
    if kind == "delete":
        return {"op": "delete", "uid": uid("task")}
    if kind == "budget":
        return {"op": "budget", "wbs": uid("wbs"), "category": post.get("category", ""),
                "period": post.get("period", "").strip(),
                "amount": post.get("amount", "").strip()}
    raise InvalidInput.field("kind", "choose what the edit does")


@login_required
@require_POST
@office_view
@project_operation("change.view")
def change_edit_add(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    change = _change(request, project, ref)
    with flash_errors(request):
        edit = edit_from_form(request.POST)
        actions.add_change_edit(actor=request.user, change=change, version=_version(request),
                                edit=edit)
        messages.success(request, f"{'Budget' if edit['op'] == 'budget' else 'Plan'} edit "
                                  f"added to {change.reference}.")
    return redirect(item_url(change) + "#plan-edits")


@login_required
@require_POST
@office_view
@project_operation("change.view")
def change_edit_remove(request: AuthedRequest, project: Project,
                       ref: str, row: int) -> HttpResponse:
    change = _change(request, project, ref)
    with flash_errors(request):
        actions.remove_change_edit(actor=request.user, change=change,
                                   version=_version(request), row=row)
        messages.success(request, f"Plan edit {row} removed from {change.reference}.")
    return redirect(item_url(change) + "#plan-edits")


@login_required
@require_POST
@office_view
@project_operation("change.view")
def change_assess(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    change = _change(request, project, ref)
    with flash_errors(request):
        raw = request.POST.get("cost_impact", "").strip().replace(",", "")
        try:
            cost = Decimal(raw) if raw else None
        except InvalidOperation:
            raise InvalidInput.field("cost_impact", f"{raw!r} is not an amount") from None
        change = actions.assess_change(actor=request.user, change=change,
                                       version=_version(request), cost_impact=cost)
        messages.success(request, f"{change.reference} assessed: the finish moves "
                                  f"{change.delay_days} working day"
                                  f"{'' if abs(change.delay_days or 0) == 1 else 's'}.")
    return redirect(item_url(change) + "#impact")


class ControlsForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ProjectControls
        fields = ("approval_cost", "approval_days", "risk_scale")


@login_required
@office_view
@project_operation("project.view")
def project_controls_page(request: AuthedRequest, project: Project) -> HttpResponse:
    current = project_controls(project)
    may_edit = actions.may_configure(request.user, project)
    if request.method == "POST":
        form = ControlsForm(request.POST, instance=ProjectControls(project=project))
        if not may_edit:
            raise Forbidden("Only a PMO manager or the sponsor sets the control thresholds")
        if form.is_valid():
            try:
                actions.set_project_controls(
                    actor=request.user, project=project,
                    version=form.cleaned_data["version"],
                    changes={k: form.cleaned_data[k] for k in ControlsForm.Meta.fields})
                messages.success(request, f"Control settings of {project.code} saved.")
                return redirect("project-controls", code=project.code)
            except OfficeError as exc:
                errors_to_form(form, exc)
    else:
        form = ControlsForm(instance=current, initial={"version": current.version})
    return render(request, "controls/project_controls.html", {
        "project": project, "form": form, "current": current, "may_edit": may_edit,
        "perms": project_permissions(request.user, project),
        "defaults": {"cost": default_approval_cost(), "days": default_approval_days(),
                     "scale": default_risk_scale()}})
