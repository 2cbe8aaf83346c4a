"""Who may change whose profile and absences, and who sees what kind an absence is.

A person edits their own profile and records their own absences. PMO staff and managers
(`people.manage`) do both for anyone; a project manager (`membership.manage` on a project)
records absences for the members of that project. Sickness is private, and so is the kind
"other" that it must not be told from: only the person and PMO managers see which of the two
an absence is, and its note; everyone else sees "Absent" for both, and the same answers when
they try to change one."""

from __future__ import annotations

from typing import Any

from projectoffice.accounts.roles import permissions_for
from projectoffice.portfolio.access import has_global, is_pmo_manager
from projectoffice.portfolio.models import Membership

from .models import Profile


def manages_people(user: Any) -> bool:
    return has_global(user, "people.manage")


def may_edit_profile(actor: Any, person: Any) -> bool:
    return bool(actor.is_authenticated and (actor.pk == person.pk or manages_people(actor)))


def leads_team_of(actor: Any, person: Any) -> bool:
    """The actor manages the membership of a project the person belongs to."""
    led = {pid for pid, role in Membership.objects.filter(user=actor)
           .values_list("project_id", "role")
           if "membership.manage" in permissions_for("", [role])}
    return bool(led) and Membership.objects.filter(user=person, project_id__in=led).exists()


def may_record_absence(actor: Any, person: Any) -> bool:
    if not actor.is_authenticated:
        return False
    return actor.pk == person.pk or manages_people(actor) or leads_team_of(actor, person)


# The private kinds: to those who may not see them, both read as "Absent" without a note.
PRIVATE_KINDS = ("sickness", "other")


def sees_sickness(viewer: Any, person_id: int) -> bool:
    """The viewer may see the kind and note of the person's private absences."""
    return bool(viewer.is_authenticated and (
        viewer.pk == person_id or is_pmo_manager(viewer)))


def hides_kind(viewer: Any, absence: Any) -> bool:
    """The absence reads as "Absent" (no kind, no note) to this viewer."""
    return absence.kind in PRIVATE_KINDS and not sees_sickness(viewer, absence.person_id)


def line_manager_of(person: Any) -> Any:
    """The person's line manager from their profile, when set and still active."""
    profile = Profile.objects.filter(user_id=person.pk).select_related("line_manager").first()
    manager = profile.line_manager if profile is not None else None
    return manager if manager is not None and manager.is_active else None


def may_decide_absence(actor: Any, person: Any) -> bool:
    """The person's line manager or the Project Office decides; never the person."""
    if not actor.is_authenticated or actor.pk == person.pk:
        return False
    if manages_people(actor):
        return True
    manager = line_manager_of(person)
    return manager is not None and manager.pk == actor.pk


def configures_absences(user: Any) -> bool:
    """Which kinds need approval is the Project Office manager's call."""
    return has_global(user, "people.configure")


def keeps_skills(user: Any) -> bool:
    """Adds skills to the office's catalogue: the Project Office, and whoever designs
    positions or courses on a project (they name the skills those need or teach)."""
    if manages_people(user):
        return True
    if not user.is_authenticated:
        return False
    if has_global(user, "position.change") or has_global(user, "course.change"):
        return True
    return any({"position.change", "course.change"} & permissions_for("", [role])
               for role in Membership.objects.filter(user=user).values_list("role", flat=True))
