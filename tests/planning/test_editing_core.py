"""The plan-editing core: typed edits, one batch with one reschedule, structured conflicts,
and the events other apps follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.planning import editor
from projectoffice.planning import edits as ed
from projectoffice.planning.models import PlanLink, PlanTask

from .helpers import SIMPLE, build, task

D = dt.datetime


def _names(project: Any) -> list[str]:
    return list(PlanTask.objects.filter(plan__project=project).order_by("position")
                .values_list("name", flat=True))


def test_wire_edits_become_typed_values() -> None:
    assert ed.from_wire({"uid": 3, "name": "x"}) == ed.UpdateTask(3, {"name": "x"})
    assert ed.from_wire({"op": "outdent", "uid": 2}) == ed.IndentTask(2, -1)
    assert ed.from_wire({"op": "down", "uid": 2}) == ed.MoveInGroup(2, 1)
    assert ed.from_wire({"op": "link", "uid": 4, "predecessor": 1, "lag": "2d"}) == \
        ed.LinkTasks(4, 1, "FS", "2d")
    with pytest.raises(ValueError, match="unknown operation 'jump'"):
        ed.from_wire({"op": "jump"})


def test_a_typed_batch_is_one_reschedule_and_one_undo_step(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    design, docs = task(office.project, 1), task(office.project, 3)
    plan = editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                              edits=[ed.UpdateTask(design.uid, {"duration": "10d"}),
                                     ed.LinkTasks(docs.uid, design.uid, "SS", "2d")])
    assert plan.version == 3
    link = PlanLink.objects.get(successor__uid=docs.uid, predecessor__uid=design.uid)
    assert (link.type, link.lag) == ("SS", 960)
    assert task(office.project, 3).start == D(2026, 1, 7, 8)
    editor.undo_last(actor=office.pm, project=office.project, version=plan.version)
    assert task(office.project, 1).duration == 2400
    assert PlanLink.objects.get(successor__uid=docs.uid).type == "FS"


def test_up_and_down_move_among_the_tasks_of_the_same_summary(office) -> None:
    plan = build(office.pm, office.project, [
        {"name": "Phase", "duration": "1d"}, {"name": "A", "duration": "1d", "level": 2},
        {"name": "B", "duration": "1d", "level": 2}, {"name": "C", "duration": "1d",
                                                        "level": 2},
        {"name": "After", "duration": "1d", "level": 1}])
    a = task(office.project, 2)
    plan = editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                              edits=[ed.MoveInGroup(a.uid, 1)])
    assert _names(office.project) == ["Phase", "B", "A", "C", "After"]
    plan = editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                              edits=[{"op": "down", "uid": a.uid}])
    assert _names(office.project) == ["Phase", "B", "C", "A", "After"]
    with pytest.raises(InvalidInput, match="already last in its group"):
        editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                           edits=[ed.MoveInGroup(a.uid, 1)])
    first = task(office.project, 2)
    with pytest.raises(InvalidInput, match="already first in its group"):
        editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                           edits=[ed.MoveInGroup(first.uid, -1)])
    assert _names(office.project) == ["Phase", "B", "C", "A", "After"]


def test_a_constraint_against_the_logic_is_a_structured_conflict(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    build_ = task(office.project, 2)
    *_, result = editor.preview_edits(office.pm, office.project, [
        ed.UpdateTask(build_.uid, {"constraint": "SNET", "constraint_date": "2026-01-20"})])
    assert result.conflicts == ()
    with pytest.raises(InvalidInput) as refused:
        editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                           edits=[ed.UpdateTask(build_.uid, {"constraint": "MSO",
                                                             "constraint_date": "2026-01-06"})])
    message = refused.value.errors[f"tasks.{build_.uid}.start"][0]
    assert "MSO on 2026-01-06 08:00 is before its predecessors allow it to start " \
           "(2026-01-12 08:00)" in message
    # Unchanged: still where the logic puts it.
    assert task(office.project, 2).start == D(2026, 1, 12, 8)


def test_durations_changed_is_sent_once_per_batch_but_not_for_work_driven_durations(
        office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    heard: list[dict[int, tuple[int, int]]] = []

    def listen(sender: Any, changed: dict[int, tuple[int, int]], **kwargs: Any) -> None:
        heard.append(changed)

    editor.durations_changed.connect(listen)
    try:
        design = task(office.project, 1)
        plan = editor.apply_edits(actor=office.pm, project=office.project,
                                  version=plan.version,
                                  edits=[ed.UpdateTask(design.uid, {"duration": "6d"})])
        assert heard == [{design.uid: (2400, 2880)}]
        editor.apply_edits(actor=office.pm, project=office.project, version=plan.version,
                           edits=[ed.SetDurations({design.uid: 960})],
                           permission="resource.manage", strict=False)
        assert len(heard) == 1
        assert task(office.project, 1).duration == 960
        assert task(office.project, 2).start == D(2026, 1, 7, 8)
    finally:
        editor.durations_changed.disconnect(listen)


def test_the_core_checks_the_permission_it_is_given(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    with pytest.raises(Forbidden):
        editor.apply_edits(actor=office.members["team_member"], project=office.project,
                           version=plan.version, edits=[ed.SetLevellingDelays({})],
                           permission="resource.manage")


def test_the_api_moves_within_a_group_sets_a_priority_and_a_finish_day(office,
                                                                         api_as) -> None:
    planner = api_as(office.members["planner"])
    plan = planner.post("/projects/MTX/plan/edits",
                        {"edits": [{"op": "insert", **row} for row in SIMPLE]}).json()
    r = planner.post("/projects/MTX/plan/edits", {"version": plan["version"], "edits": [
        {"op": "down", "uid": 2}, {"uid": 3, "priority": 900},
        {"uid": 1, "finish_day": "2026-01-13"}]})
    assert r.status_code == 200, r.content
    tasks = r.json()["tasks"]
    assert [t["name"] for t in tasks] == ["Design", "Docs", "Build", "Release"]
    assert tasks[1]["priority"] == 900
    assert tasks[0]["duration_text"] == "7d"  # 5 to 13 January: seven working days
    r = planner.post("/projects/MTX/plan/edits", {"version": r.json()["version"], "edits": [
        {"uid": 3, "priority": 1001}]})
    assert r.status_code == 422
    r = planner.post("/projects/MTX/plan/edits", {"version": plan["version"] + 1, "edits": [
        {"uid": 1, "finish_day": "2026-01-02"}]})
    assert r.status_code == 422
    assert "at least a working day" in r.json()["errors"]["tasks.1.finish_day"][0]
