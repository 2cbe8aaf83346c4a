"""Pages of the quality service: a project's quality page (plan, criteria, measures), a
review's checklist, follow-up and corrective actions, and the office's quality page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.forms import people_of
from projectoffice.registers.views import item_or_404, item_url
from projectoffice.web.shortcuts import errors_to_form, flash_errors, office_view

from . import quality, quality_queries
from .quality_models import CheckResult, NonConformance, QualityAudit, QualityReview
from .quality_registers import NONCONFORMANCES, QUALITY_REVIEWS, SERVICE

NAV = {"nav_service": SERVICE}


class QualityPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    standards = forms.CharField(label="Standards applied", max_length=5000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    review_methods = forms.CharField(max_length=5000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    approach = forms.CharField(label="Quality approach", max_length=10000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    criteria = forms.CharField(
        label="Criteria per deliverable type", required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One per line as 'type: criterion', e.g. 'software: Code reviewed by a "
                  "second developer'. 'all:' or no type applies to every review.")


def _plan_initial(plan: Any) -> dict[str, Any]:
    if plan is None:
        return {"version": 0}
    return {"version": plan.version, "standards": plan.standards,
            "review_methods": plan.review_methods, "approach": plan.approach,
            "criteria": "\n".join(f"{c.product_type}: {c.text}" for c in plan.criteria.all())}


@login_required
@office_view
@project_operation("qualityreview.view")
def quality_page(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    plan = quality.plan_of(project)
    form = QualityPlanForm(initial=_plan_initial(plan))
    editing = request.GET.get("edit") == "1" or request.method == "POST"
    if request.method == "POST":
        form = QualityPlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                quality.save_quality_plan(
                    actor=request.user, project=project, version=data["version"] or None,
                    standards=data["standards"], review_methods=data["review_methods"],
                    approach=data["approach"], criteria=quality.parse_criteria(data["criteria"]))
            except OfficeError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "Quality plan saved.")
                return redirect("assurance-quality", project.code)
    today = timezone.localdate()
    criteria: dict[str, list[str]] = {}
    for c in (plan.criteria.all() if plan else []):
        criteria.setdefault(c.product_type, []).append(c.text)
    return render(request, "assurance/quality.html", {
        "project": project, "perms": perms, "plan": plan, "form": form, "editing": editing,
        "criteria": criteria, "m": quality_queries.measures(project, today),
        "reviews": QualityReview.objects.filter(project=project)
        .select_related("reviewer").order_by("-number")[:12],
        "audits": QualityAudit.objects.filter(project=project).select_related("auditor")
        .order_by("-number")[:6],
        "ncs": NonConformance.objects.filter(project=project,
                                             status__in=quality_queries.NC_OPEN_STATES)
        .select_related("owner").order_by("raised_on", "number"),
        "today": today, **NAV})


@login_required
@require_POST
@office_view
@project_operation("qualityreview.change")
def review_checks(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    review = item_or_404(QUALITY_REVIEWS, project, ref, request.user)
    assert isinstance(review, QualityReview)
    checks = []
    for check in review.checks.all():
        result = request.POST.get(f"check-{check.position}-result", check.result)
        note = request.POST.get(f"check-{check.position}-note", check.note)
        checks.append(quality.CheckIn(check.position, result, note))
    with flash_errors(request):
        quality.record_checks(actor=request.user, review=review,
                              version=int(request.POST.get("version") or 0) or None,
                              checks=checks, findings=request.POST.get("findings"),
                              add_criterion=request.POST.get("add_criterion", ""))
        messages.success(request, f"Checklist of {review.reference} saved.")
    return redirect(item_url(review) + "#checklist")


class FollowUpForm(forms.Form):
    title = forms.CharField(label="Action", max_length=200)
    kind = forms.ChoiceField(choices=[("follow-up", "Follow-up"), ("corrective", "Corrective"),
                                      ("preventive", "Preventive")], initial="follow-up")
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_POST
@office_view
@project_operation("action.add")
def follow_up(request: AuthedRequest, project: Project, register: str, ref: str) -> HttpResponse:
    spec = {"quality-reviews": QUALITY_REVIEWS, "nonconformances": NONCONFORMANCES}.get(register)
    if spec is None:
        raise Http404("Follow-up actions are raised from reviews and non-conformances")
    item = item_or_404(spec, project, ref, request.user)
    form = FollowUpForm(request.POST)
    form.fields["assignee"].queryset = people_of(project)  # type: ignore[attr-defined]
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[first[0]].label or first[0]}: {first[1][0]}")
        return redirect(item_url(item) + "#follow-ups")
    with flash_errors(request):
        action = quality.raise_follow_up(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, f"{action.reference} raised in the Actions register.")
    return redirect(item_url(item) + "#follow-ups")


def follow_up_form(project: Any, kind: str) -> FollowUpForm:
    form = FollowUpForm(initial={"kind": kind})
    form.fields["assignee"].queryset = people_of(project)  # type: ignore[attr-defined]
    return form


@login_required
@office_view
def office_quality(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = quality_queries.office_quality(request.user, today)
    totals = quality_queries.QualityMeasures()
    for _, m in rows:
        for name in ("reviews_done", "reviews_open", "subjects_reviewed", "first_time_passes",
                     "open_ncs", "audits"):
            setattr(totals, name, getattr(totals, name) + getattr(m, name))
        for outcome, n in m.outcomes.items():
            totals.outcomes[outcome] += n
        for band, n in m.open_by_age.items():
            totals.open_by_age[band] += n
        if m.oldest_open_days is not None:
            totals.oldest_open_days = max(m.oldest_open_days, totals.oldest_open_days or 0)
    return render(request, "assurance/office_quality.html", {
        "rows": rows, "totals": totals,
        "bands": [f"{low}–{high} d" if high else f"> {low - 1} d"
                  for low, high, _ in quality_queries.AGE_BANDS],
        "today": today, "check_results": CheckResult})
