"""Storing a plan and rescheduling it with the engine in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.errors import Forbidden, InvalidInput, NotFound, StaleVersion
from projectoffice.planning import actions
from projectoffice.planning.models import Plan, PlanLink, PlanTask
from projectoffice.planning.notation import Units, parse_duration, parse_predecessors

from .helpers import SIMPLE, build, task

D = dt.datetime


def test_notation() -> None:
    units = Units()
    assert parse_duration("3d", units).minutes == 1440
    assert parse_duration("2w", units).minutes == 4800
    assert parse_duration("3ed", units).elapsed and parse_duration("3ed", units).minutes == 4320
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("3x", units)
    specs = parse_predecessors("12FS+2d, 14SS, 7ff-1d, OTHER:5, 9SF+20%", units)
    assert [(s.project, s.row, s.type, s.lag, s.lag_kind) for s in specs] == [
        (None, 12, "FS", 960, "working"), (None, 14, "SS", 0, "working"),
        (None, 7, "FF", -480, "working"), ("OTHER", 5, "FS", 0, "working"),
        (None, 9, "SF", 20, "percent")]


def test_a_plan_is_stored_and_scheduled(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    assert plan.version == 2
    design, build_, docs, release = (task(office.project, n) for n in range(1, 5))
    assert design.start == D(2026, 1, 5, 8) and design.finish == D(2026, 1, 9, 17)
    assert build_.start == D(2026, 1, 12, 8) and build_.finish == D(2026, 1, 23, 17)
    assert release.milestone and release.finish == D(2026, 1, 23, 17)
    assert build_.critical and not docs.critical
    assert plan.finish == D(2026, 1, 23, 17)
    assert AuditEntry.objects.filter(verb="plan edited").count() == 1


def test_changing_a_duration_moves_successors_and_the_critical_path(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    docs = task(office.project, 3)
    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"uid": docs.uid, "duration": "15d"}])
    assert task(office.project, 3).critical and not task(office.project, 2).critical
    assert task(office.project, 4).finish == D(2026, 1, 30, 17)
    assert plan.finish == D(2026, 1, 30, 17)


def test_a_stale_version_is_a_conflict_and_changes_nothing(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"uid": 1, "name": "First"}])
    with pytest.raises(StaleVersion):
        actions.edit_plan(actor=office.members["planner"], project=office.project,
                          version=plan.version, edits=[{"uid": 1, "name": "Second"}])
    assert task(office.project, 1).name == "First"


@pytest.mark.parametrize(("edit", "key", "text"), [
    ({"uid": 1, "predecessors": "4"}, "tasks.1.predecessors", "cycle"),
    ({"uid": 2, "duration": "3x"}, "tasks.2.duration", "not a duration"),
    ({"uid": 2, "start": "1900-01-01"}, "tasks.2.start", "outside the calendar range"),
    ({"uid": 2, "predecessors": "9"}, "tasks.2.predecessors", "no row 9"),
    ({"uid": 2, "predecessors": "OTHER:1"}, "tasks.2.predecessors", "No project"),
    ({"uid": 2, "constraint": "SNLT", "constraint_date": "2026-01-05"}, "tasks.2.start",
     "cannot be met"),
])
def test_bad_input_is_refused_at_the_cell_and_the_plan_is_unchanged(office, edit, key,
                                                                     text) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    before = list(PlanTask.objects.order_by("pk").values_list("duration", "start", "constraint"))
    with pytest.raises(InvalidInput) as info:
        actions.edit_plan(actor=office.members["planner"], project=office.project,
                          version=plan.version, edits=[edit])
    assert key in info.value.errors and text in " ".join(info.value.errors[key])
    assert Plan.objects.get().version == plan.version
    assert list(PlanTask.objects.order_by("pk").values_list(
        "duration", "start", "constraint")) == before


def test_every_problem_of_a_bulk_edit_is_reported(office) -> None:
    plan = build(office.pm, office.project, SIMPLE)
    with pytest.raises(InvalidInput) as info:
        actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                          edits=[{"uid": 1, "duration": "x"}, {"uid": 2, "duration": "-1d"},
                                 {"uid": 77, "name": "ghost"}])
    assert set(info.value.errors) == {"tasks.1.duration", "tasks.2.duration", "edits.2.uid"}


def test_outline_operations_and_undo(office) -> None:
    plan = build(office.pm, office.project, [
        {"name": "Phase"}, {"name": "A", "duration": "2d"}, {"name": "B", "duration": "3d"}])
    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"op": "indent", "uid": 2}, {"op": "indent", "uid": 3},
                                    {"uid": 3, "predecessors": "2"}])
    phase = task(office.project, 1)
    assert phase.summary and phase.finish == D(2026, 1, 9, 17)
    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"op": "move", "uid": 3, "before": 2}])
    assert task(office.project, 2).name == "B"
    assert PlanLink.objects.count() == 1
    plan = actions.undo_plan_edit(actor=office.pm, project=office.project, version=plan.version)
    assert task(office.project, 2).name == "A"
    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"op": "delete", "uid": 1}])
    assert PlanTask.objects.count() == 0 and PlanLink.objects.count() == 0


def test_permissions(office) -> None:
    with pytest.raises(Forbidden):
        build(office.members["stakeholder"], office.project, SIMPLE)
    with pytest.raises(NotFound):
        build(office.outsider, office.project, SIMPLE)
    build(office.members["planner"], office.project, SIMPLE)


def test_baselines_and_variance(office) -> None:
    from projectoffice.planning.queries import variance

    plan = build(office.pm, office.project, SIMPLE)
    actions.save_baseline(actor=office.pm, project=office.project, number=0, name="Approved")
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"uid": 1, "duration": "7d"}])
    rows = {r["id"]: r for r in variance(office.project, 0)}
    assert rows[1]["finish_variance"] == 2.0 and rows[1]["duration_variance"] == 2.0
    assert rows[4]["finish_variance"] == 2.0 and rows[4]["start_variance"] == 2.0
    with pytest.raises(InvalidInput):
        actions.save_baseline(actor=office.pm, project=office.project, number=11)


def test_progress_as_scheduled_and_milestone_trend(office) -> None:
    from projectoffice.planning.queries import milestone_trend

    plan = build(office.pm, office.project, SIMPLE)
    plan = actions.set_plan_settings(actor=office.pm, project=office.project,
                                     version=plan.version, status_date=dt.date(2026, 1, 14))
    plan = actions.update_progress(actor=office.pm, project=office.project,
                                   version=plan.version)
    design, build_ = task(office.project, 1), task(office.project, 2)
    assert design.percent_complete == 100 and design.actual_finish == D(2026, 1, 9, 17)
    assert build_.actual_start == D(2026, 1, 12, 8) and 0 < build_.percent_complete < 100
    plan = actions.set_plan_settings(actor=office.pm, project=office.project,
                                     version=plan.version, status_date=dt.date(2026, 1, 21))
    trend = milestone_trend(office.project)
    assert len(trend["dates"]) == 2 and trend["milestones"][0]["name"] == "Release"


def test_calendar_with_public_holidays(office) -> None:
    plan = build(office.pm, office.project, [{"name": "Easter work", "duration": "5d",
                                              "start": "2026-03-30"}])
    week = [[[480, 720], [780, 1020]]] * 5 + [[], []]
    plan = actions.save_calendar(actor=office.pm, project=office.project, version=plan.version,
                                 uid=1, name="England", week=week, exceptions=[],
                                 country="GB", region="ENG", years=[2026])
    # Good Friday (3 April) and Easter Monday (6 April) are holidays in England.
    assert task(office.project, 1).finish == D(2026, 4, 7, 17)
    with pytest.raises(InvalidInput) as info:
        actions.save_calendar(actor=office.pm, project=office.project, version=plan.version,
                              uid=1, name="X", week=week, exceptions=[], country="ZZ")
    assert "country" in info.value.errors


def test_cost_variance_against_the_baseline_rolls_up_to_summaries(office) -> None:
    from decimal import Decimal

    from projectoffice.planning.queries import variance
    from projectoffice.resources import actions as resource_actions

    build(office.pm, office.project, [
        {"name": "Phase", "duration": "1d"},
        {"name": "Design", "duration": "5d", "level": 2},
        {"name": "Build", "duration": "10d", "predecessors": "2", "level": 2},
    ])
    dev = resource_actions.create_resource(actor=office.pm, project=office.project, name="Dev")
    resource_actions.set_rate(actor=office.pm, resource=dev, effective_from=dt.date(2020, 1, 1),
                              standard=Decimal(50))
    design, build_ = (resource_actions.assign_resource(
        actor=office.pm, project=office.project, resource_id=dev.pk, task_uid=uid)
        for uid in (2, 3))
    assert (design.work, build_.work) == (Decimal(40), Decimal(80))
    actions.save_baseline(actor=office.pm, project=office.project, number=0)
    resource_actions.update_assignment(actor=office.pm, project=office.project,
                                       assignment_id=build_.pk, version=build_.version,
                                       work=Decimal(100))
    rows = {r["uid"]: r for r in variance(office.project, 0)}
    assert (rows[2]["baseline_cost"], rows[2]["cost"], rows[2]["cost_variance"]) == (
        Decimal(2000), Decimal(2000), Decimal(0))
    assert (rows[3]["baseline_cost"], rows[3]["cost"], rows[3]["cost_variance"]) == (
        Decimal(4000), Decimal(5000), Decimal(1000))
    assert rows[1]["summary"] and (rows[1]["baseline_cost"], rows[1]["cost"]) == (
        Decimal(6000), Decimal(7000))
    # Two baselines compared: the second saved after the change.
    actions.save_baseline(actor=office.pm, project=office.project, number=1)
    both = {r["uid"]: r for r in variance(office.project, 0, against=1)}
    assert both[3]["cost_variance"] == Decimal(1000)


def test_a_baseline_saved_before_any_assignment_has_no_cost(office) -> None:
    from projectoffice.planning.queries import variance

    build(office.pm, office.project, SIMPLE)
    actions.save_baseline(actor=office.pm, project=office.project, number=0)
    rows = variance(office.project, 0)
    assert all(r["baseline_cost"] is None and r["cost_variance"] is None for r in rows)
