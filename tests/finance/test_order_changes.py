"""Purchase orders change by change orders (new terms with a reason, never below what is
invoiced) and are closed, which stops new invoices and releases the commitment left; two
people changing the same order never overwrite each other."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.audit.models import AuditEntry
from projectoffice.finance import actions
from projectoffice.finance.cashflow import project_cash_flow
from projectoffice.finance.models import PurchaseOrder
from tests.finance.test_entry_pages import login

D = dt.date


def _order(office: Any) -> PurchaseOrder:
    """PO-7 for 1000 issued 5 Jan 2026 with an approved invoice of 600 on 20 Jan."""
    order = actions.create_order(actor=office.pm, project=office.project, number="PO-7",
                                 supplier="Acme", amount=Decimal(1000), issued=D(2026, 1, 5))
    actions.record_invoice(actor=office.pm, project=office.project, order_number="PO-7",
                           number="A-1", amount=Decimal(600), date=D(2026, 1, 20))
    return order


def test_a_change_order_amends_the_terms_with_its_reason(office: Any, api_as: Any) -> None:
    order = _order(office)
    pm = api_as(office.pm)
    path = f"/projects/MTX/orders/{order.pk}"
    r = pm.patch(path, {"version": 1, "amount": "1250", "reason": "Two more licences"})
    assert r.status_code == 200, r.content
    assert r.json()["amount"] == "1250.00" and r.json()["version"] == 2
    entry = AuditEntry.objects.filter(verb="amended", content_type__model="purchaseorder").get()
    assert entry.changes == {"amount": ["1000.00", "1250.00"], "reason": "Two more licences"}
    summary = pm.get("/projects/MTX/finance").json()["orders"][0]
    assert (summary["amount"], summary["remaining"], summary["version"]) == (
        "1250.00", "650.00", 2)
    # The version read before is stale: 409, nothing changes.
    stale = pm.patch(path, {"version": 1, "amount": "900", "reason": "Fewer"})
    assert stale.status_code == 409
    # Below what is invoiced, without a reason, or an unknown field: 422 at the field.
    low = pm.patch(path, {"version": 2, "amount": "500", "reason": "Cut"})
    assert low.status_code == 422 and "amount" in low.json()["errors"]
    assert "600.00" in low.json()["message"]
    blank = pm.patch(path, {"version": 2, "amount": "900", "reason": ""})
    assert blank.status_code == 422 and "reason" in blank.json()["errors"]
    same = pm.patch(path, {"version": 2, "amount": "1250", "reason": "No change"})
    assert same.status_code == 422 and "amount" in same.json()["errors"]
    order.refresh_from_db()
    assert order.amount == Decimal(1250) and order.version == 2
    # A stakeholder sees the order but may not change it.
    viewer = api_as(office.members["stakeholder"])
    assert viewer.patch(path, {"version": 2, "amount": "2000",
                               "reason": "More"}).status_code == 403


def test_closing_an_order_releases_its_commitment_and_stops_invoices(office: Any,
                                                                    api_as: Any) -> None:
    order = _order(office)
    pm = api_as(office.pm)
    path = f"/projects/MTX/orders/{order.pk}/close"
    early = pm.post(path, {"version": 1, "date": "2026-01-10", "reason": "Done"})
    assert early.status_code == 422 and "date" in early.json()["errors"]  # before the invoice
    r = pm.post(path, {"version": 1, "date": "2026-02-15",
                       "reason": "Delivered in full; the rest is not needed"})
    assert r.status_code == 200, r.content
    assert r.json()["closed_on"] == "2026-02-15"
    entry = AuditEntry.objects.filter(verb="closed", content_type__model="purchaseorder").get()
    assert entry.changes["released"] == "400.00"
    summary = pm.get("/projects/MTX/finance").json()
    assert summary["orders"][0]["remaining"] == "0.00"
    assert summary["open_commitments"] == "0.00"
    # The cash flow keeps the commitment open until the month the order closed.
    rows = {r.label: r for r in project_cash_flow(office.project, D(2026, 1, 1),
                                                  D(2026, 3, 1)).rows}
    assert rows["2026-01"].open_commitments == Decimal(400)
    assert rows["2026-02"].open_commitments == 0 and rows["2026-03"].open_commitments == 0
    # A closed order takes no invoice and no change; closing twice is a conflict.
    invoice = pm.post("/projects/MTX/invoices", {"order_number": "PO-7", "number": "A-2",
                                                 "amount": "10", "date": "2026-02-20"})
    assert invoice.status_code == 422 and "order" in invoice.json()["errors"]
    assert pm.patch(f"/projects/MTX/orders/{order.pk}", {
        "version": 2, "amount": "2000", "reason": "More"}).status_code == 409
    assert pm.post(path, {"version": 2, "reason": "Again"}).status_code == 409


def test_an_order_with_an_invoice_awaiting_approval_is_not_closed(office: Any,
                                                                 api_as: Any) -> None:
    order = _order(office)
    actions.record_invoice(actor=office.pm, project=office.project, order_number="PO-7",
                           number="A-2", amount=Decimal(700), date=D(2026, 2, 1))
    r = api_as(office.pm).post(f"/projects/MTX/orders/{order.pk}/close", {
        "version": 1, "date": "2026-02-15", "reason": "Done"})
    assert r.status_code == 409 and "awaits approval" in r.json()["message"]
    order.refresh_from_db()
    assert order.closed_on is None


def test_amend_and_close_pages(office: Any) -> None:
    order = _order(office)
    client = login(office.pm)
    page = client.get("/projects/MTX/finance/").content.decode()
    assert f"order-change/?order={order.pk}" in page and f"order-close/?order={order.pk}" in page
    form = client.get(f"/projects/MTX/finance/new/order-change/?order={order.pk}")
    html = form.content.decode()
    assert form.status_code == 200 and 'value="1000.00"' in html and 'name="version"' in html
    bad = client.post("/projects/MTX/finance/new/order-change/", {
        "order": order.pk, "version": 1, "amount": "100", "supplier": "Acme", "reason": "Cut"})
    assert bad.status_code == 422 and "the order cannot be less" in bad.content.decode()
    ok = client.post("/projects/MTX/finance/new/order-change/", {
        "order": order.pk, "version": 1, "amount": "1100", "supplier": "Acme Ltd",
        "reason": "Renamed and extended"})
    assert ok.status_code == 302
    order.refresh_from_db()
    assert (order.amount, order.supplier, order.version) == (Decimal(1100), "Acme Ltd", 2)
    # The close page, sent with the version shown before the change: refused, not lost.
    stale = client.post("/projects/MTX/finance/new/order-close/", {
        "order": order.pk, "version": 1, "date": "2026-02-01", "reason": "Done"})
    assert stale.status_code == 422 and order.__class__.objects.get(
        pk=order.pk).closed_on is None
    assert "changed by someone else" in stale.content.decode()
    done = client.post("/projects/MTX/finance/new/order-close/", {
        "order": order.pk, "version": 2, "date": "2026-02-01", "reason": "Done"})
    assert done.status_code == 302
    page = client.get("/projects/MTX/finance/").content.decode()
    assert "data-order-closed" in page and "Closed: Done" in page
