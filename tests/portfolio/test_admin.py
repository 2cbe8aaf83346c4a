"""The Django admin shows projects and the portfolio but does not change them: changes go
through the office's actions, which check permissions and keep the audit trail."""

from __future__ import annotations

from typing import Any

from django.test import Client

from projectoffice.portfolio.models import Project
from tests.conftest import PASSWORD, make_user


def test_the_admin_shows_projects_but_does_not_change_them(office: Any) -> None:
    make_user("root", is_superuser=True)
    client = Client()
    assert client.login(username="root", password=PASSWORD)
    project = Project.objects.get(code="MTX")
    page = client.get(f"/admin/portfolio/project/{project.pk}/change/")
    assert page.status_code == 200 and "MTX" in page.content.decode()
    assert client.get("/admin/portfolio/project/add/").status_code == 403
    r = client.post(f"/admin/portfolio/project/{project.pk}/change/",
                    {"code": "MTX", "name": "Renamed in the admin"})
    assert r.status_code == 403
    r = client.post(f"/admin/portfolio/project/{project.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    project.refresh_from_db()
    assert project.name != "Renamed in the admin"
    assert Project.objects.filter(code="MTX").exists()
