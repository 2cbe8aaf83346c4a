"""Writes of the security service beyond the kernel's: an access review's lines, taken from
the project's roles, and each line's decision (a revocation removes the role at once)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts import actions as account_actions
from projectoffice.accounts.models import User
from projectoffice.accounts.roles import GlobalRole, holds_global_role
from projectoffice.audit.actions import record_change
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.portfolio.access import has_global, has_perm
from projectoffice.portfolio.models import Membership, Project
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import NotificationKind

from .models import AccessReview, AccessReviewLine, LineDecision, RoleScope
from .registers import ACCESS_REVIEWS

DECIDE = "membership.manage"  # the project's manager decides who keeps access
# Office-wide roles reach every project: the Project Office manager decides those lines.
DECIDE_GLOBAL = account_actions.MANAGE_ROLES


def _require(actor: User, project: Project, perm: str) -> None:
    if not has_perm(actor, project, "project.view"):
        raise NotFound(f"No project {project.code!r}")
    if not has_perm(actor, project, perm):
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


@transaction.atomic
def start_access_review(*, actor: User, project: Project, title: str, period: str = "",
                        today: dt.date | None = None) -> AccessReview:
    """Opens a review with a line for every role held on the project now."""
    review = kernel.create_item(actor=actor, spec=ACCESS_REVIEWS, project=project,
                                data={"title": title, "period": period}, today=today)
    assert isinstance(review, AccessReview)
    load_review_lines(actor=actor, review=review)
    return review


@transaction.atomic
def load_review_lines(*, actor: User, review: AccessReview) -> int:
    """Adds a line for each role held on the project, and each office-wide role (which
    reaches the project too), that the review does not list yet (a review made through the
    register's own form starts empty); tells the project's managers, and for office-wide
    roles the Project Office managers, there are lines to decide."""
    _require(actor, review.project, "accessreview.change")
    if review.status != "in_progress":
        raise Conflict(f"{review.reference} is {review.state.label.lower()}",
                       {"transition": ["not in progress"]})
    listed = set(review.lines.values_list("user_id", "scope", "role"))
    added = added_global = 0
    for m in Membership.objects.filter(project=review.project).select_related("user") \
            .order_by("user__username", "role"):
        if (m.user_id, RoleScope.PROJECT, m.role) in listed:
            continue
        AccessReviewLine.objects.create(review=review, user=m.user, role=m.role,
                                        role_label=m.get_role_display())
        added += 1
    for user in User.objects.filter(is_active=True).exclude(global_role="") \
            .order_by("username"):
        if (user.pk, RoleScope.GLOBAL, user.global_role) in listed:
            continue
        AccessReviewLine.objects.create(review=review, user=user, scope=RoleScope.GLOBAL,
                                        role=user.global_role,
                                        role_label=GlobalRole(user.global_role).label)
        added_global += 1
    if added or added_global:
        record_change(actor=actor, obj=review, verb="lines loaded",
                      changes={"lines": [None, added + added_global]})
    told = [(added, User.objects.filter(memberships__project=review.project,
                                        memberships__role="project_manager"),
             f"on {review.project.code}"),
            (added_global, User.objects.filter(global_role=GlobalRole.PMO_MANAGER),
             "held office-wide")]
    for count, people, where in told:
        if not count:
            continue
        for person in people.distinct():
            kernel.notify(recipient=person, item=review, kind=NotificationKind.REQUEST,
                          actor=actor, message=f"{review.reference}: {count} role"
                          f"{'s' if count != 1 else ''} {where} to confirm or revoke")
    return added + added_global


@transaction.atomic
def decide_review_line(*, actor: User, line: AccessReviewLine, decision: str,
                       note: str = "") -> AccessReviewLine:
    """Confirms or revokes one line. Only someone who manages the project's members
    decides a project role, and only the Project Office manager an office-wide one (never
    their own); a revocation removes that role — from the project, or the person's global
    role through the accounts' action — in the same transaction, audited."""
    review = line.review
    _require(actor, review.project, DECIDE)
    if line.scope == RoleScope.GLOBAL:
        if not has_global(actor, DECIDE_GLOBAL):
            raise Forbidden("Only the Project Office manager decides office-wide roles")
        if line.user_id == actor.pk:
            raise Forbidden("Someone else must decide on your own office-wide role")
    if decision not in (LineDecision.CONFIRMED, LineDecision.REVOKED):
        raise InvalidInput.field("decision", "choose confirm or revoke")
    if len(note) > 300:
        raise InvalidInput.field("note", "keep the note under 300 characters")
    locked = AccessReviewLine.objects.select_for_update().select_related("user").get(pk=line.pk)
    if review.status != "in_progress":
        raise Conflict(f"{review.reference} is {review.state.label.lower()}: its lines are "
                       "decided", {"decision": ["review closed"]})
    if locked.decision:
        raise Conflict(f"{locked} is already {locked.get_decision_display().lower()}",
                       {"decision": ["already decided"]})
    if decision == LineDecision.REVOKED and locked.scope == RoleScope.GLOBAL:
        if holds_global_role(locked.user, locked.role):
            account_actions.change_global_role(
                actor=actor, user=locked.user, global_role=GlobalRole.NONE,
                reason=f"revoked in access review {review.reference} of {review.project.code}")
    elif decision == LineDecision.REVOKED:
        membership = Membership.objects.filter(project=review.project, user=locked.user,
                                               role=locked.role).first()
        if membership is not None:
            portfolio_actions.remove_member(actor=actor, project=review.project,
                                            membership_id=membership.pk)
    locked.decision = decision
    locked.note = note.strip()
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    why = f" — {locked.note}" if locked.note else ""
    record_change(actor=actor, obj=review, verb=f"access {decision}",
                  changes={"line": [str(locked), f"{locked.get_decision_display()}{why}"]})
    return locked
