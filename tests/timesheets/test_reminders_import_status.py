"""Reminders for last week's missing timesheets, CSV import of one's time (all or nothing,
errors by row and column) and the submission status across projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.cli import main
from projectoffice.errors import InvalidInput
from projectoffice.registers.models import Notification
from projectoffice.timesheets import actions as ts
from projectoffice.timesheets import queries
from projectoffice.timesheets.models import TimeLine, Timesheet
from tests.finance.test_entry_pages import login
from tests.timesheets.helpers import MONDAY, cost_loaded, week

NEXT_MONDAY = MONDAY + dt.timedelta(days=7)
# The plan starts on 12 January: Design runs that week, Build the two after.
THIRD_MONDAY = MONDAY + dt.timedelta(days=14)


@pytest.mark.django_db(transaction=True)
def test_reminders_for_missing_and_draft_sheets_once(office: Any) -> None:
    world = cost_loaded(office)
    member = world["member"]
    member.email = "tess@example.org"
    member.save()
    made = ts.remind_timesheets(today=THIRD_MONDAY + dt.timedelta(days=2))  # Wednesday
    assert made == 1
    note = Notification.objects.get(recipient=member, url__contains="/timesheets/")
    assert "week of 12 Jan 2026 on MTX is missing" in note.message
    assert note.url == "/timesheets/week/?week=2026-01-12"
    mail.outbox = [m for m in mail.outbox if "timesheet" in m.subject]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tess@example.org"]
    assert "[MTX]" in mail.outbox[0].subject
    assert ts.remind_timesheets(today=THIRD_MONDAY) == 0  # once per person, project, week
    assert len([m for m in mail.outbox if "timesheet" in m.subject]) == 1


def test_submitted_week_is_not_reminded_and_draft_is(office: Any) -> None:
    world = cost_loaded(office)
    member = world["member"]
    sheet = ts.save_timesheet(actor=member, project=office.project, week_start=NEXT_MONDAY,
                              version=None, lines=[{"assignment_id": world["design"].pk,
                                                    "hours": week(8)}])
    assert ts.remind_timesheets(today=MONDAY) == 0  # nothing under way before the plan
    assert ts.remind_timesheets(today=THIRD_MONDAY) == 1
    assert "saved but not submitted" in Notification.objects.get(
        url__contains="/timesheets/").message
    ts.submit_timesheet(actor=member, project=office.project, week_start=NEXT_MONDAY,
                        version=sheet.version)
    Notification.objects.all().delete()
    assert ts.remind_timesheets(today=THIRD_MONDAY) == 0
    # Weeks after both tasks have finished ask nothing of anybody.
    assert ts.remind_timesheets(today=dt.date(2026, 6, 1)) == 0


def test_pmo_command(office: Any, capsys: Any) -> None:
    cost_loaded(office)
    assert main(["remind-timesheets", "--today", "2026-01-19"]) == 0
    assert "1 reminder sent" in capsys.readouterr().out


CSV = (b"Week,Task,Time code,Mon,Tue,Wed,Thu,Fri,Sat,Sun\n"
       b"2026-01-07,1,,8,8,4,,,,\n"
       b"2026-01-05,,training,,,4,,,,\n"
       b"2026-01-12,2,,7.5,7.5,,,,,\n")


def test_import_creates_the_weeks(office: Any) -> None:
    world = cost_loaded(office)
    member = world["member"]
    sheets = ts.import_timesheet_lines(actor=member, project=office.project, data=CSV,
                                       filename="time.csv")
    assert [s.week_start for s in sheets] == [MONDAY, NEXT_MONDAY]
    first = {(line.assignment_id, line.time_code): line.hours
             for line in TimeLine.objects.filter(timesheet=sheets[0])}
    assert first == {(world["design"].pk, ""): ["8", "8", "4", "0", "0", "0", "0"],
                     (None, "training"): ["0", "0", "4", "0", "0", "0", "0"]}
    # Importing again replaces the same task's hours and keeps the other lines.
    ts.import_timesheet_lines(actor=member, project=office.project,
                              data=b"Week,Task,Mon\n2026-01-05,1,2\n", filename="again.csv")
    again = {(line.assignment_id, line.time_code): line.hours[0]
             for line in TimeLine.objects.filter(timesheet__week_start=MONDAY)}
    assert again == {(world["design"].pk, ""): "2", (None, "training"): "0"}


def test_import_is_all_or_nothing_with_row_errors(office: Any) -> None:
    world = cost_loaded(office)
    bad = (b"Week,Task,Time code,Mon,Tue\n"
           b"2026-01-05,1,,8,\n"
           b"2026-01-05,9,,1,\n"
           b"someday,1,,1,\n"
           b"2026-01-12,2,,-3,x\n"
           b"2026-01-19,,holiday,1,\n")
    with pytest.raises(InvalidInput) as caught:
        ts.import_timesheet_lines(actor=world["member"], project=office.project, data=bad,
                                  filename="time.csv")
    errors = caught.value.errors
    assert "no assignment on task 9" in errors["row 3.task"][0]
    assert "YYYY-MM-DD" in errors["row 4.week"][0]
    assert "negative" in errors["row 5.mon"][0] and "not a number" in errors["row 5.tue"][0]
    assert "row 6.time code" in errors and "row 2.task" not in errors
    assert not Timesheet.objects.exists()
    too_long = (b"Week,Task,Time code,Mon\n2026-01-05,1,,20\n2026-01-05,,admin,6\n")
    with pytest.raises(InvalidInput) as caught:
        ts.import_timesheet_lines(actor=world["member"], project=office.project,
                                  data=too_long, filename="time.csv")
    assert "at most 24" in caught.value.errors["week 2026-01-05.mon"][0]
    assert not Timesheet.objects.exists()


def test_import_through_page_and_api(office: Any, api_as: Any) -> None:
    world = cost_loaded(office)
    client = login(world["member"])
    bad = client.post("/projects/MTX/timesheets/import/", {
        "file": SimpleUploadedFile("t.csv", b"Week,Task,Mon\n2026-01-05,7,1\n")})
    assert bad.status_code == 422 and b"row 2.task: you have no assignment on task 7" \
        in bad.content
    ok = client.post("/projects/MTX/timesheets/import/", {"file": SimpleUploadedFile("t.csv", CSV)})
    assert ok.status_code == 302 and ok["Location"].endswith("week=2026-01-05")
    answer = api_as(world["member"]).client.post(
        "/api/v1/projects/MTX/timesheets/import",
        {"file": SimpleUploadedFile("t.csv", b"Week,Task,Mon\n2026-01-19,2,3\n")},
        HTTP_AUTHORIZATION=f"Bearer {api_as(world['member']).token}")
    assert answer.status_code == 200 and answer.json()["weeks"][0]["week_start"] == "2026-01-19"


def test_submission_status_people_by_weeks(office: Any, api_as: Any) -> None:
    world = cost_loaded(office)
    member = world["member"]
    sheet = ts.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                              version=None, lines=[{"assignment_id": world["design"].pk,
                                                    "hours": week(8)}])
    ts.submit_timesheet(actor=member, project=office.project, week_start=MONDAY,
                        version=sheet.version)
    status = queries.submission_status([office.project], [MONDAY, NEXT_MONDAY])
    (row,) = status["rows"]
    assert (row["person"].pk, row["person"].username, str(row["person"])) == (
        member.pk, member.username, str(member))
    assert [c["state"] for c in row["cells"]] == ["submitted", "missing"]
    assert status["counts"]["missing"] == 1
    page = login(office.pm).get("/timesheets/status/?until=2026-01-12&weeks=2")
    assert page.status_code == 200
    assert b'data-week="2026-01-12" data-state="missing"' in page.content
    body = api_as(office.pmo).get("/timesheets/status?until=2026-01-12&weeks=2").json()
    assert body["people"][0]["weeks"][0]["state"] == "submitted"
    assert "MTX" in body["projects"]
    # A team member approves nobody's time: nothing to show.
    assert api_as(member).get("/timesheets/status").json()["people"] == []
    assert Decimal(1) == 1


def test_reminder_shows_in_the_notifications(office: Any, api_as: Any) -> None:
    world = cost_loaded(office)
    ts.remind_timesheets(today=THIRD_MONDAY)
    page = login(world["member"]).get("/notifications/")
    assert page.status_code == 200
    assert b"/timesheets/week/?week=2026-01-12" in page.content
    listed = api_as(world["member"]).get("/me/notifications").json()
    assert any("timesheet" in n["message"] for n in listed["items"])
