"""Levelling a large plan in the background: a job works out the proposal (it only reads) and
keeps it on the run; the levelling page shows it, and applying it is still the audited action
``actions.level_resources``, refused when the plan changed since."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from projectoffice.accounts.models import User
from projectoffice.background.models import Run, RunState
from projectoffice.background.runs import Outcome, background_work, run_for, start
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.planning import workspace as wsp
from projectoffice.planning.models import Plan
from projectoffice.portfolio.access import access_project
from projectoffice.portfolio.models import Project

from . import levelling


def in_background(plan: Plan) -> bool:
    """Whether the levelling of this plan is worked out by a job rather than in the page:
    plans of more than PMO_LEVEL_IN_BACKGROUND_TASKS tasks."""
    return bool(plan.tasks.count() > settings.PMO_LEVEL_IN_BACKGROUND_TASKS)


def page_url(project: Project, run: Run | None = None, others: bool = True) -> str:
    url = reverse("plan-levelling", kwargs={"code": project.code})
    query = [*([f"run={run.pk}"] if run else []), *([] if others else ["others=0"])]
    return f"{url}?{'&'.join(query)}" if query else url


@background_work
def work_out_levelling(run: Run, data: bytes) -> Outcome:
    if run.project is None:
        raise InvalidInput.field("project", "the levelling has no project")
    project = access_project(run.started_by, run.project.code, "plan.view")
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise NotFound(f"{project.code} has no plan yet")
    others = bool(run.params.get("others", True))
    found = levelling.compute(wsp.load(plan), other_projects=others)
    n = len(found.delays)
    return Outcome(
        summary=f"Levelling of {project.code} worked out: {n} task{'s' if n != 1 else ''} "
                "to delay. Nothing changes until you apply it.",
        url=page_url(project, run, others),
        result={"plan_version": plan.version, **levelling.to_data(found)})


def start_levelling(*, actor: User, project: Project, others: bool = True) -> Run:
    access_project(actor, project.code, "plan.view")
    if not Plan.objects.filter(project=project).exists():
        raise NotFound(f"{project.code} has no plan yet")
    return start(actor=actor, work=work_out_levelling, project=project,
                 params={"others": others},
                 label=f"Level the plan of {project.code}"
                       f"{'' if others else ' (this plan alone)'}",
                 back_url=page_url(project, others=others))


def proposal(user: Any, project: Project, run_id: str) -> tuple[Run, levelling.Levelling]:
    """The proposal a finished levelling run of this project keeps."""
    run = run_for(user, run_id)
    if run.project_id != project.pk or run.work != f"{__name__}.work_out_levelling" \
            or run.state != RunState.DONE:
        raise NotFound(f"No finished levelling {run_id} of {project.code}")
    return run, levelling.from_data(run.result)
