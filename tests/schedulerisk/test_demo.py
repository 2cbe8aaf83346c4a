"""The demo: every plan has DCMA results at its status dates and two Monte Carlo runs to
compare, with a milestone whose P80 slips past its baseline."""

from __future__ import annotations

import pytest
from django.test import override_settings

from projectoffice.demo import load_demo
from projectoffice.portfolio.models import Project
from projectoffice.schedulerisk.models import HealthRecord, SimulationRun


@pytest.mark.django_db
def test_demo_schedule_health_and_risk(tmp_path) -> None:
    with override_settings(MEDIA_ROOT=tmp_path,
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo(projects=2, progress=False)
    projects = list(Project.objects.filter(plan__isnull=False))
    assert projects
    for project in projects:
        records = HealthRecord.objects.filter(project=project)
        assert records.count() >= 2, project.code  # a trend
        assert all(len(r.checks) == 14 for r in records)
        runs = list(SimulationRun.objects.filter(project=project).order_by("number"))
        assert [r.status for r in runs] == ["done", "done"], project.code
        latest = runs[-1].results
        assert latest["inputs"]["events"] >= 1
        slipping = [m for m in latest["milestones"]
                    if m["baseline"] and m["p80"][:10] > m["baseline"][:10]]
        assert slipping, project.code
        assert runs[-1].p80 >= runs[-1].p50 >= runs[-1].deterministic_finish
