"""The data register and data migrations: runs with record counts reconcile (or raise a
defect into the issue log), and a migration is ready or migrated only on a run that
reconciles."""

from __future__ import annotations

import datetime as dt

import pytest

from projectoffice.controls.models import Issue
from projectoffice.datamgmt import actions
from projectoffice.datamgmt.registers import DATA_ASSETS, DATA_MIGRATIONS
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.registers import actions as kernel
from tests.conftest import Api, Office

DAY = dt.date(2026, 3, 2)


def test_migration_runs_reconcile_or_raise_a_defect(office: Office) -> None:
    dbm = office.members["database_manager"]
    customers = kernel.create_item(actor=dbm, spec=DATA_ASSETS, project=office.project, data={
        "title": "Customer database", "classification": "confidential",
        "personal_data": True, "retention": "7 years after the contract ends"})
    migration = kernel.create_item(actor=dbm, spec=DATA_MIGRATIONS, project=office.project,
                                   data={"title": "Customers", "source": "Legacy CRM",
                                         "target": "New CRM", "data_asset": customers})
    migration = kernel.transition_item(actor=dbm, item=migration, transition="rehearse",
                                       version=migration.version)
    with pytest.raises(InvalidInput):  # no cutover before a reconciled rehearsal
        actions.record_migration_run(actor=dbm, migration=migration, kind="cutover",  # type: ignore[arg-type]
                                     run_on=DAY, source_count=10, target_count=10)
    with pytest.raises(InvalidInput):
        actions.record_migration_run(actor=dbm, migration=migration, kind="rehearsal",  # type: ignore[arg-type]
                                     run_on=DAY, source_count=10, target_count=5,
                                     rejected_count=11)
    bad = actions.record_migration_run(actor=dbm, migration=migration, kind="rehearsal",  # type: ignore[arg-type]
                                       run_on=DAY, source_count=1000, target_count=990,
                                       rejected_count=4, raise_defect=True)
    assert (bad.difference, bad.reconciled) == (6, False)
    defect = Issue.objects.get(pk=bad.defect_id)
    assert defect.issue_type == "defect" and "6 missing" in defect.description
    with pytest.raises(InvalidInput):
        kernel.transition_item(actor=dbm, item=migration, transition="ready",
                               version=migration.version)
    good = actions.record_migration_run(actor=dbm, migration=migration, kind="rehearsal",  # type: ignore[arg-type]
                                        run_on=DAY, source_count=1000, target_count=996,
                                        rejected_count=4, raise_defect=True)
    assert good.reconciled and good.defect is None
    migration.refresh_from_db()
    migration = kernel.transition_item(actor=dbm, item=migration, transition="ready",
                                       version=migration.version)
    assert migration.status == "ready"
    with pytest.raises(Forbidden):
        actions.record_migration_run(actor=office.members["team_member"], migration=migration,  # type: ignore[arg-type]
                                     kind="cutover", run_on=DAY, source_count=1,
                                     target_count=1)


def test_runs_over_the_api(office: Office) -> None:
    dbm = office.members["database_manager"]
    migration = kernel.create_item(actor=dbm, spec=DATA_MIGRATIONS, project=office.project,
                                   data={"title": "Orders", "source": "ERP", "target": "Hub"})
    api = Api(dbm)
    url = f"/projects/MTX/data-migrations/{migration.reference}/runs"
    bad = api.post(url, {"kind": "rehearsal", "run_on": "2026-03-02", "source_count": -1,
                         "target_count": 0})
    assert bad.status_code == 422 and "source_count" in str(bad.json()["errors"])
    made = api.post(url, {"kind": "rehearsal", "run_on": "2026-03-02", "source_count": 50,
                          "target_count": 50})
    assert made.status_code == 201 and made.json()["reconciled"] is True
    assert [r["source_count"] for r in api.get(url).json()] == [50]
    assert Api(office.members["team_member"]).post(url, {
        "kind": "rehearsal", "run_on": "2026-03-02", "source_count": 1,
        "target_count": 1}).status_code == 403
    assert Api(office.outsider).get(url).status_code == 404
