"""Computed project health: the thresholds (validation, permission, audit), the finish from
the plan, the mismatch flag, and pages whose query count does not grow with the projects."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projectoffice.audit.models import AuditEntry
from projectoffice.controls.registers import ACTIONS
from projectoffice.errors import Forbidden, InvalidInput, StaleVersion
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.progress import project_finish
from projectoffice.portfolio import actions
from projectoffice.portfolio.health import health_of, project_health
from projectoffice.portfolio.models import HealthThresholds, Project
from projectoffice.registers import actions as register_actions
from tests.conftest import Office
from tests.planning.helpers import SIMPLE, build


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---- thresholds -----------------------------------------------------------------------------

def test_the_pmo_manager_sets_thresholds_audited_and_versioned(office: Office) -> None:
    row = actions.update_health_thresholds(actor=office.pmo, version=1,
                                           changes={"cpi_red": Decimal("0.80")})
    assert row.version == 2 and row.cpi_red == Decimal("0.80")
    assert HealthThresholds.objects.count() == 1
    entry = AuditEntry.objects.filter(verb="updated").latest("pk")
    assert entry.changes["cpi_red"] == ["0.90", "0.80"]
    with pytest.raises(StaleVersion):
        actions.update_health_thresholds(actor=office.pmo, version=1,
                                         changes={"cpi_red": Decimal("0.70")})


def test_thresholds_are_validated_per_field(office: Office) -> None:
    with pytest.raises(InvalidInput) as info:
        actions.update_health_thresholds(actor=office.pmo, version=1,
                                         changes={"cpi_amber": Decimal("0.85"),
                                                  "overdue_red": 0})
    assert info.value.errors["cpi_red"] == ["must be below the amber limit (0.85)"]
    assert info.value.errors["overdue_red"] == ["must be above the amber limit (1)"]
    assert not HealthThresholds.objects.exists()  # the whole action rolled back


@pytest.mark.parametrize("who", ["pm", "staff", "executive", "outsider"])
def test_only_the_pmo_manager_sets_thresholds(office: Office, who: str) -> None:
    with pytest.raises(Forbidden):
        actions.update_health_thresholds(actor=getattr(office, who), version=1,
                                         changes={"overdue_red": 9})


def test_thresholds_api_and_page(office: Office, api_as: Any) -> None:
    assert api_as(office.pm).get("/health-thresholds").json()["cpi_red"] == "0.90"
    assert api_as(office.pm).patch("/health-thresholds",
                                   {"version": 1, "overdue_red": 9}).status_code == 403
    bad = api_as(office.pmo).patch("/health-thresholds",
                                   {"version": 1, "spi_red": "0.97"})
    assert bad.status_code == 422
    assert bad.json()["errors"]["spi_red"] == ["must be below the amber limit (0.95)"]
    ok = api_as(office.pmo).patch("/health-thresholds", {"version": 1, "overdue_red": 9})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    page = _client(office.pmo).post("/health-thresholds/", {
        **api_as(office.pmo).get("/health-thresholds").json(), "slip_red_days": 2})
    assert page.status_code == 200
    assert "must be above the amber limit (10)" in page.content.decode()
    readonly = _client(office.pm).get("/health-thresholds/").content.decode()
    assert "The Project Office manager sets these" in readonly
    assert _client(office.pm).post("/health-thresholds/", {"version": 2}).status_code == 403


# ---- the finish and the flag ------------------------------------------------------------------

def test_the_finish_is_the_plans_once_there_is_one(office: Office) -> None:
    assert project_finish(office.project).date == dt.date(2026, 12, 18)
    assert project_finish(office.project).is_target
    plan = build(office.pm, office.project, SIMPLE)
    finish = project_finish(office.project)
    assert not finish.is_target and finish.date == plan.finish.date()
    body = _client(office.pm).get("/projects/").content.decode()
    row = re.search(r'<tr data-project="MTX">.*?</tr>', body, re.S)
    assert row and f"{finish.date:%-d %b %Y}" in row.group(0) and "18 Dec 2026" not in row.group(0)
    overview = _client(office.pm).get("/projects/MTX/").content.decode()
    assert "Target finish" in overview


def test_a_mismatch_is_flagged_on_list_home_and_overview(office: Office) -> None:
    today = timezone.localdate()
    for n in range(5):
        register_actions.create_item(actor=office.pm, spec=ACTIONS, project=office.project,
                                     data={"title": f"Late {n}", "owner": office.pm,
                                           "due_date": today - dt.timedelta(days=3)},
                                     today=today - dt.timedelta(days=9))
    health = project_health(office.project, today)
    assert health.computed == "red" and office.project.rag == "green" and health.mismatch
    assert "5 overdue actions" in health.health.reason
    client = _client(office.pm)
    for url in ("/projects/", "/", "/projects/MTX/"):
        assert "rag-mismatch" in client.get(url).content.decode(), url
    api = Client()
    api.force_login(office.pm)
    body = api.get("/api/v1/projects/MTX/health").json()
    assert body["computed_rag"] == "red" and body["mismatch"] is True
    assert body["dimensions"][3]["key"] == "actions"


def _more_projects(office: Office, n: int, start: int) -> None:
    for k in range(start, start + n):
        project = actions.create_project(actor=office.pmo, code=f"P{k:02d}", name=f"P {k}",
                                         portfolio=office.portfolio, manager=office.pm)
        build(office.pm, project, SIMPLE)
        plan_actions.save_baseline(actor=office.pm, project=project, number=0)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_project_list_and_home_read_health_in_a_fixed_number_of_queries(
        office: Office) -> None:
    _more_projects(office, 2, 1)
    client = _client(office.pmo)
    few = {url: _queries(client, url) for url in ("/projects/", "/")}
    _more_projects(office, 4, 10)
    many = {url: _queries(client, url) for url in ("/projects/", "/")}
    assert many == few
    assert Project.objects.count() == 8


def test_home_tiles_count_the_project_lists_rows(office: Office) -> None:
    _more_projects(office, 2, 1)
    today = timezone.localdate()
    client = _client(office.pm)
    listing = client.get("/projects/").content.decode()
    home = client.get("/").content.decode()
    declared = re.findall(r'class="declared-rag"[^>]*><span class="rag-dot (\w+)"', listing)
    tile = re.search(r'id="rag-declared">(.*?)</div></div>', home, re.S)
    assert tile
    counts = dict(re.findall(r'data-rag="(\w+)">(\d+)<', tile.group(1)))
    assert {k: int(v) for k, v in counts.items()} == {
        rag: declared.count(rag) for rag in ("green", "amber", "red")}
    computed = health_of(list(Project.objects.all()), today)
    assert len(computed) == Project.objects.count()


def test_the_kept_computed_rags_follow_each_change(office: Office) -> None:
    """The home tiles' computed RAGs are kept (portfolio/health.computed_rags) under every
    project's data version, today and the thresholds: each change shows at once."""
    today = timezone.localdate()
    client = _client(office.pm)

    def computed_tile() -> dict[str, int]:
        home = client.get("/").content.decode()
        tile = re.search(r'id="rag-computed">(.*?)</div></div>', home, re.S)
        assert tile
        return {k: int(v) for k, v in re.findall(r'data-rag="(\w+)">(\d+)<', tile.group(1))}

    before = computed_tile()
    assert computed_tile() == before  # read from what was kept
    for n in range(5):
        register_actions.create_item(actor=office.pm, spec=ACTIONS, project=office.project,
                                     data={"title": f"Late {n}", "owner": office.pm,
                                           "due_date": today - dt.timedelta(days=3)},
                                     today=today - dt.timedelta(days=9))
    late = computed_tile()
    assert late["red"] == before["red"] + 1
    row = HealthThresholds.objects.order_by("pk").first()
    actions.update_health_thresholds(actor=office.pmo, version=row.version if row else 1,
                                     changes={"overdue_red": 50, "overdue_amber": 40})
    assert computed_tile() == before
