"""The roll-ups across projects read their inputs in a fixed number of queries: the same
count with N projects as with 3N (tests/portfolio/scale.py builds them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.portfolio.scale import counts_at_two_sizes, queries_of

PAGES = ["/earned-value/", "/api/v1/earned-value?currency=GBP",
         "/earned-value/?currency=EUR", "/programmes/PRG/earned-value/",
         "/finance/cash-flow/", "/api/v1/cash-flow?currency=EUR",
         "/benefits/", "/api/v1/benefits?currency=GBP"]


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
    from projectoffice.portfolio.models import Project

    real = rollup.Rates.on

    def per_project(self: Any, currency: str, day: Any) -> Any:
        Project.objects.filter(currency=currency).exists()
        return real(self, currency, day)

    monkeypatch.setattr(rollup.Rates, "on", per_project)
    counts = counts_at_two_sizes(office, 1, ["/earned-value/"], lambda: _client(office.pmo))
    small, large = counts["/earned-value/"]
    assert large > small
    assert queries_of(_client(office.pmo), "/earned-value/") == large
