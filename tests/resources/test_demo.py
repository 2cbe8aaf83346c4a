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
