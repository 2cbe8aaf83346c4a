"""Services group a specialist role's registers and pages under one navigation entry."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from projectoffice.controls.registers import ISSUES
from projectoffice.portfolio.access import project_permissions
from projectoffice.registers import spec as spec_module
from projectoffice.registers.queries import service_entries
from projectoffice.registers.services import (
    Service,
    ServicePage,
    all_services,
    get_service,
    register_service,
    unregister_service,
)
from projectoffice.registers.spec import all_specs
from tests.conftest import PASSWORD


@pytest.fixture
def planning_service() -> Iterator[Service]:
    service = register_service(Service(
        key="plan-desk", label="Plan desk", description="Everything about the plan.",
        pages=(ServicePage("The plan", "plan", "plan.view", "Tasks and links"),
               ServicePage("Levelling", "plan", "plan.edit"))))
    yield service
    unregister_service("plan-desk")


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_every_register_names_a_declared_service_or_none() -> None:
    keys = {s.key for s in all_services()}
    assert all(spec.service in keys for spec in all_specs() if spec.service)


def test_the_hub_lists_only_what_the_person_may_open(office: Any,
                                                     planning_service: Service) -> None:
    manager = _client(office.pm).get("/projects/MTX/services/plan-desk/")
    assert manager.status_code == 200
    assert [e.label for e in manager.context["entries"]] == ["The plan", "Levelling"]
    stakeholder = _client(office.members["stakeholder"]).get("/projects/MTX/services/plan-desk/")
    assert [e.label for e in stakeholder.context["entries"]] == ["The plan"]


def test_the_sidebar_shows_one_link_per_service_marked_current_on_its_pages(
        office: Any, planning_service: Service) -> None:
    client = _client(office.pm)
    hub = client.get("/projects/MTX/services/plan-desk/")
    assert hub.context["nav_service"] == "plan-desk"
    assert b'href="/projects/MTX/services/plan-desk/" class="active"' in hub.content
    plan = client.get("/projects/MTX/plan/")
    assert plan.context["nav_service"] == "plan-desk"
    issues = client.get("/projects/MTX/issues/")
    assert issues.context["nav_service"] == ""


def test_unknown_service_and_hidden_project_are_not_found(office: Any,
                                                          planning_service: Service) -> None:
    client = _client(office.pm)
    assert client.get("/projects/MTX/services/nothing-here/").status_code == 404
    assert _client(office.outsider).get("/projects/MTX/services/plan-desk/").status_code == 404


def test_a_register_in_a_service_is_counted_on_its_hub(office: Any) -> None:
    register_service(Service(key="issue-desk", label="Issue desk", description="Issues."))
    moved = dataclasses.replace(ISSUES, service="issue-desk")
    spec_module._REGISTRY["issues"] = moved
    try:
        service = get_service("issue-desk")
        assert service is not None
        entries = service_entries(service, office.project,
                                  project_permissions(office.pm, office.project))
        assert [(e.label, e.open_items) for e in entries] == [("Issue log", 1)]
        page = _client(office.pm).get("/projects/MTX/")
        assert b">Issue log</a>" not in page.content.split(b'aria-label="Main"')[1].split(
            b"</nav>")[0]
    finally:
        spec_module._REGISTRY["issues"] = ISSUES
        unregister_service("issue-desk")
