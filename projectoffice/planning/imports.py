"""Plan files imported in the background: the upload is stored, a job replaces the plan by it
(or updates the plan from it) all-or-nothing, and the planner waits on the run's status page
until the plan or the file's problems show."""

from __future__ import annotations

from django.urls import reverse

from projectoffice.accounts.models import User
from projectoffice.background.models import Run
from projectoffice.background.runs import Outcome, background_work, start
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.access import access_project
from projectoffice.portfolio.models import Project

from . import exchange


@background_work
def import_plan_file(run: Run, data: bytes) -> Outcome:
    if run.project is None:
        raise InvalidInput.field("project", "the import has no project")
    project = access_project(run.started_by, run.project.code, "plan.edit")
    update = bool(run.params.get("update"))
    version = run.params.get("version")
    plan = exchange.import_mspdi(actor=run.started_by, project=project, data=data,
                                 update=update, version=int(version) if version else None)
    tasks = plan.tasks.count()
    count = f"{tasks:,} task{'s' if tasks != 1 else ''}"
    return Outcome(
        summary=f"The plan of {project.code} was updated from the file "
                f"{run.filename}: {count}." if update else
                f"{run.filename or 'The file'} imported into the plan of {project.code}: "
                f"{count}.",
        url=reverse("plan", kwargs={"code": project.code}),
        result={"plan_version": plan.version, "tasks": tasks})


def start_plan_import(*, actor: User, project: Project, data: bytes, filename: str,
                      update: bool = False, version: int | None = None) -> Run:
    """Stores the file and queues its import (refused at once when the caller may not edit
    the plan or sent an empty file)."""
    access_project(actor, project.code, "plan.edit")
    if not data:
        raise InvalidInput.field("file", "the file is empty")
    what = "Update" if update else "Import"
    return start(actor=actor, work=import_plan_file, project=project, data=data,
                 filename=filename, params={"update": update, "version": version},
                 label=f"{what} the plan of {project.code} from {filename or 'a file'}",
                 back_url=reverse("plan-import", kwargs={"code": project.code}))
