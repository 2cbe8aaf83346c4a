"""The week across projects in a real browser: the developer fills his week (totals move
while typing, a leave day is refused), submits; one project manager approves his part after
reading its lines, the other rejects hers with a comment; the developer sees both and fixes
the rejected part.  Screenshots of the week and of the approver's view at 1440×900 and at a
phone's 390 px go to PMO_SCREENSHOTS (e.g. /tmp/shots-timesheet) when it is set."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from projectoffice.people import actions as people_actions
from projectoffice.timesheets.models import Timesheet
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in
from tests.timesheets.week_helpers import WEEK2, two_projects

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")
WEEK = f"/timesheets/week/?week={WEEK2.isoformat()}"


def shots(browser, live_server, username: str, path: str, name: str) -> None:
    """The page at desktop and phone widths."""
    if not SHOTS:
        return
    for width, height, suffix in ((1440, 900, "desktop"), (390, 844, "phone")):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, live_server, username)
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{suffix}.png"), full_page=True)
        context.close()


def test_fill_submit_approve_reject_and_fix_the_week(page, browser, live_server):
    office = Office()
    world = two_projects(office)
    member = world["member"]
    people_actions.record_absence(actor=office.pmo, person=member, kind="leave",
                                  start=WEEK2 + dt.timedelta(days=1),
                                  end=WEEK2 + dt.timedelta(days=1))
    sign_in(page, live_server, "team_member")
    page.get_by_role("link", name="My work").click()
    page.get_by_role("link", name="My timesheet this week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("timesheet")
    page.goto(f"{live_server.url}{WEEK}")
    expect(page.locator("thead")).to_contain_text("Leave")
    week_total = page.locator("[data-week-total]")
    page.get_by_label("MTX Design Monday").fill("8")
    expect(week_total).to_have_text("8")
    page.get_by_label("OTHER Support desk Monday").fill("2")
    expect(week_total).to_have_text("10")
    expect(page.locator('[data-day-total="0"]')).to_have_text("10")
    # Spreadsheet keys: Enter and the arrows move between cells.
    page.get_by_label("MTX Design Wednesday").fill("7.5")
    page.keyboard.press("Enter")
    page.keyboard.type("2")
    expect(page.get_by_label("OTHER Support desk Wednesday")).to_have_value("2")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("8")
    expect(page.get_by_label("MTX Design Thursday")).to_have_value("8")
    expect(page.locator("tr[data-row] [data-row-total]").first).to_have_text("23.5")
    page.get_by_label("Note on MTX Design").fill("Data model and review")
    # A day of approved leave: warned while typing, refused on saving.
    page.get_by_label("MTX Design Tuesday").fill("4")
    expect(page.locator("#ts-live")).to_contain_text("Tue 13 Jan is a day of your approved leave")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert.error")).to_contain_text(
        "Tue 13 Jan is a day of your approved leave")
    assert not Timesheet.objects.exists()
    expect(page.get_by_label("MTX Design Thursday")).to_have_value("8")  # kept as typed
    page.get_by_label("MTX Design Tuesday").fill("")
    # A task outside the week, found by searching.
    page.get_by_label("Add another task of yours").fill("hand")
    page.locator("[data-add-task]").first.click()
    page.get_by_label("OTHER Hand-over Friday").fill("1")
    expect(week_total).to_have_text("28.5")
    page.get_by_role("button", name="Submit week for approval").click()
    expect(page.locator(".alert.success")).to_contain_text("MTX, OTHER")
    expect(page.locator('[data-part="MTX"]')).to_have_attribute("data-state", "submitted")
    shots(browser, live_server, "team_member", WEEK, "week-submitted")

    # The MTX manager opens the part from the notification and reads its lines.
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    manager = context.new_page()
    sign_in(manager, live_server, "project_manager")
    manager.goto(f"{live_server.url}/notifications/")
    manager.get_by_role("link", name="submitted").first.click()
    lines = manager.locator("[data-part-lines] tbody")
    expect(lines).to_contain_text("Design")
    expect(lines).to_contain_text("Data model and review")
    expect(manager.locator("[data-part-total]")).to_have_text("23.5")
    mtx = Timesheet.objects.get(project__code="MTX")
    shots(browser, live_server, "project_manager", f"/timesheets/parts/{mtx.pk}/",
          "approver-part")
    manager.get_by_role("button", name="Approve MTX time").click()
    expect(manager.locator(".alert.success")).to_contain_text("approved")
    context.close()

    # The OTHER manager decides from the inbox of My work: reads the lines in place, then
    # rejects with a comment (a rejection without one is refused in place).
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    other = context.new_page()
    sign_in(other, live_server, "outsider")
    other.get_by_role("link", name="My work").click()
    other_part = Timesheet.objects.get(project__code="OTHER")
    entry = other.locator(f"#timesheet-{other_part.pk}")
    expect(other.locator("#inbox")).to_contain_text("Timesheets to approve")
    entry.locator("summary").click()
    expect(entry.locator("[data-part-lines] tbody")).to_contain_text("Hand-over")
    expect(entry.locator("[data-part-lines] tbody")).to_contain_text("Support desk")
    entry.get_by_role("button", name="Reject").click()
    expect(entry.locator(".inbox-result")).to_contain_text("say why")
    entry.get_by_label(f"Comment on {other_part.person}").fill(
        "The hand-over starts on the 19th: book it on support")
    entry.get_by_role("button", name="Reject").click()
    expect(entry.locator(".inbox-result")).to_contain_text("rejected")
    expect(entry.get_by_role("button", name="Approve")).to_be_hidden()
    context.close()

    # The developer is told of both decisions.
    page.goto(f"{live_server.url}/notifications/")
    notices = page.locator("#content")
    expect(notices).to_contain_text("approved")
    expect(notices).to_contain_text("book it on support")

    # The developer sees both states and fixes the rejected part.
    page.goto(f"{live_server.url}{WEEK}")
    expect(page.locator('[data-part="MTX"]')).to_have_attribute("data-state", "approved")
    expect(page.locator('[data-part="OTHER"]')).to_have_attribute("data-state", "rejected")
    expect(page.locator('[data-part="OTHER"]')).to_contain_text("book it on support")
    expect(page.get_by_label("MTX Design Monday")).to_be_disabled()
    shots(browser, live_server, "team_member", WEEK, "week-rejected")
    page.get_by_label("OTHER Hand-over Friday").fill("")
    page.get_by_label("OTHER Support desk Friday").fill("1")
    page.get_by_role("button", name="Submit week for approval").click()
    expect(page.locator(".alert.success")).to_contain_text("OTHER")
    expect(page.locator('[data-part="OTHER"]')).to_have_attribute("data-state", "submitted")
    assert Timesheet.objects.get(project__code="OTHER").lines.count() == 1
