"""The timesheet status page reads people, weeks and sheets of every project in a fixed
number of queries.
The same count with N projects as with 3N (tests/portfolio/scale.py builds them)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.portfolio.scale import counts_at_two_sizes

PAGES = ["/timesheets/status/", "/timesheets/status/?until=2026-01-12",
         "/api/v1/timesheets/status?until=2026-01-12"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_timesheet_status_does_not_grow_with_the_portfolio(office: Any) -> None:
    counts = counts_at_two_sizes(office, 2, PAGES, lambda: _client(office.pmo))
    grown = {url: pair for url, pair in counts.items() if pair[1] != pair[0]}
    assert not grown, f"query counts grew with the projects (N, 3N): {grown}"
