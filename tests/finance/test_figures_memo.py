"""Each project's figures are kept under its data version (finance/memo.py): every write to
what they read changes the version, so the pages never show a stale figure; a second request
computes nothing; and the warm pages' query counts do not grow with the portfolio."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from projectoffice.audit.actions import note_version, projects_changed
from projectoffice.audit.models import ProjectVersion
from projectoffice.finance import actions as fin
from projectoffice.finance import cashflow, memo, queries
from projectoffice.finance.models import FiguresMemo
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.portfolio.models import Project
from projectoffice.resources import actions as res
from projectoffice.resources.models import Assignment, Resource
from projectoffice.timesheets import actions as ts
from projectoffice.timesheets.models import Timesheet
from tests.planning.helpers import build
from tests.portfolio.scale import MONDAY, grow, queries_of

PAGES = ["/", "/projects/", "/earned-value/", "/api/v1/earned-value",
         "/programmes/PRG/earned-value/", "/finance/cash-flow/", "/api/v1/cash-flow",
         "/portfolio/dashboard/"]
STATUS = "2026-01-30"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version(project: Project) -> int | None:
    return ProjectVersion.objects.filter(project=project).values_list(
        "entry_id", flat=True).first()


def _project_of(kwargs: dict[str, Any]) -> Project | None:
    if "project" in kwargs:
        found: Project = kwargs["project"]
        return found
    if "resource" in kwargs:
        resource: Resource = kwargs["resource"]
        return resource.project
    return None


# Every action the office's figures read the results of, as the scale builder calls them.
INPUT_ACTIONS = [(res, "create_resource"), (res, "set_rate"), (res, "assign_resource"),
                 (plan_actions, "save_baseline"), (plan_actions, "set_plan_settings"),
                 (plan_actions, "edit_plan"), (ts, "decide_timesheet"),
                 (fin, "create_budget"), (fin, "approve_budget"), (fin, "create_order"),
                 (fin, "record_invoice"), (fin, "record_payment"), (fin, "record_expense")]


@pytest.mark.django_db
def test_every_input_action_changes_the_projects_version(office: Any,
                                                         monkeypatch: Any) -> None:
    changed: list[str] = []

    def spy(module: Any, name: str) -> None:
        real = getattr(module, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            project = _project_of(kwargs)
            before = _version(project) if project else None
            out = real(*args, **kwargs)
            assert project is not None and _version(project) != before, name
            changed.append(name)
            return out

        monkeypatch.setattr(module, name, call)

    for module, name in INPUT_ACTIONS:
        spy(module, name)
    grow(office, 1)
    assert set(changed) == {name for _, name in INPUT_ACTIONS}
    monkeypatch.undo()

    project = Project.objects.get(code="S000")
    pm = office.pm
    order = project.orders.get()
    invoice = order.invoices.get()
    payment = invoice.payments.get()
    assignment = Assignment.objects.filter(project=project).order_by("pk").first()
    assert assignment is not None
    sheet = Timesheet.objects.get(project=project)
    other = portfolio_actions.create_project(actor=office.pmo, code="NEXT", name="Next",
                                             programme=office.programme, manager=pm,
                                             start_date=MONDAY)
    build(pm, other, [{"name": "After", "duration": "2d", "predecessors": "S000:3"}])
    steps: list[tuple[str, Project, Callable[[], Any]]] = [
        ("reverse a payment", project, lambda: fin.reverse_payment(
            actor=pm, project=project, payment_id=payment.pk, date=dt.date(2026, 2, 4),
            reason="Paid twice")),
        ("amend an order", project, lambda: fin.amend_order(
            actor=pm, project=project, order_id=order.pk, version=order.version,
            changes={"amount": Decimal("950.00")}, reason="More parts")),
        ("enter a forecast", project, lambda: fin.enter_forecast(
            actor=pm, project=project, etc=Decimal("5000"), as_of=dt.date(2026, 1, 9))),
        ("set the earning rule", project, lambda: fin.set_ev_method(
            actor=pm, project=project, task_uid=None, method="50/50")),
        ("change the assignment", project, lambda: res.update_assignment(
            actor=pm, project=project, assignment_id=assignment.pk,
            version=assignment.version, work=Decimal(48))),
        ("adjust approved time", project, lambda: ts.adjust_time(
            actor=pm, project=project, timesheet_id=sheet.pk, assignment_id=assignment.pk,
            date=MONDAY, hours=Decimal(2), reason="Missed")),
        ("change the currency", project, lambda: portfolio_actions.update_project(
            actor=office.pmo, project=project,
            version=Project.objects.get(pk=project.pk).version,
            changes={"currency": "USD"})),
        ("move a predecessor in another project", other, lambda: plan_actions.edit_plan(
            actor=pm, project=project, version=Plan.objects.get(project=project).version,
            edits=[{"uid": 3, "duration": "15d"}])),
    ]
    for label, whose, step in steps:
        before = _version(whose)
        step()
        assert _version(whose) != before, label


@pytest.mark.django_db
def test_a_changed_input_shows_at_once(office: Any) -> None:
    grow(office, 2)
    client = _client(office.pmo)
    url = f"/api/v1/earned-value?status_date={STATUS}&currency=GBP"

    def ac_of(code: str) -> Decimal:
        rows = {r["code"]: r for r in client.get(url).json()["projects"]}
        return Decimal(rows[code]["figures"]["ac"])

    def cash_of() -> Decimal:
        return sum((Decimal(r["actual"]) for r in
                    client.get("/api/v1/cash-flow?currency=GBP").json()["months"]), Decimal(0))

    before, cash_before = ac_of("S000"), cash_of()
    assert ac_of("S000") == before and FiguresMemo.objects.filter(kind="ev").exists()
    project = Project.objects.get(code="S000")
    fin.record_expense(actor=office.pm, project=project, date=dt.date(2026, 1, 8),
                       amount=Decimal("100.00"), description="Taxi", task_uid=2)
    assert ac_of("S000") == before + Decimal("100.00")
    assert cash_of() == cash_before + Decimal("100.00")
    resource = Resource.objects.get(project=project)
    res.set_rate(actor=office.pm, resource=resource, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal("60.00"))
    rows = {r["code"]: r for r in client.get(url).json()["projects"]}
    assert Decimal(rows["S000"]["figures"]["bac"]) == Decimal("8400.00")  # 120 h × 60 + 1,200


@pytest.mark.django_db
def test_a_second_request_computes_nothing(office: Any, monkeypatch: Any) -> None:
    grow(office, 2)
    client = _client(office.pmo)
    first = {url: client.get(url) for url in PAGES}
    assert all(r.status_code == 200 for r in first.values())

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("computed again")

    monkeypatch.setattr(queries, "_earned_value", refuse)
    monkeypatch.setattr(queries, "_load_sources", refuse)
    monkeypatch.setattr(cashflow, "_cash_flow", refuse)
    monkeypatch.setattr(cashflow, "_load_sources", refuse)
    for url in ("/api/v1/earned-value", "/api/v1/cash-flow"):
        assert client.get(url).json() == first[url].json()
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_warm_pages_do_not_grow_with_the_portfolio(office: Any) -> None:
    def warm_counts() -> dict[str, int]:
        client = _client(office.pmo)
        for url in PAGES:
            client.get(url)  # computes and keeps what is missing
        return {url: queries_of(client, url) for url in PAGES}

    grow(office, 2)
    small = warm_counts()
    grow(office, 4)
    large = warm_counts()
    assert large == small


@pytest.mark.django_db
def test_only_the_changed_projects_are_computed(office: Any, monkeypatch: Any) -> None:
    grow(office, 3)
    projects = list(Project.objects.filter(code__startswith="S").order_by("pk"))
    queries.earned_value_figures(projects)
    computed: list[list[int]] = []
    real = queries.earned_value_many

    def spy(batch: list[Project], *args: Any, **kwargs: Any) -> Any:
        computed.append([p.pk for p in batch])
        return real(batch, *args, **kwargs)

    monkeypatch.setattr(queries, "earned_value_many", spy)
    fin.record_expense(actor=office.pm, project=projects[1], date=dt.date(2026, 1, 8),
                       amount=Decimal("1.00"), description="Stamp")
    again = queries.earned_value_figures(projects)
    assert computed == [[projects[1].pk]]
    assert set(again) == {p.pk for p in projects}


def test_kept_figures_read_back_as_they_were() -> None:
    value = {"a": Decimal("1.50"), "b": dt.date(2026, 3, 1), "c": None, "d": "text",
             "e": [Decimal(2), dt.datetime(2026, 3, 1, 9, 30)], "f": 3}
    assert memo.from_json(json.loads(json.dumps(memo.to_json(value)))) == value


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_announces_its_projects_once(office: Any) -> None:
    heard: list[list[int]] = []

    def listen(sender: Any, project_ids: list[int], **kwargs: Any) -> None:
        heard.append(project_ids)

    projects_changed.connect(listen)
    try:
        with transaction.atomic():
            note_version(office.project.pk, 10**9)
            note_version(office.project.pk, 10**9 + 1)
        assert heard == [[office.project.pk]]
        with pytest.raises(RuntimeError), transaction.atomic():
            note_version(office.project.pk, 10**9 + 2)
            raise RuntimeError("rolled back")
        assert heard == [[office.project.pk]]
        assert _version(office.project) == 10**9 + 1
    finally:
        projects_changed.disconnect(listen)
