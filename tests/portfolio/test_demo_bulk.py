"""The large-portfolio demo's bulk copies: each copy owns its own rows (plan, costs, time,
registers), none of the story project's rows is shared or changed, the wave's own people
do the work, and the audit history records each copy."""

from __future__ import annotations

from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.demo_bulk import load_copies
from projectoffice.planning.models import PlanLink, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment, Resource
from projectoffice.timesheets.models import TimeLine
from tests.portfolio.scale import grow

pytestmark = pytest.mark.django_db


def _owned(project: Project) -> dict[str, int]:
    return {"tasks": PlanTask.objects.filter(plan__project=project).count(),
            "links": PlanLink.objects.filter(successor__plan__project=project).count()
            if hasattr(PlanLink, "successor") else 0,
            "assignments": Assignment.objects.filter(project=project).count(),
            "resources": Resource.objects.filter(project=project).count(),
            "time": TimeLine.objects.filter(timesheet__project=project).count()}


def test_copies_own_their_rows_and_are_audited(office: Any) -> None:
    grow(office, 2)
    stories = list(Project.objects.filter(code__startswith="S").order_by("pk"))
    others = set(Project.objects.values_list("pk", flat=True))
    before = {p.code: _owned(p) for p in stories}
    team = [office.members["team_member"], office.pm]

    written = load_copies(stories=stories, count=3, story_team=team, actor=office.pmo)

    copies = list(Project.objects.exclude(pk__in=others).order_by("pk"))
    assert [p.code for p in copies] == ["S000-2", "S001-2", "S000-3"]
    assert written > 3
    for story in stories:  # the story projects keep exactly what they had
        assert _owned(story) == before[story.code]
    for copy, story in zip(copies, [stories[0], stories[1], stories[0]], strict=True):
        assert _owned(copy) == before[story.code]
        assert copy.manager_id not in {office.pm.pk}  # the wave's own project manager
        # Every assignment of the copy is to the copy's own resources and tasks.
        for a in Assignment.objects.filter(project=copy):
            assert a.resource.project_id == copy.pk
            assert PlanTask.objects.filter(plan__project=copy, uid=a.task_uid).exists()
        people = set(Resource.objects.filter(project=copy, user__isnull=False)
                     .values_list("user_id", flat=True))
        assert people and not people & {u.pk for u in team}
        entry = AuditEntry.objects.get(project=copy, verb="create")
        assert entry.changes["copied_from"] == story.code
    # New rows get keys after the copies' (the sequences were moved past them).
    grow(office, 1)
    assert Project.objects.filter(code="S002").exists()
