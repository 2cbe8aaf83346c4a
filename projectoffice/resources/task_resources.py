"""A task's resources as MS Project's Resource Names column writes them: ``Dan[50%], Omar``
(units in brackets, 100% when left out).  Typing the column replaces the task's
assignments by those named, through the assignment actions (their checks, task types,
audit and notifications)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import ProtectedError

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.access import access_project
from projectoffice.portfolio.models import Project

from . import actions
from .models import Assignment, Resource

ITEM = re.compile(r"^(?P<name>[^\[\]]+?)\s*(?:\[\s*(?P<units>[^\]]*?)\s*%?\s*\])?$")
HUNDRED = Decimal(100)


def format_names(pairs: list[tuple[str, Decimal]]) -> str:
    return ", ".join(name if units == HUNDRED else f"{name}[{units.normalize():f}%]"
                     for name, units in pairs)


def resource_names(project: Project) -> dict[int, str]:
    """Each task's resources as the column shows them, by task UID."""
    pairs: dict[int, list[tuple[str, Decimal]]] = {}
    for uid, name, units in (Assignment.objects.filter(project=project)
                             .order_by("task_uid", "resource__name", "pk")
                             .values_list("task_uid", "resource__name", "units")):
        pairs.setdefault(uid, []).append((name, units))
    return {uid: format_names(items) for uid, items in pairs.items()}


def task_work(project: Project) -> dict[int, Decimal]:
    """Hours of work assigned on each task (people and other work resources)."""
    work: dict[int, Decimal] = {}
    for uid, hours in (Assignment.objects.filter(project=project,
                                                 resource__kind__in=("person", "work"))
                       .values_list("task_uid", "work")):
        work[uid] = work.get(uid, Decimal(0)) + hours
    return work


def parse_names(text: str, resources: dict[str, Resource]) -> list[tuple[Resource, Decimal]]:
    """The resources named and their units; ValueError naming the first problem."""
    wanted: list[tuple[Resource, Decimal]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        found = ITEM.match(part)
        if found is None:
            raise ValueError(f"{part!r} is not a resource name: write Name or Name[50%]")
        name = found["name"].strip()
        resource = resources.get(name.casefold())
        if resource is None:
            raise ValueError(f"there is no resource {name!r} in this project: add it on the "
                             "resources page first")
        try:
            units = Decimal(found["units"].rstrip("%").strip()) if found["units"] else HUNDRED
        except InvalidOperation:
            raise ValueError(f"{found['units']!r} is not a percentage for {name}") from None
        if not Decimal(0) < units <= Decimal(10000):
            raise ValueError(f"give {name} units between 1% and 10000%")
        if any(r.pk == resource.pk for r, _ in wanted):
            raise ValueError(f"{name} is named twice")
        wanted.append((resource, units.quantize(Decimal("0.01"))))
    return wanted


@transaction.atomic
def set_task_resources(*, actor: User, project: Project, task_uid: int, text: str) -> None:
    """Makes the task's assignments those ``text`` names: adds the new ones (work from the
    task's duration), changes the units of those kept, removes the others (refused for an
    assignment with time recorded on it)."""
    access_project(actor, project.code, "resource.manage")
    resources = {r.name.casefold(): r for r in Resource.objects.filter(project=project)}
    try:
        wanted = parse_names(text, resources)
    except ValueError as exc:
        raise InvalidInput.field("resources", str(exc)) from None
    current = {a.resource_id: a for a in Assignment.objects.select_for_update()
               .filter(project=project, task_uid=task_uid).select_related("resource")}
    keep = {r.pk for r, _ in wanted}
    for resource_id, old in current.items():
        if resource_id in keep:
            continue
        try:
            old.delete()
        except ProtectedError:
            raise InvalidInput.field("resources", f"{old.resource.name} has time recorded on "
                                                  "this task and stays assigned") from None
        record_change(actor=actor, obj=project, verb="assignment removed",
                      changes={f"task {task_uid}": [old.resource.name, None]})
    for resource, units in wanted:
        kept = current.get(resource.pk)
        if kept is None:
            actions.assign_resource(actor=actor, project=project, resource_id=resource.pk,
                                    task_uid=task_uid, units=units)
        elif kept.units != units:
            actions.update_assignment(actor=actor, project=project, assignment_id=kept.pk,
                                      version=kept.version, units=units)
