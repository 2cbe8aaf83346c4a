"""Status reports: periods, the workflow, frozen figures, revisions, the comparison with the
last period, bad input, distribution by e-mail and the portfolio pack."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from projectoffice.controls.registers import RISKS
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound, StaleVersion
from projectoffice.planning import actions as plan_actions
from projectoffice.portfolio.access import access_project
from projectoffice.registers import actions as register_actions
from projectoffice.reports import actions, queries
from projectoffice.reports.models import ReportRevision, ReportStatus, StatusReport
from projectoffice.reports.pdf import pack_pdf, report_pdf
from tests.conftest import PASSWORD, Office
from tests.planning.helpers import SIMPLE, build

DAY = dt.date(2026, 1, 14)


@pytest.fixture
def planned(office: Office) -> Office:
    """MTX with a plan (Release is a milestone), baseline 0 saved, reporting weekly."""
    build(office.pm, office.project, SIMPLE)
    plan_actions.save_baseline(actor=office.pm, project=office.project, number=0)
    actions.configure_reporting(actor=office.pm, project=office.project, version=None,
                                period="weekly", recipients="board@example.org")
    return office


def _write(office: Office, report: StatusReport, summary: str = "On track.") -> StatusReport:
    return actions.edit_report(actor=office.pm, report=report, version=report.version,
                               commentary={"summary": summary})


def _publish(office: Office, report: StatusReport, today: dt.date = DAY) -> StatusReport:
    report = actions.submit_report(actor=office.pm, report=report, version=report.version,
                                   today=today)
    report = actions.review_report(actor=office.pmo, report=report, version=report.version,
                                   decision="accept")
    return actions.publish_report(actor=office.pmo, report=report, version=report.version)


def test_the_workflow_freezes_figures_keeps_revisions_and_sends_the_pdf(
        planned: Office, django_capture_on_commit_callbacks: Any) -> None:
    office = planned
    for user, address in ((office.pm, "pm@example.org"),
                          (office.members["stakeholder"], "stake@example.org")):
        type(user).objects.filter(pk=user.pk).update(email=address)
    report = actions.start_report(actor=office.pm, project=office.project, today=DAY)
    assert (report.period_start, report.period_end) == (dt.date(2026, 1, 12),
                                                        dt.date(2026, 1, 18))
    assert report.status == ReportStatus.DRAFT and report.snapshot is None
    with pytest.raises(Conflict):
        actions.start_report(actor=office.pm, project=office.project, today=DAY)
    with pytest.raises(InvalidInput) as empty:
        actions.submit_report(actor=office.pm, report=report, version=report.version, today=DAY)
    assert "commentary.summary" in empty.value.errors
    report = _write(office, report, "First words.")
    report = _write(office, report, "Second words.")
    assert list(ReportRevision.objects.filter(report=report).values_list(
        "number", flat=True)) == [3, 2, 1]
    assert ReportRevision.objects.get(report=report, number=2).commentary["summary"] == \
        "First words."
    with pytest.raises(StaleVersion):
        actions.edit_report(actor=office.pm, report=report, version=1,
                            commentary={"summary": "Lost"})
    with pytest.raises(Forbidden):  # team members do not write reports
        actions.edit_report(actor=office.members["team_member"], report=report,
                            version=report.version, commentary={"summary": "Mine"})

    report = actions.submit_report(actor=office.pm, report=report, version=report.version,
                                   today=DAY)
    frozen = report.snapshot
    assert frozen["milestones"]["all"][0]["name"] == "Release"
    assert [r["ref"] for r in frozen["risks"]["open"]] == [office.raid["risks"].reference]
    # New data after submission does not change what was reported.
    register_actions.create_item(actor=office.pm, spec=RISKS, project=office.project,
                                 data={"title": "Late risk", "owner": office.pm})
    assert queries.figures_of(StatusReport.objects.get(pk=report.pk), DAY) == frozen
    with pytest.raises(Forbidden):  # the PM does not review their own report
        actions.review_report(actor=office.pm, report=report, version=report.version,
                              decision="accept")
    with pytest.raises(InvalidInput) as why:
        actions.review_report(actor=office.pmo, report=report, version=report.version,
                              decision="return")
    assert "comment" in why.value.errors
    report = actions.review_report(actor=office.staff, report=report, version=report.version,
                                   decision="return", comment="Say more about the supplier.")
    assert report.status == ReportStatus.RETURNED
    report = _write(office, report, "The supplier is two weeks late.")
    report = actions.submit_report(actor=office.pm, report=report, version=report.version,
                                   today=DAY)
    assert [r["title"] for r in report.snapshot["risks"]["top"]][-1] == "Late risk"
    report = actions.review_report(actor=office.pmo, report=report, version=report.version,
                                   decision="accept")
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.publish_report(actor=office.pmo, report=report,
                                        version=report.version)
    assert report.status == ReportStatus.PUBLISHED
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["board@example.org", "pm@example.org", "stake@example.org"]
    name, content, kind = sent.attachments[0]
    assert kind == "application/pdf" and name.endswith(".pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "The supplier is two weeks late." in text and "Release" in text


def test_drafts_are_for_managers_and_the_office_published_for_every_member(
        planned: Office) -> None:
    office = planned
    report = _write(office, actions.start_report(actor=office.pm, project=office.project,
                                                 today=DAY))
    stakeholder = office.members["stakeholder"]
    with pytest.raises(NotFound):
        queries.get_report(stakeholder, office.project, report.pk)
    assert queries.get_report(office.staff, office.project, report.pk) == report
    _publish(office, report)
    assert queries.get_report(stakeholder, office.project, report.pk).pk == report.pk
    with pytest.raises(NotFound):  # the page's declaration fetches the project first
        access_project(office.outsider, "MTX")


def test_a_section_naming_a_missing_item_is_a_field_error_and_nothing_is_written(
        planned: Office) -> None:
    office = planned
    report = actions.start_report(actor=office.pm, project=office.project, today=DAY)
    risk = office.raid["risks"].reference
    with pytest.raises(InvalidInput) as exc:
        actions.edit_report(actor=office.pm, report=report, version=report.version,
                            commentary={"summary": "Fine", "risks": f"{risk} and RSK-0099"})
    assert exc.value.errors == {
        "commentary.risks": ["RSK-0099 is not an item of MTX (deleted or mistyped?)"]}
    with pytest.raises(InvalidInput) as rag:
        actions.edit_report(actor=office.pm, report=report, version=report.version,
                            declared={**report.declared, "cost": "purple"})
    assert list(rag.value.errors) == ["declared.cost"]
    with pytest.raises(InvalidInput) as reason:
        actions.edit_report(actor=office.pm, report=report, version=report.version,
                            declared={**report.declared, "overall": "red", "reason": ""})
    assert list(reason.value.errors) == ["declared.reason"]
    fresh = StatusReport.objects.get(pk=report.pk)
    assert fresh.version == report.version and fresh.commentary["summary"] == ""
    assert ReportRevision.objects.filter(report=report).count() == 1
    with pytest.raises(InvalidInput):
        actions.configure_reporting(actor=office.pm, project=office.project, version=2,
                                    period="weekly", recipients="not an address")


def test_the_next_report_is_compared_with_the_last_published(planned: Office) -> None:
    office = planned
    first = _publish(office, _write(office, actions.start_report(
        actor=office.pm, project=office.project, today=DAY)))
    # The build takes longer (the release slips 5 days) and a new risk appears.
    plan_actions.edit_plan(actor=office.pm, project=office.project,
                           version=office.project.plan.version,
                           edits=[{"uid": 2, "duration": "15d"}])
    risk = register_actions.create_item(actor=office.pm, spec=RISKS, project=office.project,
                                        data={"title": "Testers unavailable"})
    later = DAY + dt.timedelta(days=7)
    second = _write(office, actions.start_report(actor=office.pm, project=office.project,
                                                 today=later))
    second = actions.submit_report(actor=office.pm, report=second, version=second.version,
                                   today=later)
    view = queries.report_view(second, later)
    assert view.previous == first
    assert view.changes is not None
    assert view.changes.new_risks == (f"{risk.reference} Testers unavailable",)
    assert [(s.name, s.days) for s in view.changes.slips] == [("Release", 7)]
    ms = second.snapshot["milestones"]
    assert [(m["name"], m["slip_days"]) for m in ms["all"]] == [("Release", 7)]
    listed = ms["next"] + ms["slipped"]  # due next, or slipped further out: listed once
    assert [m["name"] for m in listed] == ["Release"]


def test_report_pdf_and_portfolio_pack(planned: Office) -> None:
    office = planned
    report = _publish(office, _write(office, actions.start_report(
        actor=office.pm, project=office.project, today=DAY), "Matrix summary."))
    pages = PdfReader(io.BytesIO(report_pdf(report, DAY))).pages
    assert "Status report: MTX Matrix project" in pages[0].extract_text()
    pack = PdfReader(io.BytesIO(pack_pdf("Week of 12 Jan 2026", [report], DAY)))
    text = [p.extract_text() for p in pack.pages]
    assert "Portfolio pack: Week of 12 Jan 2026" in text[0]
    assert "Contents" in text[1] and "MTX Matrix project" in text[1]
    assert any("Matrix summary." in t for t in text[2:])
    assert [o.title for o in pack.outline] == ["MTX Matrix project"]


def test_pages_write_submit_review_and_publish(planned: Office) -> None:
    office = planned
    pm, pmo = Client(), Client()
    assert pm.login(username=office.pm.username, password=PASSWORD)
    assert pmo.login(username=office.pmo.username, password=PASSWORD)
    assert pm.get("/projects/MTX/status-reports/").status_code == 200
    hub = pm.get("/projects/MTX/services/reporting/")
    assert b"Status reports" in hub.content
    response = pm.post("/projects/MTX/status-reports/start/")
    report = StatusReport.objects.get(project=office.project)
    assert response.status_code == 302
    base = f"/projects/MTX/status-reports/{report.pk}/"
    page = pm.get(base)
    assert page.status_code == 200 and b"Submit to the Project Office" in page.content
    bad = pm.post(base + "edit/", {"version": report.version, "commentary_summary": "x",
                                   "commentary_risks": "see RSK-0042", "declared_overall":
                                   "green", **{f"declared_{k}": "green" for k in
                                               ("schedule", "cost", "risk", "scope",
                                                "benefits")}})
    assert bad.status_code == 422 and b"RSK-0042 is not an item of MTX" in bad.content
    assert b"see RSK-0042" in bad.content  # what was typed is kept
    ok = pm.post(base + "edit/", {"version": report.version, "commentary_summary": "Good",
                                  "declared_overall": "green",
                                  **{f"declared_{k}": "green" for k in
                                     ("schedule", "cost", "risk", "scope", "benefits")}})
    assert ok.status_code == 302
    report.refresh_from_db()
    pm.post(base + "submit/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == "submitted"
    assert b"To review and publish" in pmo.get("/status-reports/").content
    pmo.post(base + "review/", {"version": report.version, "decision": "accept"})
    report.refresh_from_db()
    pmo.post(base + "publish/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == "published"
    pdf = pm.get(base + "report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pack = pmo.get(f"/status-reports/pack/weekly/{report.period_start}.pdf")
    assert pack.status_code == 200 and pack.content.startswith(b"%PDF")
    assert pmo.get("/status-reports/pack/weekly/2020-01-06.pdf").status_code == 404
    svg = pm.get(base + "trend.svg?format=png")
    assert svg.content.startswith(b"\x89PNG")


def test_api_lists_what_the_caller_may_read(planned: Office, api_as: Any) -> None:
    office = planned
    report = _write(office, actions.start_report(actor=office.pm, project=office.project,
                                                 today=DAY))
    assert [r["status"] for r in api_as(office.pm).get(
        "/projects/MTX/status-reports").json()] == ["draft"]
    assert api_as(office.members["stakeholder"]).get(
        "/projects/MTX/status-reports").json() == []
    _publish(office, report)
    [seen] = api_as(office.members["stakeholder"]).get("/projects/MTX/status-reports").json()
    assert seen["status"] == "published" and seen["snapshot"]["project"]["code"] == "MTX"
    assert api_as(office.outsider).get("/projects/MTX/status-reports").status_code == 404
