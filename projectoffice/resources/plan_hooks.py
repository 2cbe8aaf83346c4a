"""The resources app's side of plans: it follows plan edits (assignments keep their work
or units as task durations change) and gives the planning app the planned costs and the
resources and assignments of MS Project files, through ``planning.editor``'s events and
``planning.providers`` — so planning never imports this app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projectoffice.accounts.models import User
from projectoffice.formats import mspdi
from projectoffice.planning import editor, providers
from projectoffice.portfolio.models import Project

from . import actions
from .models import Assignment, Resource
from .queries import task_costs
from .task_resources import resource_names, set_task_resources, task_work

RESOURCE_KINDS = {0: "material", 1: "person", 2: "cost"}
CENT = Decimal("0.01")  # MSPDI writes amounts of money (a cost per use) in hundredths


def _decimal(text: str | None, scale: Decimal | int = 1) -> Decimal | None:
    if text is None or not text.strip():
        return None
    return (Decimal(text.strip()) * scale).quantize(Decimal("0.01"))


def import_from_mspdi(actor: User, project: Project, plan: mspdi.MspdiPlan,
                      keep_recorded: bool = False) -> None:
    """The resources and assignments of an imported MS Project file (see
    ``actions.import_resources``); an update from a file keeps what has time booked."""
    resources = [actions.ImportedResource(
        key=r.uid, name=r.name, kind=RESOURCE_KINDS.get(r.type, "person"),
        max_units=_decimal(f"{r.max_units!r}", 100) if r.type == 1 else None,
        standard=_decimal(r.standard_rate), overtime=_decimal(r.overtime_rate),
        cost_per_use=_decimal(r.cost_per_use, CENT), email=r.email or "",
        account=r.nt_account or "")
        for r in plan.resources if r.name.strip()]
    assignments = [actions.ImportedAssignment(
        task_uid=a.task_uid, resource_key=a.resource_uid,
        units=(Decimal(repr(a.units)) * 100).quantize(Decimal("0.01")),
        work=None if a.work is None else (Decimal(a.work) / 60).quantize(Decimal("0.01")))
        for a in plan.assignments]
    actions.import_resources(
        actor=actor, project=project, resources=resources, assignments=assignments,
        task_uids={t.uid for t in plan.project.tasks}, rates_from=plan.project.start.date(),
        keep_recorded=keep_recorded)


def resources_for_mspdi(project: Project, uids: set[int], costs: bool = True) -> tuple[
        tuple[mspdi.Resource, ...], tuple[mspdi.Assignment, ...]]:
    """The project's resources (work 1, material 0, cost 2; the latest rates; a person's
    e-mail) and their assignments (units as a fraction, work in minutes) for MSPDI."""
    kinds = {"person": 1, "work": 1, "material": 0, "cost": 2}
    numbers: dict[int, int] = {}
    resources = []
    for n, r in enumerate(Resource.objects.filter(project=project)
                          .select_related("user").prefetch_related("rates"), start=1):
        numbers[r.pk] = n
        rates = sorted(r.rates.all(), key=lambda x: x.effective_from)
        rate = rates[-1] if rates and costs else None
        resources.append(mspdi.Resource(
            uid=n, name=r.name, id=n, type=kinds.get(r.kind, 1),
            max_units=float(r.max_units) / 100,
            standard_rate=str(rate.standard) if rate else None,
            overtime_rate=str(rate.overtime) if rate else None,
            cost_per_use=str((rate.cost_per_use * 100).quantize(Decimal(1))) if rate else None,
            email=(r.user.email or None) if r.user else None))
    assignments = []
    for n, a in enumerate(Assignment.objects.filter(project=project, task_uid__in=uids)
                          .select_related("resource"), start=1):
        # Material: the quantity as hours, as MS Project writes a material's work.
        work = round(a.work * 60) if a.resource.kind != "cost" else None
        assignments.append(mspdi.Assignment(
            uid=n, task_uid=a.task_uid, resource_uid=numbers[a.resource_id],
            units=float(a.units) / 100, work=work))
    return tuple(resources), tuple(assignments)


def _durations_changed(sender: Any, actor: User, project: Project,
                       changed: dict[int, tuple[int, int]], **kwargs: Any) -> None:
    actions.follow_task_durations(actor=actor, project=project, changed=changed)


def connect() -> None:
    editor.durations_changed.connect(_durations_changed, dispatch_uid="resources-durations",
                                    weak=False)
    providers.provide(task_costs=task_costs, resources_out=resources_for_mspdi,
                      resources_in=import_from_mspdi, resource_names=resource_names,
                      task_work=task_work, set_resource_names=_set_names)


def _set_names(actor: User, project: Project, uid: int, text: str) -> None:
    set_task_resources(actor=actor, project=project, task_uid=uid, text=text)
