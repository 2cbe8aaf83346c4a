"""Directory, absences (overlaps, permissions, private sickness), whereabouts, absent_days,
contacts and the enquiry log's routing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.people import actions
from projectoffice.people.models import Absence, Profile
from projectoffice.people.queries import absent_days, week_grid
from projectoffice.people.registers import ENQUIRIES
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import Notification
from tests.conftest import PASSWORD, Api, Office

MONDAY = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def browser(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_overlapping_absence_is_refused_naming_the_field(office: Office) -> None:
    tess = office.members["team_member"]
    actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0), end=day(4))
    with pytest.raises(InvalidInput) as exc:
        actions.record_absence(actor=tess, person=tess, kind="training", start=day(4),
                               end=day(7))
    assert "start" in exc.value.errors
    assert "02 Mar 2026" in exc.value.errors["start"][0]
    with pytest.raises(InvalidInput) as exc:
        actions.record_absence(actor=tess, person=tess, kind="leave", start=day(9),
                               end=day(8))
    assert exc.value.errors["end"] == ["must be on or after the start"]
    with pytest.raises(InvalidInput) as exc:
        actions.record_absence(actor=tess, person=tess, kind="leave", start=day(9),
                               end=day(10), half_day=True)
    assert "half_day" in exc.value.errors
    # Another person may be away on the same days; the next day after is free.
    other = office.members["planner"]
    actions.record_absence(actor=other, person=other, kind="leave", start=day(0), end=day(4))
    actions.record_absence(actor=tess, person=tess, kind="leave", start=day(5), end=day(5))
    assert Absence.objects.filter(person=tess).count() == 2


def test_overlap_and_stale_version_over_the_api(office: Office, api_as: Any) -> None:
    tess = office.members["team_member"]
    api = api_as(tess)
    made = api.post("/absences", {"kind": "leave", "start": "2026-03-02",
                                  "end": "2026-03-06"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["person"] == "team_member" and body["days"] == 5.0
    clash = api.post("/absences", {"kind": "travel", "start": "2026-03-06",
                                   "end": "2026-03-09"})
    assert clash.status_code == 422
    assert "start" in clash.json()["errors"]
    wrong = api.post("/absences", {"start": "2026-03-10", "end": "2026-03-09"})
    assert wrong.status_code == 422 and "end" in wrong.json()["errors"]
    moved = api.patch(f"/absences/{body['id']}", {"version": 1, "end": "2026-03-04"})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    stale = api.patch(f"/absences/{body['id']}", {"version": 1, "note": "late"})
    assert stale.status_code == 409
    unknown = api.post("/absences", {"start": "2026-04-01", "end": "2026-04-01",
                                     "colour": "red"})
    assert unknown.status_code == 422
    gone = api.delete(f"/absences/{body['id']}?version=2")
    assert gone.status_code == 204 and not Absence.objects.exists()


def test_nobody_changes_another_persons_absence_without_the_right(office: Office,
                                                                   api_as: Any) -> None:
    tess, planner = office.members["team_member"], office.members["planner"]
    absence = actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0),
                                     end=day(1))
    refused = api_as(planner).patch(f"/absences/{absence.pk}", {"version": 1, "note": "x"})
    assert refused.status_code == 403
    assert api_as(planner).delete(f"/absences/{absence.pk}").status_code == 403
    assert api_as(planner).post("/absences", {"person": "team_member", "start": "2026-04-01",
                                              "end": "2026-04-01"}).status_code == 403
    # The outsider manages another project, not Tess's: refused.
    with pytest.raises(Forbidden):
        actions.record_absence(actor=office.outsider, person=tess, kind="leave",
                               start=day(7), end=day(7))
    # Tess's project manager, and PMO staff, may record it for her.
    by_pm = api_as(office.pm).post("/absences", {"person": "team_member", "kind": "training",
                                                 "start": "2026-04-01", "end": "2026-04-02"})
    assert by_pm.status_code == 201
    actions.update_absence(actor=office.staff, absence=absence, version=1,
                           changes={"note": "Booked by the PMO"})
    assert Absence.objects.get(pk=absence.pk).note == "Booked by the PMO"


def test_sickness_is_shown_as_absent_to_colleagues(office: Office, api_as: Any) -> None:
    tess = office.members["team_member"]
    actions.record_absence(actor=tess, person=tess, kind="sickness", start=day(0),
                           end=day(1), note="Migraine")
    query = "/absences?start=2026-03-01&end=2026-03-31"
    for viewer in (office.members["planner"], office.pm, office.staff, office.executive):
        [row] = api_as(viewer).get(query).json()
        assert (row["kind"], row["kind_label"], row["note"]) == ("absent", "Absent", ""), \
            viewer.username
    for viewer in (tess, office.pmo):
        [row] = api_as(viewer).get(query).json()
        assert (row["kind"], row["note"]) == ("sickness", "Migraine"), viewer.username
    grid = week_grid(office.members["planner"], MONDAY)
    row = next(r for r in grid.rows if r.user == tess)
    assert row.cells[0].text == "Absent" and row.cells[0].detail == ""
    page = browser(office.members["planner"]).get("/people/whereabouts/?week=2026-03-02")
    assert b"Migraine" not in page.content and b"Absent" in page.content
    own = browser(tess).get("/people/whereabouts/?week=2026-03-02")
    assert b"Migraine" in own.content and b"Sickness" in own.content


def test_profiles_are_edited_by_their_owner_or_the_pmo(office: Office, api_as: Any) -> None:
    tess = office.members["team_member"]
    mine = api_as(tess).patch("/people/team_member", {
        "version": 1, "team": "Delivery", "location": "Leeds", "working_days": "5231",
        "hours_per_week": "30", "job_title": "Developer", "skills": "Python"})
    assert mine.status_code == 200, mine.content
    assert mine.json()["working_days"] == "1235" and mine.json()["days_per_week"] == 4
    tess.refresh_from_db()
    assert tess.job_title == "Developer"
    other = api_as(office.members["planner"]).patch("/people/team_member",
                                                    {"version": 2, "team": "Hackers"})
    assert other.status_code == 403
    by_staff = api_as(office.staff).patch("/people/team_member", {"version": 2,
                                                                  "phone": "+44 1"})
    assert by_staff.status_code == 200 and by_staff.json()["version"] == 3
    stale = api_as(tess).patch("/people/team_member", {"version": 2, "team": "Late"})
    assert stale.status_code == 409
    bad = api_as(tess).patch("/people/team_member", {"version": 3, "working_days": "189"})
    assert bad.status_code == 422 and "working_days" in bad.json()["errors"]
    none = api_as(tess).patch("/people/team_member", {"version": 3, "working_days": ""})
    assert none.status_code == 422 and "working_days" in none.json()["errors"]
    assert Profile.objects.get(user=tess).team == "Delivery"


def test_absent_days_clips_to_the_period_and_lists_everyone(office: Office) -> None:
    tess, planner = office.members["team_member"], office.members["planner"]
    # Leave recorded by the Project Office is approved on entry; sickness needs no approval.
    actions.record_absence(actor=office.pmo, person=tess, kind="leave", start=day(-3),
                           end=day(1))
    actions.record_absence(actor=tess, person=tess, kind="sickness", start=day(4),
                           end=day(4), half_day=True)
    # Tess's own training request awaits its decision: it takes no day away.
    actions.record_absence(actor=tess, person=tess, kind="training", start=day(2), end=day(3))
    found = absent_days([tess.pk, planner.pk], MONDAY, day(6))
    assert found == {tess.pk: {day(0), day(1), day(4)}, planner.pk: set()}
    assert absent_days([], MONDAY, day(6)) == {}
    assert absent_days([tess.pk], day(6), MONDAY) == {tess.pk: set()}


def test_whereabouts_grid_shows_absences_locations_and_days_off(office: Office,
                                                                 api_as: Any) -> None:
    tess, planner = office.members["team_member"], office.members["planner"]
    actions.update_profile(actor=tess, person=tess, version=1,
                           changes={"location": "Leeds", "working_days": "1234"})
    actions.record_absence(actor=planner, person=planner, kind="training", start=day(1),
                           end=day(2), note="Scheduling course")
    actions.record_absence(actor=tess, person=tess, kind="leave", start=day(0), end=day(0),
                           half_day=True)
    grid = week_grid(office.pm, day(3), project=office.project)
    assert grid.monday == MONDAY and [d.weekday() for d in grid.days] == [0, 1, 2, 3, 4]
    rows = {r.user.username: [c.text for c in r.cells] for r in grid.rows}
    assert "outsider" not in rows  # not a member of MTX
    assert rows["team_member"] == ["½ day · Leave", "Leeds", "Leeds", "Leeds", "Not working"]
    assert rows["planner"][1:3] == ["Training", "Training"]
    assert rows["planner"][0] == "In"
    everyone = week_grid(office.pm, MONDAY)
    assert "outsider" in {r.user.username for r in everyone.rows}
    data = api_as(office.pm).get("/whereabouts?week=2026-03-04&project=MTX").json()
    assert data["monday"] == "2026-03-02"
    tess_row = next(p for p in data["people"] if p["username"] == "team_member")
    assert tess_row["days"][4]["text"] == "Not working"
    page = browser(office.pm).get("/people/whereabouts/?week=2026-03-02&project=MTX")
    assert page.status_code == 200
    assert b"Scheduling course" in page.content and b"Week of 2 March 2026" in page.content
    assert b"week=2026-03-09" in page.content and b"week=2026-02-23" in page.content
    # A project the viewer cannot see is not found.
    assert browser(tess).get("/people/whereabouts/?project=OTHER").status_code == 404


def test_directory_filters_and_person_page(office: Office) -> None:
    tess = office.members["team_member"]
    actions.update_profile(actor=tess, person=tess, version=1,
                           changes={"team": "Delivery", "location": "Leeds",
                                    "skills": "Kubernetes"})
    client = browser(office.members["planner"])
    page = client.get("/people/?q=kubernetes")
    assert page.status_code == 200
    assert b"Team Member" in page.content and b"Planner" not in page.content.split(
        b'aria-label="People"')[1]
    assert b"Team Member" in client.get("/people/?team=Delivery&location=Leeds").content
    by_project = client.get("/people/?project=MTX").content
    assert b"Outsider" not in by_project.split(b'aria-label="People"')[1]
    actions.record_absence(actor=tess, person=tess, kind="training",
                           start=dt.date.today() + dt.timedelta(days=3),
                           end=dt.date.today() + dt.timedelta(days=3), note="AWS course")
    person = client.get("/people/team_member/")
    assert b"MTX" in person.content and b"AWS course" in person.content
    assert b"Edit profile" not in person.content
    assert b"Changes to profile and absences" not in person.content  # may name sickness
    own_page = browser(tess).get("/people/team_member/")
    assert b"Changes to profile and absences" in own_page.content
    assert b"Kubernetes" in own_page.content.split(b"Changes to profile")[1]
    assert client.get("/people/team_member/edit/").status_code == 403
    own = browser(tess)
    saved = own.post("/people/team_member/edit/", {
        "version": "2", "team": "Platform", "location": "Leeds", "working_days": ["1", "2"],
        "hours_per_week": "15", "job_title": "Engineer"})
    assert saved.status_code == 302
    assert Profile.objects.get(user=tess).working_days == "12"
    made = own.post("/people/team_member/absences/", {"kind": "leave", "start": "2026-05-04",
                                                      "end": "2026-05-05"})
    assert made.status_code == 302 and Absence.objects.filter(start=dt.date(2026, 5, 4))
    clash = own.post("/people/team_member/absences/", {"kind": "leave",
                                                       "start": "2026-05-05"}, follow=True)
    assert b"overlaps the absence" in clash.content


def test_resources_page_shows_absence_of_linked_people(office: Office) -> None:
    from projectoffice.resources import actions as res

    tess = office.members["team_member"]
    res.create_resource(actor=office.pm, project=office.project, name="Tess", user=tess)
    start = dt.date.today() + dt.timedelta(days=7)
    start -= dt.timedelta(days=start.weekday())
    actions.record_absence(actor=tess, person=tess, kind="sickness", start=start,
                           end=start + dt.timedelta(days=1))
    page = browser(office.pm).get("/projects/MTX/resources/")
    assert page.status_code == 200
    assert f"{start:%a} {start.day} {start:%b}".encode() in page.content
    assert b"Sickness" not in page.content
    [row] = Api(office.pm).get("/projects/MTX/resources").json()["resources"]
    assert row["absent"] == [{"first": start.isoformat(),
                              "last": (start + dt.timedelta(days=1)).isoformat()}]


def test_contacts_are_kept_by_the_pmo(office: Office, api_as: Any) -> None:
    made = api_as(office.staff).post("/contacts", {
        "name": "Sam Reid", "organisation": "Supplier Ltd", "email": "sam@supplier.example",
        "projects": ["MTX"]})
    assert made.status_code == 201, made.content
    contact = made.json()
    assert contact["projects"] == ["MTX"]
    assert api_as(office.pm).post("/contacts", {"name": "X"}).status_code == 403
    bad = api_as(office.staff).post("/contacts", {"name": "Y", "email": "not-an-address"})
    assert bad.status_code == 422 and "email" in bad.json()["errors"]
    found = api_as(office.members["stakeholder"]).get("/contacts?q=supplier").json()
    assert [c["name"] for c in found] == ["Sam Reid"]
    # The outsider sees the contact but not that it relates to MTX.
    assert api_as(office.outsider).get(f"/contacts/{contact['id']}").json()["projects"] == []
    moved = api_as(office.pmo).patch(f"/contacts/{contact['id']}",
                                     {"version": 1, "projects": ["MTX", "OTHER"]})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert moved.json()["projects"] == ["MTX", "OTHER"]
    page = browser(office.members["stakeholder"]).get("/contacts/?q=sam")
    assert b"Sam Reid" in page.content and b"Add a contact" not in page.content
    assert browser(office.pm).post("/contacts/", {"name": "Sneaky"}).status_code == 403


def test_enquiry_routing_notifies_the_owner(office: Office, api_as: Any) -> None:
    contact = actions.create_contact(actor=office.pmo, data={"name": "Sam Reid"})
    admin = office.members["administrator"]
    made = api_as(admin).post("/projects/MTX/enquiries", {
        "title": "When is go-live?", "contact": str(contact.pk), "channel": "phone",
        "owner": "project_manager"})
    assert made.status_code == 201, made.content
    ref = made.json()["reference"]
    assert ref == "ENQ-0001" and made.json()["contact"] == "Sam Reid"
    assert made.json()["received_at"] is not None
    note = Notification.objects.get(recipient=office.pm)
    assert ref in note.message and note.url == f"/projects/MTX/enquiries/{ref}/"
    # Routing it on to someone else tells them too.
    api_as(admin).patch(f"/projects/MTX/enquiries/{ref}", {"version": 1,
                                                          "owner": "planner"})
    assert Notification.objects.filter(recipient=office.members["planner"]).count() == 1
    early = api_as(office.pm).post(f"/projects/MTX/enquiries/{ref}/transitions",
                                   {"version": 2, "transition": "answer"})
    assert early.status_code == 422 and "response" in early.json()["errors"]
    api_as(office.pm).patch(f"/projects/MTX/enquiries/{ref}",
                            {"version": 2, "response": "Go-live is on 1 June."})
    answered = api_as(office.pm).post(f"/projects/MTX/enquiries/{ref}/transitions",
                                      {"version": 3, "transition": "answer"})
    assert answered.json()["status"] == "answered"
    closed = api_as(office.pm).post(f"/projects/MTX/enquiries/{ref}/transitions",
                                    {"version": 4, "transition": "close",
                                     "comment": "Caller satisfied"})
    assert closed.json()["status"] == "closed"
    missing = api_as(admin).post("/projects/MTX/enquiries", {"title": "x", "contact": "999"})
    assert missing.status_code == 422 and "contact" in missing.json()["errors"]
    page = browser(office.pmo).get(f"/contacts/{contact.pk}/")
    assert ref.encode() in page.content and b"Closed" in page.content
    assert b"History" in page.content and b"Sam Reid" in page.content
    detail = browser(office.pm).get(f"/projects/MTX/enquiries/{ref}/")
    assert f'href="/contacts/{contact.pk}/"'.encode() in detail.content


def test_deleting_a_contact_keeps_the_callers_name(office: Office) -> None:
    contact = actions.create_contact(actor=office.pmo, data={"name": "Ann Other",
                                                             "organisation": "Regulator"})
    item = register_actions.create_item(actor=office.pm, spec=ENQUIRIES,
                                        project=office.project,
                                        data={"title": "Report due?", "contact": contact})
    with pytest.raises(Forbidden):
        actions.delete_contact(actor=office.pm, contact=contact, version=1)
    actions.delete_contact(actor=office.pmo, contact=contact, version=1)
    item.refresh_from_db()
    assert item.contact is None and item.caller == "Ann Other (Regulator)"


def test_month_calendar_counts_days_away(office: Office) -> None:
    from projectoffice.people.queries import month_grid

    tess = office.members["team_member"]
    actions.record_absence(actor=office.pmo, person=tess, kind="leave",
                           start=dt.date(2026, 2, 27), end=dt.date(2026, 3, 3), note="Ski trip")
    actions.record_absence(actor=office.pmo, person=tess, kind="training", start=day(9),
                           end=day(9), half_day=True)
    # A pending request shows in the calendar but is not counted as away.
    actions.record_absence(actor=tess, person=tess, kind="leave", start=day(15), end=day(16))
    grid = month_grid(office.pm, dt.date(2026, 3, 17), project=office.project)
    assert grid.first == dt.date(2026, 3, 1) and len(grid.days) == 31
    assert grid.previous == dt.date(2026, 2, 1) and grid.next == dt.date(2026, 4, 1)
    totals = {row.user.username: away for row, away in grid.totals()}
    assert totals["team_member"] == 3.5 and totals["planner"] == 0
    page = browser(office.pm).get("/people/calendar/?month=2026-03&project=MTX")
    assert page.status_code == 200
    assert b"March 2026" in page.content and b"Ski trip" in page.content
    assert b"month=2026-04" in page.content and b"month=2026-02" in page.content
    assert browser(office.pm).get("/people/calendar/?month=bad").status_code == 200


def test_enquiries_import_with_a_contact_by_id(office: Office) -> None:
    contact = actions.create_contact(actor=office.pmo, data={"name": "Grace Liu"})
    result = register_actions.import_items(
        actor=office.pm, spec=ENQUIRIES, project=office.project,
        headers=["Title", "Contact", "Caller", "Channel"],
        rows=[["Licence question", str(contact.pk), "", "email"],
              ["Walk-in visitor", "", "A neighbour", "visit"]])
    first, second = result.created
    assert first.contact == contact and first.channel == "email"
    assert second.contact is None and second.caller_label == "A neighbour"
    with pytest.raises(InvalidInput) as exc:
        register_actions.import_items(actor=office.pm, spec=ENQUIRIES, project=office.project,
                                      headers=["Title", "Contact"], rows=[["X", "4242"]])
    assert "row 2.contact" in exc.value.errors
