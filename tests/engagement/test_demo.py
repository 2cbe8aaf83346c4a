"""The demo's stakeholders, communications and change data are made through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from projectoffice.engagement.demo import demo_engagement
from projectoffice.engagement.models import (
    ChangeImpact,
    CommunicationSend,
    ReadinessAssessment,
    SurveyResponse,
)
from projectoffice.orgdesign.demo import demo_orgdesign
from projectoffice.orgdesign.models import StaffingRequest
from projectoffice.orgdesign.queries import design, skills_gaps
from projectoffice.orgdesign.skills_demo import demo_skills
from projectoffice.people.models import PersonSkill
from projectoffice.training.demo import demo_training
from projectoffice.training.queries import coverage, group_coverage


def test_the_demo_tells_the_story(office: Any) -> None:
    people = {"julia": office.members["communications"],
              "lena": office.members["change_manager"],
              "paula": office.members["team_member"], "omar": office.members["planner"],
              "pmo": office.pmo, "alice": office.pm,
              "kofi": office.members["training_manager"], "sam": office.members["support"],
              "odile": office.members["org_designer"]}
    changing = demo_engagement(people, [office.project], dt.date.today())
    assert changing == office.project
    # As the demo loader does: training and the organisation design follow the change.
    demo_training(people, changing, dt.date.today())
    positions = demo_orgdesign(people, changing)
    demo_skills(people, changing, positions, dt.date.today())
    assert ReadinessAssessment.objects.count() == 11
    assert CommunicationSend.objects.count() == 8
    assert SurveyResponse.objects.count() > 10
    assert ChangeImpact.objects.filter(project=office.project).count() == 7
    # Training and the future organisation follow from the impacts.
    groups = {g.group.title: g for g in group_coverage(coverage(office.project)).values()}
    assert groups["Retail sales directors"].share == 1.0
    assert 0 < (groups["Store managers"].share or 0) < 1
    found = design(office.project)
    assert found.differences.new and found.differences.removed
    assert [r.holder for r in found.differences.unplaced] == ["Jo Brown"]
    # Skills: a gap proposed a need, the course answering it was passed, and the skill is
    # on the product owner's profile; the staffing requests are in three states.
    held = PersonSkill.objects.get(person=office.members["team_member"],
                                   skill__name="CRM configuration")
    assert (held.level, held.source) == (3, "training")
    gaps = skills_gaps(office.project)
    assert any(g.need is not None for g in gaps.groups)
    assert any(g.need is None for g in gaps.groups)
    assert sorted(StaffingRequest.objects.values_list("status", flat=True)) == [
        "approved", "draft", "submitted"]
