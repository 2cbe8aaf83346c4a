"""Helpers shared by the HTML views: turning office errors into pages or form errors."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from projectoffice.errors import Forbidden, NotFound, OfficeError


def office_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """NotFound becomes a 404 page and Forbidden a 403 page, as for any Django view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def errors_to_form(form: forms.BaseForm, exc: OfficeError) -> None:
    """Shows an action's errors next to the fields they name (or above the form)."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for name, field_messages in exc.errors.items():
        if name in form.fields and form.fields[name].widget.is_hidden:
            # A hidden field (the version the page was read at) cannot show its error: the
            # whole message goes above the form ("… changed by someone else; reload …").
            form.add_error(None, exc.message)
            continue
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message if target else f"{name}: {message}")


def field_errors(exc: OfficeError) -> dict[str, list[str]]:
    """An action's errors by field for a hand-written form; errors about the whole request
    (or none named) are under "form"."""
    errors = {("form" if name == "__all__" else name): list(msgs)
              for name, msgs in exc.errors.items()}
    return errors or {"form": [exc.message]}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@contextmanager
def flash_errors(request: HttpRequest) -> Iterator[None]:
    """Runs an action from a page: an OfficeError becomes a message on the next page instead
    of an error page, and the action's transaction has already rolled back."""
    try:
        yield
    except OfficeError as exc:
        messages.error(request, exc.message)
