"""Deliverable assurance: requirements, deliverables, test plans and test cases (registers on
the kernel) and the test runs that execute cases step by step."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from projectoffice.planning.models import PlanTask
from projectoffice.registers.models import RegisterItem

USER = settings.AUTH_USER_MODEL
REFERENCE_SPLIT = re.compile(r"[\s,;]+")


class MoSCoW(models.TextChoices):
    MUST = "must", "Must have"
    SHOULD = "should", "Should have"
    COULD = "could", "Could have"
    WONT = "wont", "Won't have this time"


def parse_uids(text: str) -> list[int]:
    """'12, 14 15' → [12, 14, 15]; raises ValueError on anything that is not a number."""
    return [int(part) for part in REFERENCE_SPLIT.split(text.strip()) if part]


def parse_references(text: str) -> list[str]:
    return list(dict.fromkeys(p.upper() for p in REFERENCE_SPLIT.split(text.strip()) if p))


def _check_plan_tasks(item: Any, errors: dict[str, str]) -> None:
    """Tasks and milestones named by UID must exist in the project's plan."""
    wanted: dict[str, list[int]] = {}
    try:
        wanted["task_uids"] = parse_uids(item.task_uids)
    except ValueError:
        errors["task_uids"] = "give task UIDs as numbers separated by commas"
    if item.milestone_uid is not None:
        wanted["milestone_uid"] = [item.milestone_uid]
    uids = {u for values in wanted.values() for u in values}
    if not uids or item.project_id is None:
        return
    found = dict(PlanTask.objects.filter(plan__project_id=item.project_id, uid__in=uids)
                 .values_list("uid", "milestone"))
    for name, values in wanted.items():
        missing = [u for u in values if u not in found]
        if missing:
            errors[name] = f"no task with UID {missing[0]} in the plan"
        elif name == "milestone_uid" and not found[values[0]]:
            errors[name] = f"task {values[0]} is not a milestone"


class Requirement(RegisterItem):
    """What the project's product must do or be: a statement with its MoSCoW priority, where
    it came from and why; requirements nest under a parent."""

    statement = models.TextField(max_length=5000, blank=True,
                                 help_text="The requirement as the source states it")
    moscow = models.CharField("MoSCoW", max_length=6, choices=MoSCoW.choices,
                              default=MoSCoW.MUST)
    source = models.CharField(max_length=200, blank=True,
                              help_text="Who or what asked for it: a stakeholder, a contract…")
    rationale = models.TextField(max_length=5000, blank=True)
    parent_reference = models.CharField(
        "parent requirement", max_length=20, blank=True,
        help_text="The reference of the requirement this one refines, e.g. REQ-0003")
    parent = models.ForeignKey("self", null=True, blank=True, editable=False,
                               on_delete=models.SET_NULL, related_name="children")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_requirement_number")]

    def clean(self) -> None:
        super().clean()
        ref = self.parent_reference.strip().upper()
        self.parent_reference = ref
        if not ref:
            self.parent = None
            return
        if self.project_id is None:  # a form's first look: the action checks it again
            return
        parent = Requirement.objects.filter(project_id=self.project_id, reference=ref).first()
        if parent is None:
            raise ValidationError({"parent_reference": f"no requirement {ref} in this project"})
        seen = {self.pk}
        walk: Requirement | None = parent
        while walk is not None:
            if walk.pk in seen:
                raise ValidationError({"parent_reference": "a requirement cannot be its own "
                                                           "ancestor"})
            seen.add(walk.pk)
            walk = walk.parent
        self.parent = parent


class Deliverable(RegisterItem):
    """A product the project hands over, tied to the plan's tasks and milestones and accepted
    against its criteria."""

    product_type = models.CharField("type", max_length=100, blank=True,
                                    help_text="e.g. software, document, training, hardware")
    acceptance_criteria = models.TextField(max_length=10000, blank=True)
    task_uids = models.CharField("plan tasks (UIDs)", max_length=200, blank=True,
                                 help_text="UIDs of the plan tasks or WBS elements that make it, "
                                           "separated by commas")
    milestone_uid = models.PositiveIntegerField(
        "milestone (UID)", null=True, blank=True,
        help_text="The plan milestone at which it is delivered")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_deliverable_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        _check_plan_tasks(self, errors)
        if errors:
            raise ValidationError(errors)


class TestPlan(RegisterItem):
    """What will be tested for a release, where, and when testing starts and ends."""

    scope = models.TextField(max_length=10000, blank=True)
    release = models.CharField(max_length=100, blank=True,
                               help_text="The release or build the plan is for")
    environments = models.CharField(max_length=300, blank=True,
                                    help_text="e.g. test, staging, user acceptance")
    entry_criteria = models.TextField(max_length=5000, blank=True)
    exit_criteria = models.TextField(max_length=5000, blank=True)
    task_uids = models.CharField("plan tasks (UIDs)", max_length=200, blank=True,
                                 help_text="UIDs of the plan's testing tasks")
    milestone_uid = models.PositiveIntegerField(
        "test milestone (UID)", null=True, blank=True,
        help_text="The plan milestone testing must reach")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_testplan_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        _check_plan_tasks(self, errors)
        if errors:
            raise ValidationError(errors)


