"""Requirements, deliverables, test cases and runs: the rules at the field, executions that
raise defects and re-tests that clear them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.assurance import actions, queries
from projectoffice.assurance.models import Requirement, Result, TestCase, TestExecution
from projectoffice.assurance.registers import (
    DELIVERABLES,
    REQUIREMENTS,
    TEST_CASES,
    TEST_PLANS,
)
from projectoffice.controls.models import Issue
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import ItemLink
from tests.conftest import Office
from tests.planning.helpers import make_plan

pytestmark = pytest.mark.django_db


def requirement(office: Office, title: str, **data: Any) -> Any:
    return kernel.create_item(actor=office.pm, spec=REQUIREMENTS, project=office.project,
                              data={"title": title, **data})


def case(office: Office, title: str, **data: Any) -> TestCase:
    item = kernel.create_item(actor=office.pm, spec=TEST_CASES, project=office.project,
                              data={"title": title, **data})
    assert isinstance(item, TestCase)
    return item


def test_requirements_nest_under_a_parent_of_the_same_project(office: Office) -> None:
    parent = requirement(office, "Single sign-on", moscow="must", source="Customer")
    child = requirement(office, "Sign in with the corporate account",
                        parent_reference=parent.reference.lower())
    assert child.parent == parent and child.parent_reference == parent.reference
    assert parent.reference.startswith("RQT-")
    with pytest.raises(InvalidInput) as bad:
        requirement(office, "Orphan", parent_reference="RQT-0099")
    assert "parent_reference" in bad.value.errors
    with pytest.raises(InvalidInput) as loop:
        kernel.update_item(actor=office.pm, item=parent, version=parent.version,
                           changes={"parent_reference": child.reference})
    assert "ancestor" in loop.value.errors["parent_reference"][0]
    assert Requirement.objects.count() == 2


def test_a_deliverable_names_real_plan_tasks_and_is_accepted_against_criteria(
        office: Office) -> None:
    make_plan(office)
    with pytest.raises(InvalidInput) as bad:
        kernel.create_item(actor=office.pm, spec=DELIVERABLES, project=office.project,
                           data={"title": "Portal", "task_uids": "1, 999"})
    assert "999" in bad.value.errors["task_uids"][0]
    deliverable = kernel.create_item(actor=office.pm, spec=DELIVERABLES,
                                     project=office.project,
                                     data={"title": "Portal", "task_uids": "1, 2"})
    with pytest.raises(InvalidInput) as guard:
        kernel.transition_item(actor=office.pm, item=deliverable, transition="submit",
                               version=deliverable.version)
    assert "acceptance_criteria" in guard.value.errors
    deliverable = kernel.update_item(actor=office.pm, item=deliverable,
                                     version=deliverable.version,
                                     changes={"acceptance_criteria": "Users sign in"})
    deliverable = kernel.transition_item(actor=office.pm, item=deliverable,
                                         transition="submit", version=deliverable.version)
    deliverable = kernel.transition_item(actor=office.members["quality_manager"],
                                         item=deliverable, transition="accept",
                                         version=deliverable.version)
    assert deliverable.status == "accepted"


def test_a_case_verifies_requirements_of_its_own_project_only(office: Office) -> None:
    mine = requirement(office, "Audit trail")
    elsewhere = [kernel.create_item(actor=office.pmo, spec=REQUIREMENTS, project=office.other,
                                    data={"title": f"Other project's requirement {n}"})
                 for n in (1, 2)][-1]  # RQT-0002 exists only in the other project
    count = TestCase.objects.count()
    with pytest.raises(InvalidInput) as bad:
        case(office, "Checks the trail",
             requirement_references=f"{mine.reference}, {elsewhere.reference}")
    assert "its own project" in bad.value.errors["requirement_references"][0]
    assert TestCase.objects.count() == count
    good = case(office, "Checks the trail", requirement_references=mine.reference.lower())
    assert list(good.requirements.all()) == [mine]
    good = kernel.update_item(actor=office.pm, item=good, version=good.version,
                              changes={"requirement_references": ""})
    assert not TestCase.objects.get(pk=good.pk).requirements.exists()


def test_steps_make_a_new_version_and_only_testers_run_cases(office: Office) -> None:
    item = case(office, "Sign in")
    item = actions.set_case_steps(actor=office.pm, case=item, version=item.version,
                                  steps=[("Open the portal", "Sign-in page"),
                                         ("Sign in", "Home page")])
    assert item.version == 2 and [s.position for s in item.steps.all()] == [1, 2]
    with pytest.raises(InvalidInput):
        actions.set_case_steps(actor=office.pm, case=item, version=item.version,
                               steps=[("", "nothing to do")])
    with pytest.raises(Forbidden):
        actions.create_run(actor=office.members["team_member"], project=office.project,
                           name="Mine")
    run = actions.create_run(actor=office.members["testing_manager"], project=office.project,
                             name="Sprint 1")
    with pytest.raises(InvalidInput) as dup:
        actions.create_run(actor=office.pm, project=office.project, name="Sprint 1")
    assert "name" in dup.value.errors
    with pytest.raises(InvalidInput) as partial:
        actions.record_execution(actor=office.pm, run=run, case=item,
                                 steps=[actions.StepOutcome("passed")])
    assert "2 steps" in partial.value.errors["steps"][0]


def test_a_failed_step_raises_a_defect_and_a_retest_clears_coverage(office: Office) -> None:
    req = requirement(office, "Users sign in once")
    item = case(office, "Sign in with SSO", requirement_references=req.reference)
    item = actions.set_case_steps(actor=office.pm, case=item, version=item.version,
                                  steps=[("Open the portal", "Sign-in page"),
                                         ("Sign in", "Home page shows the name")])
    tester = office.members["testing_manager"]
    run = actions.create_run(actor=tester, project=office.project, name="Build 41",
                             build="41", today=dt.date(2026, 3, 2))
    failed = actions.record_execution(
        actor=tester, run=run, case=item, severity="high", today=dt.date(2026, 3, 2),
        steps=[actions.StepOutcome("passed"), actions.StepOutcome("failed", "Error 500")],
        evidence=SimpleUploadedFile("screen.txt", b"stack trace"))
    assert failed.result == Result.FAILED and failed.evidence is not None
    defect = failed.defect
    assert isinstance(defect, Issue)
    assert defect.issue_type == "defect" and defect.severity == "high"
    assert "Error 500" in defect.description and run.name in defect.description
    targets = set(ItemLink.objects.filter(object_id=defect.pk).values_list("target_id",
                                                                            flat=True))
    assert {item.pk, req.pk} <= targets
    figures = queries.run_figures(run)
    assert figures.pass_rate == 0 and figures.coverage == 1 and figures.verified == 0
    row = queries.traceability(office.project).rows[0]
    assert row.coverage == 0 and [d.reference for d in row.defects] == [defect.reference]

    # The defect is fixed; re-testing is a new execution that passes.
    defect = kernel.transition_item(actor=office.pm, item=defect, transition="resolve",
                                    version=defect.version)
    retest = actions.create_run(actor=tester, project=office.project, name="Build 42",
                                build="42", today=dt.date(2026, 3, 4))
    passed = actions.record_execution(
        actor=tester, run=retest, case=item, today=dt.date(2026, 3, 4),
        steps=[actions.StepOutcome("passed"), actions.StepOutcome("passed")])
    assert passed.retest_of == failed and passed.defect is None
    assert TestExecution.objects.filter(case=item).count() == 2
    row = queries.traceability(office.project).rows[0]
    assert row.coverage == 1 and [d.reference for d in row.defects] == [defect.reference]
    assert queries.run_figures(retest).verified == 1
    points = queries.burn_up(TestExecution.objects.filter(case=item))
    assert [(p.executed, p.passed) for p in points] == [(1, 0), (1, 1)]


def test_test_plan_milestone_must_be_a_milestone(office: Office) -> None:
    make_plan(office)
    from projectoffice.planning.models import PlanTask

    task = PlanTask.objects.filter(plan__project=office.project, milestone=False).first()
    assert task is not None
    with pytest.raises(InvalidInput) as bad:
        kernel.create_item(actor=office.pm, spec=TEST_PLANS, project=office.project,
                           data={"title": "R1", "milestone_uid": task.uid})
    assert "not a milestone" in bad.value.errors["milestone_uid"][0]


def test_requirements_import_from_csv_with_their_hierarchy(office: Office) -> None:
    from projectoffice.registers.actions import import_items

    headers = ["Title", "MoSCoW", "Source", "Parent requirement"]
    rows = [["Online account", "Must have", "Business case", ""],
            ["Password reset", "should", "Workshop", "RQT-0001"]]
    result = import_items(actor=office.pm, spec=REQUIREMENTS, project=office.project,
                          headers=headers, rows=rows)
    child = result.created[1]
    assert isinstance(child, Requirement)
    assert child.parent == result.created[0] and child.moscow == "should"
    with pytest.raises(InvalidInput) as bad:
        import_items(actor=office.pm, spec=REQUIREMENTS, project=office.project,
                     headers=headers, rows=[["Fine", "", "", ""], ["Lost", "", "", "RQT-0042"]])
    assert "row 3.parent_reference" in bad.value.errors
    assert Requirement.objects.count() == 2
