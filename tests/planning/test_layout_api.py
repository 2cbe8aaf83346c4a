"""The plan editor's layout through the API: read, replaced whole, refused with the field
named, each person's own, and the same the plan page shows."""

from __future__ import annotations

from typing import Any

from django.test import Client

from projectoffice.planning.columns import DEFAULT
from projectoffice.planning.models import PlanLayout

from .helpers import SIMPLE, build


def test_read_and_replace_the_layout(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    r = pm.get("/me/plan-layout")
    assert r.status_code == 200, r.content
    first = r.json()
    assert first["columns"] == [k for k in first["columns"] if k in DEFAULT]
    assert not first["chosen"] and first["grid_width"] is None
    assert {"key": "notes", "label": "Notes"} in first["offered"]
    r = pm.put("/me/plan-layout", {"columns": ["notes", "start", "notes"], "grid_width": 640})
    assert r.status_code == 200, r.content
    assert r.json()["columns"] == ["notes", "start"] and r.json()["chosen"]
    assert pm.get("/me/plan-layout").json()["grid_width"] == 640
    # The page draws what the API stored: the grid's width and its chosen columns.
    build(office.pm, office.project, SIMPLE)
    client = Client()
    client.force_login(office.pm)
    page = client.get("/projects/MTX/plan/").content.decode()
    assert 'data-grid-width="640"' in page
    assert 'class="col-notes"' in page and 'class="col-duration"' not in page
    # Replaced whole: no columns is the default set again, no width the default split.
    r = pm.put("/me/plan-layout", {"columns": [], "grid_width": None})
    assert r.json() == first
    # Someone else's layout is their own.
    assert api_as(office.pmo).get("/me/plan-layout").json()["chosen"] is False


def test_bad_layouts_are_refused_naming_the_field(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    cases = [({"columns": ["colour"], "grid_width": 500}, "columns", "no column 'colour'"),
             ({"columns": [], "grid_width": 50}, "grid_width", "between 120 and 4000"),
             ({"columns": [], "grid_width": "wide"}, "grid_width", ""),
             ({"columns": []}, "grid_width", ""),
             ({"columns": [], "grid_width": None, "zoom": "week"}, "zoom", "")]
    for body, field, words in cases:
        r = pm.put("/me/plan-layout", body)
        assert r.status_code == 422, (body, r.content)
        assert field in r.content.decode() and words in r.content.decode(), r.content
    assert not PlanLayout.objects.filter(user=office.pm).exists()
