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


def test_the_demo_tells_the_story(office: Any) -> None:
    people = {"julia": office.members["communications"],
              "lena": office.members["change_manager"],
              "paula": office.members["team_member"], "omar": office.members["team_member"]}
    demo_engagement(people, [office.project], dt.date.today())
    assert ReadinessAssessment.objects.count() == 11
    assert CommunicationSend.objects.count() == 8
    assert SurveyResponse.objects.count() > 10
    assert ChangeImpact.objects.filter(project=office.project).count() == 7
