"""The timesheet status page reads people, weeks and sheets of every project in a fixed
number of queries.
The same count with N projects as with 3N (tests/portfolio/scale.py builds them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from projectoffice.accounts import actions as accounts
from projectoffice.finance.models import FiguresMemo
from projectoffice.jobs.tasks import warm_figures
from projectoffice.portfolio.models import Project
from projectoffice.resources import actions as res
from projectoffice.timesheets import views
from tests.portfolio.scale import counts_at_two_sizes

PAGES = ["/timesheets/status/", "/timesheets/status/?until=2026-01-12",
         "/api/v1/timesheets/status?until=2026-01-12", "/timesheets/status/?page=2"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_timesheet_status_does_not_grow_with_the_portfolio(office: Any) -> None:
    counts = counts_at_two_sizes(office, 2, PAGES, lambda: _client(office.pmo))
    grown = {url: pair for url, pair in counts.items() if pair[1] != pair[0]}
    assert not grown, f"query counts grew with the projects (N, 3N): {grown}"


def test_the_page_shows_a_page_of_people_at_a_time(office: Any, monkeypatch: Any) -> None:
    counts_at_two_sizes(office, 1, [], lambda: _client(office.pmo))
    project = Project.objects.get(code="S000")  # a second person, on the same plan
    planner = res.create_resource(actor=office.pm, project=project, name="Planner",
                                  user=office.pm)
    res.assign_resource(actor=office.pm, project=project, resource_id=planner.pk, task_uid=3,
                        work=Decimal(8))
    client = _client(office.pmo)
    everyone = client.get("/timesheets/status/?until=2026-01-12").content.decode()
    people = everyone.count("<tr data-person=")
    assert people >= 2
    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", 1)
    first = client.get("/timesheets/status/?until=2026-01-12").content.decode()
    last = client.get(f"/timesheets/status/?until=2026-01-12&page={people}").content.decode()
    assert first.count("<tr data-person=") == last.count("<tr data-person=") == 1
    assert f"People 1–1 of {people}" in first and f"People {people}–{people} of" in last
    assert "page=2" in first and 'rel="next"' not in last
    # The counts are the whole scope's on every page.
    marker = 'data-count="missing">'
    assert first.split(marker)[1][:5] == everyone.split(marker)[1][:5]


def test_kept_assignments_follow_each_change(office: Any) -> None:
    """Who is expected each week is kept per project (finance/memo.py); a new assignment and
    a person switched off both show at once."""
    counts_at_two_sizes(office, 1, [], lambda: _client(office.pmo))
    project = Project.objects.get(code="S000")
    client = _client(office.pmo)
    url = "/timesheets/status/?until=2026-01-12"

    def people() -> set[str]:
        page = client.get(url).content.decode()
        return {row.split('"')[1] for row in page.split("<tr data-person=")[1:]}

    before = people()  # keeps the spans of every project
    assert office.pm.username not in before
    crane = res.create_resource(actor=office.pm, project=project, name="Crane")
    res.assign_resource(actor=office.pm, project=project, resource_id=crane.pk, task_uid=3,
                        work=Decimal(8))
    assert people() == before  # a resource nobody signs in as has no timesheet
    planner = res.create_resource(actor=office.pm, project=project, name="Planner",
                                  user=office.pm)
    res.assign_resource(actor=office.pm, project=project, resource_id=planner.pk, task_uid=3,
                        work=Decimal(8))
    assert people() == before | {office.pm.username}
    accounts.set_account_active(actor=office.pmo, user=office.pm, active=False)
    assert people() == before


def test_the_figures_job_keeps_what_the_page_reads_by_default(office: Any) -> None:
    counts_at_two_sizes(office, 1, [], lambda: _client(office.pmo))
    FiguresMemo.objects.filter(kind="ts-under-way").delete()
    warm_figures.call()
    kept = set(FiguresMemo.objects.filter(kind="ts-under-way").values_list("project_id",
                                                                            "param"))
    assert {pk for pk, _ in kept} == set(Project.objects.values_list("pk", flat=True))
    assert len({param for _, param in kept}) == 1
    _client(office.pmo).get("/timesheets/status/")  # the default weeks: all found kept
    assert set(FiguresMemo.objects.filter(kind="ts-under-way").values_list(
        "project_id", "param")) == kept