class TestCase(RegisterItem):
    """A test: preconditions, steps with their expected results and the requirements it
    verifies. Automated cases are matched by their JUnit class name and name."""

    __test__ = False  # not a pytest class

    plan_reference = models.CharField(
        "test plan", max_length=20, blank=True,
        help_text="The reference of the test plan the case belongs to, e.g. TPL-0001")
    test_plan = models.ForeignKey(TestPlan, null=True, blank=True, editable=False,
                                  on_delete=models.SET_NULL, related_name="cases")
    preconditions = models.TextField(max_length=5000, blank=True)
    requirement_references = models.CharField(
        "requirements", max_length=500, blank=True,
        help_text="References of the requirements it verifies, e.g. REQ-0001, REQ-0004")
    automated = models.BooleanField(default=False)
    classname = models.CharField("JUnit class name", max_length=300, blank=True)
    junit_name = models.CharField("JUnit name", max_length=300, blank=True)
    requirements = models.ManyToManyField(Requirement, blank=True, editable=False,
                                          related_name="test_cases")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_testcase_number")]
        indexes = [models.Index(fields=["project", "classname", "junit_name"])]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.project_id is None:  # a form's first look: the action checks it again
            return
        plan_ref = self.plan_reference.strip().upper()
        self.plan_reference = plan_ref
        self.test_plan = None
        if plan_ref:
            self.test_plan = TestPlan.objects.filter(project_id=self.project_id,
                                                     reference=plan_ref).first()
            if self.test_plan is None:
                errors["plan_reference"] = f"no test plan {plan_ref} in this project"
        refs = parse_references(self.requirement_references)
        self.requirement_references = ", ".join(refs)
        if refs:
            found = set(Requirement.objects.filter(project_id=self.project_id, reference__in=refs)
                        .values_list("reference", flat=True))
            missing = [r for r in refs if r not in found]
            if missing:
                errors["requirement_references"] = (
                    f"no requirement {missing[0]} in this project (a test case verifies "
                    "requirements of its own project)")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.sync_requirements()

    def sync_requirements(self) -> None:
        refs = parse_references(self.requirement_references)
        wanted = set(Requirement.objects.filter(project_id=self.project_id, reference__in=refs)
                     .values_list("pk", flat=True)) if refs else set()
        current = set(self.requirements.values_list("pk", flat=True))
        if wanted != current:
            self.requirements.set(wanted)


class TestStep(models.Model):
    """One step of a test case: what to do and what should happen."""

    case = models.ForeignKey(TestCase, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    action = models.TextField(max_length=2000)
    expected = models.TextField("expected result", max_length=2000, blank=True)

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"],
                                               name="unique_step_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.action[:60]}"


class Result(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    BLOCKED = "blocked", "Blocked"
    SKIPPED = "skipped", "Skipped"


class TestRun(models.Model):
    """One execution of a set of test cases against a build or release."""

    __test__ = False

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="+")
    test_plan = models.ForeignKey(TestPlan, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="runs")
    name = models.CharField(max_length=200)
    build = models.CharField("build or release", max_length=100, blank=True)
    environment = models.CharField(max_length=100, blank=True)
    started_on = models.DateField()
    source = models.CharField(max_length=255, blank=True,
                              help_text="The JUnit file the results came from, if imported")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"],
                                               name="unique_test_run_name")]

    def __str__(self) -> str:
        return self.name


class TestExecution(models.Model):
    """One case executed in a run: its result is the worst of its steps' results. Re-testing
    is another execution; the latest one of a case in a run counts."""

    __test__ = False

    run = models.ForeignKey(TestRun, on_delete=models.CASCADE, related_name="executions")
    case = models.ForeignKey(TestCase, on_delete=models.CASCADE, related_name="executions")
    case_version = models.PositiveIntegerField(default=1)
    result = models.CharField(max_length=10, choices=Result.choices)
    tester = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    executed_on = models.DateField()
    duration_seconds = models.FloatField(null=True, blank=True)
    message = models.TextField(max_length=10000, blank=True)
    defect = models.ForeignKey("controls.Issue", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    retest_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    evidence = models.ForeignKey("registers.Attachment", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["case", "run"])]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.result}"


class StepResult(models.Model):
    execution = models.ForeignKey(TestExecution, on_delete=models.CASCADE,
                                  related_name="step_results")
    step = models.ForeignKey(TestStep, null=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField()
    result = models.CharField(max_length=10, choices=Result.choices)
    note = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["execution", "position"]


# The quality and configuration tables live in their own modules; importing them here lets
# Django find them as this app's models.
from .config_models import (  # noqa: E402, F401
    BaselineEntry,
    ConfigurationBaseline,
    ConfigurationItem,
    ItemVersion,
)
from .quality_models import (  # noqa: E402, F401
    NonConformance,
    QualityAudit,
    QualityCriterion,
    QualityPlan,
    QualityReview,
    ReviewCheck,
)
