"""Every key page, on the demo data, has no serious or critical accessibility violation.

The PMO manager (who sees every project) and a team member sign in and visit the key pages;
axe-core checks each at 1440×900 and at 390 px wide. The findings of all pages are listed
together when the test fails.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from projectoffice.demo import DEMO_PASSWORD, load_demo
from projectoffice.meetings.models import Meeting
from projectoffice.portfolio.models import Project
from projectoffice.registers.spec import all_specs
from tests.e2e.axe import Finding, check, report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = ((1440, 900), (390, 844))
SHOTS = os.environ.get("PMO_A11Y_SHOTS", "")  # a folder: screenshots of every page and width


def key_pages(code: str, *, pmo: bool) -> list[str]:
    project = Project.objects.get(code=code)
    pages = ["/", "/projects/", f"/projects/{code}/", f"/projects/{code}/plan/",
             "/plans/master/", f"/projects/{code}/resources/", f"/projects/{code}/timesheets/",
             f"/projects/{code}/finance/", "/earned-value/", "/benefits/", "/raid/",
             f"/projects/{code}/risk-overview/", f"/projects/{code}/meetings/", "/people/",
             "/people/omar/", "/people/whereabouts/", "/contacts/", "/facilities/bookings/",
             "/facilities/stock/", "/announcements/", "/notifications/", "/actions/mine/",
             "/account/", "/search/?q=supplier", "/my-work/", "/timesheets/week/",
             "/people/absences/awaiting/", "/health-thresholds/",
             "/notifications/preferences/", "/capacity/"]
    if pmo:
        pages += ["/audit/", f"/projects/{code}/audit/", "/timesheets/status/", "/outbox/",
                  "/people/absences/settings/"]
        from projectoffice.notices.models import OutboxMessage

        message = OutboxMessage.objects.order_by("pk").first()
        if message is not None:
            pages.append(f"/outbox/{message.pk}/")
    meeting = Meeting.objects.filter(project=project).order_by("pk").first()
    if meeting:
        pages.append(f"/projects/{code}/meetings/{meeting.pk}/")
    pages += [f"/projects/{code}/services/assurance/", f"/projects/{code}/traceability/",
              f"/projects/{code}/testing/runs/"]
    from projectoffice.assurance.models import TestRun

    run = TestRun.objects.filter(project=project).order_by("pk").first()
    if run is not None:
        pages.append(f"/projects/{code}/testing/runs/{run.pk}/")
    for spec in all_specs():
        pages.append(f"/projects/{code}/{spec.key}/")
        item = spec.model.objects.filter(project=project).order_by("pk").first()
        if item is not None:
            pages.append(f"/projects/{code}/{spec.key}/{item.reference}/")
    return pages


def visit(page, url: str, name: str, findings: list[Finding]) -> None:
    page.goto(url)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        findings += check(page, f"{url} at {width}px")
        if SHOTS:
            slug = name.strip("/").replace("/", "-").replace("?", "-") or "home"
            page.screenshot(path=os.path.join(SHOTS, f"{slug}-{width}.png"), full_page=True)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")


@pytest.mark.parametrize("username", ["pmo", "omar"])  # the PMO manager, a team member
def test_key_pages_have_no_serious_accessibility_violation(raw_page, live_server, username):
    load_demo(projects=2, progress=False)
    code = Project.objects.order_by("pk").values_list("code", flat=True)[0]
    findings: list[Finding] = []
    base = live_server.url

    visit(raw_page, f"{base}/login/", "login", findings)
    raw_page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(raw_page, base, username)
    for path in key_pages(code, pmo=username == "pmo"):
        visit(raw_page, base + path, f"{username}{path}", findings)

    assert not findings, report(findings)
