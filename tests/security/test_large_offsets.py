"""An offset beyond what a database can hold is refused with a 422 naming `offset` on every
list operation, never a server error."""

from __future__ import annotations

import pytest

from tests.api.test_permission_matrix import fill, office_meeting, operations
from tests.conftest import Api, Office, make_user


@pytest.mark.django_db
def test_huge_offsets_are_refused_by_name() -> None:
    office = Office()
    root = make_user("root", is_superuser=True)
    client = Api(root)
    client.client.raise_request_exception = False
    ids = {"membership": office.project.memberships.get(user__username="stakeholder").pk,
           "token": 0, "meeting": office_meeting(office, root)}
    wrong = []
    exercised = 0
    for method, template, op in operations():
        names = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
        if method != "GET" or "offset" not in names:
            continue
        exercised += 1
        path = fill(template, office, root, ids)
        query = "offset=" + str(2**63 + 7) + ("&q=supplier" if "q" in names else "")
        response = client.get(f"{path}?{query}")
        if response.status_code != 422 or "offset" not in response.json().get("errors", {}):
            wrong.append(f"GET {template}: {response.status_code}")
    assert exercised >= 20, "the list operations are unexpectedly few"
    assert not wrong, "\n".join(wrong)
