"""Forms of the finance pages: budgets with lines, orders, invoices, expenses, benefit
measurements and the business case's cash flows.  They only parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from projectoffice.errors import OfficeError
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.web.shortcuts import errors_to_form

from .models import CostCategory, EvMethod, Invoice, InvoiceStatus, Payment, PurchaseOrder

DATE = forms.DateInput(attrs={"type": "date"})
AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def task_choices(project: Project) -> list[tuple[str, str]]:
    tasks = PlanTask.objects.filter(plan__project=project).order_by("position")
    return [("", "— none —")] + [
        (str(t.uid), f"{t.uid} · {'  ' * (t.outline_level - 1)}{t.name}"
         + (" (summary)" if t.summary else "")) for t in tasks]


class ProjectForm(forms.Form):
    """A form that knows its project (for choices of tasks, orders and people)."""

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        if "task_uid" in self.fields:
            field: Any = self.fields["task_uid"]
            field.choices = task_choices(project)
            # A plan has hundreds of tasks: the page offers them as a search-as-you-type
            # picker (office.js); the select underneath is what the form posts.
            field.widget.attrs["data-picker"] = "Type a task name or ID"

    def chosen_task(self) -> int | None:
        raw = self.cleaned_data.get("task_uid") or ""
        return int(raw) if raw else None


class BudgetForm(ProjectForm):
    name = forms.CharField(max_length=100, required=False,
                           help_text="e.g. Baseline budget; left empty it is numbered")


class BudgetLineForm(ProjectForm):
    task_uid = forms.ChoiceField(label="WBS element", required=False)
    category = forms.ChoiceField(choices=CostCategory.choices)
    period = forms.DateField(label="Month", widget=DATE,
                             help_text="any day of the month")
    amount = forms.DecimalField(**AMOUNT)  # type: ignore[arg-type]


class OrderForm(ProjectForm):
    number = forms.CharField(max_length=40, label="Order number")
    supplier = forms.CharField(max_length=150)
    amount = forms.DecimalField(**AMOUNT)  # type: ignore[arg-type]
    issued = forms.DateField(widget=DATE)
    category = forms.ChoiceField(choices=CostCategory.choices, initial=CostCategory.SERVICES)
    task_uid = forms.ChoiceField(label="WBS element", required=False)
    description = forms.CharField(max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class InvoiceForm(ProjectForm):
    order = forms.ChoiceField(label="Purchase order")
    number = forms.CharField(max_length=40, label="Invoice number")
    amount = forms.DecimalField(**AMOUNT,  # type: ignore[arg-type]
                                help_text="above what remains of the order it waits for "
                                          "approval by the project manager or the PMO")
    date = forms.DateField(widget=DATE)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        field: Any = self.fields["order"]
        field.choices = [("", "— choose —")] + [
            (o.number, f"{o.number} · {o.supplier} · {o.amount:,.2f}")
            for o in PurchaseOrder.objects.filter(project=project, closed_on__isnull=True)]


class OpenOrderForm(ProjectForm):
    """An open order chosen from a list, with the version it had when the page was shown,
    so that two people changing the same order never overwrite each other."""

    order = forms.ChoiceField(label="Purchase order")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        orders = list(PurchaseOrder.objects.filter(project=project, closed_on__isnull=True))
        field: Any = self.fields["order"]
        field.choices = [("", "— choose —")] + [
            (str(o.pk), f"{o.number} · {o.supplier} · {o.amount:,.2f}") for o in orders]
        chosen = next((o for o in orders if str(o.pk) == str(self.initial.get("order"))), None)
        if chosen is not None:
            self.initial["version"] = chosen.version
            self.order_shown(chosen)

    def order_shown(self, order: PurchaseOrder) -> None:
        """Prefills the form from the order opened from its row."""


class OrderAmendForm(OpenOrderForm):
    amount = forms.DecimalField(**AMOUNT,  # type: ignore[arg-type]
                                label="New amount",
                                help_text="not below what the order's invoices come to")
    supplier = forms.CharField(max_length=150)
    description = forms.CharField(max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="kept with the change in the order's history")

    def order_shown(self, order: PurchaseOrder) -> None:
        self.initial.update(amount=order.amount, supplier=order.supplier,
                            description=order.description)


class OrderCloseForm(OpenOrderForm):
    date = forms.DateField(widget=DATE, help_text="from this day what the order did not "
                                                  "invoice is no longer committed")
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="e.g. delivered in full, or the rest is not needed")


class PaymentForm(ProjectForm):
    invoice = forms.ChoiceField(label="Invoice")
    date = forms.DateField(widget=DATE, help_text="the day the money left; not before the "
                                                  "invoice's date")
    amount = forms.DecimalField(**AMOUNT,  # type: ignore[arg-type]
                                help_text="at most what is outstanding on the invoice")
    reference = forms.CharField(max_length=100, required=False,
                                help_text="e.g. the bank transfer number")

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        field: Any = self.fields["invoice"]
        field.choices = [("", "— choose —")] + [
            (str(i.pk), f"{i.number} · {i.order.supplier} (PO {i.order.number}) · "
                        f"{i.amount:,.2f}" + ("" if i.status == InvoiceStatus.APPROVED
                                               else " · awaiting approval"))
            for i in Invoice.objects.filter(order__project=project).select_related("order")
            .order_by("order__number", "date", "number")]


class ReversalForm(ProjectForm):
    payment = forms.ChoiceField(label="Payment to reverse")
    date = forms.DateField(widget=DATE, help_text="the day the money came back or the "
                                                  "payment was cancelled")
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        field: Any = self.fields["payment"]
        field.choices = [("", "— choose —")] + [
            (str(p.pk), f"{p.date:%d %b %Y} · {p.amount:,.2f} · invoice {p.invoice.number}"
                        + (f" · {p.reference}" if p.reference else ""))
            for p in Payment.objects.filter(invoice__order__project=project,
                                            reverses__isnull=True, reversal__isnull=True)
            .select_related("invoice").order_by("date", "pk")]


class ForecastForm(ProjectForm):
    task_uid = forms.ChoiceField(label="WBS element", required=False)
    as_of = forms.DateField(widget=DATE, label="As of",
                            help_text="EAC = actual cost up to this date + the estimate")
    etc = forms.DecimalField(max_digits=14, decimal_places=2,
                             label="Estimate to complete (ETC)")
    basis = forms.CharField(max_length=500, required=False, label="Basis of the estimate",
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        field: Any = self.fields["task_uid"]
        field.choices = [("", "— the whole project —"), *field.choices[1:]]


class ExpenseForm(ProjectForm):
    date = forms.DateField(widget=DATE)
    amount = forms.DecimalField(**AMOUNT)  # type: ignore[arg-type]
    description = forms.CharField(max_length=300)
    category = forms.ChoiceField(choices=CostCategory.choices, initial=CostCategory.TRAVEL)
    task_uid = forms.ChoiceField(label="WBS element", required=False)


class MeasurementForm(forms.Form):
    """A reading of a benefit's measure (the value is parsed by the action, so that a
    wrong one is named the same way as in the API)."""

    measured_on = forms.DateField(label="Measured on", widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    value = forms.CharField(max_length=40, label="Value",
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(max_length=500, required=False)


class CashFlowForm(forms.Form):
    period = forms.IntegerField(min_value=0, max_value=100, required=False, label="Year")
    costs = forms.DecimalField(required=False, **AMOUNT)  # type: ignore[arg-type]
    benefits = forms.DecimalField(required=False, **AMOUNT)  # type: ignore[arg-type]


def errors_to_rows(forms_list: list[Any], head: forms.BaseForm, exc: OfficeError,
                   prefix: str) -> None:
    """Puts ``prefix.N.field`` errors on row N's field; other errors on the head form."""
    rest: dict[str, list[str]] = {}
    for key, messages in (exc.errors or {}).items():
        parts = key.split(".")
        if len(parts) >= 2 and parts[0] == prefix and parts[1].isdigit() \
                and int(parts[1]) < len(forms_list):
            row = forms_list[int(parts[1])]
            name = parts[2] if len(parts) > 2 and parts[2] in row.fields else None
            for message in messages:
                row.add_error(name, message)
        else:
            rest[key] = messages
    if rest or not exc.errors:
        errors_to_form(head, OfficeError(exc.message, rest) if rest else exc)


