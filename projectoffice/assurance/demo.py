"""Demo data of the Quality & testing service, made through the actions: requirements with a
hierarchy, deliverables tied to the plan, a test plan with cases and steps, runs with a
failure that raised a defect, its fix and the re-test, and a run imported from the JUnit
XML file that the office's own engine test suite writes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel

from . import actions
from .registers import DELIVERABLES, REQUIREMENTS, TEST_CASES, TEST_PLANS

JUNIT_FILE = Path(__file__).parent / "demo_data" / "engine-tests.xml"

REQUIREMENTS_DATA = [
    # (title, MoSCoW, source, parent index or None, statement)
    ("Customers manage their account online", "must", "Business case", None,
     "A customer can see and change their account details without calling us."),
    ("Sign in with e-mail and password", "must", "Customer workshop 1", 0,
     "A registered customer signs in with their e-mail address and password."),
    ("Reset a forgotten password", "must", "Contact-centre call analysis", 0,
     "A customer who forgot their password receives a reset link within a minute."),
    ("See open service requests", "should", "Customer workshop 2", 0,
     "A customer sees the status of each of their open service requests."),
    ("Pages meet WCAG 2.2 AA", "must", "Accessibility policy", None,
     "Every page of the portal meets WCAG 2.2 level AA."),
    ("Chat with an agent", "could", "Marketing", None,
     "A customer can start a chat with a contact-centre agent from any page."),
]

CASES = [
    # (title, requirement indexes, preconditions, steps)
    ("Sign in with valid credentials", [1], "A registered customer account exists.",
     [("Open the portal's sign-in page", "The sign-in form is shown"),
      ("Enter the e-mail and password, press Sign in", "The account page greets the customer")]),
    ("Refuse a wrong password", [1], "A registered customer account exists.",
     [("Enter the e-mail and a wrong password", "‘E-mail or password is wrong’ is shown"),
      ("Try five more times", "The account is locked for 15 minutes")]),
    ("Reset link arrives within a minute", [2], "The customer's mailbox is reachable.",
     [("Choose ‘Forgot password’ and give the e-mail", "A confirmation is shown"),
      ("Open the e-mail", "It arrived within 60 seconds with a working link"),
      ("Set a new password from the link", "The customer is signed in")]),
    ("Open service requests listed", [3], "The customer has two open requests.",
     [("Open ‘My requests’", "Both open requests are listed with their status")]),
    ("Keyboard-only journey", [4], "",
     [("Sign in and reach ‘My requests’ using the keyboard only",
       "Every control is reachable and shows its focus")]),
]


def _milestone(project: Project, today: date) -> PlanTask | None:
    """The plan's next milestone from today (else its last): what testing works towards."""
    milestones = PlanTask.objects.filter(plan__project=project, milestone=True)
    return (milestones.filter(finish__date__gte=today).order_by("finish").first()
            or milestones.order_by("position").last())


def _leaves(project: Project) -> list[PlanTask]:
    return list(PlanTask.objects.filter(plan__project=project, summary=False,
                                        milestone=False).order_by("position"))


def demo_assurance(people: dict[str, Any], projects: list[Project], today: date) -> None:
    """The second project (the customer portal) gets the full story; the first a run with
    an open defect."""
    chosen = projects[:2]
    for project in chosen:
        _project(people, project, today, detailed=project == chosen[-1])


