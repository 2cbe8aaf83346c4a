"""Inputs the probes found answered with a server error, and the project's last manager."""

from __future__ import annotations

from typing import Any

import pytest

from projectoffice.facilities import actions as facility_actions
from projectoffice.portfolio.models import Membership
from tests.conftest import Api, Office, make_user


@pytest.fixture
def root(db: Any) -> Api:
    client = Api(make_user("root", is_superuser=True))
    client.client.raise_request_exception = False
    return client


def test_adding_a_member_with_an_empty_user_name_names_the_field(office: Office,
                                                                   root: Api) -> None:
    response = root.post("/projects/MTX/members", {"user": "", "role": "team_member"})
    assert response.status_code == 422
    assert "user" in response.json()["errors"]


def test_a_null_portfolio_description_is_an_input_error(root: Api) -> None:
    response = root.post("/portfolios", {"name": "Nulls", "description": None})
    assert response.status_code == 422
    assert "description" in response.json()["errors"]


def test_a_null_stock_description_is_an_input_error(office: Office, root: Api) -> None:
    item = facility_actions.add_stock_item(actor=office.staff, name="Paper", unit="box")
    response = root.patch(f"/facilities/stock/{item.pk}", {"version": item.version,
                                                           "description": None})
    assert response.status_code == 422
    assert "description" in response.json()["errors"]


def test_the_only_project_manager_cannot_be_removed(office: Office) -> None:
    pm = Api(office.pm)
    only = Membership.objects.get(project=office.project, role="project_manager")
    response = pm.delete(f"/projects/MTX/members/{only.pk}")
    assert response.status_code == 422
    assert "project_manager" in response.json()["errors"]["member"][0] or \
        str(office.pm) in response.json()["errors"]["member"][0]
    assert Membership.objects.filter(pk=only.pk).exists()
    # With a second manager, either may go.
    second = pm.post("/projects/MTX/members", {"user": "team_member", "role": "project_manager"})
    assert second.status_code == 201
    assert pm.delete(f"/projects/MTX/members/{second.json()['id']}").status_code == 204
