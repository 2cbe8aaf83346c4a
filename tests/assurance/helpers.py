"""A small assurance world on the Office fixture: a requirement, a deliverable, a test plan,
a case verifying the requirement and a run."""

from __future__ import annotations

from typing import Any

from projectoffice.assurance import actions
from projectoffice.assurance.registers import DELIVERABLES, REQUIREMENTS, TEST_CASES, TEST_PLANS
from projectoffice.registers import actions as kernel


def assurance_setup(office: Any) -> dict[str, Any]:
    """Adds the four registers' items to office.raid and returns the run's id."""
    pm, project = office.pm, office.project
    requirement = kernel.create_item(actor=pm, spec=REQUIREMENTS, project=project,
                                     data={"title": "Users sign in once", "moscow": "must"})
    office.raid["requirements"] = requirement
    office.raid["deliverables"] = kernel.create_item(
        actor=pm, spec=DELIVERABLES, project=project,
        data={"title": "Sign-on service", "acceptance_criteria": "Passes the SSO tests"})
    plan = kernel.create_item(actor=pm, spec=TEST_PLANS, project=project,
                              data={"title": "Release 1 tests", "release": "1.0"})
    office.raid["test-plans"] = plan
    office.raid["test-cases"] = kernel.create_item(
        actor=pm, spec=TEST_CASES, project=project,
        data={"title": "Sign in with SSO", "plan_reference": plan.reference,
              "requirement_references": requirement.reference})
    run = actions.create_run(actor=pm, project=project, name="Nightly 1", build="1.0.0")
    return {"run": run.pk}


def assurance_bodies(office: Any) -> dict[str, Any]:
    case = office.raid.get("test-cases")
    return {
        "POST /projects/{code}/test-runs": {"name": "Matrix run", "build": "2"},
        "POST /projects/{code}/test-runs/{run_id}/executions": {
            "case": case.reference if case else "", "result": "passed"},
        "POST /projects/{code}/test-cases/{ref}/steps": {
            "version": type(case).objects.get(pk=case.pk).version if case else 1,
            "steps": [{"action": "Open the portal", "expected": "The sign-in page"}]},
    }


JUNIT_PASS = b"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="1"><testcase classname="tests.test_sso"
name="test_sign_in" time="0.01"/></testsuite></testsuites>"""
