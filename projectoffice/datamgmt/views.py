"""The data migration's run form (its page is the kernel's register page)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from projectoffice.errors import InvalidInput
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item
from projectoffice.registers.views import item_url
from projectoffice.web.shortcuts import flash_errors, office_view

from . import actions
from .models import DataMigration
from .registers import DATA_MIGRATIONS

LABELS = {"source_count": "source records", "target_count": "loaded records",
          "rejected_count": "rejected records"}


def _count(request: AuthedRequest, name: str, default: str = "") -> int:
    raw = request.POST.get(name, default).strip()
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput.field(name, f"enter the {LABELS[name]} as a whole number") from None
    if value < 0:
        raise InvalidInput.field(name, f"the {LABELS[name]} cannot be negative")
    return value


@login_required
@require_POST
@office_view
@project_operation("migration.view")
def migration_run(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    migration = get_item(DATA_MIGRATIONS, project, ref, request.user)
    if not isinstance(migration, DataMigration):
        raise Http404(f"No data migration {ref!r} in {project.code}")
    with flash_errors(request):
        try:
            run_on = dt.date.fromisoformat(request.POST.get("run_on", ""))
        except ValueError:
            raise InvalidInput.field("run_on", "enter the date of the run") from None
        run = actions.record_migration_run(
            actor=request.user, migration=migration, kind=request.POST.get("kind", ""),
            run_on=run_on, source_count=_count(request, "source_count"),
            target_count=_count(request, "target_count"),
            rejected_count=_count(request, "rejected_count", "0"),
            notes=request.POST.get("notes", ""),
            raise_defect=request.POST.get("raise_defect") == "1")
        text = "reconciles" if run.reconciled else f"is {run.difference:+d} records out"
        defect = f"; {run.defect.reference} raised" if run.defect else ""
        messages.success(request, f"{run.get_kind_display()} recorded: it {text}{defect}.")
    return redirect(item_url(migration) + "#migration-runs")
