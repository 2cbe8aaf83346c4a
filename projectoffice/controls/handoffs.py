"""Who hears when a change request or a dependency passes to someone else.

Change requests: when one is assessed, its requester, owner and the project manager hear it,
and so do whoever must decide it — the sponsor (or the PMO managers when there is none) for
a change above the project's thresholds; when it is approved, rejected, deferred or applied,
the requester, owner and project manager hear the outcome. This is the register's
`after_transition` hook, run inside the move's transaction.

Internal dependencies: the expected date is the other project's task finish, live, so a
dependency becomes late when that plan is rescheduled. `tell_late_dependencies` runs after
every reschedule (and daily with `pmo notify`); it tells the dependency's owner and its
project's manager once per occurrence. The occurrence is remembered in the item's audit
trail ("became late" / "back on time"), which also shows it in the item's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from projectoffice.accounts.models import User
from projectoffice.accounts.roles import GlobalRole
from projectoffice.audit.actions import record_change
from projectoffice.audit.models import AuditEntry
from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind, RegisterItem
from projectoffice.registers.workflow import Transition

from .guards import above_threshold
from .models import ChangeRequest, Dependency, DependencyType
from .workflows import DEPENDENCY_WORKFLOW

CHANGE_MOVES = {"assess": "assessed", "approve": "approved", "reject": "rejected",
                "defer": "deferred", "apply": "applied to the plan"}
LATE, ON_TIME = "became late", "back on time"


def _people(*users: Any) -> list[User]:
    """Distinct people in order, without the empty ones."""
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _deciders(change: ChangeRequest) -> list[User]:
    """Who must decide a change above the thresholds: the project's (and programme's)
    sponsor, or the PMO managers when it has none."""
    project = change.project
    sponsors = _people(project.sponsor, project.programme.sponsor if project.programme else None)
    if sponsors:
        return sponsors
    return list(User.objects.filter(global_role=GlobalRole.PMO_MANAGER, is_active=True)
                .order_by("pk"))


def tell_change_people(actor: Any, item: RegisterItem, move: Transition, comment: str) -> None:
    if move.key not in CHANGE_MOVES or not isinstance(item, ChangeRequest):
        return
    change = item
    why = f" — {comment}" if comment else ""
    told = _people(change.requested_by, change.owner, change.project.manager)
    for person in told:
        notify(recipient=person, item=change, kind=NotificationKind.CHANGE, actor=actor,
               message=f"{actor} {CHANGE_MOVES[move.key]} {change.reference}: "
                       f"{change.title}{why}")
    if move.key != "assess":
        return
    reasons = above_threshold(change)
    if not reasons:
        return  # the project decides: its manager has just been told
    for person in _deciders(change):
        if person not in told:
            notify(recipient=person, item=change, kind=NotificationKind.CHANGE, actor=actor,
                   message=f"{change.reference} awaits your decision: it "
                           f"{' and '.join(reasons)}")


def _last_state(dependency: Dependency, content_type: ContentType) -> str:
    entry = (AuditEntry.objects.filter(content_type=content_type, object_id=str(dependency.pk),
                                       verb__in=(LATE, ON_TIME))
             .order_by("-at", "-pk").values_list("verb", flat=True).first())
    return entry or ON_TIME


def tell_late_dependencies(*, actor: Any, plan_ids: Iterable[int] | None = None) -> int:
    """Tells the owner and the project manager of each open internal dependency that has
    become late since last looked at (on the plans `plan_ids`, or all). Must run inside the
    caller's transaction. Returns how many dependencies became late."""
    rows = (Dependency.objects.filter(dependency_type=DependencyType.INTERNAL,
                                      other_task__isnull=False, needed_by__isnull=False,
                                      status__in=DEPENDENCY_WORKFLOW.open_states)
            .select_related("project", "project__manager", "owner", "other_task",
                            "other_project"))
    if plan_ids is not None:
        rows = rows.filter(other_task__plan_id__in=list(plan_ids))
    content_type = ContentType.objects.get_for_model(Dependency)
    became = 0
    for dependency in rows:
        now = LATE if dependency.late else ON_TIME
        if now == _last_state(dependency, content_type):
            continue
        record_change(actor=actor, obj=dependency, verb=now, changes={
            "expected_on": [None, str(dependency.expected_on)],
            "needed_by": [None, str(dependency.needed_by)]})
        if now != LATE:
            continue
        became += 1
        other = dependency.other_project.code if dependency.other_project else ""
        for person in _people(dependency.owner, dependency.project.manager):
            notify(recipient=person, item=dependency, kind=NotificationKind.DEPENDENCY,
                   actor=actor,
                   message=f"{dependency.reference} is now late: {other} expects it on "
                           f"{dependency.expected_on:%d %b %Y}, needed by "
                           f"{dependency.needed_by:%d %b %Y}")
    return became
