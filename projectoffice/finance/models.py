"""Project money: actual costs, budgets, purchase orders, supplier invoices, expenses,
the benefits register and the business case.  Amounts are Decimals in the project's currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import RegisterItem

ZERO = Decimal(0)
USER = settings.AUTH_USER_MODEL


def money_field(**extra: object) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(max_digits=14, decimal_places=2, **extra)  # type: ignore[arg-type]


class CostSource(models.TextChoices):
    TIME = "time", "Approved time"
    ADJUSTMENT = "adjustment", "Time adjustment"
    INVOICE = "invoice", "Supplier invoice"
    EXPENSE = "expense", "Expense"


class ActualCost(models.Model):
    """One line of actual cost, written by the action that makes the cost real (approving a
    timesheet, an adjustment, approving an invoice, recording an expense).  Never edited:
    a correction is another line."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actual_costs")
    task_uid = models.PositiveIntegerField(null=True, blank=True)
    resource = models.ForeignKey("resources.Resource", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    date = models.DateField()
    hours = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    amount = money_field()
    source = models.CharField(max_length=12, choices=CostSource.choices)
    reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["project", "date", "pk"]
        indexes = [models.Index(fields=["project", "task_uid", "date"])]


class CostCategory(models.TextChoices):
    LABOUR = "labour", "Labour"
    MATERIAL = "material", "Material"
    SERVICES = "services", "Services"
    TRAVEL = "travel", "Travel"
    OTHER = "other", "Other"


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class BudgetVersion(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=BudgetStatus.choices,
                              default=BudgetStatus.DRAFT)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="budget_number")]

    def __str__(self) -> str:
        return f"Budget {self.number} · {self.name}"


class BudgetLine(models.Model):
    budget = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    task_uid = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="the WBS element (plan task UID)")
    category = models.CharField(max_length=10, choices=CostCategory.choices)
    period = models.DateField(help_text="first day of the month")
    amount = money_field(validators=[MinValueValidator(ZERO)])


class PurchaseOrder(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=40)
    supplier = models.CharField(max_length=150)
    description = models.CharField(max_length=500, blank=True)
    task_uid = models.PositiveIntegerField(null=True, blank=True)
    category = models.CharField(max_length=10, choices=CostCategory.choices,
                                default=CostCategory.SERVICES)
    amount = money_field(validators=[MinValueValidator(ZERO)])
    issued = models.DateField()
    # A closed order takes no more invoices and commits nothing more from that day: what it
    # did not invoice is released.
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)

    # Set by finance.queries.order_rows for display: approved invoices, payments, and the
    # commitment not yet invoiced.
    invoiced: Decimal
    paid: Decimal
    remaining: Decimal

    class Meta:
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="order_number")]

    def open_at(self, day: dt.date) -> bool:
        """Whether the order still commits money at the end of ``day``."""
        return self.closed_on is None or self.closed_on > day

    def __str__(self) -> str:
        return f"PO {self.number} · {self.supplier}"


class InvoiceStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting approval (above the order)"
    APPROVED = "approved", "Approved"


class Invoice(VersionedModel):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=40)
    amount = money_field(validators=[MinValueValidator(ZERO)])
    date = models.DateField()
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    # Set by finance.queries for display: what is paid, what is outstanding, the status.
    paid: Decimal
    outstanding: Decimal
    payment_status: str
    payment_label: str
    reversible: list[Payment]

    class Meta:
        ordering = ["order", "date", "number"]
        constraints = [models.UniqueConstraint(fields=["order", "number"],
                                               name="invoice_number")]


class Expense(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expenses")
    task_uid = models.PositiveIntegerField(null=True, blank=True)
    category = models.CharField(max_length=10, choices=CostCategory.choices,
                                default=CostCategory.TRAVEL)
    date = models.DateField()
    amount = money_field(validators=[MinValueValidator(ZERO)])
    description = models.CharField(max_length=300)
    claimant = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "date"]


class BenefitType(models.TextChoices):
    CASH_RELEASING = "cash_releasing", "Financial, cash-releasing"
    NON_CASH_RELEASING = "non_cash_releasing", "Financial, non-cash-releasing"
    QUANTITATIVE = "quantitative", "Quantitative, non-financial"
    QUALITATIVE = "qualitative", "Qualitative"


FINANCIAL_TYPES = (BenefitType.CASH_RELEASING, BenefitType.NON_CASH_RELEASING)


class Benefit(RegisterItem):
    """The benefits register: what the project is for, measured from a baseline towards a
    target between the realisation dates.  The kernel's owner is the benefit owner; a
    financial benefit carries its annual value in the project's currency."""

    benefit_type = models.CharField("type", max_length=20, choices=BenefitType.choices,
                                    default=BenefitType.CASH_RELEASING)
    measure = models.CharField(max_length=200, blank=True,
                               help_text="What is measured, e.g. cost per transaction")
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. GBP, days, %")
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4, null=True,
                                         blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    realisation_start = models.DateField("realisation starts", null=True, blank=True)
    full_realisation = models.DateField("fully realised by", null=True, blank=True)
    annual_value = money_field(default=ZERO, validators=[MinValueValidator(ZERO)],
                               help_text="A year's worth once realised, in the project's "
                                         "currency (financial benefits)")
    milestone_uid = models.PositiveIntegerField(
        "depends on milestone", null=True, blank=True,
        help_text="The plan task (UID) whose finish the benefit waits for")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_benefit_number")]

    @property
    def is_financial(self) -> bool:
        return self.benefit_type in FINANCIAL_TYPES

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if (self.baseline_value is not None and self.target_value is not None
                and self.baseline_value == self.target_value):
            errors["target_value"] = "must differ from the baseline"
        if (self.realisation_start and self.full_realisation
                and self.full_realisation < self.realisation_start):
            errors["full_realisation"] = "must be on or after the date realisation starts"
        if (self.baseline_date and self.realisation_start
                and self.realisation_start < self.baseline_date):
            errors["realisation_start"] = "must be on or after the baseline date"
        if not self.is_financial and self.annual_value:
            errors["annual_value"] = "only a financial benefit carries an annual value"
        if self.milestone_uid is not None and self.project_id is not None \
                and not PlanTask.objects.filter(plan__project_id=self.project_id,
                                                uid=self.milestone_uid).exists():
            errors["milestone_uid"] = f"no task with UID {self.milestone_uid} in the plan"
        if errors:
            raise ValidationError(errors)


