"""The portfolio dashboard and the programme page: the health matrix comes from the
published reports (with the move since the one before), milestones due and slipped, the
value-against-risk chart and the chart exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from projectoffice.controls.actions import escalate_issue
from projectoffice.planning import actions as plan_actions
from projectoffice.reports import actions, dashboard
from projectoffice.reports.models import StatusReport
from tests.conftest import PASSWORD, Office
from tests.planning.helpers import SIMPLE, build

DAY = dt.date(2026, 1, 14)


def _published(office: Office, today: dt.date, declared: dict[str, str]) -> StatusReport:
    report = actions.start_report(actor=office.pm, project=office.project, today=today)
    report = actions.edit_report(actor=office.pm, report=report, version=report.version,
                                 declared={**declared, "reason": "Watch the supplier"},
                                 commentary={"summary": "Words"})
    report = actions.submit_report(actor=office.pm, report=report, version=report.version,
                                   today=today)
    report = actions.review_report(actor=office.pmo, report=report, version=report.version,
                                   decision="accept")
    return actions.publish_report(actor=office.pmo, report=report, version=report.version,
                                  send=False)


@pytest.fixture
def reported(office: Office) -> Office:
    build(office.pm, office.project, SIMPLE)
    plan_actions.save_baseline(actor=office.pm, project=office.project, number=0)
    plan_actions.edit_plan(actor=office.pm, project=office.project,
                           version=office.project.plan.version,
                           edits=[{"uid": 2, "duration": "15d"}])  # Release slips a week
    actions.configure_reporting(actor=office.pm, project=office.project, version=None,
                                period="weekly")
    green = dict.fromkeys(("overall", "schedule", "cost", "risk", "scope", "benefits"),
                          "green")
    _published(office, DAY - dt.timedelta(days=7), {**green, "overall": "amber"})
    _published(office, DAY, {**green, "cost": "red", "overall": "green"})
    return office


def test_the_matrix_shows_the_latest_report_and_its_moves(reported: Office) -> None:
    office = reported
    rows = dashboard.health_matrix([office.project, office.other], DAY)
    mtx, other = rows
    cells = {c["key"]: c for c in mtx.cells}
    assert (cells["overall"]["rag"], cells["overall"]["arrow"]) == ("green", "up")
    assert (cells["cost"]["rag"], cells["cost"]["before"], cells["cost"]["arrow"]) == (
        "red", "green", "down")
    assert cells["scope"]["arrow"] == "same"
    assert mtx.history == ["amber", "green"] and mtx.period == "Week of 12 Jan 2026"
    assert [c["rag"] for c in other.cells] == [None] * 6 and other.period == ""


def test_milestones_due_and_slipped(reported: Office) -> None:
    office = reported
    found = dashboard.milestones([office.project], dt.date(2026, 1, 20))
    assert [(m["name"], m["slip"]) for m in found["due"]] == [("Release", 7)]
    assert [(m["name"], m["slip"]) for m in found["slipped"]] == [("Release", 7)]
    assert dashboard.milestones([office.project], dt.date(2026, 6, 1))["due"] == []


def test_bubbles_place_projects_with_a_budget_and_name_the_others() -> None:
    points = [dashboard.Bubble("AAA", "A", 300.0, 40.0, 100.0, "red", "GBP"),
              dashboard.Bubble("BBB", "B", 100.0, 10.0, 100.0, "green", "GBP"),
              dashboard.Bubble("CCC", "C", 50.0, 90.0, 0.0, None, "GBP")]
    svg = dashboard.bubble_svg(points)
    assert svg.count("<circle") == 2 and "No budget yet: CCC" in svg
    assert svg.index(">BBB<") > svg.index(">AAA<")  # drawn biggest first; both labelled


def test_pages_and_exports(reported: Office) -> None:
    office = reported
    escalate_issue(actor=office.pm, issue=office.issue, version=office.issue.version,
                   reason="Beyond the project")
    client = Client()
    assert client.login(username=office.pmo.username, password=PASSWORD)
    page = client.get("/portfolio/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Health matrix" in text and office.issue.reference in text
    assert "Value against risk" in text and "<svg" in text
    programme = client.get("/programmes/PRG/")
    assert programme.status_code == 200 and b"Roadmap" in programme.content
    png = client.get("/portfolio/dashboard/bubble.png")
    assert png.content.startswith(b"\x89PNG")
    pdf = client.get("/portfolio/dashboard/matrix.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Matrix project" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert client.get("/programmes/PRG/roadmap.svg").content.startswith(b"<svg")
    assert client.get("/portfolio/dashboard/bubble.gif").status_code == 404
    # An outsider sees neither the programme (none of its projects is theirs) nor MTX.
    outsider = Client()
    assert outsider.login(username=office.outsider.username, password=PASSWORD)
    assert outsider.get("/programmes/PRG/").status_code == 404
    assert b"Matrix project" not in outsider.get("/portfolio/dashboard/").content


def test_escalations_are_limited_to_the_projects_shown(reported: Office, db: Any) -> None:
    office = reported
    escalate_issue(actor=office.pm, issue=office.issue, version=office.issue.version,
                   reason="Beyond the project")
    seen = dashboard.escalations(office.pmo, [office.project])
    assert [i.reference for i in seen["issues"]] == [office.issue.reference]
    assert dashboard.escalations(office.pmo, [office.other])["issues"] == []


def test_the_matrix_pages_and_the_kept_charts_follow_each_change(
        reported: Office, monkeypatch: Any) -> None:
    """The matrix shows a page of projects; the bubbles and milestones over every project
    are kept under the projects' data versions, so a change shows on the next read."""
    from projectoffice.controls.registers import RISKS
    from projectoffice.planning.models import Plan, PlanTask
    from projectoffice.registers import actions as register_actions
    from projectoffice.reports import views

    office = reported
    monkeypatch.setattr(views, "MATRIX_PER_PAGE", 1)
    client = Client()
    client.force_login(office.pmo)
    first = client.get("/portfolio/dashboard/").content.decode()
    assert "Projects 1–1 of 2, by code" in first and 'href="?page=2"' in first
    matrix = first.split('class="reports-matrix"')[1].split("</table>")[0]
    assert "Matrix project" in matrix and "Other project" not in matrix
    second = client.get("/portfolio/dashboard/?page=2").content.decode()
    assert "Other project" in second.split('class="reports-matrix"')[1].split("</table>")[0]

    today = dt.date(2026, 1, 20)
    projects = [office.project, office.other]
    assert dashboard.bubbles(projects, today) == dashboard.bubbles(projects, today)
    before = {b.code: b.risk for b in dashboard.bubbles(projects, today)}
    register_actions.create_item(actor=office.pm, spec=RISKS, project=office.project,
                                 data={"title": "Key supplier fails", "inherent_probability": 5,
                                       "inherent_time": 5})
    after = {b.code: b.risk for b in dashboard.bubbles(projects, today)}
    assert after["MTX"] == 100.0 > before["MTX"] and after["OTHER"] == before["OTHER"]

    assert [m["slip"] for m in dashboard.milestones(projects, today)["due"]] == [7]
    release = PlanTask.objects.get(plan__project=office.project, name="Release")
    build_task = PlanTask.objects.get(plan__project=office.project, name="Build")
    plan = Plan.objects.get(project=office.project)
    plan_actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                           edits=[{"uid": build_task.uid, "duration": "20d"}])
    moved = dashboard.milestones(projects, today)
    assert [(m["name"], m["slip"]) for m in moved["slipped"]] == [(release.name, 14)]
