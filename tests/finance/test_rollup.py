"""Earned value by WBS element and rolled up over projects at a status date, converted at the
exchange rates the PMO keeps; a missing rate is an error naming the pair."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.finance import actions, queries, rollup
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.portfolio.models import Project
from tests.finance.test_entry_pages import login
from tests.finance.test_ev_methods import phased, progress

FRIDAY = dt.date(2026, 1, 9)


def second_project(office: Any, currency: str) -> Project:
    """ABC in another currency, with a baselined cost-loaded plan like MTX's."""
    project = portfolio_actions.create_project(
        actor=office.pmo, code="ABC", name="Abacus", portfolio=office.portfolio,
        programme=office.programme, currency=currency, manager=office.pm)
    original = office.project
    office.project = project
    try:
        phased(office)
        progress(office, t2=50)
    finally:
        office.project = original
    return project


def test_wbs_elements_roll_up_their_tasks(office: Any) -> None:
    phased(office)
    progress(office, t2=50)
    ev = queries.earned_value(office.project)
    assert ev is not None
    (phase,) = ev.elements
    assert phase["uid"] == 1 and phase["bac"] == Decimal("6000.00")
    assert phase["ev"] == Decimal("1000.00") and phase["pv"] == ev.figures["pv"]
    page = login(office.pm).get("/projects/MTX/finance/")
    assert b'data-element="1"' in page.content


def test_programme_rollup_converts_at_the_rate_of_the_status_date(office: Any,
                                                                   api_as: Any) -> None:
    phased(office)
    progress(office, t2=50)
    abc = second_project(office, "EUR")
    with pytest.raises(rollup.MissingRate, match="from EUR to GBP"):
        rollup.rollup([office.project, abc], FRIDAY, "GBP")
    actions.set_exchange_rate(actor=office.pmo, from_currency="eur", to_currency="GBP",
                              rate=Decimal("0.80"), effective_from=dt.date(2026, 1, 1))
    actions.set_exchange_rate(actor=office.pmo, from_currency="EUR", to_currency="GBP",
                              rate=Decimal("0.90"), effective_from=dt.date(2026, 2, 1))
    result = rollup.rollup([office.project, abc], FRIDAY, "GBP")
    rows = {r["code"]: r["figures"] for r in result.rows}
    assert rows["MTX"]["ev"] == Decimal("1000.00")
    assert rows["ABC"]["ev"] == Decimal("800.00")  # 1,000.00 EUR at 0.80 (January's rate)
    assert result.totals["ev"] == Decimal("1800.00")
    assert result.totals["pv"] == rows["MTX"]["pv"] + rows["ABC"]["pv"]
    assert result.totals["spi"] == result.totals["ev"] / result.totals["pv"]
    # The reverse pair is the inverse.
    in_euros = rollup.rollup([office.project, abc], FRIDAY, "EUR")
    assert {r["code"]: r["figures"]["ev"] for r in in_euros.rows}["MTX"] == Decimal("1250.00")
    api = api_as(office.members["stakeholder"])
    body = api.get(f"/earned-value?programme={office.programme.code}&status_date=2026-01-09"
                   "&currency=GBP").json()
    assert [p["code"] for p in body["projects"]] == ["MTX"]  # only what one sees
    pmo = api_as(office.pmo).get("/earned-value?status_date=2026-01-09&currency=GBP").json()
    assert pmo["totals"]["ev"] == "1800.00" or Decimal(str(pmo["totals"]["ev"])) == 1800


def test_missing_rate_on_the_page_and_api(office: Any, api_as: Any) -> None:
    phased(office)
    second_project(office, "USD")
    page = login(office.pmo).get("/earned-value/?status_date=2026-01-09&currency=GBP")
    assert page.status_code == 200
    assert b"No exchange rate from USD to GBP on or before 09 Jan 2026" in page.content
    answer = api_as(office.pmo).get("/earned-value?status_date=2026-01-09&currency=GBP")
    assert answer.status_code == 422 and "USD" in answer.json()["message"]
    programme_page = login(office.pmo).get(
        f"/programmes/{office.programme.code}/earned-value/?currency=USD&status_date=2026-01-09")
    assert b"from GBP to USD" in programme_page.content


def test_only_the_pmo_manager_sets_rates(office: Any) -> None:
    with pytest.raises(Forbidden):
        actions.set_exchange_rate(actor=office.pm, from_currency="EUR", to_currency="GBP",
                                  rate=Decimal(1), effective_from=FRIDAY)
    with pytest.raises(InvalidInput, match="must differ"):
        actions.set_exchange_rate(actor=office.pmo, from_currency="EUR", to_currency="eur",
                                  rate=Decimal(1), effective_from=FRIDAY)
    pmo = login(office.pmo)
    bad = pmo.post("/finance/exchange-rates/", {"from_currency": "EU1", "to_currency": "GBP",
                                                "rate": "0.8", "effective_from": "2026-01-01"})
    assert bad.status_code == 422 and b"three-letter" in bad.content
    ok = pmo.post("/finance/exchange-rates/", {"from_currency": "EUR", "to_currency": "GBP",
                                               "rate": "0.8", "effective_from": "2026-01-01"})
    assert ok.status_code == 302
    assert b"0.800000" in login(office.pm).get("/finance/exchange-rates/").content
    assert login(office.pm).post("/finance/exchange-rates/", {}).status_code == 403


def test_finance_page_at_a_chosen_date(office: Any) -> None:
    phased(office)
    progress(office, t2=50)
    pm = login(office.pm)
    at_status = pm.get("/projects/MTX/finance/")
    earlier = pm.get("/projects/MTX/finance/?status_date=2026-01-02")
    assert at_status.status_code == earlier.status_code == 200
    assert b"Status date 9 January 2026" in at_status.content
    assert b"Status date 2 January 2026" in earlier.content
    assert pm.get("/projects/MTX/finance/?status_date=junk").status_code == 200
