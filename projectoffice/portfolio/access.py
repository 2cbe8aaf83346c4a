"""Fetch-and-check helpers: the one place where project permissions are decided.

A project the user cannot see is reported as not found (404) so its existence does not leak;
a visible project without the needed permission is forbidden (403).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from projectoffice.accounts.operations import AUTHENTICATED as AUTHENTICATED
from projectoffice.accounts.operations import declare, typed_signature
from projectoffice.accounts.operations import declared_permission as declared_permission
from projectoffice.accounts.operations import object_operation as object_operation
from projectoffice.accounts.operations import office_operation as office_operation
from projectoffice.accounts.roles import (
    ALL_PERMISSIONS,
    PROJECT_ROLE_PERMISSIONS,
    permissions_for,
)
from projectoffice.accounts.roles import has_global as has_global
from projectoffice.accounts.roles import is_pmo as is_pmo
from projectoffice.accounts.roles import is_pmo_manager as is_pmo_manager
from projectoffice.accounts.roles import require_global as require_global
from projectoffice.errors import Forbidden, NotFound

from .models import Membership, Project

P = ParamSpec("P")
R = TypeVar("R")
Req = TypeVar("Req")


def sees_all_projects(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.global_role))


def visible_projects(user: Any) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if sees_all_projects(user):
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user).distinct()


def project_permissions(user: Any, project: Project) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_PERMISSIONS
    roles = roles_by_project(user)
    return permissions_for(user.global_role, roles.get(project.pk, []))


def roles_by_project(user: Any) -> dict[int, list[str]]:
    """All of the user's memberships, read once per request: a person holds a handful of
    roles, and lists of projects then check permissions without a query per row."""
    cached: dict[int, list[str]] | None = user.__dict__.get("_roles_by_project")
    if cached is None:
        cached = {}
        for project_id, role in Membership.objects.filter(user=user).values_list(
                "project_id", "role"):
            cached.setdefault(project_id, []).append(role)
        user.__dict__["_roles_by_project"] = cached
    return cached


def forget_roles(user: Any) -> None:
    """Drops the roles read for this user object, after their memberships change."""
    user.__dict__.pop("_roles_by_project", None)


def projects_with(user: Any, perm: str) -> QuerySet[Project]:
    """The projects where the user holds `perm`, as one query: for lists across the whole
    portfolio (an inbox of what waits for the user's decision) without a check per row."""
    if not user.is_authenticated:
        return Project.objects.none()
    if has_global(user, perm):
        return visible_projects(user)
    roles = [role for role, perms in PROJECT_ROLE_PERMISSIONS.items() if perm in perms]
    return Project.objects.filter(memberships__user=user,
                                  memberships__role__in=roles).distinct()


def has_perm(user: Any, project: Project, perm: str) -> bool:
    return perm in project_permissions(user, project)


def access_project(user: Any, code: str, perm: str = "project.view") -> Project:
    project = (
        Project.objects.select_related("portfolio", "programme", "manager", "sponsor", "office")
        .filter(code=code)
        .first()
    )
    perms = project_permissions(user, project) if project else frozenset()
    if project is None or "project.view" not in perms:
        raise NotFound(f"No project {code!r}")
    require_perm(user, project, perm, perms)
    return project


def require_perm(user: Any, project: Project, perm: str,
                 perms: frozenset[str] | None = None) -> None:
    """403 unless the user holds `perm` on a project they can see: for a step inside an
    operation that needs more than the operation's own permission (a page read with one
    permission and saved with another)."""
    if perm not in (project_permissions(user, project) if perms is None else perms):
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def project_operation(perm: str) -> Callable[[Callable[Concatenate[Req, Project, P], R]],
                                             Callable[Concatenate[Req, str, P], R]]:
    """Declares a project's operation (an API operation or a view) and its permission.

    The decorated function takes ``(request, project, ...)``; callers (the URL, the API path)
    pass the project's ``code``, which is fetched and checked here: 404 when the person cannot
    see the project, 403 without `perm` (see `access_project`)."""

    def decorate(func: Callable[Concatenate[Req, Project, P], R]
                 ) -> Callable[Concatenate[Req, str, P], R]:
        signature = typed_signature(func)
        params = list(signature.parameters.values())
        if len(params) < 2 or params[1].name != "project":
            raise ImproperlyConfigured(
                f"{func.__module__}.{func.__name__} must take (request, project, ...)")

        @functools.wraps(func)
        def wrapper(request: Req, code: str, *args: P.args, **kwargs: P.kwargs) -> R:
            project = access_project(request.user, code, perm)  # type: ignore[attr-defined]
            return func(request, project, *args, **kwargs)

        code = inspect.Parameter("code", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                 annotation=str)
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[params[0], code, *params[2:]])
        declare(wrapper, perm)
        return wrapper  # type: ignore[return-value]

    return decorate
