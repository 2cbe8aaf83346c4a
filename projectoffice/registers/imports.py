"""Large register imports in the background: a file of more rows than
PMO_IMPORT_IN_BACKGROUND_ROWS is stored and imported by a job, all or nothing, while the
person who sent it waits on the run's status page (smaller files are imported in the
request, as before)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from projectoffice.accounts.models import User
from projectoffice.background.models import Run
from projectoffice.background.runs import Outcome, background_work, start
from projectoffice.errors import InvalidInput
from projectoffice.formats.tabular import read_table
from projectoffice.portfolio.access import access_project
from projectoffice.portfolio.models import Project

from . import actions
from .spec import RegisterSpec, get_spec


def in_background(rows: int) -> bool:
    return rows > settings.PMO_IMPORT_IN_BACKGROUND_ROWS


@background_work
def import_register_file(run: Run, data: bytes) -> Outcome:
    spec = get_spec(str(run.params.get("register", "")))
    if spec is None or run.project is None:
        raise InvalidInput.field("register", "the register of this import is gone")
    project = access_project(run.started_by, run.project.code, spec.perm("add"))
    headers, rows = read_table(data, run.filename)
    result = actions.import_items(actor=run.started_by, spec=spec, project=project,
                                  headers=headers, rows=rows)
    n = len(result.created)
    return Outcome(
        summary=f"{n:,} {spec.item_label.lower()}{'s' if n != 1 else ''} imported into "
                f"{project.code} from {run.filename}.",
        url=reverse("register-list", args=[project.code, spec.key]),
        result={"created": n, "references": [i.reference for i in result.created]})


def start_register_import(*, actor: User, spec: RegisterSpec, project: Project, data: bytes,
                          filename: str) -> Run:
    access_project(actor, project.code, spec.perm("add"))
    return start(actor=actor, work=import_register_file, project=project, data=data,
                 filename=filename, params={"register": spec.key},
                 label=f"Import {filename} into the {spec.item_label.lower()} register of "
                       f"{project.code}",
                 back_url=reverse("register-import", args=[project.code, spec.key]))
