"""Resource usage by period and levelling a stored plan: preview, apply, clear."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.errors import StaleVersion
from projectoffice.planning import workspace as wsp
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.resources import actions, levelling, usage
from tests.planning.helpers import build


def over_allocated(office: Any) -> dict[str, Any]:
    """Alice has Spec (3d) and UI (2d) in parallel, Bob API (4d) and Tests (2d); all four
    precede Release — the example of docs/levelling.md, from Monday 5 January 2026."""
    plan = build(office.pm, office.project, [
        {"name": "Spec", "duration": "3d"},
        {"name": "UI", "duration": "2d"},
        {"name": "API", "duration": "4d"},
        {"name": "Tests", "duration": "2d"},
        {"name": "Release", "duration": "0d", "milestone": True, "predecessors": "1,2,3,4"},
    ])
    alice = actions.create_resource(actor=office.pm, project=office.project, name="Alice")
    bob = actions.create_resource(actor=office.pm, project=office.project, name="Bob")
    for resource, uid in ((alice, 1), (alice, 2), (bob, 3), (bob, 4)):
        actions.assign_resource(actor=office.pm, project=office.project,
                                resource_id=resource.pk, task_uid=uid)
    return {"plan": plan, "alice": alice, "bob": bob}


def by_name(project: Any) -> dict[str, usage.ResourceUsage]:
    return {u.resource.name: u for u in usage.project_usage(project)}


def test_usage_flags_the_days_a_resource_has_too_much(office: Any) -> None:
    over_allocated(office)
    found = by_name(office.project)
    alice, bob = found["Alice"], found["Bob"]
    # Spec and UI together on Monday and Tuesday: 16 h against 8 h.
    assert [(d.start.day, d.work, d.capacity) for d in alice.over_days] == [
        (5, Decimal("16.00"), Decimal("8.00")), (6, Decimal("16.00"), Decimal("8.00"))]
    assert alice.total_work == Decimal(40)  # 3 days + 2 days at 100 %
    assert alice.peak_units == 200
    assert [d.start.day for d in bob.over_days] == [5, 6]
    week = alice.weeks[0]
    assert (week.start, week.work, week.capacity, week.over) == (
        dt.date(2026, 1, 5), Decimal("40.00"), Decimal("40.00"), True)
    runs = alice.over_runs()
    assert [(a.day, b.day) for a, b, *_ in runs] == [(5, 6)]


def test_preview_apply_and_clear(office: Any) -> None:
    over_allocated(office)
    plan = Plan.objects.get(project=office.project)
    preview = levelling.compute(wsp.load(plan))
    # Standard order keeps API (no float) and Spec; UI waits 3 days for Spec, Tests 4 for API.
    assert [(d.name, d.days, d.resources) for d in preview.delays] == [
        ("UI", 3.0, "Alice"), ("Tests", 4.0, "Bob")]
    ui = preview.delays[0]
    assert (ui.old_start, ui.new_start) == (dt.datetime(2026, 1, 5, 8),
                                            dt.datetime(2026, 1, 8, 8))
    assert preview.finish_before == dt.datetime(2026, 1, 8, 17)
    assert preview.finish_after == dt.datetime(2026, 1, 12, 17)
    assert preview.remaining == []
    # The preview wrote nothing.
    assert Plan.objects.get(pk=plan.pk).version == plan.version
    assert not PlanTask.objects.filter(plan=plan, levelling_delay__gt=0).exists()

    with pytest.raises(StaleVersion):
        actions.level_resources(actor=office.pm, project=office.project,
                                version=plan.version - 1)
    levelled = actions.level_resources(actor=office.pm, project=office.project,
                                       version=plan.version)
    assert levelled.version == plan.version + 1
    delays = dict(PlanTask.objects.filter(plan=plan).values_list("name", "levelling_delay"))
    assert delays == {"Spec": 0, "UI": 3 * 480, "API": 0, "Tests": 4 * 480, "Release": 0}
    tasks = {t.name: t for t in PlanTask.objects.filter(plan=plan)}
    assert tasks["UI"].start == dt.datetime(2026, 1, 8, 8)
    assert tasks["Release"].finish == dt.datetime(2026, 1, 12, 17)
    for item in usage.project_usage(office.project):
        assert item.over_days == []
        assert all(d.work <= d.capacity for d in item.days)
    entry = AuditEntry.objects.filter(verb="resources levelled").get()
    assert entry.changes["task 2 levelling_delay"] == [0, 1440]
    assert levelling.compute(wsp.load(levelled)).already_levelled

    cleared = actions.clear_levelling(actor=office.pm, project=office.project,
                                      version=levelled.version)
    assert not PlanTask.objects.filter(plan=plan, levelling_delay__gt=0).exists()
    assert PlanTask.objects.get(plan=plan, name="UI").start == dt.datetime(
        2026, 1, 5, 8)
    assert [d.start.day for d in by_name(office.project)["Alice"].over_days] == [5, 6]
    assert AuditEntry.objects.filter(verb="levelling cleared").exists()
    assert cleared.version == levelled.version + 1


def test_lower_availability_levels_further(office: Any) -> None:
    world = over_allocated(office)
    actions.update_resource(actor=office.pm, project=office.project,
                            resource_id=world["alice"].pk, version=1,
                            changes={"max_units": Decimal(200)})
    plan = Plan.objects.get(project=office.project)
    preview = levelling.compute(wsp.load(plan))
    assert [d.name for d in preview.delays] == ["Tests"]  # Alice can do both at once now
    assert by_name(office.project)["Alice"].over_days == []


def test_usage_across_projects_for_a_person(office: Any) -> None:
    world = over_allocated(office)
    member = office.members["team_member"]
    mine = actions.create_resource(actor=office.pm, project=office.project, name="Tess",
                                   user=member)
    actions.assign_resource(actor=office.pm, project=office.project, resource_id=mine.pk,
                            task_uid=1, units=Decimal(50))
    build(office.pmo, office.other, [{"name": "Elsewhere", "duration": "2d"}])
    there = actions.create_resource(actor=office.pmo, project=office.other, name="Tess",
                                    user=member)
    actions.assign_resource(actor=office.pmo, project=office.other, resource_id=there.pk,
                            task_uid=1, units=Decimal(75))
    del world
    seen = usage.person_usage(mine, [office.project, office.other])
    assert seen.projects == ["MTX", "OTHER"]
    # 50 % of Spec's three days here, 75 % of two days on OTHER.
    assert seen.total_work == Decimal("24.00")
    assert seen.days[0].work == Decimal("4.00")
    assert not seen.overallocated
    alone = usage.person_usage(mine, [office.project])
    assert (alone.projects, alone.total_work) == (["MTX"], Decimal("12.00"))


def test_pages_show_the_histogram_and_level_the_plan(office: Any) -> None:
    from tests.finance.test_pages import login

    over_allocated(office)
    pm = login(office.pm)
    page = pm.get("/projects/MTX/resources/").content.decode()
    assert 'aria-label="Weekly work of Alice against availability"' in page
    assert "#d64545" in page and "2 over-allocated" in page
    assert "Mon 5 Jan 2026" in page  # the over-allocation table
    plan_page = pm.get("/projects/MTX/plan/").content.decode()
    assert "/projects/MTX/plan/levelling/" in plan_page
    preview = pm.get("/projects/MTX/plan/levelling/").content.decode()
    assert "Apply levelling" in preview and "Thu 8 Jan 2026 08:00" in preview
    plan = Plan.objects.get(project=office.project)
    stale = pm.post("/projects/MTX/plan/levelling/apply/",
                    {"version": plan.version - 1, "what": "level"}, follow=True)
    assert "changed" in stale.content.decode() or "version" in stale.content.decode()
    assert not PlanTask.objects.filter(plan=plan, levelling_delay__gt=0).exists()
    pm.post("/projects/MTX/plan/levelling/apply/", {"version": plan.version, "what": "level"})
    assert PlanTask.objects.filter(plan=plan, levelling_delay__gt=0).count() == 2
    after = pm.get("/projects/MTX/resources/").content.decode()
    assert "no over-allocation" in after
    levelled = pm.get("/projects/MTX/plan/levelling/").content.decode()
    assert "The plan is levelled" in levelled
    member = login(office.members["team_member"])
    assert member.get("/projects/MTX/plan/levelling/").status_code == 200
    assert member.post("/projects/MTX/plan/levelling/apply/",
                       {"version": plan.version + 1, "what": "clear"}).status_code == 403


def test_api_usage_preview_level_clear(office: Any, api_as: Any) -> None:
    over_allocated(office)
    pm = api_as(office.pm)
    found = pm.get("/projects/MTX/resources/usage?period=day").json()
    alice = next(r for r in found["resources"] if r["name"] == "Alice")
    assert alice["overallocated"] and alice["periods"][0]["over"]
    assert alice["periods"][0]["work"] == "16.00"
    weeks = pm.get("/projects/MTX/resources/usage").json()
    assert weeks["period"] == "week"
    preview = pm.get("/projects/MTX/plan/levelling").json()
    assert [(d["name"], d["delay_days"]) for d in preview["delays"]] == [("UI", 3.0),
                                                                          ("Tests", 4.0)]
    version = preview["plan_version"]
    assert pm.post("/projects/MTX/plan/level", {"version": version - 1}).status_code == 409
    done = pm.post("/projects/MTX/plan/level", {"version": version})
    assert done.status_code == 200
    assert done.json()["levelling_delays"] == {"2": 1440, "4": 1920}
    cleared = pm.post("/projects/MTX/plan/clear-levelling", {"version": done.json()["version"]})
    assert cleared.json()["levelling_delays"] == {}
    assert pm.post("/projects/MTX/plan/level", {"version": 1, "extra": 1}).status_code == 422


def test_levelling_delays_and_task_types_round_trip_through_mspdi(office: Any) -> None:
    from projectoffice.planning import actions as plan_actions
    from projectoffice.planning.exchange import export_mspdi, import_mspdi

    over_allocated(office)
    plan = Plan.objects.get(project=office.project)
    plan = plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                                  edits=[{"uid": 3, "task_type": "fixed_work",
                                          "effort_driven": True}])
    actions.level_resources(actor=office.pm, project=office.project, version=plan.version)
    data = export_mspdi(office.project)
    text = data.decode()
    assert "<LevelingDelay>14400</LevelingDelay>" in text  # UI: 3 days × 480 min × 10
    assert "<EffortDriven>1</EffortDriven>" in text
    from projectoffice.formats.mspdi import read_mspdi

    read = read_mspdi(data)
    assert [(r.name, r.max_units) for r in read.resources] == [("Alice", 1.0), ("Bob", 1.0)]
    spec = next(a for a in read.assignments if a.task_uid == 1)
    assert (spec.resource_uid, spec.units, spec.work) == (1, 1.0, 24 * 60)
    import_mspdi(actor=office.pmo, project=office.other, data=data)
    copied = {t.name: t for t in PlanTask.objects.filter(plan__project=office.other)}
    assert (copied["UI"].levelling_delay, copied["Tests"].levelling_delay) == (1440, 1920)
    assert (copied["API"].task_type, copied["API"].effort_driven) == ("fixed_work", True)
    assert copied["Spec"].task_type == "fixed_units"
    assert copied["UI"].start == dt.datetime(2026, 1, 8, 8)


def test_an_absent_person_has_no_availability_that_day(office: Any) -> None:
    from projectoffice.people.actions import approve_absence, record_absence

    build(office.pm, office.project, [{"name": "Build", "duration": "5d"}])
    dev = actions.create_resource(actor=office.pm, project=office.project, name="Dev",
                                  user=office.members["team_member"])
    actions.assign_resource(actor=office.pm, project=office.project, resource_id=dev.pk,
                            task_uid=1)
    before = by_name(office.project)["Dev"]
    assert not before.overallocated and before.weeks[0].capacity == Decimal("40.00")
    member = office.members["team_member"]
    leave = record_absence(actor=member, person=member, kind="leave",
                           start=dt.date(2026, 1, 7), end=dt.date(2026, 1, 7))
    # A request takes nothing away until it is approved.
    assert not by_name(office.project)["Dev"].overallocated
    approve_absence(actor=office.pmo, absence=leave, version=leave.version)
    after = by_name(office.project)["Dev"]
    wednesday = next(d for d in after.days if d.start == dt.date(2026, 1, 7))
    assert (wednesday.work, wednesday.capacity) == (Decimal("8.00"), Decimal("0.00"))
    assert [d.start for d in after.over_days] == [dt.date(2026, 1, 7)]
    assert after.weeks[0].capacity == Decimal("32.00")
