"""A change request's cost impact is a cost figure: only people who may see costs read or
set it, by every route (page, form, history, API, export, impact, report builder)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from projectoffice.accounts.roles import PROJECT_ROLE_PERMISSIONS, ProjectRole
from projectoffice.controls.registers import CHANGES
from projectoffice.registers import actions as register_actions
from projectoffice.reportbuilder.queries import definition_of, run
from tests.conftest import PASSWORD

SECRET = "73519.00"


def _change(office: Any) -> Any:
    return register_actions.create_item(
        actor=office.pm, spec=CHANGES, project=office.project,
        data={"title": "Harden the build", "change_type": "durations",
              "change_detail": "Four more weeks", "reason": "Security review",
              "cost_impact": SECRET})


def test_people_without_cost_view_never_see_the_cost_impact(office: Any, api_as: Any) -> None:
    change = _change(office)
    reader = office.members[ProjectRole.STAKEHOLDER]
    assert "cost.view" not in PROJECT_ROLE_PERMISSIONS[ProjectRole.STAKEHOLDER]
    base = f"/projects/MTX/changes/{change.reference}"

    pm = api_as(office.pm)
    assert pm.get(base).json()["cost_impact"] == SECRET
    api = api_as(reader)
    assert api.get(base).json()["cost_impact"] is None
    assert all(i["cost_impact"] is None for i in api.get("/projects/MTX/changes").json()["items"])
    assert SECRET not in api.get(base + "/history").content.decode()
    assert SECRET in pm.get(base + "/history").content.decode()
    impact = api.get(base + "/impact").json()
    assert impact["cost_impact"] is None
    exported = api.get("/projects/MTX/changes/export?format=csv").content.decode("utf-8-sig")
    assert "Cost impact" not in exported and SECRET not in exported
    assert SECRET in pm.get("/projects/MTX/changes/export?format=csv").content.decode()

    browser = Client()
    assert browser.login(username=reader.username, password=PASSWORD)
    for path in (f"{base}/", "/projects/MTX/changes/"):
        page = browser.get(path).content.decode()
        assert "73519" not in page and "73,519" not in page, path
    assert "Cost impact" not in browser.get(f"{base}/").content.decode()

    def cells(user: Any) -> list[str]:
        table = run(user, "changes", definition_of({"columns": ["reference", "cost_impact"]}))
        return [str(cell) for group in table.groups for row in group.rows for cell in row]

    assert change.reference in cells(reader) and not any("73519" in c for c in cells(reader))
    assert any("73519" in c for c in cells(office.pm))


def test_people_without_cost_view_cannot_set_it(office: Any, api_as: Any) -> None:
    change = _change(office)
    writer = next(office.members[r] for r in ProjectRole.values
                  if "change.change" in PROJECT_ROLE_PERMISSIONS[r]
                  and "cost.view" not in PROJECT_ROLE_PERMISSIONS[r])
    api = api_as(writer)
    base = f"/projects/MTX/changes/{change.reference}"
    r = api.patch(base, {"version": change.version, "cost_impact": "1"})
    assert r.status_code == 403 and "cost_impact" in r.json()["errors"]
    # Other fields are theirs to edit, and the form does not offer the cost.
    r = api.patch(base, {"version": change.version, "reason": "Audit finding"})
    assert r.status_code == 200, r.content
    browser = Client()
    assert browser.login(username=writer.username, password=PASSWORD)
    form = browser.get(f"{base}/edit/").content.decode()
    assert 'name="cost_impact"' not in form and "73519" not in form