class EvMethodForm(ProjectForm):
    task_uid = forms.ChoiceField(label="Task or WBS element", required=False)
    method = forms.ChoiceField(label="Earned value method", choices=EvMethod.choices)
    milestone_weights = forms.CharField(
        required=False, max_length=500, label="Milestone weights (weighted milestones)",
        help_text="milestone UID = % of the element's budget, e.g. 4=30, 6=70; they must "
                  "sum to 100")

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        field: Any = self.fields["task_uid"]
        field.choices = [("", "— project default —"), *field.choices[1:]]

    def clean_milestone_weights(self) -> dict[str, str]:
        raw = self.cleaned_data.get("milestone_weights") or ""
        weights: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in raw.replace(";", ",").split(","))):
            uid, sep, weight = part.partition("=")
            if not sep or not uid.strip() or not weight.strip():
                raise forms.ValidationError(f"write {part!r} as UID=weight")
            weights[uid.strip()] = weight.strip().rstrip("%").strip()
        return weights


class ExchangeRateForm(forms.Form):
    from_currency = forms.CharField(max_length=3, label="From", help_text="e.g. EUR")
    to_currency = forms.CharField(max_length=3, label="To", help_text="e.g. GBP")
    rate = forms.DecimalField(max_digits=18, decimal_places=8,
                              help_text="1 unit of the from currency in the to currency")
    effective_from = forms.DateField(widget=DATE, label="Effective from")
