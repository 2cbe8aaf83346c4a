"""Earned value in the app: PV from the cost-loaded baseline, EV by % complete, AC from
approved time, invoices and expenses; the benefit case from the cash flows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import Conflict
from projectoffice.finance import actions, queries
from projectoffice.finance.models import ActualCost, InvoiceStatus
from projectoffice.timesheets import actions as ts
from tests.timesheets.helpers import MONDAY, cost_loaded, week


def approve_week(office: Any, world: dict[str, Any], hours: list[str]) -> None:
    member = world["member"]
    sheet = ts.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                              version=None, lines=[{"assignment_id": world["design"].pk,
                                                    "hours": hours}])
    sheet = ts.submit_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                version=sheet.version)
    ts.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                        version=sheet.version, approve=True)


def test_earned_value_at_the_status_date(office: Any) -> None:
    world = cost_loaded(office)
    before = queries.earned_value(office.project)
    assert before is not None
    # BAC: Design 40 h × 50.00, Build 80 h × 60.00 (the rate on the baseline start, 19 January).
    assert before.figures["bac"] == Decimal("6800.00")
    assert before.figures["ev"] == 0 and before.figures["ac"] == 0
    # Status Friday 9 January, inside the week 5–11 January: PV is linear within the
    # period (docs/earned-value.md), 2,000.00 × 5/7.
    assert before.figures["pv"] == Decimal("1428.57")
    approve_week(office, world, week(8, 8, 8, 8))  # 32 h: 3 × 8 × 50 + 8 × 60
    after = queries.earned_value(office.project)
    assert after is not None
    assert after.figures["ac"] == Decimal("1680.00")
    assert after.figures["ev"] == Decimal("1600.00")  # 80 % of 2,000
    assert after.figures["cpi"] == Decimal("1600") / Decimal("1680")
    assert after.figures["spi"] == Decimal("1600") / Decimal("1428.57")
    assert after.curve is not None and after.curve.points[-1].pv.amount > 0


def test_invoices_above_the_order_wait_for_approval(office: Any) -> None:
    cost_loaded(office)
    actions.create_order(actor=office.pm, project=office.project, number="PO-1",
                         supplier="Acme", amount=Decimal("1000.00"), issued=MONDAY, task_uid=2)
    first = actions.record_invoice(actor=office.members["project_accountant"],
                                   project=office.project, order_number="PO-1", number="INV-1",
                                   amount=Decimal("600.00"), date=MONDAY)
    assert first.status == InvoiceStatus.APPROVED
    second = actions.record_invoice(actor=office.pm, project=office.project,
                                    order_number="PO-1", number="INV-2",
                                    amount=Decimal("500.00"), date=MONDAY)
    assert second.status == InvoiceStatus.AWAITING
    assert sum(c.amount for c in ActualCost.objects.all()) == Decimal("600.00")
    actions.approve_invoice(actor=office.pm, project=office.project, invoice_id=second.pk,
                            version=second.version)
    with pytest.raises(Conflict):
        actions.approve_invoice(actor=office.pm, project=office.project, invoice_id=second.pk,
                                version=second.version + 1)
    actions.record_expense(actor=office.pm, project=office.project, date=MONDAY,
                           amount=Decimal("80.00"), description="Train to site")
    summary = queries.cost_summary(office.project)
    assert summary["actual"] == Decimal("1180.00")
    assert summary["committed"] == Decimal("1000.00")


def test_budget_version_approval_and_benefit_case(office: Any) -> None:
    cost_loaded(office)
    budget = actions.create_budget(actor=office.pm, project=office.project, name="Original",
                                   lines=[{"task_uid": 2, "category": "material",
                                           "period": dt.date(2026, 1, 1), "amount": "500.00"}])
    assert queries.earned_value(office.project).figures["bac"] == Decimal("6800.00")  # type: ignore[union-attr]
    actions.approve_budget(actor=office.pm, project=office.project, number=budget.number,
                           version=budget.version)
    assert queries.earned_value(office.project).figures["bac"] == Decimal("7300.00")  # type: ignore[union-attr]
    actions.set_cash_flows(actor=office.pm, project=office.project, flows=[
        {"period": 0, "costs": "1000"}, {"period": 1, "benefits": "300"},
        {"period": 2, "benefits": "400"}, {"period": 3, "benefits": "500"},
        {"period": 4, "benefits": "200"}])
    case = queries.business_case(office.project, Decimal("0.10"))
    assert case["npv"] == Decimal("115.57")
    assert case["payback"] == Decimal("2.6")
