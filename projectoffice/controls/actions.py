"""Control-register behaviour beyond the kernel: escalating issues."""

from __future__ import annotations

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import check_version, lock_for_update
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import project_permissions
from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind

from .models import EscalationLevel, Issue

ESCALATION_ORDER = [EscalationLevel.PROJECT, EscalationLevel.PROGRAMME,
                    EscalationLevel.PORTFOLIO]


@transaction.atomic
def escalate_issue(*, actor: User, issue: Issue, version: int | None, reason: str) -> Issue:
    """Raises an issue one level: project → programme → portfolio (a project outside any
    programme goes straight to the portfolio)."""
    perms = project_permissions(actor, issue.project)
    if "project.view" not in perms:
        raise NotFound(f"No project {issue.project.code!r}")
    if "issue.escalate" not in perms:
        raise Forbidden(f"You need the 'issue.escalate' permission on {issue.project.code}")
    reason = reason.strip()
    if not reason:
        raise InvalidInput.field("reason", "say why the issue is escalated")
    if len(reason) > 2000:
        raise InvalidInput.field("reason", "is longer than 2000 characters")
    locked = lock_for_update(Issue, issue.pk)
    check_version(locked, version)
    if locked.is_closed:
        raise Conflict(f"{locked.reference} is closed; reopen it before escalating")
    level = ESCALATION_ORDER.index(EscalationLevel(locked.escalation_level))
    if level == len(ESCALATION_ORDER) - 1:
        raise Conflict(f"{locked.reference} is already escalated to the portfolio")
    target = ESCALATION_ORDER[level + 1]
    if target == EscalationLevel.PROGRAMME and locked.project.programme_id is None:
        target = EscalationLevel.PORTFOLIO
    before = locked.escalation_level
    locked.escalation_level = target
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="escalated",
                  changes={"escalation_level": [before, str(target)], "reason": [None, reason]})
    message = (f"{locked.reference} escalated to the {locked.get_escalation_level_display()} "
               f"by {actor}: {locked.title}")
    programme = locked.project.programme
    recipients = [locked.owner, locked.project.manager,
                  programme.manager if programme and target == EscalationLevel.PROGRAMME
                  else None]
    for person in dict.fromkeys(p for p in recipients if p is not None):
        notify(recipient=person, item=locked, kind=NotificationKind.ESCALATED, message=message,
               actor=actor)
    return locked
