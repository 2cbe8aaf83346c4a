"""The roll-ups across projects read their inputs in a fixed number of queries: the same
count with N projects as with 3N (tests/portfolio/scale.py builds them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from projectoffice.finance import views as finance_views
from tests.portfolio.scale import counts_at_two_sizes, queries_of

PAGES = ["/earned-value/", "/api/v1/earned-value?currency=GBP",
         "/earned-value/?currency=EUR", "/programmes/PRG/earned-value/",
         "/finance/cash-flow/", "/api/v1/cash-flow?currency=EUR",
         "/benefits/", "/api/v1/benefits?currency=GBP", "/benefits/?currency=GBP&page=2"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_each_money_rollup_does_not_grow_with_the_portfolio(office: Any) -> None:
    pages = [*PAGES, f"/portfolios/{office.portfolio.pk}/earned-value/"]
    counts = counts_at_two_sizes(office, 2, pages, lambda: _client(office.pmo))
    grown = {url: pair for url, pair in counts.items() if pair[1] != pair[0]}
    assert not grown, f"query counts grew with the projects (N, 3N): {grown}"


@pytest.mark.django_db
def test_the_count_test_fails_when_a_page_reads_per_project(office: Any,
                                                            monkeypatch: Any) -> None:
    """A roll-up that read a project at a time is caught by the comparison above."""
    from projectoffice.finance import rollup
    from projectoffice.finance.models import FiguresMemo
    from projectoffice.portfolio.models import Project

    real = rollup.Rates.on

    def per_project(self: Any, currency: str, day: Any) -> Any:
        Project.objects.filter(currency=currency).exists()
        return real(self, currency, day)

    monkeypatch.setattr(rollup.Rates, "on", per_project)
    counts = counts_at_two_sizes(office, 1, ["/earned-value/"], lambda: _client(office.pmo))
    small, large = counts["/earned-value/"]
    assert large > small
    FiguresMemo.objects.all().delete()  # the same work again: nothing kept to read
    assert queries_of(_client(office.pmo), "/earned-value/") == large


@pytest.mark.django_db
def test_rates_read_once_answer_as_rate_on(office: Any) -> None:
    """The latest of the direct and the reverse pair on or before the day wins; a currency
    with no rate by then is refused naming the pair."""
    import datetime as dt
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projectoffice.finance import actions, rollup

    for pair, rate, day in ((("EUR", "GBP"), "0.80", dt.date(2026, 1, 1)),
                            (("GBP", "EUR"), "1.25", dt.date(2026, 2, 1)),
                            (("EUR", "GBP"), "0.90", dt.date(2026, 3, 1)),
                            (("GBP", "USD"), "1.30", dt.date(2026, 1, 1))):
        actions.set_exchange_rate(actor=office.pmo, from_currency=pair[0],
                                  to_currency=pair[1], rate=Decimal(rate), effective_from=day)
    with CaptureQueriesContext(connection) as ctx:
        rates = rollup.Rates(["EUR", "USD", "GBP", "EUR"], "GBP")
    assert len(ctx.captured_queries) == 1
    for day in (dt.date(2026, 1, 15), dt.date(2026, 2, 1), dt.date(2026, 3, 2)):
        assert rates.on("EUR", day) == rollup.rate_on("EUR", "GBP", day)
    assert rates.on("EUR", dt.date(2026, 1, 15)) == Decimal("0.80")
    assert rates.on("EUR", dt.date(2026, 2, 10)) == Decimal(1) / Decimal("1.25")
    assert rates.on("EUR", dt.date(2026, 3, 1)) == Decimal("0.90")
    assert rates.on("USD", dt.date(2026, 1, 2)) == Decimal(1) / Decimal("1.30")
    assert rates.on("GBP", dt.date(2020, 1, 1)) == 1
    with pytest.raises(rollup.MissingRate, match="from EUR to GBP on or before 31 Dec 2025"):
        rates.on("EUR", dt.date(2025, 12, 31))


@pytest.mark.django_db
def test_the_benefits_rollup_shows_a_page_of_projects_at_a_time(office: Any,
                                                                monkeypatch: Any) -> None:
    counts_at_two_sizes(office, 1, [], lambda: _client(office.pmo))
    client = _client(office.pmo)
    whole = client.get("/benefits/?currency=GBP").content.decode()
    projects = whole.count("<tr data-project=")
    assert projects >= 3
    monkeypatch.setattr(finance_views, "PROJECTS_PER_PAGE", 2)
    second = client.get("/benefits/?currency=GBP&page=2").content.decode()
    assert second.count("<tr data-project=") == min(2, projects - 2)
    assert f"Projects 3–{min(4, projects)} of {projects}" in second
    assert 'href="?currency=GBP&amp;page=1"' in second
    # The totals are the whole scope's on every page.
    marker = 'data-total="planned">'
    assert second.split(marker)[1][:20] == whole.split(marker)[1][:20]


@pytest.mark.django_db
def test_the_earned_value_rollup_shows_a_page_of_projects_worst_first(office: Any,
                                                                      monkeypatch: Any) -> None:
    import re

    counts_at_two_sizes(office, 1, [], lambda: _client(office.pmo))
    client = _client(office.pmo)
    whole = client.get("/earned-value/?currency=GBP").content.decode()
    projects = whole.count("<tr data-project=")
    assert projects >= 3
    codes = re.findall(r'<tr data-project="([^"]+)"', whole)
    by_code = client.get("/earned-value/?currency=GBP&order=code").content.decode()
    assert re.findall(r'<tr data-project="([^"]+)"', by_code) == sorted(codes)
    monkeypatch.setattr(finance_views, "PROJECTS_PER_PAGE", 2)
    first = client.get("/earned-value/?currency=GBP").content.decode()
    assert "order=code" in client.get("/earned-value/?currency=GBP&order=code").content.decode()
    second = client.get("/earned-value/?currency=GBP&page=2").content.decode()
    assert second.count("<tr data-project=") == min(2, projects - 2)
    assert f"Projects 3–{min(4, projects)} of {projects}" in second
    assert 'href="?currency=GBP&amp;page=1"' in second
    assert 'href="?currency=GBP&amp;page=2"' in first
    marker = 'data-total="ev">'
    assert second.split(marker)[1][:20] == whole.split(marker)[1][:20]


def test_the_attention_order_puts_the_worst_index_first() -> None:
    from decimal import Decimal

    def row(code: str, spi: str | None, cpi: str | None, error: str = "",
            figures: bool = True) -> dict[str, Any]:
        f = {"spi": Decimal(spi) if spi else None, "cpi": Decimal(cpi) if cpi else None}
        return {"code": code, "figures": f if figures else None, "error": error}

    rows = [row("A", "1.1", "1.0"), row("B", "0.9", "1.2"), row("C", None, None, figures=False),
            row("D", None, None, "broken", figures=False), row("E", "1.0", "0.7"),
            row("F", None, None)]
    assert [r["code"] for r in finance_views.attention_order(rows)] == ["E", "B", "A", "F",
                                                                       "D", "C"]


def test_numbers_are_written_as_the_template_filters_write_them() -> None:
    from decimal import Decimal

    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import floatformat

    from projectoffice.web import numbers

    for raw in ("0", "-0.001", "1234567.891", "-98765.4321", "0.005", "12.345", "999.995"):
        value = Decimal(raw)
        assert numbers.amount(value) == intcomma(floatformat(value, 2)), raw
        assert numbers.ratio(value) == floatformat(value, 2), raw
    assert numbers.amount(None) == "" and numbers.ratio(None) == "–"
