"""Writes to the portfolio: portfolios, programmes, offices, projects and memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import apply_changes, create_object
from projectoffice.errors import InvalidInput, NotFound

from .access import access_project, forget_roles, is_pmo_manager, require_global
from .models import (
    THRESHOLD_FIELDS,
    HealthThresholds,
    Membership,
    Portfolio,
    Programme,
    Project,
    ProjectOffice,
)

PORTFOLIO_FIELDS = ("name", "description", "owner")
PROGRAMME_FIELDS = ("portfolio", "code", "name", "description", "manager", "sponsor")
OFFICE_FIELDS = ("name", "description", "manager", "location")
PROJECT_FIELDS = (
    "name", "portfolio", "programme", "office", "manager", "sponsor", "customer",
    "start_date", "finish_date", "phase", "status", "rag", "rag_reason", "description",
    "currency",
)


@transaction.atomic
def create_portfolio(*, actor: User, **fields: Any) -> Portfolio:
    require_global(actor, "portfolio.manage")
    return create_object(actor=actor, obj=Portfolio(**fields), audit_fields=PORTFOLIO_FIELDS)


@transaction.atomic
def update_portfolio(*, actor: User, portfolio: Portfolio, version: int | None,
                     changes: dict[str, Any]) -> Portfolio:
    require_global(actor, "portfolio.manage")
    return apply_changes(actor=actor, obj=portfolio, expected_version=version, changes=changes,
                         editable=PORTFOLIO_FIELDS)


@transaction.atomic
def create_programme(*, actor: User, **fields: Any) -> Programme:
    require_global(actor, "portfolio.manage")
    return create_object(actor=actor, obj=Programme(**fields), audit_fields=PROGRAMME_FIELDS)


@transaction.atomic
def update_programme(*, actor: User, programme: Programme, version: int | None,
                     changes: dict[str, Any]) -> Programme:
    require_global(actor, "portfolio.manage")
    return apply_changes(actor=actor, obj=programme, expected_version=version, changes=changes,
                         editable=PROGRAMME_FIELDS[1:])


@transaction.atomic
def create_office(*, actor: User, **fields: Any) -> ProjectOffice:
    require_global(actor, "portfolio.manage")
    return create_object(actor=actor, obj=ProjectOffice(**fields), audit_fields=OFFICE_FIELDS)


@transaction.atomic
def create_project(*, actor: User, code: str, **fields: Any) -> Project:
    """A PMO manager opens a project; its manager becomes a member with that role."""
    require_global(actor, "portfolio.manage")
    if Project.objects.filter(code=code).exists():
        raise InvalidInput.field("code", f"{code!r} is already used by another project")
    if fields.get("programme") is not None and fields.get("portfolio") is None:
        fields["portfolio"] = fields["programme"].portfolio
    project = create_object(actor=actor, obj=Project(code=code, **fields),
                            audit_fields=("code", *PROJECT_FIELDS))
    if project.manager is not None:
        _add_membership(actor=actor, project=project, user=project.manager,
                        role="project_manager")
    return project


@transaction.atomic
def update_project(*, actor: User, project: Project, version: int | None,
                   changes: dict[str, Any]) -> Project:
    access_project(actor, project.code, "project.change")
    if "portfolio" in changes and not is_pmo_manager(actor):
        raise InvalidInput.field("portfolio", "only the Project Office manager moves projects")
    return apply_changes(actor=actor, obj=project, expected_version=version, changes=changes,
                         editable=PROJECT_FIELDS)


def _add_membership(*, actor: User, project: Project, user: User, role: str) -> Membership:
    if Membership.objects.filter(project=project, user=user, role=role).exists():
        raise InvalidInput.field("role", f"{user} already has this role on {project.code}")
    membership = create_object(
        actor=actor, obj=Membership(project=project, user=user, role=role),
        audit_fields=("user", "role"),
    )
    forget_roles(user)
    record_change(actor=actor, obj=project, verb="member_added",
                  changes={"member": [None, f"{user} ({membership.get_role_display()})"]})
    return membership


@transaction.atomic
def add_member(*, actor: User, project: Project, user: User, role: str) -> Membership:
    access_project(actor, project.code, "membership.manage")
    if not user.is_active:
        raise InvalidInput.field("user", f"{user.username} is not an active user")
    return _add_membership(actor=actor, project=project, user=user, role=role)


@transaction.atomic
def remove_member(*, actor: User, project: Project, membership_id: int) -> None:
    access_project(actor, project.code, "membership.manage")
    membership = Membership.objects.filter(project=project, pk=membership_id).first()
    if membership is None:
        raise NotFound(f"No membership {membership_id} on {project.code}")
    managers = list(Membership.objects.select_for_update().filter(project=project,
                                                                  role="project_manager"))
    if managers == [membership]:
        raise InvalidInput.field(
            "member", f"{membership.user} is the only project manager of {project.code}: "
            "add another project manager first")
    label = f"{membership.user} ({membership.get_role_display()})"
    record_change(actor=actor, obj=project, verb="member_removed",
                  changes={"member": [label, None]})
    membership.delete()
    forget_roles(membership.user)




@transaction.atomic
def update_health_thresholds(*, actor: User, version: int | None,
                             changes: dict[str, Any]) -> HealthThresholds:
    """The Project Office manager sets the limits of computed project health. Until the
    first save the defaults apply (an unsaved row at version 1), so the first save creates
    the row and then applies the changes, both audited."""
    require_global(actor, "portfolio.manage")
    row = HealthThresholds.objects.order_by("pk").first()
    if row is None:
        row = create_object(actor=actor, obj=HealthThresholds(), audit_fields=THRESHOLD_FIELDS)
    return apply_changes(actor=actor, obj=row, expected_version=version, changes=changes,
                         editable=THRESHOLD_FIELDS)
