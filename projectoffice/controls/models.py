from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.planning.models import PlanTask
from projectoffice.registers.models import RegisterItem


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class EscalationLevel(models.TextChoices):
    PROJECT = "project", "Project"
    PROGRAMME = "programme", "Programme"
    PORTFOLIO = "portfolio", "Portfolio"


class IssueType(models.TextChoices):
    PROBLEM = "problem", "Problem / concern"
    REQUEST = "request", "Request for change"
    OFF_SPEC = "off_specification", "Off-specification"
    DEFECT = "defect", "Defect"


class Issue(RegisterItem):
    """The issue log: problems the project must resolve, escalated when it cannot."""

    issue_type = models.CharField(max_length=20, choices=IssueType.choices,
                                  default=IssueType.PROBLEM)
    severity = models.CharField(max_length=10, choices=Severity.choices,
                                default=Severity.MEDIUM)
    escalation_level = models.CharField(max_length=10, choices=EscalationLevel.choices,
                                        default=EscalationLevel.PROJECT, editable=False)
    impact = models.TextField(blank=True, max_length=5000)
    resolution = models.TextField(blank=True, max_length=5000)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_issue_number")]


class Action(RegisterItem):
    """An action someone must do, tracked to closure."""

    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200, blank=True,
                              help_text="Where it came from: a meeting, review, issue…")
    outcome = models.TextField(blank=True, max_length=5000)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_action_number")]

    @property
    def done(self) -> bool:
        return self.status == "done"


# ---------------------------------------------------------------------------------------------
# RAID: risks, assumptions, dependencies, constraints; the decision log; change control.


def default_risk_scale() -> int:
    return int(getattr(settings, "PMO_RISK_SCALE", 5))


def default_approval_cost() -> Decimal:
    return Decimal(getattr(settings, "PMO_CHANGE_APPROVAL_COST", 10000))


def default_approval_days() -> int:
    return int(getattr(settings, "PMO_CHANGE_APPROVAL_DAYS", 10))


class ProjectControls(VersionedModel):
    """A project's own control settings: the approval thresholds of change requests and the
    top of its risk scales. A project without a row uses the PMO_* settings."""

    project = models.OneToOneField("portfolio.Project", on_delete=models.CASCADE,
                                   related_name="controls")
    approval_cost = models.DecimalField(
        "approval threshold (cost)", max_digits=12, decimal_places=2,
        default=default_approval_cost, validators=[MinValueValidator(Decimal(0))],
        help_text="A change costing more needs the sponsor or a PMO manager")
    approval_days = models.PositiveIntegerField(
        "approval threshold (delay, working days)", default=default_approval_days,
        help_text="A change delaying the finish by more needs the sponsor or a PMO manager")
    risk_scale = models.PositiveSmallIntegerField(
        "risk scale", default=default_risk_scale,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
        help_text="Probability and impact are scored 1…N")

    class Meta:
        verbose_name = "project control settings"
        verbose_name_plural = "project control settings"

    def __str__(self) -> str:
        return f"Control settings of {self.project_id}"


def project_controls(project: Any) -> ProjectControls:
    """The project's settings (unsaved defaults when it has none), cached on the project."""
    if project is None:
        return ProjectControls()
    cached = project.__dict__.get("_controls")
    if cached is None:
        cached = (ProjectControls.objects.filter(project_id=project.pk).first()
                  or ProjectControls(project_id=project.pk))
        project.__dict__["_controls"] = cached
    return cached  # type: ignore[no-any-return]


def risk_scale(project: Any = None) -> int:
    """The top of the probability and impact scales (1…N): the project's own, else
    PMO_RISK_SCALE (default 5)."""
    if project is None:
        return default_risk_scale()
    return int(project_controls(project).risk_scale)


def score_band(score: int | None, scale: int | None = None) -> str:
    """A severity word for a probability × impact score on an N×N grid."""
    if not score:
        return "low"
    top = (scale or risk_scale()) ** 2
    share = score / top
    if share >= 0.6:
        return "critical"
    if share >= 0.36:
        return "high"
    if share >= 0.16:
        return "medium"
    return "low"


class RiskKind(models.TextChoices):
    THREAT = "threat", "Threat"
    OPPORTUNITY = "opportunity", "Opportunity"


