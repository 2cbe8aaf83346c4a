"""Access reviews over the API beyond the kernel's register operations
(/access-reviews, /security-incidents, /security-controls): the review's lines, adding the
roles held now, and each line's decision."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Router, Schema
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions
from .models import AccessReview, AccessReviewLine
from .registers import ACCESS_REVIEWS

router = Router(tags=["Access reviews"])



class ReviewLineOut(Schema):
    id: int
    user: str
    scope: str = Field(description="project: a role on the project; global: an office-wide "
                                   "role, decided by the Project Office manager")
    role: str
    role_label: str
    decision: str
    note: str
    decided_by: str | None
    decided_at: dt.datetime | None


class ReviewLinesAdded(Schema):
    added: int


class ReviewDecisionIn(StrictIn):
    decision: Literal["confirmed", "revoked"]
    note: str = Field("", max_length=300)


def line_out(line: AccessReviewLine) -> dict[str, Any]:
    return {"id": line.pk, "user": line.user.username, "scope": line.scope, "role": line.role,
            "role_label": line.role_label, "decision": line.decision, "note": line.note,
            "decided_by": line.decided_by.username if line.decided_by else None,
            "decided_at": line.decided_at}


def _review(request: AuthedRequest, project: Project, ref: str) -> AccessReview:
    item = get_item(ACCESS_REVIEWS, project, ref, request.user)
    if not isinstance(item, AccessReview):
        raise NotFound(f"No access review {ref!r} in {project.code}")
    return item


@router.get("/projects/{code}/access-reviews/{ref}/lines", response=list[ReviewLineOut],
            summary="Who holds which role, and the decision on each")
@project_operation("accessreview.view")
def review_lines(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    review = _review(request, project, ref)
    return [line_out(line) for line in review.lines.select_related("user", "decided_by")]


@router.post("/projects/{code}/access-reviews/{ref}/lines/load", response=ReviewLinesAdded,
             summary="Add a line for every role held now that the review does not list")
@project_operation("accessreview.change")
def load_lines(request: AuthedRequest, project: Project, ref: str) -> dict[str, int]:
    review = _review(request, project, ref)
    return {"added": actions.load_review_lines(actor=request.user, review=review)}


@router.post("/projects/{code}/access-reviews/{ref}/lines/{line_id}/decide",
             response=ReviewLineOut,
             summary="Confirm or revoke one line (a revocation removes the role; an "
                     "office-wide role's line needs roles.manage too)")
@project_operation("membership.manage")
def decide_line(request: AuthedRequest, project: Project, ref: str, line_id: int,
                payload: ReviewDecisionIn) -> dict[str, Any]:
    review = _review(request, project, ref)
    line = review.lines.filter(pk=line_id).first()
    if line is None:
        raise NotFound(f"No line {line_id} in {review.reference}")
    return line_out(actions.decide_review_line(actor=request.user, line=line,
                                               decision=payload.decision, note=payload.note))
