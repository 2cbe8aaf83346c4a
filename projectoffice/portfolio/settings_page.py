"""One page shape for the office-wide settings the Project Office manager edits (health and
schedule-health thresholds): everyone reads them, the manager saves them with a version
check, and the page shows the form or the values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render

from projectoffice.errors import OfficeError, StaleVersion
from projectoffice.http import AuthedRequest
from projectoffice.web.shortcuts import errors_to_form

from .access import has_global, require_global

MANAGE = "portfolio.manage"


def office_settings_page(
    request: AuthedRequest, *, load: Callable[[], models.Model],
    form_class: type[forms.ModelForm[Any]], fields: Sequence[str],
    save: Callable[..., object], saved: str, url_name: str, template: str,
) -> HttpResponse:
    """`load` reads the current row (unsaved defaults included); `save(actor=, version=,
    changes=)` is the action that writes it."""
    current = load()
    may_edit = has_global(request.user, MANAGE)
    if request.method == "POST":
        require_global(request.user, MANAGE)
        form = form_class(request.POST, instance=load())
        if form.is_valid():
            try:
                save(actor=request.user, version=form.cleaned_data["version"],
                     changes={k: form.cleaned_data[k] for k in fields})
                messages.success(request, saved)
                return redirect(url_name)
            except StaleVersion as exc:
                form.add_error(None, exc.message)
            except OfficeError as exc:
                errors_to_form(form, exc)
    else:
        form = form_class(instance=current, initial={"version": getattr(current, "version", 1)})
    return render(request, template, {
        "form": form, "current": current, "may_edit": may_edit,
        "rows": [(form.fields[f].label, getattr(current, f)) for f in fields]})
