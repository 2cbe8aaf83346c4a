"""The demo shows levelling: an over-allocated person on one project, a levelled plan on
another."""

from __future__ import annotations

import pytest

from projectoffice.demo import load_demo
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.usage import project_usage


@pytest.mark.django_db
def test_demo_has_an_overallocated_resource_and_a_levelled_plan() -> None:
    load_demo(projects=2, progress=False)
    first, second = Project.objects.order_by("pk")
    over = [u for u in project_usage(first) if u.overallocated]
    assert over and any(u.resource.max_units == 60 for u in over)
    assert not PlanTask.objects.filter(plan__project=first, levelling_delay__gt=0).exists()
    assert PlanTask.objects.filter(plan__project=second, levelling_delay__gt=0).exists()
    # The first project's preview explains its delays: its people's work on the second.
    from projectoffice.planning import workspace as wsp
    from projectoffice.planning.models import Plan
    from projectoffice.resources import levelling

    preview = levelling.compute(wsp.load(Plan.objects.get(project=first)))
    reasons = [d.reason for d in preview.delays]
    assert any("busy on other projects" in r for r in reasons), reasons
    alone = levelling.compute(wsp.load(Plan.objects.get(project=first)), other_projects=False)
    assert not any("busy on other projects" in d.reason for d in alone.delays)
    # Locked time corrected by adjustments, one of them at the overtime rate.
    from projectoffice.timesheets.models import TimeAdjustment

    assert {a.overtime for a in TimeAdjustment.objects.filter(timesheet__project=first)} == {
        False, True}


@pytest.mark.django_db
def test_demo_imports_a_supplier_file_with_resources_and_assignments() -> None:
    from projectoffice.audit.models import AuditEntry
    from projectoffice.resources.demo import SUPPLIER
    from projectoffice.resources.models import Assignment, Resource

    load_demo(projects=2, progress=False)
    second = Project.objects.order_by("pk")[1]
    team = Resource.objects.get(project=second, name=SUPPLIER)
    assert team.max_units == 200
    assert [(r.standard, r.overtime) for r in team.rates.all()] == [(95, 130)]
    on = Assignment.objects.filter(resource=team)
    assert on.count() >= 1 and all(a.units == 100 and a.work > 0 for a in on)
    # The team has skills of its own; the people have theirs from their profiles.
    assert team.skill_list == ["Java", "Kubernetes", "integration testing", "data migration"]
    people = Resource.objects.filter(project=second, user__isnull=False)
    assert people and all(r.skill_list for r in people)
    assert AuditEntry.objects.filter(verb="assignments imported").exists()
