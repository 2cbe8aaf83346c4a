"""Skills with proficiency: the catalogue, people's skills, positions' required skills and
job descriptions, skills gaps proposing training needs, courses teaching a skill (a pass
raises it on the profile), course material as documents, staffing requests and the
people-side registers' import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from projectoffice.engine import skills as engine
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.orgdesign import actions, queries
from projectoffice.orgdesign.models import Position, StaffingRequest
from projectoffice.orgdesign.registers import POSITIONS, STAFFING, UNITS
from projectoffice.people import actions as people_actions
from projectoffice.people.models import PersonSkill, Skill
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import Notification
from projectoffice.training import actions as training_actions
from projectoffice.training.models import Course, TrainingNeed
from projectoffice.training.registers import COURSES
from tests.conftest import PASSWORD, Api
from tests.engagement.helpers import engagement_setup


def test_engine_gaps_by_group_and_raised_levels() -> None:
    found = engine.gaps({"CRM": 3, "Coaching": 2, "SQL": 1}, {"crm": 1, "Coaching": 4})
    assert [(g.skill, g.held, g.required, g.shortfall) for g in found] == [
        ("CRM", 1, 3, 2), ("SQL", 0, 1, 1)]
    rows = engine.by_group([("agents", engine.Gap("CRM", 3, 1)),
                            ("agents", engine.Gap("crm", 4, 0)),
                            ("stores", engine.Gap("Coaching", 2, 0))])
    assert [(r.group, r.skill, r.people, r.required) for r in rows] == [
        ("agents", "CRM", 2, 4), ("stores", "Coaching", 1, 2)]
    assert engine.raised(None, 3) == 3 and engine.raised(2, 3) == 3
    assert engine.raised(4, 3) is None  # a course never lowers a level
    with pytest.raises(ValueError):
        engine.gaps({"CRM": 6}, {})


def _skill(office: Any, name: str) -> Skill:
    return people_actions.create_skill(actor=office.pmo, name=name)


def test_catalogue_keepers_and_duplicate_names(office: Any) -> None:
    skill = people_actions.create_skill(actor=office.members["org_designer"],
                                        name="  CRM   configuration ", category="CRM")
    assert skill.name == "CRM configuration"
    people_actions.create_skill(actor=office.members["training_manager"], name="Coaching")
    with pytest.raises(Forbidden):
        people_actions.create_skill(actor=office.members["team_member"], name="SQL")
    with pytest.raises(InvalidInput) as twice:
        people_actions.create_skill(actor=office.pmo, name="crm CONFIGURATION")
    assert "already" in twice.value.errors["name"][0]
    assert Skill.objects.count() == 2


def test_people_declare_their_own_skills_and_the_pmo_assesses(office: Any) -> None:
    crm = _skill(office, "CRM case handling")
    me = office.members["team_member"]
    row = people_actions.set_person_skill(actor=me, person=me, skill=crm, level=2)
    assert (row.level, row.source) == (2, "declared")
    with pytest.raises(Forbidden):
        people_actions.set_person_skill(actor=office.members["quality_manager"], person=me,
                                        skill=crm, level=5)
    with pytest.raises(InvalidInput) as wrong:
        people_actions.set_person_skill(actor=me, person=me, skill=crm, level=6)
    assert "1 (aware) to 5 (expert)" in wrong.value.errors["level"][0]
    row = people_actions.set_person_skill(actor=office.staff, person=me, skill=crm, level=3)
    assert (row.level, row.source, row.version) == (3, "assessed", 2)
    api = Api(me)
    assert [(r["skill"], r["level"]) for r in api.get("/people/team_member/skills").json()] == [
        ("CRM case handling", 3)]
    assert api.post("/people/team_member/skills",
                    {"skill": "Knitting", "level": 2}).json()["errors"]["skill"]
    assert api.delete(f"/people/team_member/skills/{crm.pk}").status_code == 204
    assert not PersonSkill.objects.filter(person=me).exists()


def _setup(office: Any) -> dict[str, Any]:
    """A future position held by the team member, linked to an impact on the agents."""
    engaged = engagement_setup(office)
    designer = office.members["org_designer"]
    unit = register_actions.create_item(actor=designer, spec=UNITS, project=office.project,
                                        data={"title": "Service", "design": "future"})
    agent = register_actions.create_item(
        actor=designer, spec=POSITIONS, project=office.project,
        data={"title": "CRM agent", "design": "future", "unit": unit,
              "person": office.members["team_member"], "holder": "Tess",
              "impact": engaged["change-impacts"]})
    skills = {n: _skill(office, n) for n in ("CRM case handling", "Coaching")}
    return {**engaged, "agent": agent, "unit": unit, **skills}


def test_gap_proposes_a_need_and_a_passed_course_closes_it(office: Any) -> None:
    world = _setup(office)
    me, designer = office.members["team_member"], office.members["org_designer"]
    crm, coaching = world["CRM case handling"], world["Coaching"]
    actions.set_position_skill(actor=designer, position=world["agent"], skill=crm, level=3)
    actions.set_position_skill(actor=designer, position=world["agent"], skill=coaching,
                               level=2)
    people_actions.set_person_skill(actor=me, person=me, skill=crm, level=1)
    people_actions.set_person_skill(actor=me, person=me, skill=coaching, level=4)
    with pytest.raises(Forbidden):
        actions.set_position_skill(actor=office.members["team_member"],
                                   position=world["agent"], skill=crm, level=2)
    found = queries.skills_gaps(office.project)
    assert [(r.person.username, [(g.skill, g.held, g.required) for g in r.gaps], r.met)
            for r in found.people] == [("team_member", [("CRM case handling", 1, 3)], 1)]
    assert [(g.group.title, g.skill.name, g.people, g.need) for g in found.groups] == [
        ("Call-centre agents", "CRM case handling", 1, None)]
    need = actions.propose_gap_need(actor=designer, group=world["group"], skill=crm, level=3)
    assert (need.skill, need.proficiency, need.group_id) == ("CRM case handling", 3,
                                                            world["group"].pk)
    with pytest.raises(Conflict):
        actions.propose_gap_need(actor=designer, group=world["group"], skill=crm, level=3)
    with pytest.raises(Forbidden):
        actions.propose_gap_need(actor=office.members["quality_manager"],
                                 group=world["group"], skill=coaching, level=2)
    assert queries.skills_gaps(office.project).groups[0].need == need
    # The course answering the need teaches the skill; passing it raises the profile.
    trainer = office.members["training_manager"]
    course = register_actions.create_item(
        actor=trainer, spec=COURSES, project=office.project,
        data={"title": "CRM basics", "need": need, "skill": crm, "skill_level": 3})
    assert isinstance(course, Course)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    session = training_actions.schedule_session(
        actor=trainer, course=course, starts_at=start, ends_at=start + dt.timedelta(hours=1),
        capacity=5, venue="Vendor")
    mine = training_actions.enrol(actor=trainer, session=session, person=me,
                                  now=start - dt.timedelta(days=1))[0]
    other = training_actions.enrol(actor=trainer, session=session,
                                   person=office.members["planner"],
                                   now=start - dt.timedelta(days=1))[0]
    training_actions.record_attendance(actor=trainer, session=session,
                                       attendance={mine.pk: (1, "passed"),
                                                   other.pk: (1, "failed")})
    held = PersonSkill.objects.get(person=me, skill=crm)
    assert (held.level, held.source) == (3, "training")
    assert not PersonSkill.objects.filter(person=office.members["planner"]).exists()
    assert queries.skills_gaps(office.project).people[0].gaps == []
    # A higher level is kept when a lower course is passed.
    people_actions.set_person_skill(actor=me, person=me, skill=crm, level=5)
    training_actions.record_attendance(actor=trainer, session=session,
                                       attendance={mine.pk: (1, "passed")})
    assert PersonSkill.objects.get(person=me, skill=crm).level == 5


def test_gaps_of_people_moving_into_a_future_role_and_the_api(office: Any) -> None:
    world = _setup(office)
    designer = office.members["org_designer"]
    now = register_actions.create_item(
        actor=designer, spec=POSITIONS, project=office.project,
        data={"title": "Clerk", "design": "current", "person": office.members["planner"],
              "future_position": world["agent"]})
    assert isinstance(now, Position)
    api = Api(designer)
    assert api.post("/projects/MTX/positions/" + world["agent"].reference + "/skills",
                    {"skill": "coaching", "level": 4}).status_code == 200
    assert api.post("/projects/MTX/positions/" + world["agent"].reference + "/skills",
                    {"skill": "Coaching", "level": 0}).json()["errors"]["level"]
    gaps = api.get("/projects/MTX/skills-gaps").json()
    assert sorted((p["person"], p["via"]) for p in gaps["people"]) == [
        ("planner", now.reference), ("team_member", None)]
    assert gaps["groups"] == [{"group": world["group"].reference,
                               "group_title": "Call-centre agents", "skill": "Coaching",
                               "people": 2, "required": 4, "training_need": None}]
    made = api.post("/projects/MTX/skills-gaps/needs",
                    {"group": world["group"].reference, "skill": "Coaching", "level": 4,
                     "people": 2})
    assert made.status_code == 201
    assert TrainingNeed.objects.get(reference=made.json()["reference"]).proficiency == 4
    assert api.post("/projects/MTX/skills-gaps/needs",
                    {"group": world["group"].reference, "skill": "Coaching",
                     "level": 4}).status_code == 409
    # Read-only roles read the gaps but cannot propose.
    reader = Api(office.members["stakeholder"])
    assert reader.get("/projects/MTX/skills-gaps").status_code == 200
    assert reader.post("/projects/MTX/skills-gaps/needs",
                       {"group": world["group"].reference, "skill": "CRM case handling",
                        "level": 2}).status_code == 403


def test_job_description_and_course_material_are_documents_of_the_project(office: Any) -> None:
    world = _setup(office)
    designer = office.members["org_designer"]
    item = register_actions.update_item(actor=designer, item=world["agent"],
                                        version=world["agent"].version,
                                        changes={"job_description": office.document})
    assert item.job_description == office.document
    from projectoffice.documents.registers import DOCUMENTS

    elsewhere = register_actions.create_item(actor=office.pmo, spec=DOCUMENTS,
                                             project=office.other, data={"title": "Other"})
    with pytest.raises(InvalidInput) as other:
        register_actions.update_item(actor=designer, item=item, version=item.version,
                                     changes={"job_description": elsewhere})
    assert "another project" in other.value.errors["job_description"][0]
    trainer = office.members["training_manager"]
    course = register_actions.create_item(actor=trainer, spec=COURSES,
                                          project=office.project, data={"title": "CRM"})
    api = Api(trainer)
    added = api.post(f"/projects/MTX/courses/{course.reference}/materials",
                     {"document": office.document.reference})
    assert added.status_code == 201 and added.json()[0]["title"] == "Project management plan"
    assert api.post(f"/projects/MTX/courses/{course.reference}/materials",
                    {"document": office.document.reference}).status_code == 422
    assert api.post(f"/projects/MTX/courses/{course.reference}/materials",
                    {"document": elsewhere.reference}).json()["errors"]["document"]
    assert Api(office.members["team_member"]).post(
        f"/projects/MTX/courses/{course.reference}/materials",
        {"document": office.document.reference}).status_code == 403
    assert api.delete(f"/projects/MTX/courses/{course.reference}/materials/"
                      f"{office.document.reference}").status_code == 204
    assert not Course.objects.get(pk=course.pk).materials.exists()


def test_staffing_request_is_drafted_submitted_decided_and_done(office: Any) -> None:
    world = _setup(office)
    designer = office.members["org_designer"]
    with pytest.raises(InvalidInput) as missing:
        register_actions.create_item(
            actor=designer, spec=STAFFING, project=office.project,
            data={"title": "Release", "kind": "release", "position": world["agent"],
                  "starts_on": dt.date(2026, 6, 1), "reason": "Role ends"})
    assert "released" in missing.value.errors["person"][0]
    assert not StaffingRequest.objects.exists()
    item = register_actions.create_item(
        actor=designer, spec=STAFFING, project=office.project,
        data={"title": "Recruit two agents", "kind": "recruit", "position": world["agent"],
              "starts_on": dt.date(2026, 6, 1), "reason": "Volume after go-live"})
    # The cost is a money figure: the designer neither sets nor reads it; the manager does.
    with pytest.raises(Forbidden):
        register_actions.update_item(actor=designer, item=item, version=item.version,
                                     changes={"cost": 9000})
    item = register_actions.update_item(actor=office.pm, item=item, version=item.version,
                                        changes={"cost": 9000})
    assert Api(designer).get(f"/projects/MTX/staffing-requests/{item.reference}").json()[
        "cost"] is None
    assert Api(office.pm).get(f"/projects/MTX/staffing-requests/{item.reference}").json()[
        "cost"] == "9000.00"
    item = register_actions.transition_item(actor=designer, item=item, transition="submit",
                                            version=item.version)
    assert Notification.objects.filter(recipient=office.pm,
                                       message__contains="staffing request").exists()
    with pytest.raises(Forbidden):
        register_actions.transition_item(actor=designer, item=item, transition="approve",
                                         version=item.version)
    with pytest.raises(Conflict):  # done only once approved
        register_actions.transition_item(actor=designer, item=item, transition="complete",
                                         version=item.version)
    item = register_actions.transition_item(actor=office.pm, item=item, transition="approve",
                                            version=item.version)
    assert Notification.objects.filter(recipient=designer,
                                       message__contains="approved staffing request").exists()
    item = register_actions.transition_item(actor=designer, item=item, transition="complete",
                                            version=item.version)
    assert item.status == "done" and item.is_closed


def test_people_side_registers_import_by_reference_all_or_nothing(office: Any) -> None:
    world = _setup(office)
    api = Api(office.members["org_designer"])
    unit = world["unit"].reference
    good = (f"Title,Organisation,Unit,Reports to,FTE\nTeam lead,future,{unit},"
            f"{world['agent'].reference} CRM agent,2\n").encode()
    bad = good + f"Broken,future,{unit},POS-9999,1\n".encode()
    refused = api.client.post("/api/v1/projects/MTX/positions/import",
                              {"file": SimpleUploadedFile("p.csv", bad)},
                              HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert refused.status_code == 422
    assert "row 3.reports_to" in refused.json()["errors"]
    assert Position.objects.count() == 1
    done = api.client.post("/api/v1/projects/MTX/positions/import",
                           {"file": SimpleUploadedFile("p.csv", good)},
                           HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert done.status_code == 201
    lead = Position.objects.get(title="Team lead")
    assert (lead.unit, lead.reports_to) == (world["unit"], world["agent"])
    impacts = Api(office.pm).client.post(
        "/api/v1/projects/MTX/change-impacts/import",
        {"file": SimpleUploadedFile("i.csv", f"Title,Group\nNew screens,"
                                             f"{world['group'].reference}\n".encode())},
        HTTP_AUTHORIZATION=f"Bearer {Api(office.pm).token}")
    assert impacts.status_code == 201, impacts.content


def test_pages_show_skills_gaps_catalogue_and_profile(office: Any) -> None:
    world = _setup(office)
    designer = office.members["org_designer"]
    actions.set_position_skill(actor=designer, position=world["agent"],
                               skill=world["Coaching"], level=3)
    client = Client()
    client.login(username="org_designer", password=PASSWORD)
    page = client.get("/projects/MTX/organisation/skills/")
    assert page.status_code == 200 and b"Propose training need" in page.content
    posted = client.post("/projects/MTX/organisation/skills/",
                         {"group": world["group"].reference, "skill": "Coaching",
                          "level": "3", "people": "1"})
    assert posted.status_code == 302
    assert TrainingNeed.objects.filter(skill="Coaching").count() == 1
    item = client.get(f"/projects/MTX/positions/{world['agent'].reference}/")
    assert b"Required skills" in item.content and b"Coaching" in item.content
    client.post(f"/projects/MTX/organisation/positions/{world['agent'].reference}/skills/",
                {"skill": "CRM case handling", "level": "2"})
    assert world["agent"].required_skills.count() == 2
    client.post("/people/org_designer/skills/", {"skill": "Coaching", "level": "4"})
    assert PersonSkill.objects.get(person=designer).level == 4
    catalogue = client.get("/people/skills/")
    assert catalogue.status_code == 200 and b"Add a skill" in catalogue.content
    again = client.post("/people/skills/", {"name": "coaching"})
    assert again.status_code == 422 and b"already" in again.content
    reader = Client()
    reader.login(username="stakeholder", password=PASSWORD)
    assert b"Propose training need" not in reader.get(
        "/projects/MTX/organisation/skills/").content
    assert b"Add a skill" not in reader.get("/people/skills/").content
