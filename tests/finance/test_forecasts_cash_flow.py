"""Forecasts entered by hand (history, the latest counts, EAC = AC at the date + ETC) and the
cash flow by month worked by hand on a small project: planned, actual cost, cash out, open
commitments, cumulative figures, the CSV, the page and bad months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.finance import actions
from projectoffice.finance.cashflow import spread_by_month
from projectoffice.finance.models import Forecast
from projectoffice.timesheets import actions as ts
from tests.finance.test_entry_pages import login
from tests.timesheets.helpers import MONDAY, cost_loaded, week

D = dt.date


def _time_approved(office: Any) -> dict[str, Any]:
    """cost_loaded, plus 32 h on Design approved in the week of 5 January: 5-7 Jan at 50.00,
    8 Jan at 60.00 → 1 680.00 of actual cost."""
    world = cost_loaded(office)
    member = world["member"]
    sheet = ts.save_timesheet(actor=member, project=office.project, week_start=MONDAY,
                              version=None, lines=[{"assignment_id": world["design"].pk,
                                                    "hours": week(8, 8, 8, 8)}])
    sheet = ts.submit_timesheet(actor=member, project=office.project, week_start=MONDAY,
                                version=sheet.version)
    ts.decide_timesheet(actor=office.pm, project=office.project, timesheet_id=sheet.pk,
                        version=sheet.version, approve=True)
    return world


def test_forecast_history_and_eac(office: Any, api_as: Any) -> None:
    _time_approved(office)
    accountant = api_as(office.members["project_accountant"])
    first = accountant.post("/projects/MTX/forecasts", {
        "etc": "5000", "as_of": "2026-01-09", "basis": "Supplier quote"})
    assert first.status_code == 201, first.content
    project = first.json()["latest"][0]
    # BAC 6 800 (40 h × 50 + 80 h × 60); AC at 9 Jan 1 680.
    assert (project["ac"], project["etc"], project["eac"], project["bac"], project["vac"]) == (
        "1680.00", "5000.00", "6680.00", "6800.00", "120.00")
    assert project["entered_by"] == "project_accountant"
    pm = api_as(office.pm)
    pm.post("/projects/MTX/forecasts", {"etc": "5500", "as_of": "2026-01-16",
                                        "basis": "Build needs a second tester"})
    pm.post("/projects/MTX/forecasts", {"etc": "9999", "as_of": "2026-01-02",
                                        "basis": "Late entry of an old estimate"})
    pm.post("/projects/MTX/forecasts", {"etc": "4000", "as_of": "2026-01-09", "task_uid": 2})
    data = pm.get("/projects/MTX/forecasts").json()
    assert [(r["task_uid"], r["eac"], r["vac"]) for r in data["latest"]] == [
        (None, "7180.00", "-380.00"), (2, "4000.00", "800.00")]
    assert data["latest"][0]["basis"] == "Build needs a second tester"
    assert [r["as_of"] for r in data["history"]] == [
        "2026-01-16", "2026-01-09", "2026-01-09", "2026-01-02"]
    assert data["calculated_eac"] is not None
    assert Forecast.objects.count() == 4
    page = login(office.pm).get("/projects/MTX/finance/").content.decode()
    assert "Forecast (entered)" in page and "7,180.00" in page and "History (4 entries)" in page


def test_forecast_refusals(office: Any, api_as: Any) -> None:
    cost_loaded(office)
    pm = api_as(office.pm)
    negative = pm.post("/projects/MTX/forecasts", {"etc": "-1", "as_of": "2026-01-09"})
    assert negative.status_code == 422 and list(negative.json()["errors"]) == ["etc"]
    unknown = pm.post("/projects/MTX/forecasts", {"etc": "1", "as_of": "2026-01-09",
                                                  "task_uid": 99})
    assert unknown.status_code == 422 and list(unknown.json()["errors"]) == ["task_uid"]
    assert api_as(office.members["team_member"]).post(
        "/projects/MTX/forecasts", {"etc": "1", "as_of": "2026-01-09"}).status_code == 403
    page = login(office.pm).post("/projects/MTX/finance/new/forecast/", {
        "task_uid": "", "as_of": "2026-01-09", "etc": "-5"})
    assert page.status_code == 422 and b"has-error" in page.content
    assert not Forecast.objects.exists()


def test_spread_by_month() -> None:
    assert spread_by_month(Decimal(1000), D(2026, 1, 30), D(2026, 2, 2)) == {
        D(2026, 1, 1): Decimal("500.00"), D(2026, 2, 1): Decimal("500.00")}
    assert spread_by_month(Decimal(100), D(2026, 1, 31), D(2026, 2, 2)) == {
        D(2026, 1, 1): Decimal("33.33"), D(2026, 2, 1): Decimal("66.67")}


def _small_project(office: Any) -> None:
    """Planned: the baseline's 6 800 of resource cost in January (both tasks run in January)
    and an approved material line of 1 000 in February (the labour line of 500 is not counted:
    planned labour comes from the baseline).  Actual: 1 680 of time (January), invoices of
    1 200 (20 Jan) and 500 (10 Feb), an expense of 100 (15 Feb).  Payments: 700 (30 Jan) and
    500 (5 Feb) of the first invoice, the 500 reversed on 2 March, and 500 of the second
    invoice on 2 March."""
    _time_approved(office)
    pm = office.pm
    budget = actions.create_budget(actor=pm, project=office.project, name="Budget", lines=[
        {"category": "material", "period": D(2026, 2, 1), "amount": Decimal(1000)},
        {"category": "labour", "period": D(2026, 1, 1), "amount": Decimal(500)}])
    actions.approve_budget(actor=pm, project=office.project, number=budget.number,
                           version=budget.version)
    actions.create_order(actor=pm, project=office.project, number="PO-1", supplier="Acme",
                         amount=Decimal(2000), issued=D(2026, 1, 10))
    first = actions.record_invoice(actor=pm, project=office.project, order_number="PO-1",
                                   number="I-1", amount=Decimal(1200), date=D(2026, 1, 20))
    second = actions.record_invoice(actor=pm, project=office.project, order_number="PO-1",
                                    number="I-2", amount=Decimal(500), date=D(2026, 2, 10))
    actions.record_expense(actor=pm, project=office.project, date=D(2026, 2, 15),
                           amount=Decimal(100), description="Train")
    actions.record_payment(actor=pm, project=office.project, invoice_id=first.pk,
                           date=D(2026, 1, 30), amount=Decimal(700))
    wrong = actions.record_payment(actor=pm, project=office.project, invoice_id=first.pk,
                                   date=D(2026, 2, 5), amount=Decimal(500))
    actions.reverse_payment(actor=pm, project=office.project, payment_id=wrong.pk,
                            date=D(2026, 3, 2), reason="Paid to the wrong account")
    actions.record_payment(actor=pm, project=office.project, invoice_id=second.pk,
                           date=D(2026, 3, 2), amount=Decimal(500))


def test_cash_flow_by_month_worked_by_hand(office: Any, api_as: Any) -> None:
    _small_project(office)
    assert api_as(office.members["team_member"]).get("/projects/MTX/cash-flow"
                                                     ).status_code == 403  # no cost.view
    api = api_as(office.members["project_accountant"])
    data = api.get("/projects/MTX/cash-flow?from=2026-01&to=2026-03").json()
    rows = [(m["month"], m["planned"], m["actual"], m["cash_out"], m["open_commitments"])
            for m in data["months"]]
    assert rows == [("2026-01", "6800.00", "2880.00", "2380.00", "800.00"),
                    ("2026-02", "1000.00", "600.00", "600.00", "300.00"),
                    ("2026-03", "0.00", "0.00", "0.00", "300.00")]
    cumulative = [(m["cum_planned"], m["cum_actual"], m["cum_cash_out"]) for m in data["months"]]
    assert cumulative == [("6800.00", "2880.00", "2380.00"), ("7800.00", "3480.00", "2980.00"),
                          ("7800.00", "3480.00", "2980.00")]
    assert data["currency"] == "GBP" and data["totals"]["cash_out"] == "2980.00"
    # Cumulative figures count what came before the first month shown.
    feb = api.get("/projects/MTX/cash-flow?from=2026-02&to=2026-02").json()["months"]
    assert len(feb) == 1 and feb[0]["cum_cash_out"] == "2980.00"
    # The whole project by default: January to December 2026.
    whole = api.get("/projects/MTX/cash-flow").json()["months"]
    assert whole[0]["month"] == "2026-01" and whole[-1]["month"] == "2026-12"


def test_cash_flow_csv_page_and_bad_months(office: Any, api_as: Any) -> None:
    _small_project(office)
    assert login(office.members["team_member"]).get(
        "/projects/MTX/finance/cash-flow.csv").status_code == 403  # no cost.view
    client = login(office.members["project_accountant"])
    csv = client.get("/projects/MTX/finance/cash-flow.csv?from=2026-01&to=2026-02")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Month,Planned,Actual cost,Cash out,Open commitments")
    assert lines[1] == "2026-01,6800.00,2880.00,2380.00,800.00,6800.00,2880.00,2380.00"
    assert lines[2] == "2026-02,1000.00,600.00,600.00,300.00,7800.00,3480.00,2980.00"
    assert len(lines) == 3
    page = client.get("/projects/MTX/finance/cash-flow/?from=2026-01&to=2026-03")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and 'data-series="cum_cash_out"' in body
    assert 'data-month="2026-02"' in body and "2,980.00" in body
    assert "/finance/cash-flow/" in client.get("/projects/MTX/finance/").content.decode()
    api = api_as(office.pm)
    bad = api.get("/projects/MTX/cash-flow?from=2026-13")
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["from"]
    words = api.get("/projects/MTX/cash-flow?to=March")
    assert words.status_code == 422 and list(words.json()["errors"]) == ["to"]
    backwards = api.get("/projects/MTX/cash-flow?from=2026-03&to=2026-01")
    assert backwards.status_code == 422 and list(backwards.json()["errors"]) == ["to"]
    assert client.get("/projects/MTX/finance/cash-flow.csv?from=x").status_code == 422
    assert client.get("/projects/MTX/finance/cash-flow/?from=x").status_code == 422
    assert api_as(office.outsider).get("/projects/MTX/cash-flow").status_code == 404


def test_cash_flow_rolled_up_across_projects_and_currencies(office: Any, api_as: Any) -> None:
    from projectoffice.portfolio.models import Project

    _small_project(office)
    Project.objects.filter(code="OTHER").update(currency="EUR")
    other = Project.objects.get(code="OTHER")
    actions.record_expense(actor=office.pmo, project=other, date=D(2026, 2, 15),
                           amount=Decimal(100), description="Taxi")
    pmo = api_as(office.pmo)
    missing = pmo.get("/cash-flow?from=2026-01&to=2026-03&currency=GBP&date=2026-03-31")
    assert missing.status_code == 422 and "EUR to GBP" in missing.json()["message"]
    actions.set_exchange_rate(actor=office.pmo, from_currency="EUR", to_currency="GBP",
                              rate=Decimal("0.85"), effective_from=D(2026, 1, 1))
    data = pmo.get("/cash-flow?from=2026-01&to=2026-03&currency=GBP&date=2026-03-31").json()
    assert data["projects"] == ["MTX", "OTHER"] and data["rates"] == {"EUR→GBP": "0.85000000"}
    rows = [(m["month"], m["actual"], m["cash_out"], m["open_commitments"], m["cum_cash_out"])
            for m in data["months"]]
    assert rows == [("2026-01", "2880.00", "2380.00", "800.00", "2380.00"),
                    ("2026-02", "685.00", "685.00", "300.00", "3065.00"),
                    ("2026-03", "0.00", "0.00", "300.00", "3065.00")]
    # A person sees only their projects: the outsider manages OTHER alone.
    mine = api_as(office.outsider).get("/cash-flow?currency=EUR").json()
    assert mine["projects"] == ["OTHER"] and mine["totals"]["cash_out"] == "100.00"
    bad = pmo.get("/cash-flow?from=2026-1")
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["from"]
    page = login(office.pmo).get("/finance/cash-flow/?currency=GBP&date=2026-03-31"
                                 "&from=2026-01&to=2026-03")
    assert page.status_code == 200 and b'data-month="2026-02"' in page.content
    assert b"3,065.00" in page.content