class BenefitMeasurement(models.Model):
    """One reading of a benefit's measure; never edited (a correction is another reading)."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["benefit", "measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.benefit.reference} {self.measured_on}: {self.value}"


class CashFlowLine(models.Model):
    """One period (year) of the business case: period 0 is now, undiscounted."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cash_flows")
    period = models.PositiveSmallIntegerField()
    costs = money_field(default=ZERO, validators=[MinValueValidator(ZERO)])
    benefits = money_field(default=ZERO, validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["project", "period"]
        constraints = [models.UniqueConstraint(fields=["project", "period"],
                                               name="cash_flow_period")]


class EvMethod(models.TextChoices):
    """How a task (or a WBS element taken as one work package) earns its value."""

    PHYSICAL_PERCENT = "physical_percent", "Physical % complete"
    ZERO_HUNDRED = "0/100", "0/100 (earned when finished)"
    FIFTY_FIFTY = "50/50", "50/50 (half at start, half at finish)"
    WEIGHTED_MILESTONES = "weighted_milestones", "Weighted milestones"


class EarningRule(models.Model):
    """The earned value method of the project (``task_uid`` empty: the default for every
    task) or of one plan task; on a summary task the element's tasks earn as one package.
    ``milestone_weights`` maps the UIDs of milestones below the element to percentages."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="earning_rules")
    task_uid = models.PositiveIntegerField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=EvMethod.choices)
    milestone_weights = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["project", "task_uid"]
        constraints = [
            models.UniqueConstraint(fields=["project", "task_uid"], name="one_rule_per_task"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(task_uid__isnull=True),
                                    name="one_default_rule"),
        ]


class ExchangeRate(models.Model):
    """1 unit of ``from_currency`` = ``rate`` units of ``to_currency`` from ``effective_from``
    until the next rate of the pair.  The PMO keeps them; roll-ups across projects in
    different currencies convert with the rate in force at the status date."""

    from_currency = models.CharField(max_length=3)
    to_currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8,
                               validators=[MinValueValidator(Decimal("0.00000001"))])
    effective_from = models.DateField()
    set_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ["from_currency", "to_currency", "-effective_from"]
        constraints = [models.UniqueConstraint(
            fields=["from_currency", "to_currency", "effective_from"], name="one_rate_a_day")]

    def __str__(self) -> str:
        return f"1 {self.from_currency} = {self.rate} {self.to_currency} " \
               f"from {self.effective_from}"


class Payment(models.Model):
    """Cash paid to a supplier against an approved invoice.  Never edited or deleted: a
    payment made by mistake is cancelled by a reversal, a negative payment that names the
    original (``reverses``) and gives the reason.  Payments are cash, not cost: the invoice's
    approval already booked the cost."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    date = models.DateField()
    amount = money_field()
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="e.g. the bank transfer number")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="reversal")
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    reversed: bool  # set by finance.queries for display

    class Meta:
        ordering = ["invoice", "date", "pk"]

    def __str__(self) -> str:
        kind = "Reversal" if self.reverses_id else "Payment"
        return f"{kind} {self.amount} of invoice {self.invoice.number}"

    @property
    def project_id(self) -> int:
        """The project of the invoice's order (so the audit trail files it there)."""
        return int(self.invoice.order.project_id)


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "Unpaid"
    PART_PAID = "part_paid", "Part paid"
    PAID = "paid", "Paid"


class Forecast(models.Model):
    """An estimate to complete entered by hand for the project (``task_uid`` empty) or one
    WBS element, as of a date.  Every entry is kept; the latest of each element counts."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="forecasts")
    task_uid = models.PositiveIntegerField(null=True, blank=True)
    as_of = models.DateField()
    etc = money_field(validators=[MinValueValidator(ZERO)])
    basis = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "task_uid", "as_of", "entered_at", "pk"]
        indexes = [models.Index(fields=["project", "task_uid", "as_of"])]

    def __str__(self) -> str:
        element = f"task {self.task_uid}" if self.task_uid else "project"
        return f"Forecast ETC {self.etc} of the {element} as of {self.as_of}"


class FiguresMemo(models.Model):
    """A project's figures as last computed (earned value at a status date, the cash flow),
    kept under the project's data version (finance/memo.py): read only while the project's
    version is the one they were computed at, so never stale."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # "ev", "cash", "ts-under-way"…
    param = models.CharField(max_length=20, blank=True)  # e.g. the status date asked
    version = models.CharField(max_length=40)
    data = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "kind", "param"],
                                               name="figures_memo_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.param} of project {self.project_id} at {self.version}"
