"""The demo portfolio shows earned value methods, the roll-up across currencies and last
week's timesheet status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from projectoffice.demo import load_demo
from projectoffice.finance import benefits, queries, rollup
from projectoffice.finance.models import EarningRule, ExchangeRate
from projectoffice.portfolio.models import Project
from projectoffice.timesheets import queries as time_queries


@pytest.mark.django_db
def test_demo_money_features() -> None:
    load_demo(projects=3, progress=False)
    today = timezone.localdate()
    assert Project.objects.get(code="MOBILE").currency == "EUR"
    assert ExchangeRate.objects.filter(from_currency="EUR", to_currency="GBP").count() == 2
    methods = set(EarningRule.objects.values_list("method", flat=True))
    assert {"weighted_milestones", "50/50"} <= methods
    crm = Project.objects.get(code="CRM")
    ev = queries.earned_value(crm)
    assert ev is not None and any(t["method"] == "weighted_milestones" for t in ev.tasks)
    assert ev.elements
    result = rollup.rollup(list(Project.objects.all()), today, "GBP")
    assert result.totals["projects"] == 3 and "EUR→GBP" in result.rates
    weeks = time_queries.recent_weeks(today - dt.timedelta(days=7), 1)
    status = time_queries.submission_status(list(Project.objects.all()), weeks)
    states = {e["state"] for r in status["rows"] for c in r["cells"] for e in c["projects"]}
    assert "draft" in states
    client = Client()
    from projectoffice.accounts.models import User

    client.force_login(User.objects.get(username="pmo"))
    page = client.get("/earned-value/")
    assert page.status_code == 200 and b'data-project="MOBILE"' in page.content
    # Every project with money has benefits of several types, measured over past months:
    # on track, behind and realised.
    for project in Project.objects.filter(plan__isnull=False, start_date__isnull=False):
        states = benefits.project_benefits(project)
        assert 2 <= len(states) <= 4
        assert len({s.benefit.benefit_type for s in states}) >= 3
        assert {"on_track", "behind", "realised"} <= {s.status for s in states}
        assert all(len(s.measurements) >= 3 for s in states if s.measurable)
    page = client.get("/benefits/?currency=GBP")
    assert page.status_code == 200 and b'data-project="MOBILE"' in page.content


@pytest.mark.django_db
def test_demo_payments_forecasts_and_cash_flow() -> None:
    """Every demo project with money has payments in each state, a reversal, forecasts with
    history and a filled cash flow."""
    from projectoffice.finance.cashflow import project_cash_flow
    from projectoffice.finance.models import Payment

    load_demo(projects=2, progress=False)
    for project in Project.objects.filter(orders__isnull=False).distinct():
        states = {i.payment_status for o in queries.order_rows(project)
                  for i in o.invoices.all() if i.status == "approved"}
        assert states == {"paid", "part_paid", "unpaid"}, project.code
        assert Payment.objects.filter(invoice__order__project=project,
                                      reverses__isnull=False).count() == 1
        latest = queries.forecasts(project, None)
        assert len(latest["history"]) > len(latest["latest"]) >= 1
        flow = project_cash_flow(project)
        assert flow.totals["planned"] > 0 and flow.totals["cash_out"] > 0
        assert sum(1 for r in flow.rows if r.cash_out) >= 2
