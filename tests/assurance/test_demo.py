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
