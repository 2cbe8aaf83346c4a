"""The PMO's cross-project views in a real browser: the master schedule's timeline and its
slip tool with a task chosen by typing, and the capacity heat map drilled down to a week."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projectoffice.resources import actions as resource_actions
from tests.conftest import Office
from tests.e2e.pickers import pick
from tests.e2e.test_issue_workflow import sign_in
from tests.planning.helpers import SIMPLE, build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_slip_a_task_chosen_by_typing_and_see_milestones_move(page, live_server):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    build(office.pmo, office.other, [
        {"name": "Integrate", "duration": "5d", "predecessors": "MTX:4FS+1d"},
        {"name": "Live", "duration": "0d", "predecessors": "1"}])
    sign_in(page, live_server, "pmo_manager")
    page.goto(f"{live_server.url}/plans/master/?zoom=month")
    expect(page.locator("svg.master-chart")).to_be_visible()
    expect(page.locator("svg.master-chart path[marker-end='url(#m-arrow-drive)']")).to_have_count(1)
    page.get_by_role("link", name="Years").click()
    expect(page.get_by_role("link", name="Years")).to_have_attribute("aria-current", "true")

    # The project chosen, its plan's tasks are offered (the page with the project in its
    # address is also what the form gives without JavaScript).
    page.goto(f"{live_server.url}/plans/master/?project=MTX")
    expect(page.locator("#slip-task option")).to_have_count(5)
    pick(page, "Task", "bui", "2 · Build")
    page.get_by_label("slips by (working days)").fill("3")
    page.get_by_role("button", name="Show impact").click()
    table = page.locator("#impact-list")
    expect(table).to_contain_text("Live")
    expect(table.locator("tr", has_text="Live")).to_contain_text("3")
    expect(page.get_by_role("heading", level=3)).to_contain_text("“Build” slips 3")


def test_open_the_tasks_behind_an_over_allocated_week(page, live_server):
    office = Office()
    tess = office.members["team_member"]
    build(office.pm, office.project, [{"name": "Build", "duration": "5d"},
                                      {"name": "Review", "duration": "5d"}])
    resource = resource_actions.create_resource(actor=office.pm, project=office.project,
                                                name="Tess", user=tess)
    for uid in (1, 2):
        resource_actions.assign_resource(actor=office.pm, project=office.project,
                                         resource_id=resource.pk, task_uid=uid,
                                         units=Decimal(100))
    sign_in(page, live_server, "project_manager")
    page.get_by_role("link", name="Capacity", exact=True).click()
    page.get_by_label("From").fill("2026-01-05")
    page.wait_for_url("**from=2026-01-05**")
    page.wait_for_load_state("networkidle")
    cell = page.get_by_role("link", name="Team Member, week of 5 January 2026: 80.0 of 37.5 "
                                          "hours, over-allocated")
    expect(cell).to_be_visible()
    cell.click()
    detail = page.locator("#capacity-detail")
    expect(detail).to_contain_text("Build")
    expect(detail).to_contain_text("Review")
    expect(detail.get_by_role("link", name="MTX").first).to_be_visible()
    expect(detail).to_contain_text("Level the plan of MTX")
