"""Payments of supplier invoices: only approved invoices are paid, never above the invoice,
never before it; statuses unpaid → part paid → paid; reversals instead of deletion; who may
pay; the entry pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.finance import actions, queries
from projectoffice.finance.models import ActualCost, CostSource, Invoice, Payment
from tests.finance.test_entry_pages import login

D = dt.date


def _invoices(office: Any) -> tuple[Invoice, Invoice]:
    """PO-1 for 1000: invoice I-1 of 600 (approved, within the order) and I-2 of 500 (above
    the order: awaiting approval)."""
    actions.create_order(actor=office.pm, project=office.project, number="PO-1",
                         supplier="Acme", amount=Decimal(1000), issued=D(2026, 1, 5))
    first = actions.record_invoice(actor=office.pm, project=office.project, order_number="PO-1",
                                   number="I-1", amount=Decimal(600), date=D(2026, 1, 20))
    second = actions.record_invoice(actor=office.pm, project=office.project,
                                    order_number="PO-1", number="I-2", amount=Decimal(500),
                                    date=D(2026, 2, 3))
    assert first.status == "approved" and second.status == "awaiting"
    return first, second


def test_statuses_and_order_figures_through_the_api(office: Any, api_as: Any) -> None:
    first, _ = _invoices(office)
    pm = api_as(office.pm)
    path = f"/projects/MTX/invoices/{first.pk}/payments"
    assert pm.get(path).json()["payment_status"] == "unpaid"
    made = pm.post(path, {"date": "2026-01-30", "amount": "250.00", "reference": "BT-1001"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["amount"] == "250.00" and body["recorded_by"] == "project_manager"
    assert body["invoice"]["payment_status"] == "part_paid"
    assert body["invoice"]["outstanding"] == "350.00"
    pm.post(path, {"date": "2026-02-10", "amount": "350", "reference": "BT-1002"})
    listed = pm.get(path).json()
    assert listed["payment_status"] == "paid" and listed["outstanding"] == "0.00"
    assert [p["reference"] for p in listed["payments"]] == ["BT-1001", "BT-1002"]
    summary = pm.get("/projects/MTX/finance").json()
    order = summary["orders"][0]
    assert (order["amount"], order["invoiced"], order["paid"], order["remaining"]) == (
        "1000.00", "600.00", "600.00", "400.00")
    assert summary["paid"] == "600.00" and summary["open_commitments"] == "400.00"
    # Payments are cash, not cost: the invoice's cost is booked once.
    assert ActualCost.objects.filter(source=CostSource.INVOICE).count() == 1
    assert sum(c.amount for c in ActualCost.objects.all()) == Decimal(600)
    entry = AuditEntry.objects.filter(content_type__model="payment").latest("pk")
    assert entry.project_id == office.project.pk and entry.changes["amount"] == "350.00"


def test_refusals_write_nothing(office: Any, api_as: Any) -> None:
    first, awaiting = _invoices(office)
    pm = api_as(office.pm)
    unapproved = pm.post(f"/projects/MTX/invoices/{awaiting.pk}/payments",
                         {"date": "2026-02-10", "amount": "10"})
    assert unapproved.status_code == 409
    assert "awaits approval" in unapproved.json()["message"]
    path = f"/projects/MTX/invoices/{first.pk}/payments"
    pm.post(path, {"date": "2026-01-30", "amount": "500"})
    over = pm.post(path, {"date": "2026-01-31", "amount": "100.01"})
    assert over.status_code == 422 and "amount" in over.json()["errors"]
    assert "outstanding 100.00" in over.json()["message"]
    early = pm.post(path, {"date": "2026-01-19", "amount": "10"})
    assert early.status_code == 422 and list(early.json()["errors"]) == ["date"]
    zero = pm.post(path, {"date": "2026-01-30", "amount": "0"})
    assert zero.status_code == 422 and "amount" in zero.json()["errors"]
    with pytest.raises(InvalidInput) as exc:
        actions.record_payment(actor=office.pm, project=office.project, invoice_id=first.pk,
                               date=D(2026, 2, 1), amount=Decimal("-5"))
    assert "amount" in exc.value.errors
    missing = pm.post("/projects/MTX/invoices/999999/payments",
                      {"date": "2026-01-30", "amount": "1"})
    assert missing.status_code == 404
    assert Payment.objects.count() == 1
    # Paying exactly what is outstanding is fine.
    assert pm.post(path, {"date": "2026-01-31", "amount": "100"}).status_code == 201


def test_who_may_pay(office: Any, api_as: Any) -> None:
    first, _ = _invoices(office)
    path = f"/projects/MTX/invoices/{first.pk}/payments"
    body = {"date": "2026-01-30", "amount": "10"}
    assert api_as(office.members["project_accountant"]).post(path, body).status_code == 403
    assert api_as(office.members["team_member"]).post(path, body).status_code == 403
    assert api_as(office.members["team_member"]).get(path).status_code == 403  # cost.view
    assert api_as(office.members["project_accountant"]).get(path).status_code == 200
    assert api_as(office.outsider).get(path).status_code == 404
    assert api_as(office.pmo).post(path, body).status_code == 201
    with pytest.raises(Forbidden):
        actions.record_payment(actor=office.members["project_accountant"],
                               project=office.project, invoice_id=first.pk,
                               date=D(2026, 1, 30), amount=Decimal(1))
    assert Payment.objects.count() == 1


def test_reversal(office: Any, api_as: Any) -> None:
    first, _ = _invoices(office)
    pm = api_as(office.pm)
    paid = pm.post(f"/projects/MTX/invoices/{first.pk}/payments",
                   {"date": "2026-01-30", "amount": "600", "reference": "BT-9"}).json()
    assert paid["invoice"]["payment_status"] == "paid"
    no_reason = pm.post(f"/projects/MTX/payments/{paid['id']}/reverse",
                        {"reason": "", "date": "2026-02-02"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    early = pm.post(f"/projects/MTX/payments/{paid['id']}/reverse",
                    {"reason": "Paid to the wrong account", "date": "2026-01-29"})
    assert early.status_code == 422 and "date" in early.json()["errors"]
    assert api_as(office.members["project_accountant"]).post(
        f"/projects/MTX/payments/{paid['id']}/reverse",
        {"reason": "x", "date": "2026-02-02"}).status_code == 403
    reversed_ = pm.post(f"/projects/MTX/payments/{paid['id']}/reverse",
                        {"reason": "Paid to the wrong account", "date": "2026-02-02"})
    assert reversed_.status_code == 201, reversed_.content
    body = reversed_.json()
    assert body["amount"] == "-600.00" and body["reverses"] == paid["id"]
    assert body["reason"] == "Paid to the wrong account"
    assert body["invoice"]["payment_status"] == "unpaid"
    assert body["invoice"]["outstanding"] == "600.00"
    again = pm.post(f"/projects/MTX/payments/{paid['id']}/reverse",
                    {"reason": "twice", "date": "2026-02-03"})
    assert again.status_code == 409
    with pytest.raises(Conflict):
        actions.reverse_payment(actor=office.pm, project=office.project,
                                payment_id=body["id"], date=D(2026, 2, 3), reason="undo")
    assert Payment.objects.count() == 2  # the original is kept, never deleted
    # Once reversed, the invoice can be paid again, in full.
    assert pm.post(f"/projects/MTX/invoices/{first.pk}/payments",
                   {"date": "2026-02-04", "amount": "600"}).status_code == 201
    invoice, _ = queries.invoice_payments(office.project, first.pk)
    assert invoice.paid == Decimal(600) and invoice.payment_status == "paid"


def test_payment_and_reversal_pages(office: Any) -> None:
    first, awaiting = _invoices(office)
    pm = login(office.pm)
    finance = pm.get("/projects/MTX/finance/").content.decode()
    assert f"/finance/new/payment/?invoice={first.pk}" in finance
    assert f"/finance/new/payment/?invoice={awaiting.pk}" not in finance
    page = pm.get(f"/projects/MTX/finance/new/payment/?invoice={first.pk}")
    assert page.status_code == 200
    assert f'<option value="{first.pk}" selected' in page.content.decode()
    over = pm.post("/projects/MTX/finance/new/payment/", {
        "invoice": str(first.pk), "date": "2026-01-30", "amount": "700", "reference": "X"})
    assert over.status_code == 422
    body = over.content.decode()
    assert "has-error" in body and "above the invoice" in body
    assert not Payment.objects.exists()
    waiting = pm.post("/projects/MTX/finance/new/payment/", {
        "invoice": str(awaiting.pk), "date": "2026-02-10", "amount": "10"})
    assert waiting.status_code == 422 and b"awaits approval" in waiting.content
    ok = pm.post("/projects/MTX/finance/new/payment/", {
        "invoice": str(first.pk), "date": "2026-01-30", "amount": "200", "reference": "BT-5"})
    assert ok.status_code == 302 and ok["Location"].endswith("/finance/#payments")
    payment = Payment.objects.get()
    finance = pm.get("/projects/MTX/finance/").content.decode()
    assert 'data-payment-status="part_paid"' in finance and "BT-5" in finance
    assert f"/finance/new/reversal/?payment={payment.pk}" in finance
    assert login(office.members["project_accountant"]).get(
        "/projects/MTX/finance/new/payment/").status_code == 403
    bad = pm.post("/projects/MTX/finance/new/reversal/", {
        "payment": str(payment.pk), "date": "2026-02-01", "reason": ""})
    assert bad.status_code == 422 and Payment.objects.count() == 1
    done = pm.post("/projects/MTX/finance/new/reversal/", {
        "payment": str(payment.pk), "date": "2026-02-01", "reason": "Duplicate transfer"})
    assert done.status_code == 302
    finance = pm.get("/projects/MTX/finance/").content.decode()
    assert "Duplicate transfer" in finance and 'data-payment-status="unpaid"' in finance
