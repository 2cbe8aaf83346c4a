"""The master schedule's figures are worked out once per state of the plans and kept: the
next read schedules nothing, and any edit or reschedule of any plan is seen at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectoffice.jobs.tasks import warm_figures
from projectoffice.planning import actions
from projectoffice.planning.consolidation import (
    _plans_for,
    _slot_and_state,
    build_master,
    master_out,
    master_schedule,
)
from projectoffice.planning.models import Plan

from .helpers import SIMPLE, build


def linked(office: Any) -> None:
    build(office.pm, office.project, SIMPLE)
    build(office.pmo, office.other, [
        {"name": "Integrate", "duration": "5d", "predecessors": "MTX:4FS+1d"},
        {"name": "Live", "duration": "0d", "predecessors": "1"}])


def fresh(office: Any) -> dict[str, Any]:
    """The consolidation worked out now, nothing kept."""
    plans = list(Plan.objects.select_related("project", "project__programme")
                 .order_by("project__code"))
    return master_out(build_master(plans))


def read(office: Any) -> tuple[dict[str, Any], list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        summary = master_out(master_schedule(office.pmo))
    return summary, [q["sql"] for q in ctx.captured_queries]


def test_the_second_read_schedules_nothing(office: Any) -> None:
    linked(office)
    first, sql = read(office)
    assert any("planning_plantask" in q for q in sql)  # worked out: the tasks were read
    again, sql = read(office)
    assert again == first == fresh(office)
    assert not any("planning_plantask" in q for q in sql), sql


def test_an_edit_and_the_reschedule_it_causes_are_seen_at_once(office: Any) -> None:
    linked(office)
    before, _ = read(office)
    other = Plan.objects.get(project=office.other)
    plan = Plan.objects.get(project=office.project)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"uid": 2, "duration": "12d"}])
    # OTHER was rescheduled behind MTX; its content and version did not change.
    assert Plan.objects.get(project=office.other).version == other.version
    after, _ = read(office)
    assert after == fresh(office)
    assert after["finish"] > before["finish"]
    by_code = {p["project"]: p for p in after["projects"]}
    assert by_code["OTHER"]["finish"] == by_code["OTHER"]["network_finish"]


def test_a_milestone_renamed_and_a_plan_setting_changed_are_seen(office: Any) -> None:
    linked(office)
    read(office)
    plan = Plan.objects.get(project=office.other)
    plan = actions.edit_plan(actor=office.pmo, project=office.other, version=plan.version,
                             edits=[{"uid": 2, "name": "In service"}])
    summary, _ = read(office)
    names = [m["name"] for p in summary["projects"] for m in p["milestones"]]
    assert "In service" in names and "Live" not in names
    actions.set_plan_settings(actor=office.pmo, project=office.other, version=plan.version,
                              start=dt.datetime(2026, 1, 12, 8, 0))
    assert read(office)[0] == fresh(office)


def test_each_person_sees_the_figures_of_their_own_plans(office: Any) -> None:
    linked(office)
    read(office)  # the Project Office manager's consolidation, kept
    mine = master_out(master_schedule(office.pm))
    assert [p["project"] for p in mine["projects"]] == ["MTX"]


def test_a_new_state_replaces_the_figures_kept_for_the_same_plans(office: Any) -> None:
    linked(office)
    read(office)
    slot, state = _slot_and_state(_plans_for(office.pmo))
    assert cache.get(slot)[0] == state
    plan = Plan.objects.get(project=office.project)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"uid": 2, "duration": "11d"}])
    read(office)
    again, new_state = _slot_and_state(_plans_for(office.pmo))
    assert again == slot and new_state != state  # one place, now holding the new state
    assert cache.get(slot)[0] == new_state


def test_the_figures_job_works_the_master_schedule_out_before_anyone_reads_it(
        office: Any) -> None:
    linked(office)
    cache.clear()
    assert "master schedule worked out" in warm_figures.call()
    summary, sql = read(office)  # the first reader after the edit schedules nothing
    assert not any("planning_plantask" in q for q in sql)
    assert summary == fresh(office)
    assert "master schedule" not in warm_figures.call()  # kept: nothing to do
    plan = Plan.objects.get(project=office.project)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"uid": 2, "duration": "12d"}])
    assert "master schedule worked out" in warm_figures.call()
    summary, sql = read(office)
    assert not any("planning_plantask" in q for q in sql)
    assert summary == fresh(office)
