"""Demo resource levelling: one project keeps an over-allocated person for the usage
histogram and the levelling preview to show; another is levelled, so its plan carries
levelling delays.  Everything goes through the actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projectoffice.planning.models import Plan
from projectoffice.portfolio.models import Project

from . import actions
from .usage import project_usage


def demo_levelling(project: Project, manager: Any, *, level: bool) -> None:
    usage = [u for u in project_usage(project) if u.weeks]
    if not usage:
        return
    # The busiest person works part time from now on: their parallel tasks no longer fit.
    busiest = max(usage, key=lambda u: (u.peak_units, u.resource.name))
    resource = busiest.resource
    actions.update_resource(actor=manager, project=project, resource_id=resource.pk,
                            version=resource.version, changes={"max_units": Decimal(60)})
    if level:
        plan = Plan.objects.get(project=project)
        actions.level_resources(actor=manager, project=project, version=plan.version)
