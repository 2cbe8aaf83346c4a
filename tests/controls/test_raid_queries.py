"""The RAID view across projects reads its registers in a fixed number of queries.
The same count with N projects as with 3N (tests/portfolio/scale.py builds them)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from projectoffice.controls import views
from tests.portfolio.scale import counts_at_two_sizes

PAGES = ["/raid/", "/api/v1/raid", "/raid/?page=2", "/api/v1/raid?kind=issues&limit=1&offset=1",
         "/raid/?severity=high&overdue=1"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_raid_view_does_not_grow_with_the_portfolio(office: Any) -> None:
    counts = counts_at_two_sizes(office, 2, PAGES, lambda: _client(office.pmo))
    grown = {url: pair for url, pair in counts.items() if pair[1] != pair[0]}
    assert not grown, f"query counts grew with the projects (N, 3N): {grown}"


def test_the_view_and_the_api_page_through_the_items_most_severe_first(
        office: Any, monkeypatch: Any) -> None:
    counts_at_two_sizes(office, 2, [], lambda: _client(office.pmo))
    client = _client(office.pmo)
    everything = client.get("/api/v1/raid?limit=200").json()
    count = everything["count"]
    assert count == len(everything["items"]) >= 6
    ranks = ["critical", "high", "medium", "low"]
    order = [ranks.index(i["severity"]) for i in everything["items"]]
    assert order == sorted(order)
    pages = [client.get(f"/api/v1/raid?limit=4&offset={o}").json() for o in range(0, count, 4)]
    assert all(p["count"] == count for p in pages)
    assert [i["reference"] + i["project"] for p in pages for i in p["items"]] == \
        [i["reference"] + i["project"] for i in everything["items"]]
    monkeypatch.setattr(views, "RAID_PER_PAGE", 2)
    second = client.get("/raid/?page=2").content.decode()
    assert f"Items 3–4 of {count}, most severe first" in second
    assert 'href="?page=1"' in second and 'href="?page=3"' in second
    for item in everything["items"][2:4]:
        assert f">{item['title']}</a>" in second
    last = client.get("/raid/?page=999").content.decode()  # past the end: the last page
    assert f"of {count}, most severe first" in last and 'rel="next"' not in last
    assert f">{everything['items'][-1]['title']}</a>" in last
