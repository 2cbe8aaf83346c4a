"""A planner updates a plan from a newer file in a real browser: the page lists what changes,
nothing changes until the planner applies it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projectoffice.planning.models import PlanTask
from tests.conftest import Office
from tests.planning.helpers import SIMPLE, build
from tests.planning.test_file_update import the_file

from .test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_update_from_file_lists_the_changes_then_applies_them(page, live_server, tmp_path,
                                                              jobs_at_once):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    path = tmp_path / "MTX.xml"
    path.write_bytes(the_file())
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/import/")
    expect(page.get_by_label("Update from file", exact=False)).to_be_checked()
    page.get_by_label("Plan file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    changes = page.locator("#plan-update")
    expect(changes).to_contain_text("Removed: task UID 1 'Design'")
    expect(changes).to_contain_text("Changed: task UID 4 'Test': name Release → Test")
    expect(changes).to_contain_text("Status date: none → 2026-02-02")
    assert PlanTask.objects.filter(plan__project=office.project, uid=1).exists()
    page.get_by_role("button", name="Apply these changes").click()
    expect(page.get_by_role("status")).to_contain_text("updated from the file")
    expect(page.locator("tr.plan-row")).to_have_count(2)
    assert not PlanTask.objects.filter(plan__project=office.project, uid=1).exists()
