"""Data migrations over the API beyond the kernel's register operations (/data-assets,
/data-migrations): a migration's runs and recording one."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.errors import NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation
from projectoffice.portfolio.models import Project
from projectoffice.registers.queries import get_item

from . import actions
from .models import COUNT_LIMIT, DataMigration, MigrationRun
from .registers import DATA_MIGRATIONS

router = Router(tags=["Data migrations"])



class MigrationRunOut(Schema):
    id: int
    kind: str
    run_on: dt.date
    source_count: int
    target_count: int
    rejected_count: int
    difference: int
    reconciled: bool
    notes: str
    defect: str | None


class MigrationRunIn(StrictIn):
    kind: Literal["rehearsal", "cutover"]
    run_on: dt.date
    source_count: int = Field(..., ge=0, le=COUNT_LIMIT)
    target_count: int = Field(..., ge=0, le=COUNT_LIMIT)
    rejected_count: int = Field(0, ge=0, le=COUNT_LIMIT)
    notes: str = Field("", max_length=500)
    raise_defect: bool = False


def run_out(run: MigrationRun) -> dict[str, Any]:
    return {"id": run.pk, "kind": run.kind, "run_on": run.run_on,
            "source_count": run.source_count, "target_count": run.target_count,
            "rejected_count": run.rejected_count, "difference": run.difference,
            "reconciled": run.reconciled, "notes": run.notes,
            "defect": run.defect.reference if run.defect else None}


def _migration(request: AuthedRequest, project: Project, ref: str) -> DataMigration:
    item = get_item(DATA_MIGRATIONS, project, ref, request.user)
    if not isinstance(item, DataMigration):
        raise NotFound(f"No data migration {ref!r} in {project.code}")
    return item


@router.get("/projects/{code}/data-migrations/{ref}/runs", response=list[MigrationRunOut],
            summary="The migration's rehearsals and cutover with their reconciliation")
@project_operation("migration.view")
def migration_runs(request: AuthedRequest, project: Project, ref: str) -> list[dict[str, Any]]:
    migration = _migration(request, project, ref)
    return [run_out(r) for r in migration.runs.select_related("defect").order_by("run_on",
                                                                                  "id")]


@router.post("/projects/{code}/data-migrations/{ref}/runs", response={201: MigrationRunOut},
             summary="Record a rehearsal or the cutover (optionally raising a defect)")
@project_operation("migration.change")
def record_run(request: AuthedRequest, project: Project, ref: str,
               payload: MigrationRunIn) -> Status[Any]:
    migration = _migration(request, project, ref)
    run = actions.record_migration_run(actor=request.user, migration=migration,
                                       **payload.model_dump())
    return Status(201, run_out(run))
