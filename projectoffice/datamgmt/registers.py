"""The data register and the data migrations on the kernel, in the "Data" service."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.services import Service, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import DataAsset, DataMigration, RunKind

DATA_WORKFLOW = Workflow(
    initial="planned",
    states=(
        State("planned", "Planned", tone="info"),
        State("live", "Live", tone="success"),
        State("archived", "Archived", tone="warning"),
        State("disposed", "Disposed of", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("go_live", "Live", ("planned", "archived"), "live", "dataasset.transition"),
        Transition("archive", "Archive", ("live",), "archived", "dataasset.transition"),
        Transition("dispose", "Dispose of", ("planned", "live", "archived"), "disposed",
                   "dataasset.close", needs_comment=True),
    ),
)

DATA_ASSETS = register(RegisterSpec(
    key="data-assets", model=DataAsset, prefix="DAT", area="dataasset",
    label="Data register", item_label="Data asset", workflow=DATA_WORKFLOW,
    fields=("data_kind", "classification", "personal_data", "environments", "location",
            "retention"),
    list_columns=("data_kind", "classification", "personal_data", "retention"),
    filters=("data_kind", "classification"),
    read_only_states=("disposed",),
    description="The project's databases, data sets and stores: owner, classification, "
                "personal data, environments, location and retention.",
    icon="database",
    service="data",
))

MIGRATION_WORKFLOW = Workflow(
    initial="planned",
    states=(
        State("planned", "Planned", tone="info"),
        State("rehearsing", "Rehearsing", tone="progress"),
        State("ready", "Ready for cutover", tone="warning"),
        State("migrated", "Migrated", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("rehearse", "Start rehearsals", ("planned",), "rehearsing",
                   "migration.transition"),
        Transition("ready", "Ready for cutover", ("rehearsing",), "ready",
                   "migration.transition"),
        Transition("back", "Back to rehearsals", ("ready",), "rehearsing",
                   "migration.transition", needs_comment=True),
        Transition("migrate", "Migrated", ("ready",), "migrated", "migration.close"),
        Transition("cancel", "Cancel", ("planned", "rehearsing", "ready"), "cancelled",
                   "migration.close", needs_comment=True),
    ),
)


def migration_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """Ready needs a rehearsal that reconciled; migrated needs a cutover that did."""
    if not isinstance(item, DataMigration):
        return
    kind = {"ready": RunKind.REHEARSAL, "migrate": RunKind.CUTOVER}.get(move.key)
    if kind is None:
        return
    last = item.runs.filter(kind=kind).order_by("-run_on", "-id").first()
    if last is None or not last.reconciled:
        label = "rehearsal" if kind == RunKind.REHEARSAL else "cutover"
        raise InvalidInput.field("transition", f"the last {label} of {item.reference} must "
                                 "reconcile (source = loaded + rejected) first")


DATA_MIGRATIONS = register(RegisterSpec(
    key="data-migrations", model=DataMigration, prefix="MIG", area="migration",
    label="Data migrations", item_label="Data migration", workflow=MIGRATION_WORKFLOW,
    fields=("source", "target", "data_asset"),
    list_columns=("source", "target"),
    read_only_states=("migrated", "cancelled"),
    transition_guard=migration_guard,
    detail_main_template="datamgmt/_migration_panel.html",
    description="Migration objects from source to target, their rehearsals and cutover "
                "with record counts and reconciliation; defects go to the issue log.",
    icon="database",
    service="data",
))

DATA = register_service(Service(
    key="data", label="Data", order=85,
    description="The project's data: the data register and the data migrations with "
                "their runs and reconciliation.",
))