class RiskCategory(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    COMMERCIAL = "commercial", "Commercial"
    TECHNICAL = "technical", "Technical"
    SCHEDULE = "schedule", "Schedule"
    FINANCIAL = "financial", "Financial"
    PEOPLE = "people", "People & resources"
    REGULATORY = "regulatory", "Legal & regulatory"
    OPERATIONAL = "operational", "Operational"
    EXTERNAL = "external", "External"


class Proximity(models.TextChoices):
    IMMINENT = "imminent", "Imminent"
    MONTH = "month", "Within a month"
    QUARTER = "quarter", "Within a quarter"
    LATER = "later", "Later than a quarter"


class ResponseStrategy(models.TextChoices):
    AVOID = "avoid", "Avoid"
    REDUCE = "reduce", "Reduce"
    TRANSFER = "transfer", "Transfer"
    ACCEPT = "accept", "Accept"
    SHARE = "share", "Share"
    EXPLOIT = "exploit", "Exploit (opportunity)"
    ENHANCE = "enhance", "Enhance (opportunity)"


THREAT_ONLY = {ResponseStrategy.AVOID, ResponseStrategy.REDUCE, ResponseStrategy.TRANSFER}
OPPORTUNITY_ONLY = {ResponseStrategy.EXPLOIT, ResponseStrategy.ENHANCE}
ASSESSMENT = ("probability", "time", "cost", "quality")


def _scale_field(label: str, *, residual: bool = False) -> Any:
    if residual:
        return models.PositiveSmallIntegerField(label, null=True, blank=True)
    return models.PositiveSmallIntegerField(label, default=3)


def find_plan_task(project_id: int | None, text: str, where: str) -> tuple[Any, str]:
    """The plan task named by ``text`` (its row number, "#12", or its name) in the plan of
    the project, and "" — or None and what is wrong.  A project without a plan (or an empty
    text) links nothing and is not an error: the reference stays as text."""
    text = text.strip()
    tasks = PlanTask.objects.filter(plan__project_id=project_id or 0)
    if not text or not tasks.exists():
        return None, ""
    ref = text.split(":", 1)[1] if ":" in text else text
    ref = ref.strip().lstrip("#")
    found = (tasks.filter(position=int(ref)).first() if ref.isdigit()
             else tasks.filter(name__iexact=ref).order_by("position").first())
    if found is None:
        return None, f"no task {text!r} in {where}: give its row number or its name"
    return found, ""


def kept_reference(item: models.Model, *names: str) -> bool:
    """Whether a saved item's task reference is as stored. The link made then stays, even
    if the row number it gave now belongs to another task (rows move as the plan changes);
    and a link lost because its task was deleted is not remade from the old row number,
    which would silently point at whatever task holds that row now."""
    if item.pk is None:
        return False
    stored = type(item)._default_manager.filter(pk=item.pk).values_list(*names).first()
    return stored == tuple(getattr(item, n) for n in names)


class Risk(RegisterItem):
    """The risk register: cause → event → effect, assessed before (inherent) and after
    (residual) the response, on probability and impact scales for time, cost and quality."""

    kind = models.CharField(max_length=12, choices=RiskKind.choices, default=RiskKind.THREAT)
    category = models.CharField(max_length=12, choices=RiskCategory.choices,
                                default=RiskCategory.TECHNICAL)
    cause = models.TextField(blank=True, max_length=2000)
    event = models.TextField(blank=True, max_length=2000)
    effect = models.TextField(blank=True, max_length=2000)
    inherent_probability = _scale_field("inherent probability")
    inherent_time = _scale_field("inherent impact on time")
    inherent_cost = _scale_field("inherent impact on cost")
    inherent_quality = _scale_field("inherent impact on quality")
    inherent_score = models.PositiveSmallIntegerField(default=0, editable=False)
    residual_probability = _scale_field("residual probability", residual=True)
    residual_time = _scale_field("residual impact on time", residual=True)
    residual_cost = _scale_field("residual impact on cost", residual=True)
    residual_quality = _scale_field("residual impact on quality", residual=True)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    proximity = models.CharField(max_length=10, choices=Proximity.choices,
                                 default=Proximity.QUARTER)
    response_strategy = models.CharField(max_length=10, choices=ResponseStrategy.choices,
                                         blank=True)
    response = models.TextField("response plan", blank=True, max_length=5000)
    triggers = models.TextField(blank=True, max_length=2000)
    review_date = models.DateField(null=True, blank=True)
    # The plan task or milestone the risk threatens (or favours): a change that moves or
    # edits it lists the risk first among those to review.
    task_reference = models.CharField(
        "task or milestone", max_length=100, blank=True,
        help_text="Row number or name of the task in this project's plan it bears on")
    task = models.ForeignKey("planning.PlanTask", null=True, blank=True, editable=False,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_risk_number")]

    def assessment(self, stage: str) -> tuple[int | None, int | None]:
        """(probability, impact) for "inherent" or "residual"; impact is the worst of time,
        cost and quality."""
        p = getattr(self, f"{stage}_probability")
        impacts = [getattr(self, f"{stage}_{k}") for k in ASSESSMENT[1:]]
        known = [i for i in impacts if i is not None]
        return p, (max(known) if known else None)

    def score_of(self, stage: str) -> int | None:
        p, i = self.assessment(stage)
        return p * i if p is not None and i is not None else None

    @property
    def inherent_impact(self) -> int | None:
        return self.assessment("inherent")[1]

    @property
    def residual_impact(self) -> int | None:
        return self.assessment("residual")[1]

    @property
    def current_score(self) -> int:
        """The residual score once assessed, else the inherent one."""
        return self.residual_score if self.residual_score is not None else self.inherent_score

    @property
    def scale(self) -> int:
        return risk_scale(self.project) if self.project_id else default_risk_scale()

    @property
    def severity(self) -> str:
        return score_band(self.current_score, self.scale)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        top = self.scale
        for stage in ("inherent", "residual"):
            for k in ASSESSMENT:
                value = getattr(self, f"{stage}_{k}")
                if value is not None and not 1 <= value <= top:
                    errors[f"{stage}_{k}"] = f"must be between 1 and {top}"
        residual = [getattr(self, f"residual_{k}") for k in ASSESSMENT]
        if any(v is not None for v in residual) and self.residual_probability is None:
            errors["residual_probability"] = "give the residual probability with its impacts"
        strategy = self.response_strategy
        if self.kind == RiskKind.THREAT and strategy in OPPORTUNITY_ONLY:
            errors["response_strategy"] = "exploit and enhance are responses to opportunities"
        if self.kind == RiskKind.OPPORTUNITY and strategy in THREAT_ONLY:
            errors["response_strategy"] = "avoid, reduce and transfer are responses to threats"
        if not kept_reference(self, "task_reference"):
            self.task, problem = find_plan_task(self.project_id, self.task_reference,
                                                "this project's plan")
            if problem:
                errors["task_reference"] = problem
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.inherent_score = self.score_of("inherent") or 0
        self.residual_score = self.score_of("residual")
        super().save(*args, **kwargs)


class Assumption(RegisterItem):
    """Something taken as true for planning, to be validated by a date."""

    validate_by = models.DateField(null=True, blank=True)
    consequence = models.TextField("consequence if false", blank=True, max_length=5000)
    basis = models.CharField(max_length=200, blank=True,
                             help_text="Who or what the assumption rests on")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_assumption_number")]


class DependencyType(models.TextChoices):
    INTERNAL = "internal", "Internal (another project)"
    EXTERNAL = "external", "External (a party outside the portfolio)"


class Direction(models.TextChoices):
    INBOUND = "inbound", "We depend on it"
    OUTBOUND = "outbound", "It depends on us"


class PartyType(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    SUPPLIER = "supplier", "Supplier"
    BUSINESS = "business", "The business"
    REGULATOR = "regulator", "Regulator"
    OTHER = "other", "Other"


class Dependency(RegisterItem):
    """A deliverable passing between this project and another project (internal) or a party
    outside the portfolio (external). An internal one names a task or milestone of the other
    project's plan (by row number or name) and is linked to it: the date it shows is that
    task's current scheduled finish, not a copy."""

    dependency_type = models.CharField(max_length=10, choices=DependencyType.choices,
                                       default=DependencyType.INTERNAL)
    direction = models.CharField(max_length=10, choices=Direction.choices,
                                 default=Direction.INBOUND)
    other_project = models.ForeignKey("portfolio.Project", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    other_reference = models.CharField(
        "task or milestone", max_length=100, blank=True,
        help_text="Row number or name of the task in the other project's plan")
    other_task = models.ForeignKey("planning.PlanTask", null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")
    party = models.CharField(max_length=150, blank=True)
    party_type = models.CharField(max_length=10, choices=PartyType.choices, blank=True)
    needed_by = models.DateField(null=True, blank=True)
    promised_on = models.DateField("promised for", null=True, blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name_plural = "dependencies"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_dependency_number")]

    @property
    def expected_on(self) -> Any:
        """The date the deliverable is expected: the linked task's scheduled finish, live;
        otherwise the date promised."""
        task = self.other_task
        if task is not None and task.finish is not None:
            return task.finish.date()
        return self.promised_on

    @property
    def slack_days(self) -> int | None:
        """Days between the expected date and the date needed (negative: late)."""
        expected = self.expected_on
        if self.needed_by and expected:
            return int((self.needed_by - expected).days)
        return None

    @property
    def late(self) -> bool:
        slack = self.slack_days
        return slack is not None and slack < 0

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.dependency_type == DependencyType.INTERNAL:
            if self.other_project_id is None:
                errors["other_project"] = "name the project of an internal dependency"
            elif self.other_project_id == self.project_id:
                errors["other_project"] = "must be another project"
            else:
                problem = self._link_task()
                if problem:
                    errors["other_reference"] = problem
        elif not self.party.strip():
            errors["party"] = "name the party of an external dependency"
        if self.dependency_type != DependencyType.INTERNAL:
            self.other_task = None
        if errors:
            raise ValidationError(errors)

    def _link_task(self) -> str:
        """Links the task named by other_reference (row number, or name) in the other
        project's plan; a project without a plan keeps the reference as text."""
        if kept_reference(self, "other_reference", "other_project_id"):
            return ""
        self.other_task, problem = find_plan_task(self.other_project_id, self.other_reference,
                                                  "the plan of the other project")
        return problem


class ConstraintType(models.TextChoices):
    TIME = "time", "Time"
    COST = "cost", "Cost"
    SCOPE = "scope", "Scope"
    QUALITY = "quality", "Quality"
    RESOURCE = "resource", "Resource"
    REGULATORY = "regulatory", "Regulatory"
    TECHNICAL = "technical", "Technical"


class Constraint(RegisterItem):
    """A limit the project must work within."""

    constraint_type = models.CharField(max_length=12, choices=ConstraintType.choices,
                                       default=ConstraintType.TIME)
    source = models.CharField(max_length=200, blank=True,
                              help_text="Who imposed it: a contract, a regulator, the board…")
    impact = models.TextField(blank=True, max_length=5000)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_constraint_number")]


class Decision(RegisterItem):
    """The decision log: the options considered, what was decided, why, by whom and when."""

    options = models.TextField("options considered", blank=True, max_length=5000)
    decision = models.TextField(blank=True, max_length=5000)
    rationale = models.TextField(blank=True, max_length=5000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_decision_number")]


class ChangeType(models.TextChoices):
    SCOPE = "scope", "Scope"
    TASKS = "tasks", "Tasks"
    DURATIONS = "durations", "Durations"
    LINKS = "links", "Task links"
    BUDGET = "budget", "Budget lines"
    OTHER = "other", "Other"


class ChangeRequest(RegisterItem):
    """A request to change the baseline. It names the edits to the project's plan (in the
    plan editor's format); assessing it applies them to a what-if copy of the plan, and
    applying an approved change makes them to the plan and saves a new baseline."""

    change_type = models.CharField("what changes", max_length=10, choices=ChangeType.choices,
                                   default=ChangeType.SCOPE)
    change_detail = models.TextField("the change", blank=True, max_length=10000,
                                     help_text="Which scope, tasks, durations, links or "
                                               "budget lines change, and how")
    reason = models.TextField("why", blank=True, max_length=5000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    cost_impact = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                      help_text="Extra cost in the project currency "
                                                "(negative for a saving)")
    delay_days = models.IntegerField("delay (days)", null=True, blank=True,
                                     help_text="Working days the finish moves (negative: "
                                               "earlier)")
    assessment = models.TextField("impact assessment", blank=True, max_length=10000)
    plan_reference = models.CharField("plan scenario", max_length=100, blank=True,
                                      help_text="The what-if plan the impact was taken from")
    plan_edits = models.JSONField(default=list, blank=True, editable=False,
                                  help_text="Proposed plan edits, as the plan editor takes them")
    impact = models.JSONField(null=True, blank=True, editable=False,
                              help_text="The last impact assessment on a what-if plan")
    assessed_plan_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    baseline_number = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_change_number")]
