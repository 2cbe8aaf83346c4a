"""The assurance registers on the kernel — requirements, deliverables, test plans and test
cases — and the "Quality & testing" service that groups them with the test runs and the
traceability matrix."""

from __future__ import annotations

from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.registers.models import RegisterItem
from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Deliverable, Requirement, TestCase, TestPlan

SERVICE = "assurance"

REQUIREMENT_WORKFLOW = Workflow(
    initial="proposed",
    states=(
        State("proposed", "Proposed", tone="info"),
        State("agreed", "Agreed", tone="progress"),
        State("met", "Met", closed=True, tone="success"),
        State("rejected", "Rejected", closed=True, tone="muted"),
        State("deferred", "Deferred", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("agree", "Agree", ("proposed",), "agreed", "requirement.transition"),
        Transition("meet", "Mark met", ("agreed",), "met", "requirement.close"),
        Transition("reject", "Reject", ("proposed", "agreed"), "rejected", "requirement.close",
                   needs_comment=True),
        Transition("defer", "Defer", ("proposed", "agreed"), "deferred", "requirement.close",
                   needs_comment=True),
        Transition("reopen", "Reopen", ("met", "rejected", "deferred"), "proposed",
                   "requirement.transition", needs_comment=True),
    ),
)

DELIVERABLE_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="info"),
        State("in_review", "In review", tone="warning"),
        State("accepted", "Accepted", closed=True, tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("submit", "Submit for review", ("draft",), "in_review", "deliverable.change"),
        Transition("accept", "Accept", ("in_review",), "accepted", "deliverable.close"),
        Transition("return", "Return to draft", ("in_review",), "draft",
                   "deliverable.transition", needs_comment=True),
        Transition("withdraw", "Withdraw", ("draft", "in_review"), "withdrawn",
                   "deliverable.close", needs_comment=True),
        Transition("reopen", "Reopen", ("accepted", "withdrawn"), "draft",
                   "deliverable.transition", needs_comment=True),
    ),
)

TEST_PLAN_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="info"),
        State("active", "Active", tone="progress"),
        State("complete", "Complete", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("activate", "Start testing", ("draft",), "active", "testplan.transition"),
        Transition("complete", "Mark complete", ("active",), "complete", "testplan.close"),
        Transition("cancel", "Cancel", ("draft", "active"), "cancelled", "testplan.close",
                   needs_comment=True),
        Transition("reopen", "Reopen", ("complete", "cancelled"), "active",
                   "testplan.transition", needs_comment=True),
    ),
)

TEST_CASE_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "Draft", tone="info"),
        State("ready", "Ready", tone="progress"),
        State("retired", "Retired", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("ready", "Mark ready", ("draft",), "ready", "testcase.change"),
        Transition("retire", "Retire", ("draft", "ready"), "retired", "testcase.close",
                   needs_comment=True),
        Transition("revise", "Revise", ("ready", "retired"), "draft", "testcase.transition"),
    ),
)


def deliverable_guard(actor: Any, item: RegisterItem, move: Transition) -> None:
    """A deliverable goes to review, and is accepted, against written acceptance criteria."""
    if move.key in ("submit", "accept") and not getattr(item, "acceptance_criteria", "").strip():
        raise InvalidInput.field("acceptance_criteria",
                                 f"write the acceptance criteria before '{move.label}'")


REQUIREMENTS = register(RegisterSpec(
    key="requirements", model=Requirement, prefix="RQT", area="requirement",
    label="Requirements", item_label="Requirement", workflow=REQUIREMENT_WORKFLOW,
    fields=("statement", "moscow", "source", "rationale", "parent_reference"),
    list_columns=("moscow", "source", "parent_reference"),
    filters=("moscow",),
    detail_main_template="assurance/requirement_main.html",
    description="What the product must do, with its MoSCoW priority, source and rationale, "
                "traced to deliverables, test cases and defects.",
    icon="list", service=SERVICE,
))

DELIVERABLES = register(RegisterSpec(
    key="deliverables", model=Deliverable, prefix="DLV", area="deliverable",
    label="Deliverables", item_label="Deliverable", workflow=DELIVERABLE_WORKFLOW,
    fields=("product_type", "acceptance_criteria", "task_uids", "milestone_uid"),
    list_columns=("product_type", "milestone_uid"),
    transition_guard=deliverable_guard,
    detail_main_template="assurance/plan_links_main.html",
    description="The products the project hands over, tied to the plan's tasks and "
                "milestones and accepted against their criteria.",
    icon="check", service=SERVICE,
))

TEST_PLANS = register(RegisterSpec(
    key="test-plans", model=TestPlan, prefix="TPL", area="testplan",
    label="Test plans", item_label="Test plan", workflow=TEST_PLAN_WORKFLOW,
    fields=("release", "scope", "environments", "entry_criteria", "exit_criteria",
            "task_uids", "milestone_uid"),
    list_columns=("release", "environments"),
    detail_main_template="assurance/test_plan_main.html",
    description="What is tested for a release, where, and the criteria to start and finish.",
    icon="list", service=SERVICE,
))

TEST_CASES = register(RegisterSpec(
    key="test-cases", model=TestCase, prefix="TC", area="testcase",
    label="Test cases", item_label="Test case", workflow=TEST_CASE_WORKFLOW,
    fields=("plan_reference", "preconditions", "requirement_references", "automated",
            "classname", "junit_name"),
    list_columns=("plan_reference", "requirement_references", "automated"),
    detail_main_template="assurance/test_case_main.html",
    description="Tests with their steps and expected results, tied to the requirements "
                "they verify.",
    icon="check", service=SERVICE,
))

register_service(Service(
    key=SERVICE, label="Quality & testing",
    description="Requirements, deliverables, their quality reviews and audits, and their "
                "testing: test plans, cases and runs, defects raised into the issue log, and "
                "the traceability between them.",
    order=10,
    pages=(
        ServicePage("Quality", "assurance-quality", "qualityreview.view",
                    "The quality plan and its criteria, reviews, audits, non-conformances "
                    "and the project's quality measures."),
        ServicePage("Test runs", "assurance-runs", "testcase.view",
                    "Runs of test cases against a build, step by step or imported from "
                    "JUnit XML, with pass rate, coverage and burn-up."),
        ServicePage("Traceability matrix", "assurance-matrix", "requirement.view",
                    "Requirement ↔ deliverable ↔ test case ↔ defect, with the gaps."),
    ),
))
