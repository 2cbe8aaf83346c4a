"""Every page that shows a project's finish, RAG, CPI or % complete shows the same value,
over the whole demo portfolio: the project list, the home page, the overview, the plan
header, the master schedule, the earned value page and the API. The demo is loaded once for
the module (it takes a while) and removed afterwards."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.demo import load_demo
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.planning.queries import milestone_trend
from projectoffice.portfolio.health import ProjectHealth, health_of
from projectoffice.portfolio.models import Project


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any,
         tmp_path_factory: Any) -> Iterator[dict[str, ProjectHealth]]:
    media = tmp_path_factory.mktemp("media")
    quiet = override_settings(
        MEDIA_ROOT=media, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with quiet, django_db_blocker.unblock():
        load_demo(progress=False)
        projects = list(Project.objects.order_by("code"))
        health = health_of(projects, timezone.localdate())
        yield {p.code: health[p.pk] for p in projects}
        call_command("flush", interactive=False, verbosity=0)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _row(body: str, code: str) -> str:
    found = re.search(rf'<tr data-project="{code}">(.*?)</tr>', body, re.S)
    assert found, f"no row for {code}"
    return found.group(1)


def _cell(fragment: str, css: str, tag: str = "td") -> str:
    found = re.search(rf'class="(?:[\w-]+ )*{css}(?: [\w-]+)*"[^>]*>(.*?)</{tag}>',
                      fragment, re.S)
    assert found, f"no {css} in {fragment[:200]}"
    return _text(found.group(1))


def _by_id(body: str, ident: str) -> str:
    found = re.search(rf'id="{ident}"[^>]*>(.*?)</(strong|span|td)>', body, re.S)
    assert found, f"no #{ident}"
    return _text(found.group(1))


def _computed(fragment: str) -> str:
    text = _cell(fragment, "computed-rag")
    return text.replace("≠ declared", "").strip()


@pytest.fixture(scope="module")
def pages(demo: dict[str, ProjectHealth], django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        client = Client()
        client.force_login(User.objects.get(username="pmo"))
        return {"client": client, "list": client.get("/projects/").content.decode(),
                "home": client.get("/").content.decode(),
                "master": client.get("/plans/master/").content.decode()}


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.2f}"


@pytest.mark.django_db
def test_every_page_shows_the_same_figures(demo: dict[str, ProjectHealth],
                                           pages: dict[str, Any]) -> None:
    client = pages["client"]
    assert len(demo) == 8
    for code, h in demo.items():
        finish, rag = h.finish.label, h.computed_label
        percent = f"{h.percent_complete}%"
        listed = _row(pages["list"], code)
        assert _cell(listed, "finish") == finish, code
        assert _computed(listed) == rag, code
        assert _cell(listed, "percent-complete") == percent, code
        assert ("rag-mismatch" in listed) == h.mismatch, code
        home = _row(pages["home"], code)
        assert _cell(home, "finish") == finish and _computed(home) == rag, code
        assert _cell(_row(pages["master"], code), "finish", "span") == finish, code

        overview = client.get(f"/projects/{code}/").content.decode()
        tile = re.search(r'id="project-finish"><div class="n">(.*?)</div>', overview)
        assert tile and _text(tile.group(1)) == finish, code
        computed = re.search(r'id="computed-rag"><div class="n">(.*?)</div>', overview, re.S)
        assert computed and _text(computed.group(1)).replace("≠ declared", "").strip() == rag
        assert _by_id(overview, "cpi") == _fmt(h.cpi)
        assert _by_id(overview, "spi") == _fmt(h.spi)
        done = re.search(r'id="percent-complete"><div class="n">(.*?)</div>', overview)
        assert done and _text(done.group(1)) == percent, code

        plan = client.get(f"/projects/{code}/plan/").content.decode()
        assert _by_id(plan, "plan-finish") == finish, code
        assert _by_id(plan, "plan-complete") == f"{percent} complete", code

        money = client.get(f"/projects/{code}/finance/").content.decode()
        assert _by_id(money, "scheduled-finish") == finish, code
        cpi = re.search(r'data-figure="cpi">([^<]*)<', money)
        assert cpi and cpi.group(1).strip() == _fmt(h.cpi).replace("—", "–"), code

        api = client.get(f"/api/v1/projects/{code}").json()
        assert api["finish"] == (h.finish.date.isoformat() if h.finish.date else None)
        assert api["computed_rag"] == h.computed and api["rag_mismatch"] == h.mismatch
        planned = client.get(f"/api/v1/projects/{code}/plan").json()
        assert planned["finish_date"] == api["finish"], code
        health = client.get(f"/api/v1/projects/{code}/health").json()
        assert health["percent_complete"] == h.percent_complete
        assert (health["cpi"] is None) == (h.cpi is None)
        if h.cpi is not None:
            assert f"{float(health['cpi']):.2f}" == _fmt(h.cpi)


@pytest.mark.django_db
def test_home_tiles_count_the_project_list(demo: dict[str, ProjectHealth],
                                           pages: dict[str, Any]) -> None:
    declared = re.findall(r'class="declared-rag"[^>]*><span class="rag-dot (\w+)"',
                          pages["list"])
    tile = re.search(r'id="rag-declared">(.*?)</div></div>', pages["home"], re.S)
    assert tile
    counts = {k: int(v) for k, v in re.findall(r'data-rag="(\w+)">(\d+)<', tile.group(1))}
    assert counts == {rag: declared.count(rag) for rag in ("green", "amber", "red")}
    assert sum(counts.values()) == len(demo)
    computed = re.search(r'id="rag-computed">(.*?)</div></div>', pages["home"], re.S)
    assert computed
    tiles = {k: int(v) for k, v in re.findall(r'data-rag="(\w+)">(\d+)<', computed.group(1))}
    assert tiles == {rag: sum(1 for h in demo.values() if h.computed == rag)
                     for rag in ("green", "amber", "red")}


@pytest.mark.django_db
def test_the_milestone_trend_agrees_with_the_plan(demo: dict[str, ProjectHealth]) -> None:
    checked = 0
    for plan in Plan.objects.select_related("project"):
        done = {t.uid: t for t in PlanTask.objects.filter(plan=plan, milestone=True)}
        for series in milestone_trend(plan.project)["milestones"]:
            task = done.get(series["uid"])
            if task is None:
                continue
            for at, forecast in series["points"]:
                if task.actual_finish is not None and task.actual_finish.date() <= at:
                    assert forecast == task.actual_finish, (plan.project.code, task.name, at)
                    checked += 1
                elif at == plan.status_date:
                    assert forecast == task.finish, (plan.project.code, task.name)
    assert checked
