"""The service's pages render for the roles that use them: hub, registers, item panels,
runs, execution and the steps form."""

from __future__ import annotations

from typing import Any

import pytest

from projectoffice.assurance.models import TestCase, TestExecution
from projectoffice.controls.models import Issue
from tests.assurance.helpers import assurance_setup
from tests.conftest import Office

pytestmark = pytest.mark.django_db


def test_hub_registers_and_panels(office: Office, client: Any) -> None:
    ids = assurance_setup(office)
    client.force_login(office.members["testing_manager"])
    hub = client.get("/projects/MTX/services/assurance/").content.decode()
    for label in ("Requirements", "Deliverables", "Test plans", "Test cases", "Test runs",
                  "Traceability matrix"):
        assert label in hub
    overview = client.get("/projects/MTX/").content.decode()
    assert "Quality &amp; testing" in overview and ">Requirements</a>" not in overview
    for key in ("requirements", "deliverables", "test-plans", "test-cases"):
        item = office.raid[key]
        assert client.get(f"/projects/MTX/{key}/").status_code == 200
        page = client.get(f"/projects/MTX/{key}/{item.reference}/")
        assert page.status_code == 200, key
    assert "Verification" in client.get(
        f"/projects/MTX/requirements/{office.raid['requirements'].reference}/").content.decode()
    assert client.get("/projects/MTX/testing/runs/").status_code == 200
    assert client.get(f"/projects/MTX/testing/runs/{ids['run']}/").status_code == 200


def test_steps_then_execute_from_the_pages(office: Office, client: Any) -> None:
    ids = assurance_setup(office)
    case = office.raid["test-cases"]
    client.force_login(office.members["testing_manager"])
    saved = client.post(f"/projects/MTX/testing/cases/{case.reference}/steps/", {
        "version": 1, "action": ["Open the portal", "Sign in", ""],
        "expected": ["Sign-in page", "Home page", ""]})
    assert saved.status_code == 302
    assert TestCase.objects.get(pk=case.pk).steps.count() == 2
    url = f"/projects/MTX/testing/runs/{ids['run']}/execute/{case.reference}/"
    form = client.get(url).content.decode()
    assert "Open the portal" in form
    done = client.post(url, {"step-1-result": "passed", "step-2-result": "failed",
                             "step-2-note": "Blank page", "severity": "high"})
    assert done.status_code == 302
    execution = TestExecution.objects.get(case=case)
    assert execution.result == "failed" and isinstance(execution.defect, Issue)
    run_page = client.get(done["Location"]).content.decode()
    assert execution.defect.reference in run_page and "Re-test" in run_page
    # A team member reads runs but may not execute.
    client.force_login(office.members["team_member"])
    assert client.get(url).status_code == 403
    assert client.get(f"/projects/MTX/testing/runs/{ids['run']}/").status_code == 200
