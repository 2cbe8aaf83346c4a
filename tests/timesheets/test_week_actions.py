"""The week across projects: one save writes each project's part (all or nothing), approved
absence refuses hours, a locked part stays as it is, a part changed since it was read is a
conflict; submitting tells each part's approver; deciding a part tells the person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import Conflict, InvalidInput
from projectoffice.finance.models import ActualCost
from projectoffice.people import actions as people_actions
from projectoffice.registers.models import Notification
from projectoffice.resources import actions as res
from projectoffice.timesheets import actions, week_queries
from projectoffice.timesheets.models import TimeLine, Timesheet
from tests.timesheets.week_helpers import WEEK2, line, two_projects


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    return two_projects(office) | {"office": office}


def save(world: dict[str, Any], lines: list[dict[str, Any]],
         versions: dict[str, int] | None = None) -> list[Timesheet]:
    return actions.save_week(actor=world["member"], week_start=WEEK2, versions=versions or {},
                             lines=lines)


def versions(world: dict[str, Any]) -> dict[str, int]:
    return {s.project.code: s.version for s in Timesheet.objects.filter(
        person=world["member"], week_start=WEEK2).select_related("project")}


def test_the_week_shows_only_tasks_under_way_with_planned_hours(world: dict[str, Any]) -> None:
    week = week_queries.person_week(world["member"], WEEK2)
    tasks = [(r["project"], r["wbs"], r["label"]) for r in week["rows"] if r["assignment_id"]]
    # Design (MTX, 12–16 Jan) and the support desk (OTHER, 5–16 Jan); Build and the
    # hand-over start on the 19th and are not shown.
    assert tasks == [("MTX", "1", "Design"), ("OTHER", "1", "Support desk")]
    design = week["rows"][0]
    assert design["planned"][:5] == [Decimal("8.00")] * 5 and design["start"] == WEEK2
    assert week["rows"][1]["planned"][:5] == [Decimal("2.00")] * 5
    # Time codes go to the project with most planned hours this week.
    assert [(r["time_code"], r["project"]) for r in week["rows"] if r["time_code"]] == [
        ("leave", "MTX"), ("admin", "MTX"), ("training", "MTX")]
    assert week["planned_total"] == Decimal(50)


def test_saving_writes_one_part_per_project(world: dict[str, Any]) -> None:
    parts = save(world, [line(world["design"], 6, 6, note="Data model"),
                         line(world["support"], 2, 2),
                         {"time_code": "training", "project": "OTHER",
                          "hours": ["0", "0", "1", "0", "0", "0", "0"]}])
    assert sorted(p.project.code for p in parts) == ["MTX", "OTHER"]
    mtx = Timesheet.objects.get(project__code="MTX", week_start=WEEK2)
    assert mtx.lines.get().note == "Data model"
    other = Timesheet.objects.get(project__code="OTHER", week_start=WEEK2)
    assert sorted(x.time_code for x in other.lines.all()) == ["", "training"]
    # The same week again changes nothing and writes nothing.
    assert save(world, [line(world["design"], 6, 6, note="Data model"),
                        line(world["support"], 2, 2),
                        {"time_code": "training", "project": "OTHER",
                         "hours": ["0", "0", "1", "0", "0", "0", "0"]}], versions(world)) == []
    # An assignment outside the week (the hand-over) can be added.
    save(world, [line(world["design"], 6, 6, note="Data model"),
                 line(world["handover"], 0, 0, 0, 0, 1)], versions(world))
    week = week_queries.person_week(world["member"], WEEK2)
    assert [r["label"] for r in week["rows"] if r["assignment_id"]] == [
        "Design", "Support desk", "Hand-over"]
    assert not Timesheet.objects.get(project__code="OTHER").lines.filter(time_code="training")


def test_hours_on_approved_leave_are_refused_naming_line_and_day(world: dict[str, Any]) -> None:
    member = world["member"]
    people_actions.record_absence(actor=world["office"].pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=1),
                                  end=WEEK2 + dt.timedelta(days=1))
    people_actions.record_absence(actor=world["office"].pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=3),
                                  end=WEEK2 + dt.timedelta(days=3), half_day=True)
    with pytest.raises(InvalidInput) as exc:
        save(world, [line(world["support"], 2), line(world["design"], 8, 8, 8, 4)])
    assert exc.value.errors == {"lines.1.hours.1": ["Tue 13 Jan is a day of your approved leave"]}
    assert not Timesheet.objects.exists() and not TimeLine.objects.exists()
    # The other half of a half day is booked.
    save(world, [line(world["design"], 8, 0, 8, 4)])
    week = week_queries.person_week(member, WEEK2)
    assert week["absent"][1].label == "Leave" and week["absent"][3].label == "Leave (half day)"
    # The per-project page and import refuse it too.
    with pytest.raises(InvalidInput) as exc:
        actions.save_timesheet(actor=member, project=world["other"], week_start=WEEK2,
                               version=None, lines=[line(world["support"], 0, 3)])
    assert "lines.0.hours.1" in exc.value.errors


def test_sickness_is_private_to_the_person_and_the_pmo_manager(world: dict[str, Any]) -> None:
    office, member = world["office"], world["member"]
    people_actions.record_absence(actor=office.pmo, person=member, kind="sickness",
                                  start=WEEK2 + dt.timedelta(days=4),
                                  end=WEEK2 + dt.timedelta(days=4), note="Flu")
    assert week_queries.person_week(member, WEEK2)["absent"][4].label == "Sickness"
    with pytest.raises(InvalidInput) as exc:
        save(world, [line(world["design"], 0, 0, 0, 0, 3)])
    assert exc.value.errors["lines.0.hours.4"] == ["Fri 16 Jan is a day of your approved "
                                                   "sick leave"]
    sheet = save(world, [line(world["design"], 8)])[0]
    assert week_queries.part_lines(sheet, office.pm)["absent"][4].label == "Absent"
    assert week_queries.part_lines(sheet, office.pmo)["absent"][4].label == "Sickness"


def test_another_persons_assignment_is_refused(world: dict[str, Any]) -> None:
    office = world["office"]
    planner = res.create_resource(actor=office.pm, project=office.project, name="Planner",
                                  user=office.members["planner"])
    theirs = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=planner.pk, task_uid=1, work=Decimal(8))
    with pytest.raises(InvalidInput) as exc:
        save(world, [line(world["support"], 1), line(theirs, 1)])
    assert exc.value.errors == {"lines.1.assignment_id": ["is not one of your assignments"]}
    assert not Timesheet.objects.exists()


def test_a_locked_part_cannot_change_but_the_others_can(world: dict[str, Any]) -> None:
    office = world["office"]
    save(world, [line(world["design"], 8), line(world["support"], 2)])
    actions.submit_week(actor=world["member"], week_start=WEEK2)
    mtx = Timesheet.objects.get(project__code="MTX")
    actions.decide_part(actor=office.pm, timesheet_id=mtx.pk, version=mtx.version,
                        approve=True)
    other = Timesheet.objects.get(project__code="OTHER")
    actions.decide_part(actor=office.outsider, timesheet_id=other.pk, version=other.version,
                        approve=False, comment="Support was Tuesday")
    with pytest.raises(InvalidInput) as exc:
        save(world, [line(world["design"], 9), line(world["support"], 0, 2)], versions(world))
    assert exc.value.errors == {"lines.0.hours": [
        "your MTX part of this week is approved (locked): it can no longer be changed"]}
    assert Timesheet.objects.get(project__code="OTHER").lines.get().hours[0] == "2"
    # Sent back unchanged (or left out), the locked part is no obstacle.
    save(world, [line(world["design"], 8), line(world["support"], 0, 2)], versions(world))
    assert Timesheet.objects.get(project__code="OTHER").lines.get().hours[:2] == ["0", "2"]


def test_a_part_changed_since_it_was_read_is_a_conflict(world: dict[str, Any]) -> None:
    save(world, [line(world["design"], 8), line(world["support"], 2)])
    read = versions(world)
    actions.save_timesheet(actor=world["member"], project=world["other"], week_start=WEEK2,
                           version=read["OTHER"], lines=[line(world["support"], 3)])
    with pytest.raises(Conflict) as exc:
        save(world, [line(world["design"], 7), line(world["support"], 1)], read)
    assert exc.value.status == 409 and "parts.OTHER.version" in exc.value.errors
    # All or nothing: MTX (written first) is as it was.
    assert Timesheet.objects.get(project__code="MTX").lines.get().hours[0] == "8"


def test_submit_tells_each_approver_and_decisions_tell_the_person(
        world: dict[str, Any]) -> None:
    office, member = world["office"], world["member"]
    save(world, [line(world["design"], 8), line(world["support"], 2),
                 {"time_code": "admin", "project": "MTX", "hours": ["0"] * 7, "note": ""}])
    submitted = actions.submit_week(actor=member, week_start=WEEK2)
    assert [s.project.code for s in submitted] == ["MTX", "OTHER"]
    to_pm = Notification.objects.get(recipient=office.pm)
    assert to_pm.kind == "timesheet" and "8" in to_pm.message
    assert to_pm.url == f"/timesheets/parts/{submitted[0].pk}/"
    assert Notification.objects.filter(recipient=office.outsider, kind="timesheet").count() == 1
    mtx, other = submitted
    # The approver sends the version read: a part changed since is a conflict.
    with pytest.raises(Conflict):
        actions.decide_part(actor=office.pm, timesheet_id=mtx.pk, version=mtx.version - 1,
                            approve=True)
    with pytest.raises(InvalidInput) as exc:
        actions.decide_part(actor=office.outsider, timesheet_id=other.pk,
                            version=other.version, approve=False)
    assert "comment" in exc.value.errors
    actions.decide_part(actor=office.pm, timesheet_id=mtx.pk, version=mtx.version,
                        approve=True)
    actions.decide_part(actor=office.outsider, timesheet_id=other.pk, version=other.version,
                        approve=False, comment="Book the support on the 13th")
    notes = {n.project.code: n for n in Notification.objects.filter(recipient=member,
                                                                      kind="timesheet")}
    assert "approved" in notes["MTX"].message
    assert notes["OTHER"].message.endswith("Book the support on the 13th")
    assert notes["OTHER"].url == f"/timesheets/week/?week={WEEK2.isoformat()}"
    assert sum(c.hours for c in ActualCost.objects.filter(project__code="MTX")) == 8
    assert not ActualCost.objects.filter(project__code="OTHER").exists()
    parts = {p["code"]: p["status"] for p in week_queries.person_week(member, WEEK2)["parts"]}
    assert parts == {"MTX": "approved", "OTHER": "rejected"}


def test_an_approver_of_one_project_cannot_decide_anothers_part(world: dict[str, Any]) -> None:
    from projectoffice.errors import NotFound

    office = world["office"]
    save(world, [line(world["support"], 2)])
    other = actions.submit_week(actor=world["member"], week_start=WEEK2)[0]
    with pytest.raises(NotFound):  # the MTX manager does not see OTHER
        actions.decide_part(actor=office.pm, timesheet_id=other.pk, version=other.version,
                            approve=True)


def test_the_approvers_lines_have_planned_hours_and_notes(world: dict[str, Any]) -> None:
    save(world, [line(world["design"], 6, 9, note="Schema review")])
    sheet = Timesheet.objects.get(project__code="MTX")
    part = week_queries.part_lines(sheet, world["office"].pm)
    (design,) = part["lines"]
    assert (design["wbs"], design["label"], design["note"]) == ("1", "Design", "Schema review")
    assert design["days"][1] == {"date": WEEK2 + dt.timedelta(days=1), "hours": Decimal(9),
                                 "planned": Decimal("8.00")}
    assert part["total"] == 15 and part["planned_total"] == 40


def test_time_saved_before_a_leave_was_approved_is_not_submitted(
        world: dict[str, Any]) -> None:
    member = world["member"]
    save(world, [line(world["design"], 8, 8)])
    people_actions.record_absence(actor=world["office"].pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=1),
                                  end=WEEK2 + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as exc:
        actions.submit_week(actor=member, week_start=WEEK2)
    assert exc.value.errors == {"parts.MTX.hours.1": [
        "Tue 13 Jan is a day of your approved leave"]}
    assert Timesheet.objects.get().status == "draft"


def test_leave_still_awaiting_approval_does_not_refuse_hours(world: dict[str, Any]) -> None:
    member = world["member"]
    people_actions.update_profile(actor=world["office"].pmo, person=member, version=1,
                                  changes={"line_manager": world["office"].pm})
    absence = people_actions.record_absence(actor=member, person=member, kind="leave",
                                            start=WEEK2 + dt.timedelta(days=1),
                                            end=WEEK2 + dt.timedelta(days=1))
    assert absence.status == "requested"
    save(world, [line(world["design"], 8, 8)])  # only approved leave removes the day
    assert week_queries.person_week(member, WEEK2)["absent"][1] is None
    people_actions.approve_absence(actor=world["office"].pm, absence=absence,
                                   version=absence.version)
    with pytest.raises(InvalidInput) as exc:
        actions.submit_week(actor=member, week_start=WEEK2)
    assert exc.value.errors == {"parts.MTX.hours.1": [
        "Tue 13 Jan is a day of your approved leave"]}
