"""A cost-loaded plan on MTX: a baselined plan, a person resource with rates, assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.planning import actions as plan_actions
from projectoffice.resources import actions as res
from projectoffice.resources.models import Assignment
from tests.planning.helpers import build

MONDAY = dt.date(2026, 1, 5)


def cost_loaded(office: Any) -> dict[str, Any]:
    """Design (5d) then Build (10d) from 5 January 2026; the team member works 40 h on each,
    at 50.00 an hour, 60.00 from 12 January; baseline 0 saved."""
    plan = build(office.pm, office.project, [
        {"name": "Design", "duration": "5d"},
        {"name": "Build", "duration": "10d", "predecessors": "1"},
    ])
    plan_actions.save_baseline(actor=office.pm, project=office.project, number=0)
    plan_actions.set_plan_settings(actor=office.pm, project=office.project,
                                   version=plan.version, status_date=dt.date(2026, 1, 9))
    member = office.members["team_member"]
    person = res.create_resource(actor=office.pm, project=office.project, name="Tess Member",
                                 user=member)
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("50.00"), overtime=Decimal("75.00"))
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2026, 1, 8),
                 standard=Decimal("60.00"), overtime=Decimal("90.00"))
    design = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=person.pk, task_uid=1, work=Decimal(40))
    build_ = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=person.pk, task_uid=2, work=Decimal(80))
    return {"member": member, "person": person, "design": design, "build": build_}


def week(*hours: float | int) -> list[str]:
    values = [str(h) for h in hours]
    return values + ["0"] * (7 - len(values))


def assignment(pk: int) -> Assignment:
    return Assignment.objects.get(pk=pk)


def money_setup(office: Any) -> dict[str, Any]:
    """What the permission matrix needs on top of its plan: a resource with a rate and an
    assignment, a submitted and an approved timesheet, an invoice above its order and a draft
    budget."""
    from projectoffice.finance import actions as fin
    from projectoffice.timesheets import actions as ts

    member = office.members["team_member"]
    person = res.create_resource(actor=office.pm, project=office.project, name="Tess Member",
                                 user=member)
    res.set_rate(actor=office.pm, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("50.00"))
    design = res.assign_resource(actor=office.pm, project=office.project,
                                 resource_id=person.pk, task_uid=1, work=Decimal(40))
    sheets = {}
    for name, monday in (("approved", dt.date(2026, 1, 12)), ("submitted", MONDAY)):
        sheet = ts.save_timesheet(actor=member, project=office.project, week_start=monday,
                                  version=None, lines=[{"assignment_id": design.pk,
                                                        "hours": week(4)}])
        sheet = ts.submit_timesheet(actor=member, project=office.project, week_start=monday,
                                    version=sheet.version)
        if name == "approved":
            sheet = ts.decide_timesheet(actor=office.pm, project=office.project,
                                        timesheet_id=sheet.pk, version=sheet.version,
                                        approve=True)
        sheets[name] = sheet
    fin.create_order(actor=office.pm, project=office.project, number="PO-1", supplier="Acme",
                     amount=Decimal(100), issued=MONDAY)
    invoice = fin.record_invoice(actor=office.pm, project=office.project, order_number="PO-1",
                                 number="INV-1", amount=Decimal(150), date=MONDAY)
    budget = fin.create_budget(actor=office.pm, project=office.project, name="Draft", lines=[
        {"category": "other", "period": MONDAY, "amount": "10"}])
    order = fin.create_order(actor=office.pm, project=office.project, number="PO-2",
                             supplier="Beta", amount=Decimal(200), issued=MONDAY)
    approved = fin.record_invoice(actor=office.pm, project=office.project, order_number="PO-2",
                                  number="INV-2", amount=Decimal(200), date=MONDAY)
    payment = fin.record_payment(actor=office.pm, project=office.project,
                                 invoice_id=approved.pk, date=MONDAY, amount=Decimal(50))
    return {"resource": person.pk, "assignment": design.pk, "submitted": sheets["submitted"],
            "approved": sheets["approved"], "invoice": invoice.pk, "budget": budget.number,
            "approved_invoice": approved.pk, "payment": payment.pk, "order": order.pk}


def money_bodies(money: dict[str, Any]) -> dict[str, Any]:
    if not money:
        return {}
    return {
        "POST /projects/{code}/resources": {"name": "Matrix crane", "kind": "work"},
        "POST /projects/{code}/resources/{resource_id}/rates": {
            "effective_from": "2026-02-01", "standard": "70.00"},
        "POST /projects/{code}/assignments": {"resource_id": money["resource"], "task_uid": 2,
                                              "work": "8"},
        "PATCH /projects/{code}/assignments/{assignment_id}": {"version": 1, "work": "48"},
        "POST /projects/{code}/timesheets/mine/{week}": {"lines": [
            {"time_code": "training", "hours": ["1", "0", "0", "0", "0", "0", "0"]}]},
        "POST /projects/{code}/timesheets/mine/{week}/submit": {},
        "POST /projects/{code}/timesheets/{timesheet_id}/decision": {
            "version": money["submitted"].version, "approve": True},
        "POST /timesheets/me/{week}": {"lines": []},
        "POST /timesheets/me/{week}/submit": {},
        "POST /timesheets/parts/{timesheet_id}/decision": {
            "version": money["submitted"].version, "approve": False, "comment": "Matrix"},
        "POST /projects/{code}/timesheets/{timesheet_id}/adjustments": {
            "assignment_id": money["assignment"], "date": "2026-01-12", "hours": "1",
            "reason": "Matrix"},
        "POST /projects/{code}/budgets": {"name": "Matrix", "lines": [
            {"category": "other", "period": "2026-01-01", "amount": "10"}]},
        "POST /projects/{code}/budgets/{number}/approve": {"version": 1},
        "POST /projects/{code}/orders": {"number": "PO-9", "supplier": "Supplier",
                                         "amount": "10", "issued": "2026-01-05"},
        "PATCH /projects/{code}/orders/{order_id}": {"version": 1, "amount": "260",
                                                     "reason": "Two more licences"},
        "POST /projects/{code}/orders/{order_id}/close": {"version": 1, "date": "2026-01-30",
                                                          "reason": "Delivered in full"},
        "POST /projects/{code}/invoices": {"order_number": "PO-1", "number": "INV-9",
                                           "amount": "1", "date": "2026-01-06"},
        "POST /projects/{code}/invoices/{invoice_id}/approve": {"version": 1},
        "POST /projects/{code}/invoices/{invoice_id}/payments": {
            "date": "2026-01-20", "amount": "10", "reference": "BT-77"},
        "POST /projects/{code}/payments/{payment_id}/reverse": {"reason": "Paid twice",
                                                                 "date": "2026-01-21"},
        "POST /projects/{code}/forecasts": {"etc": "500", "as_of": "2026-01-09"},
        "POST /projects/{code}/expenses": {"date": "2026-01-06", "amount": "5",
                                           "description": "Taxi"},
        "POST /projects/{code}/benefits/{ref}/measurements": {"measured_on": "2026-02-02",
                                                             "value": "3.9"},
        "POST /projects/{code}/cash-flows": {"flows": [{"period": 0, "costs": "100"}]},
        "POST /projects/{code}/ev-methods": {"method": "50/50"},
        "POST /exchange-rates": {"from_currency": "EUR", "to_currency": "GBP", "rate": "0.85",
                                 "effective_from": "2026-01-01"},
    }


def money_path(path: str, money: dict[str, Any]) -> str:
    """Fills the path parameters of the time and money operations (only theirs: other
    operations use the same names, e.g. ``{number}`` for a document version)."""
    if not any(f"/{part}" in path for part in ("resources", "assignments", "timesheets",
                                               "budgets", "invoices", "payments",
                                               "orders/")):
        return path
    sheet = money["approved"] if path.endswith("/adjustments") else money["submitted"]
    if path.endswith("/payments"):  # only an approved invoice is paid
        path = path.replace("{invoice_id}", str(money["approved_invoice"]))
    return (path.replace("{resource_id}", str(money["resource"]))
            .replace("{assignment_id}", str(money["assignment"]))
            .replace("{week}", "2026-01-19").replace("{timesheet_id}", str(sheet.pk))
            .replace("{invoice_id}", str(money["invoice"]))
            .replace("{payment_id}", str(money["payment"]))
            .replace("{order_id}", str(money["order"]))
            .replace("{number}", str(money["budget"])))
