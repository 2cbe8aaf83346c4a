"""A project's resources page reads its resources, rates, assignments and absences in a fixed
number of queries: the same count with N assignments (and people) as with 3N."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.test import Client

from projectoffice.resources import actions as res
from tests.conftest import make_user
from tests.planning.helpers import build
from tests.portfolio.scale import counts_at_two_sizes, queries_of


def _staff(office: Any, people: int) -> None:
    """``people`` more person resources, each with a rate and assigned to the next task."""
    project, pm = office.project, office.pm
    start = getattr(office, "staffed", 0)
    for n in range(start, start + people):
        user = make_user(f"person_{n}")
        person = res.create_resource(actor=pm, project=project, name=f"Person {n}", user=user)
        res.set_rate(actor=pm, resource=person, effective_from=dt.date(2025, 1, 1),
                     standard=Decimal("40.00"))
        res.assign_resource(actor=pm, project=project, resource_id=person.pk,
                            task_uid=n + 1, work=Decimal(16))
    office.staffed = start + people


def test_resources_page_does_not_grow_with_assignments(office: Any) -> None:
    build(office.pm, office.project, [{"name": f"Task {n}", "duration": "3d"}
                                      for n in range(1, 10)])
    client = Client()
    client.force_login(office.pm)
    _staff(office, 3)
    small = queries_of(client, "/projects/MTX/resources/")
    _staff(office, 6)
    large = queries_of(client, "/projects/MTX/resources/")
    assert small == large, f"3 assignments: {small} queries; 9 assignments: {large}"


def test_capacity_does_not_grow_with_the_portfolio(office: Any) -> None:
    pages = ["/capacity/?from=2026-01-05", "/capacity/?from=2026-01-05&weeks=52",
             "/api/v1/capacity?from=2026-01-05"]

    def login() -> Client:
        client = Client()
        client.force_login(office.pmo)
        return client

    counts = counts_at_two_sizes(office, 2, pages, login)
    grown = {url: pair for url, pair in counts.items() if pair[1] != pair[0]}
    assert not grown, f"query counts grew with the projects (N, 3N): {grown}"
