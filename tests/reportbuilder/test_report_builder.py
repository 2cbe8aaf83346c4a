"""Saved reports: the definition checked at its fields with nothing written, sharing and
who reads which rows, the exports (formula-safe), the schedule and the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from projectoffice.accounts.models import User
from projectoffice.audit.models import AuditEntry
from projectoffice.controls.registers import ISSUES
from projectoffice.registers import actions as register_actions
from projectoffice.reportbuilder import actions
from projectoffice.reportbuilder.models import SavedReport
from tests.conftest import PASSWORD, Api, Office
from tests.planning.helpers import SIMPLE, build

pytestmark = pytest.mark.django_db

ISSUE_REPORT = {"name": "Open issues", "source": "issues",
                "columns": ["project", "reference", "title", "status"],
                "filters": [{"field": "status", "op": "ne", "value": "Closed"}],
                "sort": "reference"}


def test_a_filter_on_a_field_that_does_not_exist_is_refused_and_nothing_is_written() -> None:
    office = Office()
    client = Api(office.pm)
    before = AuditEntry.objects.count()
    answer = client.post("/saved-reports", {**ISSUE_REPORT, "filters": [
        {"field": "status", "op": "eq", "value": "Open"},
        {"field": "colour", "op": "eq", "value": "red"}]})
    assert answer.status_code == 422
    body = answer.json()
    assert body["errors"] == {"filters[1].field": ["'colour' is not a column of Issue log"]}
    assert "colour" in body["message"]
    assert not SavedReport.objects.exists()
    assert AuditEntry.objects.count() == before
    answer = client.post("/saved-reports", {**ISSUE_REPORT, "columns": ["title", "weight"]})
    assert answer.json()["errors"] == {"columns[1]": ["'weight' is not a column of Issue log"]}
    answer = client.post("/saved-reports", {**ISSUE_REPORT, "source": "weather"})
    assert answer.status_code == 422 and "source" in answer.json()["errors"]
    assert not SavedReport.objects.exists()


def test_each_reader_sees_only_the_rows_they_may_see() -> None:
    office = Office()
    register_actions.create_item(actor=office.outsider, spec=ISSUES, project=office.other,
                                 data={"title": "Elsewhere", "severity": "low"})
    created = Api(office.pmo).post("/saved-reports", {**ISSUE_REPORT, "scope": "office"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    def projects(user) -> set[str]:
        table = Api(user).get(f"/saved-reports/{pk}/table").json()
        return {row[0] for g in table["groups"] for row in g["rows"]}

    assert projects(office.pmo) == {"MTX", "OTHER"}
    assert projects(office.members["team_member"]) == {"MTX"}
    assert projects(office.outsider) == {"OTHER"}
    # A private report is its owner's; a project's report is read by who sees the project.
    mine = Api(office.pm).post("/saved-reports", ISSUE_REPORT).json()["id"]
    assert Api(office.members["team_member"]).get(f"/saved-reports/{mine}").status_code == 404
    shared = Api(office.pm).post("/saved-reports", {**ISSUE_REPORT, "scope": "project",
                                                    "project": "MTX"}).json()["id"]
    assert Api(office.members["stakeholder"]).get(f"/saved-reports/{shared}").status_code == 200
    assert Api(office.outsider).get(f"/saved-reports/{shared}").status_code == 404
    refused = Api(office.members["stakeholder"]).post(
        "/saved-reports", {**ISSUE_REPORT, "scope": "project", "project": "MTX"})
    assert refused.status_code == 403
    assert Api(office.pm).post("/saved-reports", {**ISSUE_REPORT, "scope": "office"}) \
        .status_code == 403


def test_grouping_and_totals_over_plan_tasks_and_a_stale_edit() -> None:
    office = Office()
    build(office.pm, office.project, SIMPLE)
    client = Api(office.pm)
    made = client.post("/saved-reports", {
        "name": "Work by milestone", "source": "tasks", "columns": ["name", "duration"],
        "group_by": "milestone", "totals": ["duration"], "sort": "-duration"}).json()
    table = client.get(f"/saved-reports/{made['id']}/table").json()
    assert [g["label"] for g in table["groups"]] == ["No", "Yes"]
    assert [r[0] for r in table["groups"][0]["rows"]] == ["Build", "Design", "Docs"]
    assert float(table["groups"][0]["totals"]["duration"]) == 18
    assert float(table["totals"]["duration"]) == 18
    changed = client.patch(f"/saved-reports/{made['id']}", {"version": 1, "name": "Work"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.patch(f"/saved-reports/{made['id']}", {"version": 1, "name": "Again"})
    assert stale.status_code == 409
    wrong = client.patch(f"/saved-reports/{made['id']}", {"version": 2, "totals": ["name"]})
    assert wrong.status_code == 422 and "totals[0]" in wrong.json()["errors"]
    assert SavedReport.objects.get().name == "Work"


def test_exports_never_run_a_formula() -> None:
    office = Office()
    register_actions.create_item(actor=office.pm, spec=ISSUES, project=office.project,
                                 data={"title": '=HYPERLINK("http://x","y")',
                                       "severity": "low"})
    client = Api(office.pm)
    pk = client.post("/saved-reports", {**ISSUE_REPORT, "columns": ["title"],
                                        "filters": []}).json()["id"]
    text = client.get(f"/saved-reports/{pk}/export?format=csv").content.decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(text))]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells
    xlsx = client.get(f"/saved-reports/{pk}/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for c in sheet["A"]]
    assert values[0] == "Title" and "'=HYPERLINK(\"http://x\",\"y\")" in values
    pdf = client.get(f"/saved-reports/{pk}/export?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_scheduled_reports_are_e_mailed_once_when_due(django_capture_on_commit_callbacks) -> None:
    office = Office()
    weekly = actions.create_report(actor=office.pm, data=actions.ReportInput(
        name="Weekly issues", source="issues", columns=["reference", "title"],
        schedule="weekly", recipients=["board@example.org"], export_format="csv"))
    monthly = actions.create_report(actor=office.pm, data=actions.ReportInput(
        name="Monthly issues", source="issues", columns=["reference", "title"],
        schedule="monthly", recipients=["board@example.org"], export_format="pdf"))
    created = timezone.make_aware(dt.datetime(2026, 3, 4, 9))  # a Wednesday
    SavedReport.objects.filter(pk__in=[weekly.pk, monthly.pk]).update(created_at=created)
    thursday = timezone.make_aware(dt.datetime(2026, 3, 5, 9))
    assert actions.send_due_reports(thursday) == 0
    monday = timezone.make_aware(dt.datetime(2026, 3, 9, 6))
    with pytest.raises(Exception):  # noqa: B017 - the schedule needs somebody to send to
        actions.create_report(actor=office.pm, data=actions.ReportInput(
            name="Nobody", source="issues", columns=["title"], schedule="weekly"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_due_reports(monday) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["board@example.org"] and sent.subject == "Report: Weekly issues"
    name, content, _mime = sent.attachments[0]
    assert name == "weekly-issues.csv" and office.issue.reference in str(content)
    assert actions.send_due_reports(monday + dt.timedelta(hours=5)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_due_reports(timezone.make_aware(dt.datetime(2026, 4, 1, 7))) == 2
    assert mail.outbox[-1].attachments[0][2] == "application/pdf"


def test_each_member_on_the_list_gets_only_the_rows_they_may_see(
        django_capture_on_commit_callbacks) -> None:
    office = Office()
    User.objects.filter(pk=office.outsider.pk).update(email="Outsider@Example.org")
    report = actions.create_report(actor=office.pm, data=actions.ReportInput(
        name="Weekly issues", source="issues", columns=["reference", "title"],
        schedule="weekly", recipients=["board@example.org", "outsider@example.org"],
        export_format="csv"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_saved_report(report) == 2
    by_reader = {tuple(m.to): str(m.attachments[0][1]) for m in mail.outbox}
    assert set(by_reader) == {("board@example.org",), ("outsider@example.org",)}
    # Outside the office: the owner's rows. A member of another project only: none.
    assert office.issue.reference in by_reader[("board@example.org",)]
    assert office.issue.reference not in by_reader[("outsider@example.org",)]


def test_the_builder_page_shows_errors_at_the_field_and_saves() -> None:
    office = Office()
    browser = Client()
    assert browser.login(username="project_manager", password=PASSWORD)
    page = browser.get("/reports/new/?source=issues")
    assert page.status_code == 200 and b"Filter 1: column" in page.content
    form = {"save": "1", "name": "Issues by status", "source": "issues",
            "columns": ["reference", "title"], "filter_2_field": "colour",
            "filter_2_op": "eq", "filter_2_value": "red", "group_by": "status",
            "scope": "project", "project": "MTX", "export_format": "xlsx"}
    refused = browser.post("/reports/new/", form)
    assert refused.status_code == 422
    assert "&#x27;colour&#x27; is not a column of Issue log" in refused.content.decode()
    assert b'id="filter_2-error"' in refused.content
    assert not SavedReport.objects.exists()
    form["filter_2_field"] = "severity"
    form["filter_2_value"] = "high"
    saved = browser.post("/reports/new/", form)
    report = SavedReport.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/reports/{report.pk}/"
    shown = browser.get(saved["Location"]).content.decode()
    assert office.issue.reference in shown and "Supplier late" in shown
    assert browser.get(f"/reports/{report.pk}/export.xlsx").status_code == 200
    listed = browser.get("/reports/").content.decode()
    assert "Issues by status" in listed
    # The project's own list (from its Reporting service) shows what is shared with it.
    hub = browser.get("/projects/MTX/services/reporting/").content.decode()
    assert "/projects/MTX/reports/" in hub
    own = browser.get("/projects/MTX/reports/").content.decode()
    assert "Issues by status" in own and 'name="project" value="MTX"' in own
    assert browser.get("/projects/OTHER/reports/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_pmo_send_reports_sends_what_is_due(capsys) -> None:
    from projectoffice.cli import main

    office = Office()
    actions.create_report(actor=office.pm, data=actions.ReportInput(
        name="Weekly issues", source="issues", columns=["reference", "title"],
        schedule="weekly", recipients=["board@example.org"]))
    SavedReport.objects.update(created_at=timezone.make_aware(dt.datetime(2026, 3, 4, 9)))
    mail.outbox.clear()
    assert main(["send-reports", "--now", "2026-03-09T08:00"]) == 0
    assert "1 report sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0] == "weekly-issues.xlsx"
    assert main(["send-reports", "--now", "2026-03-09T09:00"]) == 0
    assert "0 reports sent" in capsys.readouterr().out
