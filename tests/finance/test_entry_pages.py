"""The finance entry pages: budgets with lines, orders, invoices (above the order they wait
for approval), expenses, benefits and cash flows; refusals shown at the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from projectoffice.finance.models import (
    ActualCost,
    Benefit,
    BudgetVersion,
    CashFlowLine,
    Invoice,
    PurchaseOrder,
)
from tests.conftest import PASSWORD
from tests.timesheets.helpers import cost_loaded


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_budget_with_lines_then_approve(office: Any) -> None:
    cost_loaded(office)
    pm = login(office.pm)
    page = pm.get("/projects/MTX/finance/new/budget/")
    assert page.status_code == 200 and b"1 \xc2\xb7 Design" in page.content
    response = pm.post("/projects/MTX/finance/new/budget/", {
        "name": "Baseline", "lines-0-task_uid": "1", "lines-0-category": "material",
        "lines-0-period": "2026-01-15", "lines-0-amount": "1200.00",
        "lines-1-task_uid": "", "lines-1-category": "other", "lines-1-period": "2026-02-01",
        "lines-1-amount": "300", "lines-2-category": "labour"})
    assert response.status_code == 302
    budget = BudgetVersion.objects.get()
    lines = sorted((line.task_uid, line.category, str(line.period), line.amount)
                   for line in budget.lines.all() if line.task_uid)
    assert lines == [(1, "material", "2026-01-01", Decimal("1200.00"))]
    assert budget.lines.count() == 2 and budget.status == "draft"
    pm.post("/projects/MTX/finance/edit/", {"what": "approve_budget", "number": "1",
                                            "version": str(budget.version)})
    assert BudgetVersion.objects.get().status == "approved"


def test_budget_line_error_is_shown_on_its_row(office: Any) -> None:
    pm = login(office.pm)
    response = pm.post("/projects/MTX/finance/new/budget/", {
        "name": "Bad", "lines-0-category": "material", "lines-0-period": "2026-01-01",
        "lines-0-amount": "10.005"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-row="0"' in body and "has-error" in body
    assert "decimal places" in body or "more than two decimals" in body
    assert not BudgetVersion.objects.exists()
    empty = pm.post("/projects/MTX/finance/new/budget/", {"name": "Nothing"})
    assert empty.status_code == 422 and b"give at least one budget line" in empty.content


def test_order_invoice_above_the_order_waits_for_approval(office: Any) -> None:
    pm = login(office.pm)
    assert pm.post("/projects/MTX/finance/new/order/", {
        "number": "PO-7", "supplier": "Acme", "amount": "1000", "issued": "2026-01-05",
        "category": "services"}).status_code == 302
    duplicate = pm.post("/projects/MTX/finance/new/order/", {
        "number": "PO-7", "supplier": "Acme", "amount": "5", "issued": "2026-01-05",
        "category": "services"})
    assert duplicate.status_code == 422 and b"already has an order PO-7" in duplicate.content
    assert PurchaseOrder.objects.count() == 1
    page = pm.get("/projects/MTX/finance/new/invoice/?order=PO-7")
    assert b'<option value="PO-7" selected' in page.content
    pm.post("/projects/MTX/finance/new/invoice/", {"order": "PO-7", "number": "I-1",
                                                   "amount": "800", "date": "2026-01-20"})
    pm.post("/projects/MTX/finance/new/invoice/", {"order": "PO-7", "number": "I-2",
                                                   "amount": "300", "date": "2026-01-27"})
    first, second = Invoice.objects.order_by("number")
    assert (first.status, second.status) == ("approved", "awaiting")
    assert sum(c.amount for c in ActualCost.objects.all()) == Decimal(800)
    finance = pm.get("/projects/MTX/finance/")
    assert b"Awaiting approval" in finance.content
    pm.post("/projects/MTX/finance/edit/", {"what": "approve_invoice", "invoice": second.pk,
                                            "version": second.version})
    assert sum(c.amount for c in ActualCost.objects.all()) == Decimal(1100)


def test_expense_benefit_and_cash_flows(office: Any) -> None:
    pm = login(office.pm)
    bad = pm.post("/projects/MTX/finance/new/expense/", {
        "date": "2026-13-01", "amount": "12", "description": "Train", "category": "travel"})
    assert bad.status_code == 422 and b"has-error" in bad.content
    pm.post("/projects/MTX/finance/new/expense/", {
        "date": "2026-01-08", "amount": "42.50", "description": "Train", "category": "travel"})
    assert ActualCost.objects.get().amount == Decimal("42.50")
    pm.post("/projects/MTX/benefits/new/", {
        "title": "Faster close", "measure": "days", "target_value": "3", "owner": office.pm.pk,
        "priority": "medium", "benefit_type": "cash_releasing", "annual_value": "50000"})
    assert Benefit.objects.get().owner == office.pm
    response = pm.post("/projects/MTX/finance/new/cash-flows/", {
        "flows-0-period": "0", "flows-0-costs": "1000", "flows-1-period": "1",
        "flows-1-benefits": "600", "flows-2-period": "2", "flows-2-benefits": "600"})
    assert response.status_code == 302
    assert [(c.period, c.costs, c.benefits) for c in CashFlowLine.objects.all()] == [
        (0, Decimal(1000), 0), (1, 0, Decimal(600)), (2, 0, Decimal(600))]
    twice = pm.post("/projects/MTX/finance/new/cash-flows/", {
        "flows-0-period": "1", "flows-0-costs": "1", "flows-1-period": "1"})
    assert twice.status_code == 422 and b"appears twice" in twice.content
    finance = pm.get("/projects/MTX/finance/")
    assert b"data-figure=\"npv\"" in finance.content and b"Faster close" in finance.content


def test_entry_pages_need_finance_manage(office: Any) -> None:
    member = login(office.members["team_member"])
    assert member.get("/projects/MTX/finance/new/order/").status_code == 403
    assert login(office.pm).get("/projects/MTX/finance/new/nonsense/").status_code == 404
