"""The access review's own forms (its page is the kernel's register page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item
from projectoffice.registers.views import item_url
from projectoffice.web.shortcuts import flash_errors, office_view

from . import actions
from .models import AccessReview
from .registers import ACCESS_REVIEWS


def _review(request: AuthedRequest, project: Project, ref: str) -> AccessReview:
    item = get_item(ACCESS_REVIEWS, project, ref, request.user)
    if not isinstance(item, AccessReview):
        raise Http404(f"No access review {ref!r} in {project.code}")
    return item


@login_required
@require_POST
@office_view
@project_operation("accessreview.view")
def review_load(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    review = _review(request, project, ref)
    with flash_errors(request):
        added = actions.load_review_lines(actor=request.user, review=review)
        messages.success(request, f"{added} role{'s' if added != 1 else ''} added to the "
                         "review." if added else "Every role held now is listed already.")
    return redirect(item_url(review) + "#review-lines")


@login_required
@require_POST
@office_view
@project_operation("accessreview.view")
def review_decide(request: AuthedRequest, project: Project, ref: str, pk: int) -> HttpResponse:
    review = _review(request, project, ref)
    line = review.lines.filter(pk=pk).select_related("user").first()
    if line is None:
        raise Http404("No such line")
    with flash_errors(request):
        decided = actions.decide_review_line(actor=request.user, line=line,
                                             decision=request.POST.get("decision", ""),
                                             note=request.POST.get("note", ""))
        messages.success(request, f"{decided}: {decided.get_decision_display().lower()}.")
    return redirect(item_url(review) + "#review-lines")
