"""The plan pages: editor, cell edits with errors at the cell, Gantt, exports, imports."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projectoffice.planning.models import Plan
from tests.conftest import PASSWORD

from .helpers import SIMPLE, build, task


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_plan_page_grid_gantt_and_cell_edit(office, django_assert_max_num_queries) -> None:
    build(office.pm, office.project, SIMPLE)
    client = client_for(office.members["planner"])
    with django_assert_max_num_queries(30):
        page = client.get("/projects/MTX/plan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="gantt"' in html and "g-crit" in html and "Release" in html
    version = Plan.objects.get().version
    bad = client.post("/projects/MTX/plan/cell/", {"uid": 2, "field": "duration",
                                                   "value": "3x", "version": version})
    assert bad.status_code == 422
    assert "not a duration" in bad.content.decode() and 'value="3x"' in bad.content.decode()
    good = client.post("/projects/MTX/plan/cell/", {"uid": 3, "field": "duration",
                                                    "value": "15d", "version": version})
    assert good.status_code == 200 and task(office.project, 3).critical
    stale = client.post("/projects/MTX/plan/cell/", {"uid": 3, "field": "name",
                                                     "value": "Late", "version": version})
    assert stale.status_code == 409 and "reload" in stale.content.decode()
    assert client.get("/projects/MTX/plan/export/svg/").content.startswith(b"<svg")
    assert client.get("/projects/MTX/plan/variance/").status_code == 200
    assert client.get("/projects/MTX/plan/calendar/").status_code == 200
    assert client.get("/plans/master/?project=MTX&row=1&days=3").status_code == 200
    stakeholder = client_for(office.members["stakeholder"])
    assert "input class=\"cell\"" not in stakeholder.get("/projects/MTX/plan/").content.decode()
    assert stakeholder.post("/projects/MTX/plan/cell/", {"uid": 1, "field": "name",
                                                         "value": "x"}).status_code == 403


def test_import_page_lists_problems(office, jobs_at_once) -> None:
    build(office.pm, office.project, SIMPLE)
    client = client_for(office.pm)
    page = client.post("/projects/MTX/plan/import/", {
        "mode": "replace",
        "file": SimpleUploadedFile("x.xml", b"<Project><Tasks><Task><UID>1</UID>"
                                            b"<Duration>soon</Duration></Task></Tasks>"
                                            b"</Project>")}, follow=True)
    assert "Task UID 1: Duration" in page.content.decode()
    assert "Nothing was changed." in page.content.decode()
    assert Plan.objects.get().tasks.count() == 4
