"""Skills on resources: a person's come from their profile, a work resource has its own; the
resources page, its API and the assignment form filter by skill."""

from __future__ import annotations

from typing import Any

import pytest

from projectoffice.errors import InvalidInput
from projectoffice.people import actions as people
from projectoffice.resources import actions
from projectoffice.resources.models import Resource, split_skills
from projectoffice.resources.queries import resources_view


def skilled(office: Any) -> dict[str, Resource]:
    """Tess (a person; her skills on her profile), a crane (a work resource with its own
    skills) and concrete (material)."""
    member = office.members["team_member"]
    people.update_profile(actor=member, person=member, version=1,
                          changes={"skills": "Python, SQL\nSite surveys"})
    tess = actions.create_resource(actor=office.pm, project=office.project, name="Tess Member",
                                   user=member)
    crane = actions.create_resource(actor=office.pm, project=office.project, name="Crane",
                                    kind="work", skills="crane operation;  heavy lifting ,")
    concrete = actions.create_resource(actor=office.pm, project=office.project,
                                       name="Concrete", kind="material", unit="tonne")
    return {"tess": tess, "crane": crane, "concrete": concrete}


def test_skills_come_from_the_profile_or_the_resource(office: Any) -> None:
    found = skilled(office)
    assert split_skills("a, b;a\n  c  d ,") == ["a", "b", "c d"]
    crane = Resource.objects.get(pk=found["crane"].pk)
    assert crane.skills == "crane operation, heavy lifting"
    view = resources_view(office.project)
    skills = {r.name: r.skill_list for r in view["resources"]}
    assert skills == {"Concrete": [], "Crane": ["crane operation", "heavy lifting"],
                      "Tess Member": ["Python", "SQL", "Site surveys"]}
    assert view["skills"] == ["crane operation", "heavy lifting", "Python", "Site surveys",
                              "SQL"]
    # Filtering ignores case and matches part of a skill.
    assert [r.name for r in resources_view(office.project, skill="SURVEY")["resources"]] == [
        "Tess Member"]
    assert [r.name for r in resources_view(office.project, skill="lift")["resources"]] == [
        "Crane"]
    assert resources_view(office.project, skill="welding")["resources"] == []
    # A changed profile shows at once: the resource keeps no copy.
    member = office.members["team_member"]
    people.update_profile(actor=member, person=member, version=2,
                          changes={"skills": "Welding"})
    assert [r.name for r in resources_view(office.project, skill="weld")["resources"]] == [
        "Tess Member"]


@pytest.mark.parametrize(("which", "skills", "text"), [
    ("tess", "Python", "profile"),
    ("concrete", "pouring", "only people and other work resources"),
    ("crane", "x" * 501, "at most 500"),
])
def test_skills_are_refused_where_they_do_not_belong(office: Any, which: str, skills: str,
                                                     text: str) -> None:
    resource = skilled(office)[which]
    before = Resource.objects.get(pk=resource.pk).skills
    with pytest.raises(InvalidInput) as exc:
        actions.update_resource(actor=office.pm, project=office.project,
                                resource_id=resource.pk, version=resource.version,
                                changes={"skills": skills})
    assert "skills" in exc.value.errors and text in exc.value.errors["skills"][0]
    assert Resource.objects.get(pk=resource.pk).skills == before


def test_skills_through_the_api(office: Any, api_as: Any) -> None:
    found = skilled(office)
    pm = api_as(office.pm)
    body = pm.get("/projects/MTX/resources?skill=crane").json()
    assert [(r["name"], r["skills"], r["skills_from"]) for r in body["resources"]] == [
        ("Crane", ["crane operation", "heavy lifting"], "resource")]
    body = pm.get("/projects/MTX/resources?skill=sql").json()
    assert [(r["name"], r["skills_from"]) for r in body["resources"]] == [
        ("Tess Member", "profile")]
    assert len(pm.get("/projects/MTX/resources").json()["resources"]) == 3
    created = pm.post("/projects/MTX/resources", {"name": "Drill rig", "kind": "work",
                                                  "skills": "Drilling, piling"})
    assert created.status_code == 201 and created.json()["skills"] == ["Drilling", "piling"]
    crane = found["crane"]
    changed = pm.patch(f"/projects/MTX/resources/{crane.pk}", {"version": crane.version,
                                                               "skills": "Rigging"})
    assert changed.status_code == 200 and changed.json()["skills"] == ["Rigging"]
    # A person linked to a user keeps their skills on their profile: 422, nothing written.
    refused = pm.post("/projects/MTX/resources", {"name": "Pat", "user": "planner",
                                                  "skills": "Planning"})
    assert refused.status_code == 422 and "skills" in refused.json()["errors"]
    assert not Resource.objects.filter(name="Pat").exists()


def test_the_page_filters_by_skill_and_offers_those_resources_to_assign(office: Any) -> None:
    from tests.finance.test_pages import login
    from tests.planning.helpers import build

    build(office.pm, office.project, [{"name": "Lift the beams", "duration": "2d"}])
    found = skilled(office)
    web = login(office.pm)
    page = web.get("/projects/MTX/resources/?skill=lifting").content.decode()
    assert "Resources with a skill “lifting”" in page
    assert f'data-resource="{found["crane"].pk}"' in page
    assert f'data-resource="{found["tess"].pk}"' not in page
    offered = page.split('id="a-res"')[1].split("</select>")[0]
    assert "Crane — crane operation, heavy lifting" in offered and "Tess" not in offered
    response = web.post("/projects/MTX/resources/edit/", {
        "what": "assignment", "resource": found["crane"].pk, "task_uid": 1, "units": "100",
        "skill": "lifting"})
    assert response["Location"] == "/projects/MTX/resources/?skill=lifting"
    assert found["crane"].assignments.count() == 1
    web.post("/projects/MTX/resources/edit/", {
        "what": "skills", "resource": f"{found['crane'].pk}:{found['crane'].version}",
        "skills": "Rigging, lifting"})
    assert Resource.objects.get(pk=found["crane"].pk).skills == "Rigging, lifting"
    everyone = web.get("/projects/MTX/resources/").content.decode()
    assert "from their profile" in everyone
