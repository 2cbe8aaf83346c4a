"""Change control in a real browser: propose plan edits on a change request, assess them on
a what-if plan, see the milestone movement, approve as the sponsor and apply to the plan."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from projectoffice.planning.models import Baseline, Plan
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.registers import actions as register_actions
from tests.conftest import Office, make_user
from tests.e2e.pickers import pick
from tests.e2e.test_issue_workflow import sign_in
from tests.planning.helpers import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_propose_assess_approve_and_apply_a_change(page, browser, live_server):
    office = Office()
    build(office.pm, office.project, [
        {"name": "Design", "duration": "5d"},
        {"name": "Build", "duration": "10d", "predecessors": "1"},
        {"name": "Docs", "duration": "3d", "predecessors": "1"},
        {"name": "Go live", "duration": "0d", "predecessors": "2, 3"}])
    sponsor = make_user("sponsor", "executive")
    portfolio_actions.update_project(actor=office.pmo, project=office.project,
                                     version=office.project.version,
                                     changes={"sponsor": sponsor})
    ref = office.raid["changes"].reference
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/changes/{ref}/")
    page.get_by_label("The edit").select_option("duration")
    pick(page, "Task (duration, removal)", "build", "2 Build")
    page.get_by_label("New duration").fill("25d")
    page.get_by_role("button", name="Add the edit").click()
    expect(page.locator("#plan-edits")).to_contain_text("Change 2 Build: duration → 25d")
    page.get_by_label("The edit").select_option("link")
    pick(page, "Predecessor (link)", "2 bu", "2 Build")
    pick(page, "Successor (link)", "docs", "3 Docs")
    page.get_by_label("Link type").select_option("FF")
    page.get_by_role("button", name="Add the edit").click()
    expect(page.locator("#plan-edits")).to_contain_text("Add link: 2 Build → 3 Docs (FF)")
    page.get_by_label("Other added cost").fill("30000")
    page.get_by_role("button", name="Assess the impact on a what-if plan").click()
    expect(page.locator(".alert.success")).to_contain_text("the finish moves 15 working days")
    expect(page.locator(".milestone-movements")).to_contain_text("+15 working days")
    shot(page, "change-impact")

    change = type(office.raid["changes"]).objects.get(pk=office.raid["changes"].pk)
    change = register_actions.transition_item(actor=office.pm, item=change,
                                              transition="submit", version=change.version)
    register_actions.transition_item(actor=office.pm, item=change, transition="assess",
                                     version=change.version)
    page.reload()
    expect(page.locator(".card", has_text="Approval")).to_contain_text("Above the threshold")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        other = context.new_page()
        sign_in(other, live_server, "sponsor")
        other.goto(f"{live_server.url}/projects/MTX/changes/{ref}/")
        other.locator("summary", has_text="Approve…").click()
        other.get_by_label("Why? *").first.fill("Funded from contingency")
        other.get_by_role("button", name="Approve", exact=True).click()
        expect(other.locator(".alert.success")).to_contain_text("approved")
    finally:
        context.close()

    page.reload()
    page.get_by_role("button", name="Apply to the plan").click()
    expect(page.locator(".alert.success").first).to_contain_text("applied")
    expect(page.locator("#impact")).to_contain_text("baseline 1 saved")
    shot(page, "change-applied")
    plan = Plan.objects.get(project=office.project)
    assert Baseline.objects.filter(plan=plan, number=1, name__startswith=ref).exists()
    page.goto(f"{live_server.url}/projects/MTX/controls/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Control settings")
    shot(page, "control-settings")


def test_propose_a_budget_edit_from_the_change_page(page, browser, live_server):
    import datetime as dt
    from decimal import Decimal

    from projectoffice.finance import actions as fin

    office = Office()
    build(office.pm, office.project, [{"name": "Design", "duration": "5d"},
                                      {"name": "Build", "duration": "10d", "predecessors": "1"}])
    budget = fin.create_budget(actor=office.pm, project=office.project, name="Original",
                               lines=[{"category": "services", "period": dt.date(2026, 5, 1),
                                       "amount": Decimal("5000")}])
    fin.approve_budget(actor=office.pm, project=office.project, number=budget.number,
                       version=budget.version)
    ref = office.raid["changes"].reference
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/changes/{ref}/")
    page.get_by_label("The edit").select_option("budget")
    expect(page.get_by_label("Task (duration, removal)")).to_be_hidden()
    pick(page, "WBS element", "build", "2 Build")
    page.get_by_label("Cost category").select_option("services")
    page.get_by_label("Month").fill("2026-05")
    page.get_by_label(f"Amount ({office.project.currency})").fill("1500")
    page.get_by_role("button", name="Add the edit").click()
    expect(page.locator("#plan-edits")).to_contain_text(
        f"Budget: +1,500.00 {office.project.currency} on Services, May 2026, 2 Build")
    page.get_by_role("button", name="Assess the impact on a what-if plan").click()
    expect(page.locator("#impact")).to_contain_text("1500.00 budget edits")
    shot(page, "change-budget-edit")
