"""The service's demo data loads through the actions on a project with a plan."""

from __future__ import annotations

import datetime as dt

import pytest

from projectoffice.assurance import queries
from projectoffice.assurance.demo import demo_assurance
from projectoffice.assurance.models import Requirement, TestRun
from projectoffice.controls.models import Issue
from tests.conftest import Office
from tests.planning.helpers import make_plan

pytestmark = pytest.mark.django_db


def test_demo_assurance(office: Office) -> None:
    make_plan(office)
    people = {"george": office.members["quality_manager"],
              "hana": office.members["testing_manager"],
              "omar": office.members["team_member"], "pmo": office.pmo}
    demo_assurance(people, [office.project], dt.date(2026, 3, 16))
    assert Requirement.objects.filter(project=office.project, parent__isnull=False).exists()
    runs = {r.name: r for r in TestRun.objects.filter(project=office.project)}
    assert len(runs) == 3
    imported = runs["CI regression – engine suite"]
    assert imported.executions.count() > 100
    defect = Issue.objects.get(project=office.project, issue_type="defect")
    assert defect.status == "closed"
    matrix = queries.traceability(office.project)
    assert matrix.untested == 1  # "Chat with an agent" has no test yet: a gap to show
    assert any(row.coverage == 1 and row.defects for row in matrix.rows)


def test_demo_quality_and_configuration(office: Office) -> None:
    from projectoffice.assurance.config_models import ConfigurationBaseline
    from projectoffice.assurance.quality_demo import demo_quality
    from projectoffice.assurance.quality_models import NonConformance, QualityReview

    make_plan(office)
    people = {"george": office.members["quality_manager"],
              "hana": office.members["testing_manager"],
              "ivan": office.members["configuration_manager"],
              "nina": office.members["architect"], "paula": office.members["team_member"],
              "omar": office.members["team_member"], "staff": office.staff,
              "pmo": office.pmo}
    today = dt.date(2026, 3, 16)
    demo_assurance(people, [office.project], today)
    demo_quality(people, [office.project], today)
    outcomes = set(QualityReview.objects.filter(project=office.project)
                   .values_list("status", flat=True))
    assert {"passed", "failed", "in_review"} <= outcomes
    ncs = dict(NonConformance.objects.filter(project=office.project)
               .values_list("status", "verified_by"))
    assert ncs["closed"] is not None and "actions_planned" in ncs
    assert ConfigurationBaseline.objects.filter(project=office.project,
                                                kind="release").exists()
