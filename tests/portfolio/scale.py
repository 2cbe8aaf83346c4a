"""A portfolio that grows: projects built through the actions, each with what every roll-up
reads (a baselined cost-loaded plan with progress, rates, approved time, a budget, an order
with its invoice and payment, an expense, a benefit with a measurement, risks, issues and
actions, half of them in euros), and the query counts of the roll-up pages over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projectoffice.controls.registers import ACTIONS, ISSUES, RISKS
from projectoffice.finance import actions as fin
from projectoffice.finance.registers import BENEFITS
from projectoffice.planning import actions as plan_actions
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.registers import actions as registers
from projectoffice.resources import actions as res
from projectoffice.timesheets import actions as ts
from tests.planning.helpers import build

MONDAY = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 3, 2)


def grow(office: Any, count: int) -> None:
    """Adds ``count`` projects to the office's programme (every second one in euros, with
    the euro's rate kept once)."""
    from projectoffice.finance.models import ExchangeRate

    if not ExchangeRate.objects.exists():
        fin.set_exchange_rate(actor=office.pmo, from_currency="EUR", to_currency="GBP",
                              rate=Decimal("0.85"), effective_from=dt.date(2025, 1, 1))
    start = getattr(office, "grown", 0)
    for n in range(start, start + count):
        _project(office, n)
    office.grown = start + count


def _project(office: Any, n: int) -> None:
    pm, member = office.pm, office.members["team_member"]
    project = portfolio_actions.create_project(
        actor=office.pmo, code=f"S{n:03d}", name=f"Scale project {n}",
        programme=office.programme, manager=pm, currency="EUR" if n % 2 else "GBP",
        start_date=MONDAY, finish_date=dt.date(2026, 6, 30))
    portfolio_actions.add_member(actor=office.pmo, project=project, user=member,
                                 role="team_member")
    plan = build(pm, project, [
        {"name": "Phase", "duration": "1d"},
        {"name": "Design", "duration": "5d", "level": 2},
        {"name": "Build", "duration": "10d", "predecessors": "2", "level": 2},
        {"name": "Built", "duration": "0d", "predecessors": "3", "level": 2},
    ])
    person = res.create_resource(actor=pm, project=project, name=f"Tess {n}", user=member)
    res.set_rate(actor=pm, resource=person, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("50.00"))
    design = res.assign_resource(actor=pm, project=project, resource_id=person.pk, task_uid=2,
                                 work=Decimal(40))
    res.assign_resource(actor=pm, project=project, resource_id=person.pk, task_uid=3,
                        work=Decimal(80))
    plan_actions.save_baseline(actor=pm, project=project, number=0)
    plan = plan_actions.set_plan_settings(actor=pm, project=project, version=plan.version,
                                          status_date=dt.date(2026, 1, 9))
    plan_actions.edit_plan(actor=pm, project=project, version=plan.version,
                           edits=[{"uid": 2, "percent_complete": 60}])
    sheet = ts.save_timesheet(actor=member, project=project, week_start=MONDAY, version=None,
                              lines=[{"assignment_id": design.pk,
                                      "hours": ["8", "8", "8", "0", "0", "0", "0"]}])
    sheet = ts.submit_timesheet(actor=member, project=project, week_start=MONDAY,
                                version=sheet.version, notify=False)
    ts.decide_timesheet(actor=pm, project=project, timesheet_id=sheet.pk,
                        version=sheet.version, approve=True)
    budget = fin.create_budget(actor=pm, project=project, name="Budget", lines=[
        {"task_uid": 3, "category": "material", "period": dt.date(2026, 1, 1),
         "amount": Decimal("1200.00")}])
    fin.approve_budget(actor=pm, project=project, number=budget.number, version=budget.version)
    fin.create_order(actor=pm, project=project, number=f"PO-{n}", supplier="Acme",
                     amount=Decimal("900.00"), issued=dt.date(2026, 1, 6))
    invoice = fin.record_invoice(actor=pm, project=project, order_number=f"PO-{n}",
                                 number=f"INV-{n}", amount=Decimal("400.00"),
                                 date=dt.date(2026, 1, 20))
    fin.record_payment(actor=pm, project=project, invoice_id=invoice.pk,
                       date=dt.date(2026, 2, 3), amount=Decimal("400.00"))
    fin.record_expense(actor=pm, project=project, date=dt.date(2026, 1, 7),
                       amount=Decimal("35.00"), description="Train")
    benefit = registers.create_item(actor=pm, spec=BENEFITS, project=project, today=MONDAY, data={
        "title": "Lower cost", "benefit_type": "cash_releasing", "measure": "Cost",
        "unit": "GBP", "baseline_value": Decimal("4.20"), "baseline_date": MONDAY,
        "target_value": Decimal("3.10"), "realisation_start": dt.date(2026, 2, 1),
        "full_realisation": dt.date(2026, 12, 1), "annual_value": Decimal("100000")})
    fin.record_measurement(actor=pm, benefit=benefit, measured_on=dt.date(2026, 2, 20),
                           value=Decimal("4.00"), today=TODAY)
    registers.create_item(actor=pm, spec=RISKS, project=project, today=MONDAY,
                          data={"title": "Supplier may fail", "owner": pm})
    registers.create_item(actor=pm, spec=ISSUES, project=project, today=MONDAY,
                          data={"title": "Late parts", "owner": pm, "severity": "high",
                                "due_date": dt.date(2026, 1, 30)})
    registers.create_item(actor=pm, spec=ACTIONS, project=project, today=MONDAY,
                          data={"title": "Chase parts", "owner": pm, "assignee": member,
                                "due_date": dt.date(2026, 1, 30)})


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def counts_at_two_sizes(office: Any, n: int, pages: list[str],
                        login: Callable[[], Client]) -> dict[str, tuple[int, int]]:
    """Each page's query count with ``n`` projects grown and with ``3n``."""
    grow(office, n)
    client = login()
    small = {url: queries_of(client, url) for url in pages}
    grow(office, 2 * n)
    large = {url: queries_of(client, url) for url in pages}
    return {url: (small[url], large[url]) for url in pages}
