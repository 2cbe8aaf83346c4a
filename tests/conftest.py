"""Shared fixtures: a small portfolio with one person per role, and API clients."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from projectoffice.accounts.actions import create_api_token, create_user
from projectoffice.accounts.models import User
from projectoffice.accounts.roles import GlobalRole, ProjectRole
from projectoffice.controls.registers import (
    ACTIONS,
    ASSUMPTIONS,
    CHANGES,
    CONSTRAINTS,
    DECISIONS,
    DEPENDENCIES,
    ISSUES,
    RISKS,
)
from projectoffice.documents.registers import DOCUMENTS
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.registers import actions as register_actions
from projectoffice.warmup import warm_up

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


AT_ONCE = {"default": {"BACKEND": "projectoffice.jobs.backends.AtOnceDatabaseBackend",
                       "QUEUES": []}}


@pytest.fixture
def jobs_at_once(settings: Any) -> Any:
    """Background jobs run in the process that enqueues them (PMO_JOBS_BACKEND=at-once): an
    import or levelling started from a page has finished when the page answers."""
    settings.TASKS = AT_ONCE
    settings.PMO_JOB_RETRY_SECONDS = 0
    return settings


def make_user(username: str, global_role: str = GlobalRole.NONE, **extra: Any) -> User:
    return create_user(actor=None, username=username, password=PASSWORD,
                       display_name=username.replace("_", " ").title(), global_role=global_role,
                       validate=False, **extra)


class Office:
    """The world most tests use: portfolio P, programme PRG, projects MTX and OTHER."""

    def __init__(self) -> None:
        self.pmo = make_user("pmo_manager", GlobalRole.PMO_MANAGER)
        self.pm = make_user("project_manager")
        self.portfolio = portfolio_actions.create_portfolio(actor=self.pmo, name="Portfolio P")
        self.programme = portfolio_actions.create_programme(
            actor=self.pmo, portfolio=self.portfolio, code="PRG", name="Programme")
        self.project = portfolio_actions.create_project(
            actor=self.pmo, code="MTX", name="Matrix project", programme=self.programme,
            manager=self.pm, start_date=dt.date(2026, 1, 5), finish_date=dt.date(2026, 12, 18))
        self.other = portfolio_actions.create_project(
            actor=self.pmo, code="OTHER", name="Other project", portfolio=self.portfolio)
        self.members: dict[str, User] = {ProjectRole.PROJECT_MANAGER: self.pm}
        for role in ProjectRole.values:
            if role == ProjectRole.PROJECT_MANAGER:
                continue
            user = make_user(role)
            portfolio_actions.add_member(actor=self.pmo, project=self.project, user=user,
                                         role=role)
            self.members[role] = user
        self.outsider = make_user("outsider")
        portfolio_actions.add_member(actor=self.pmo, project=self.other, user=self.outsider,
                                     role=ProjectRole.PROJECT_MANAGER)
        self.staff = make_user("pmo_staff", GlobalRole.PMO_STAFF)
        self.executive = make_user("executive", GlobalRole.EXECUTIVE)
        self.issue = register_actions.create_item(
            actor=self.pm, spec=ISSUES, project=self.project,
            data={"title": "Supplier late", "owner": self.pm, "severity": "high"})
        self.raid = {
            spec.key: register_actions.create_item(actor=self.pm, spec=spec,
                                                   project=self.project, data=data)
            for spec, data in (
                (RISKS, {"title": "Supplier may fail", "owner": self.pm}),
                (ASSUMPTIONS, {"title": "Licences arrive in March"}),
                (DEPENDENCIES, {"title": "Customer test data", "dependency_type": "external",
                                "party": "Customer", "party_type": "customer"}),
                (CONSTRAINTS, {"title": "Go-live before year end"}),
                (DECISIONS, {"title": "Choose the hosting option"}),
                (CHANGES, {"title": "Add single sign-on", "change_detail": "Scope: SSO",
                           "reason": "Customer request"}),
            )}
        self.action = register_actions.create_item(
            actor=self.pm, spec=ACTIONS, project=self.project,
            data={"title": "Chase supplier", "assignee": self.members["team_member"],
                  "due_date": dt.date.today() + dt.timedelta(days=7)})
        self.document = register_actions.create_item(
            actor=self.pm, spec=DOCUMENTS, project=self.project,
            data={"title": "Project management plan", "doc_type": "PLN", "owner": self.pm})


@pytest.fixture
def office(db: Any) -> Office:
    return Office()


class Api:
    """A JSON client for /api/v1 authenticated with a personal token."""

    def __init__(self, user: User) -> None:
        _, self.token = create_api_token(actor=user, name="tests")
        self.client = Client()
        self.user = user

    def _call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **extra}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path: str, **extra: Any) -> Any:
        return self._call("get", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._call("post", path, body, **extra)

    def patch(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._call("patch", path, body, **extra)

    def put(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._call("put", path, body, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self._call("delete", path, **extra)


@pytest.fixture
def api_as(db: Any) -> Any:
    return Api


@pytest.fixture(scope="session", autouse=True)
def long_lived_objects_frozen() -> None:
    """What a server does before its first request (projectoffice/warmup.py): the URL modules
    imported, the templates compiled and the objects that last the whole run frozen, out of
    the garbage collector's way (each full collection walked them all again)."""
    warm_up()