def _project(people: dict[str, Any], project: Project, today: date, detailed: bool) -> None:
    george, hana = people["george"], people["hana"]
    manager = project.manager or people["pmo"]
    start = today - timedelta(days=40)
    reqs: list[Any] = []
    for title, moscow, source, parent, statement in REQUIREMENTS_DATA:
        reqs.append(kernel.create_item(
            actor=george, spec=REQUIREMENTS, project=project, today=start,
            data={"title": title, "moscow": moscow, "source": source, "owner": manager,
                  "statement": statement,
                  "parent_reference": reqs[parent].reference if parent is not None else "",
                  "rationale": "Agreed with the customer services director."}))
    for req in reqs[:5]:
        kernel.transition_item(actor=george, item=req, transition="agree", version=req.version,
                               today=start)
    milestone = _milestone(project, today)
    leaves = _leaves(project)
    uids = ", ".join(str(t.uid) for t in leaves[:2])
    deliverables = []
    for title, kind, criteria, met in (
            ("Portal web application", "software",
             "All Must requirements pass their tests; no open high-severity defect.", reqs[1:4]),
            ("Accessibility conformance report", "document",
             "An independent audit finds no AA failure.", reqs[4:5]),
            ("Contact-centre training pack", "training",
             "Agents trained before go-live; feedback 4/5 or better.", [])):
        d = kernel.create_item(
            actor=george, spec=DELIVERABLES, project=project, today=start,
            data={"title": title, "product_type": kind, "acceptance_criteria": criteria,
                  "owner": manager, "task_uids": uids if kind == "software" else "",
                  "milestone_uid": milestone.uid if milestone else None})
        for req in met:
            kernel.link_items(actor=george, item=d, target_reference=req.reference)
        deliverables.append(d)
    deliverables[0] = kernel.transition_item(actor=george, item=deliverables[0],
                                             transition="submit",
                                             version=deliverables[0].version, today=start)
    plan: Any = kernel.create_item(
        actor=hana, spec=TEST_PLANS, project=project, today=start,
        data={"title": "Release 1 system and acceptance test", "release": "1.0",
              "owner": hana, "environments": "System test, user acceptance",
              "scope": "Sign-in, password reset, service requests and accessibility.",
              "entry_criteria": "Build deployed to system test; smoke test passes.",
              "exit_criteria": "Every Must case passes; no open high-severity defect.",
              "task_uids": str(leaves[-1].uid) if leaves else "",
              "milestone_uid": milestone.uid if milestone else None})
    kernel.transition_item(actor=hana, item=plan, transition="activate", version=plan.version,
                           today=start)
    cases: list[Any] = []
    for title, req_indexes, pre, steps in CASES:
        case: Any = kernel.create_item(
            actor=hana, spec=TEST_CASES, project=project, today=start,
            data={"title": title, "plan_reference": plan.reference, "preconditions": pre,
                  "requirement_references": ", ".join(reqs[i].reference for i in req_indexes)})
        case = actions.set_case_steps(actor=hana, case=case, version=case.version, steps=steps)
        case = kernel.transition_item(actor=hana, item=case, transition="ready",
                                      version=case.version, today=start)
        cases.append(case)
    # Build 1.0.3: the password reset fails at its second step and raises a defect.
    first_day = today - timedelta(days=21)
    run = actions.create_run(actor=hana, project=project, name="System test – build 1.0.3",
                             build="1.0.3", environment="System test", test_plan=plan,
                             today=first_day)
    failing: tuple[Any, Any] | None = None
    for k, case in enumerate(cases[:4] if detailed else cases[:3]):
        outcomes = [actions.StepOutcome("passed") for _ in case.steps.all()]
        if k == 2:
            outcomes[1] = actions.StepOutcome("failed", "The e-mail took 4 minutes to arrive")
        execution = actions.record_execution(
            actor=hana, run=run, case=case, steps=outcomes, severity="high",
            today=first_day + timedelta(days=k // 2))
        if execution.defect is not None:
            failing = (case, execution.defect)
    if failing is None:
        return
    case, defect = failing
    defect = kernel.update_item(actor=manager, item=defect, version=defect.version,
                                changes={"owner": people["omar"]})
    if not detailed:
        return
    defect = kernel.transition_item(actor=manager, item=defect, transition="start",
                                    version=defect.version, today=first_day + timedelta(days=2))
    kernel.add_comment(actor=people["omar"], item=defect,
                       body="The mail relay queued messages; moved the portal to the direct "
                            "relay in build 1.0.4.")
    defect = kernel.transition_item(actor=manager, item=defect, transition="resolve",
                                    version=defect.version, today=first_day + timedelta(days=6))
    # Build 1.0.4: the re-test passes; the keyboard journey is blocked by a missing page.
    retest_day = today - timedelta(days=12)
    retest = actions.create_run(actor=hana, project=project, name="Re-test – build 1.0.4",
                                build="1.0.4", environment="System test", test_plan=plan,
                                today=retest_day)
    actions.record_execution(actor=hana, run=retest, case=case, today=retest_day,
                             steps=[actions.StepOutcome("passed") for _ in case.steps.all()])
    actions.record_execution(
        actor=hana, run=retest, case=cases[4], today=retest_day + timedelta(days=1),
        steps=[actions.StepOutcome("blocked", "‘My requests’ is not deployed on this build")])
    kernel.transition_item(actor=manager, item=defect, transition="close", version=defect.version,
                           today=retest_day)
    # The automated regression suite's own JUnit XML, imported as a run.
    actions.import_junit(actor=hana, project=project, data=JUNIT_FILE.read_bytes(),
                         filename=JUNIT_FILE.name, run_name="CI regression – engine suite",
                         build="1.0.4", today=today - timedelta(days=2))
