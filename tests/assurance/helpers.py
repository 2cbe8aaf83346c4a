"""A small assurance world on the Office fixture: a requirement, a deliverable, a test plan,
a case verifying the requirement and a run."""

from __future__ import annotations

from typing import Any

from projectoffice.assurance import actions, configuration, quality
from projectoffice.assurance.quality_registers import (
    CONFIGURATION_ITEMS,
    NONCONFORMANCES,
    QUALITY_AUDITS,
    QUALITY_REVIEWS,
)
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
    return {"run": run.pk, **quality_setup(office)}


def quality_setup(office: Any) -> dict[str, Any]:
    """A quality plan, a review under way of the deliverable, an audit with a
    non-conformance, a configuration item with a version and a baseline of another item."""
    pm, project = office.pm, office.project
    quality.save_quality_plan(actor=pm, project=project, version=None, standards="ISO 9001",
                              criteria=[quality.CriterionIn("all", "Owner named")])
    review = kernel.create_item(actor=pm, spec=QUALITY_REVIEWS, project=project, data={
        "title": "Sign-on review", "subject_reference": office.raid["deliverables"].reference})
    office.raid["quality-reviews"] = kernel.transition_item(
        actor=pm, item=review, transition="start", version=review.version)
    audit = kernel.create_item(actor=pm, spec=QUALITY_AUDITS, project=project,
                               data={"title": "Process audit", "standard": "ISO 9001 8.5"})
    office.raid["quality-audits"] = audit
    office.raid["nonconformances"] = kernel.create_item(
        actor=pm, spec=NONCONFORMANCES, project=project,
        data={"title": "Reviews not recorded", "audit_reference": audit.reference})
    item = kernel.create_item(actor=pm, spec=CONFIGURATION_ITEMS, project=project,
                              data={"title": "Sign-on service", "identifier": "sso"})
    configuration.record_version(actor=pm, item=item, label="1.0")
    office.raid["config-items"] = type(item).objects.get(pk=item.pk)
    frozen = kernel.create_item(actor=pm, spec=CONFIGURATION_ITEMS, project=project,
                                data={"title": "Portal web", "identifier": "portal-web"})
    configuration.record_version(actor=pm, item=frozen, label="2.1")
    baseline = configuration.create_baseline(actor=pm, project=project, name="Design",
                                             entries=[("portal-web", "2.1")])
    return {"baseline": baseline.pk}


def assurance_bodies(office: Any) -> dict[str, Any]:
    case = office.raid.get("test-cases")
    review = office.raid.get("quality-reviews")
    deliverable = office.raid.get("deliverables")
    return {
        "POST /projects/{code}/quality-reviews": {
            "title": "Another review",
            "subject_reference": deliverable.reference if deliverable else ""},
        "POST /projects/{code}/quality/plan": {
            "version": 1, "standards": "ISO 9001:2015",
            "criteria": [{"product_type": "software", "text": "Code reviewed"}]},
        "POST /projects/{code}/quality-reviews/{ref}/checklist": {
            "version": type(review).objects.get(pk=review.pk).version if review else 1,
            "checks": [{"position": 1, "result": "met", "note": "Named"}]},
        "POST /projects/{code}/quality-reviews/{ref}/follow-ups": {"title": "Name the owner"},
        "POST /projects/{code}/nonconformances/{ref}/actions": {"title": "Record reviews",
                                                                "kind": "corrective"},
        "POST /projects/{code}/config-items/{ref}/versions": {"label": "1.1"},
        "POST /projects/{code}/configuration/baselines": {"name": "Matrix baseline"},
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
