"""A planner uploads an MS Project .mpp in a real browser and sees its plan; without Java the
page says what to install; the grid's Mode column makes a task manual."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.formats import mpxj_bridge
from tests.conftest import Office
from tests.formats.mpxj_oracle import java_available

from .test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MPP = "mpp/task-links-project2013-mpp14.mpp"


def mpp_file():
    path = default_corpus() / MPP
    if not path.is_file():
        pytest.skip("corpus absent")
    return path


@pytest.mark.oracle
def test_upload_an_mpp_and_see_its_plan(page, live_server, jobs_at_once):
    if not java_available():
        pytest.skip("java is not installed")
    path = mpp_file()
    Office()
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a plan file")
    page.get_by_label("Plan file").set_input_files(str(path))
    # Java reads the file in a child process: allow it time on a loaded machine.
    page.get_by_role("button", name="Import").click(no_wait_after=True)
    expect(page.get_by_role("status")).to_contain_text("imported", timeout=180_000)
    expect(page.get_by_label("Name of row 1", exact=True)).to_have_value("Task 1")
    rows = page.locator("tr.plan-row")
    expect(rows).to_have_count(16)
    # Row 2 made manual from the Task mode column stays where it is.
    start = page.get_by_label("Start of row 2", exact=True).input_value()
    page.get_by_label("Task mode of row 2", exact=True).select_option("manual")
    expect(page.get_by_label("Task mode of row 2", exact=True)).to_have_value("manual")
    expect(page.get_by_label("Start of row 2", exact=True)).to_have_value(start)


def test_without_java_the_upload_says_what_to_install(page, live_server, monkeypatch,
                                                     jobs_at_once):
    path = mpp_file()
    monkeypatch.setattr(mpxj_bridge, "java_runtime", lambda: None)
    Office()
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/import/")
    page.get_by_label("Plan file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    # The import ran as a job: its status page shows why nothing was changed.
    expect(page.locator("#run-status")).to_contain_text("Nothing was changed.")
    problems = page.locator("#run-status")
    expect(problems).to_contain_text("needs a Java runtime")
    expect(problems).to_contain_text("Java 11 or later")
