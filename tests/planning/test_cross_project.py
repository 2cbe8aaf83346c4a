"""Links between projects: a slip in one project moves a milestone in another."""

from __future__ import annotations

import datetime as dt

import pytest

from projectoffice.cli import main
from projectoffice.errors import InvalidInput
from projectoffice.planning import actions
from projectoffice.planning.consolidation import impact, master_out, master_schedule
from projectoffice.planning.exchange import export_mspdi

from .helpers import SIMPLE, build, task


def test_a_slip_in_one_project_moves_a_milestone_in_another(office) -> None:
    build(office.pm, office.project, SIMPLE)
    other = build(office.pmo, office.other, [
        {"name": "Integrate", "duration": "5d", "predecessors": "MTX:4FS+1d"},
        {"name": "Live", "duration": "0d", "predecessors": "1"}])
    assert task(office.other, 1).start == dt.datetime(2026, 1, 27, 8, 0)
    live_before = task(office.other, 2).finish
    # A change in MTX reschedules OTHER too.
    mtx = actions.edit_plan(actor=office.pm, project=office.project,
                            version=office.project.plan.version,
                            edits=[{"uid": 2, "duration": "12d"}])
    assert task(office.other, 2).finish == live_before + dt.timedelta(days=2)
    assert other.version == office.other.plan.version  # its content did not change
    result = impact(office.pmo, office.project, 2, 3)
    moved = {(m["project"], m["name"]): m for m in result["milestones"]}
    assert ("OTHER", "Live") in moved and ("MTX", "Release") in moved
    assert moved[("OTHER", "Live")]["after"] > moved[("OTHER", "Live")]["before"]
    summary = master_out(master_schedule(office.pmo))
    assert {p["project"] for p in summary["projects"]} == {"MTX", "OTHER"}
    assert summary["finish"] == task(office.other, 2).finish
    del mtx


def test_a_predecessor_in_a_project_one_cannot_see_is_refused(office) -> None:
    build(office.outsider, office.other, [{"name": "Theirs", "duration": "2d"}])
    with pytest.raises(InvalidInput) as info:
        build(office.pm, office.project, [{"name": "Mine", "predecessors": "OTHER:1"}])
    assert "No project 'OTHER'" in info.value.errors["tasks.1.predecessors"][0]


def test_pmo_import_mspdi_command(office, tmp_path, capsys) -> None:
    build(office.pm, office.project, SIMPLE)
    path = tmp_path / "plan.xml"
    path.write_bytes(export_mspdi(office.project))
    assert main(["import-mspdi", str(path), "--project", "OTHER", "--as", "pmo_manager"]) == 0
    assert "4 tasks imported" in capsys.readouterr().out
    assert task(office.other, 4).finish == task(office.project, 4).finish
    path.write_bytes(b"<Project><Tasks><Task><UID>x</UID></Task></Tasks></Project>")
    assert main(["import-mspdi", str(path), "--project", "OTHER", "--as", "pmo_manager"]) == 2
    assert "UID 'x'" in capsys.readouterr().err
