"""No API operation answers a malformed request body with a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.test_permission_matrix import fill, office_meeting, operations
from tests.conftest import Api, Office, make_user

MALFORMED: list[Any] = [{}, [], "text", {"version": "seven"}, {"no_such_field": 1},
                        {"title": None, "version": -1}]


@pytest.mark.django_db
def test_malformed_bodies_get_client_errors() -> None:
    office = Office()
    make_user("spare")
    root = make_user("root", is_superuser=True)
    client = Api(root)
    ids = {"membership": office.project.memberships.get(user__username="stakeholder").pk,
           "token": 0, "meeting": office_meeting(office, root)}
    server_errors = []
    exercised = 0
    for method, template, op in operations():
        if method not in ("POST", "PATCH"):
            continue
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        path = fill(template, office, root, ids)
        exercised += 1
        for body in MALFORMED:
            response = client.client.generic(
                method, f"/api/v1{path}", json.dumps(body), content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {client.token}")
            if response.status_code >= 500:
                server_errors.append(f"{method} {template} {body!r}: {response.status_code}")
    assert exercised > 40, "the operations list is unexpectedly short"
    assert not server_errors, "\n".join(server_errors)
