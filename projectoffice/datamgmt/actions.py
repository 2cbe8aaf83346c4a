"""Writes of the data service beyond the kernel's: a migration's runs with their record
counts, and a defect raised into the issue log when a run does not reconcile."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_creation
from projectoffice.controls.registers import ISSUES
from projectoffice.editing import validate
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import has_perm
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import LinkKind

from .models import DataMigration, MigrationRun, RunKind


def _require(actor: User, migration: DataMigration, perm: str) -> None:
    if not has_perm(actor, migration.project, "project.view"):
        raise NotFound(f"No project {migration.project.code!r}")
    if not has_perm(actor, migration.project, perm):
        raise Forbidden(f"You need the {perm!r} permission on {migration.project.code}")


@transaction.atomic
def record_migration_run(*, actor: User, migration: DataMigration, kind: str,
                         run_on: dt.date, source_count: int, target_count: int,
                         rejected_count: int = 0, notes: str = "",
                         raise_defect: bool = False) -> MigrationRun:
    """Records one rehearsal or cutover. With `raise_defect`, a run that does not reconcile
    raises a defect in the issue log, linked to the migration."""
    _require(actor, migration, "migration.change")
    if migration.status in ("migrated", "cancelled"):
        raise Conflict(f"{migration.reference} is {migration.state.label.lower()}: no more "
                       "runs", {"kind": ["closed"]})
    if kind not in RunKind.values:
        raise InvalidInput.field("kind", "choose rehearsal or cutover")
    if kind == RunKind.CUTOVER and migration.status != "ready":
        raise InvalidInput.field("kind", f"{migration.reference} is not ready for cutover: "
                                 "a rehearsal must reconcile first")
    run = MigrationRun(migration=migration, kind=kind, run_on=run_on,
                       source_count=source_count, target_count=target_count,
                       rejected_count=rejected_count, notes=notes.strip(), recorded_by=actor)
    validate(run)
    run.save()
    record_creation(actor=actor, obj=run, fields=("kind", "run_on", "source_count",
                                                  "target_count", "rejected_count"))
    if raise_defect and not run.reconciled:
        issue = kernel.create_item(
            actor=actor, spec=ISSUES, project=migration.project, today=run_on,
            data={"title": f"{migration.reference} {run.get_kind_display().lower()} on "
                           f"{run_on:%d %b %Y} does not reconcile"[:200],
                  "description": f"{migration.title}: {source_count} records left "
                                 f"{migration.source}, {target_count} arrived in "
                                 f"{migration.target}, {rejected_count} were rejected — "
                                 f"{abs(run.difference)} "
                                 f"{'missing' if run.difference > 0 else 'too many'}."
                                 + (f"\n\n{run.notes}" if run.notes else ""),
                  "issue_type": "defect", "severity": "high", "owner": migration.owner})
        kernel.link_items(actor=actor, item=issue, target_reference=migration.reference,
                          kind=LinkKind.CAUSED_BY)
        MigrationRun.objects.filter(pk=run.pk).update(defect=issue)
        run.defect = issue  # type: ignore[assignment]
    return run
