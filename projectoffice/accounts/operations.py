"""Declaring an operation's permission, once.

The decorators here and `project_operation` (portfolio.access, which also fetches the project)
are the only place an API operation or a view names the permission it needs. Each records it on
the function (`declared_permission`), and the API document's `x-permission` is read from there,
so what the document promises and what the operation checks cannot disagree.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from ninja.utils import contribute_operation_callback

from .roles import require_global

F = TypeVar("F", bound=Callable[..., Any])

# A declaration that names no permission of the office: any signed-in person may call the
# operation, and what they then see is limited by its query.
AUTHENTICATED = "authenticated"


def declared_permission(func: Callable[..., Any]) -> str | None:
    """The permission an operation or view declared with one of the decorators below."""
    return getattr(func, "permission", None)


def typed_signature(func: Callable[..., Any]) -> inspect.Signature:
    """The function's signature with its annotations evaluated where it was written, so the
    API reads the parameter types of the function, not of the wrapper around it."""
    signature = inspect.signature(func)
    namespace = getattr(func, "__globals__", {})

    def evaluated(annotation: Any) -> Any:
        if not isinstance(annotation, str):
            return annotation
        try:
            return eval(annotation, namespace)
        except NameError:  # a name imported for type checking only
            return annotation

    return signature.replace(
        parameters=[p.replace(annotation=evaluated(p.annotation))
                    for p in signature.parameters.values()],
        return_annotation=evaluated(signature.return_annotation))


def declare(wrapper: Callable[..., Any], perm: str) -> None:
    """Records `perm` on the operation, and in its OpenAPI entry as `x-permission`."""
    wrapper.permission = perm  # type: ignore[attr-defined]

    def contribute(operation: Any) -> None:
        extra = dict(operation.openapi_extra or {})
        if "x-permission" in extra:
            raise ImproperlyConfigured(
                f"{wrapper.__module__}.{wrapper.__name__} declares its permission twice")
        extra["x-permission"] = perm
        operation.openapi_extra = extra

    contribute_operation_callback(wrapper, contribute)


def office_operation(perm: str) -> Callable[[F], F]:
    """Declares an office-wide operation and its permission. A permission of the office (a
    global role's, see accounts.roles) is checked before the body runs (403 without it);
    `AUTHENTICATED` lets in every signed-in person."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if perm != AUTHENTICATED:
                require_global(request.user, perm)
            return func(request, *args, **kwargs)

        wrapper.__signature__ = typed_signature(func)  # type: ignore[attr-defined]
        declare(wrapper, perm)
        return wrapper  # type: ignore[return-value]

    return decorate


def object_operation(perm: str) -> Callable[[F], F]:
    """Declares an operation whose permission is decided on the object it acts on (a person's
    own profile, the workflow transition taken, a reviewer named on the version, a project
    named in the body rather than the path): the declaration states it, and the action (or
    the fetch of that object) decides it."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        wrapper.__signature__ = typed_signature(func)  # type: ignore[attr-defined]
        declare(wrapper, perm)
        return wrapper  # type: ignore[return-value]

    return decorate
