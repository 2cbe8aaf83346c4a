"""Who may change whose profile and absences, and who sees what kind an absence is.

A person edits their own profile and records their own absences. PMO staff and managers
(`people.manage`) do both for anyone; a project manager (`membership.manage` on a project)
records absences for the members of that project. Sickness is private: only the person and
PMO managers see it; everyone else sees "Absent"."""

from __future__ import annotations

from typing import Any

from projectoffice.accounts.roles import GlobalRole, permissions_for
from projectoffice.portfolio.models import Membership


def manages_people(user: Any) -> bool:
    return bool(user.is_authenticated and (
        user.is_superuser or "people.manage" in permissions_for(user.global_role, [])))


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


def sees_sickness(viewer: Any, person_id: int) -> bool:
    return bool(viewer.is_authenticated and (
        viewer.pk == person_id or viewer.is_superuser
        or viewer.global_role == GlobalRole.PMO_MANAGER))
