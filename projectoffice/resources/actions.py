"""Every write to resources, rates and assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import apply_changes, create_object, validate
from projectoffice.engine import task_types as tt
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.planning import workspace as wsp
from projectoffice.planning.editor import apply_edits
from projectoffice.planning.edits import SetDurations, SetLevellingDelays
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.access import access_project, has_perm
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import deliver
from projectoffice.registers.models import NotificationKind

from .levelling import compute as compute_levelling
from .models import ZERO, Assignment, Rate, Resource, ResourceKind, split_skills
from .usage import WORK_KINDS

RESOURCE_FIELDS = ("name", "kind", "user", "unit", "max_units", "skills")
SKILLS_LENGTH = 500


def _skills(text: str, kind: str, linked: bool) -> str:
    """A work resource's skills, tidied to "a, b, c"; people linked to a user keep theirs on
    their profile, and material and cost resources have none."""
    skills = ", ".join(split_skills(text))
    if not skills:
        return ""
    if linked:
        raise InvalidInput.field("skills", "a person's skills come from their profile")
    if kind not in WORK_KINDS:
        raise InvalidInput.field("skills", "only people and other work resources have skills")
    if len(skills) > SKILLS_LENGTH:
        raise InvalidInput.field("skills", f"use at most {SKILLS_LENGTH} characters")
    return skills


@transaction.atomic
def create_resource(*, actor: User, project: Project, name: str,
                    kind: str = ResourceKind.PERSON, user: User | None = None,
                    unit: str = "hour", max_units: Decimal = Decimal(100),
                    skills: str = "") -> Resource:
    access_project(actor, project.code, "resource.manage")
    skills = _skills(skills, kind, user is not None)
    name = name.strip()
    if Resource.objects.filter(project=project, name=name).exists():
        raise InvalidInput.field("name", f"{project.code} already has a resource {name!r}")
    if user is not None and Resource.objects.filter(project=project, user=user).exists():
        raise InvalidInput.field("user", f"{user} is already a resource of {project.code}")
    if user is not None and kind != ResourceKind.PERSON:
        raise InvalidInput.field("user", "only a person is linked to a user")
    return create_object(actor=actor, obj=Resource(project=project, name=name, kind=kind,
                                                   user=user, unit=unit, max_units=max_units,
                                                   skills=skills),
                         audit_fields=RESOURCE_FIELDS)


@transaction.atomic
def update_resource(*, actor: User, project: Project, resource_id: int, version: int,
                    changes: Mapping[str, Any]) -> Resource:
    """Renames a resource or changes its unit, maximum units (its availability) or, for a
    work resource not linked to a user, its skills."""
    access_project(actor, project.code, "resource.manage")
    resource = Resource.objects.filter(project=project, pk=resource_id).first()
    if resource is None:
        raise NotFound(f"No resource {resource_id} in {project.code}")
    if "skills" in changes:
        changes = {**changes, "skills": _skills(str(changes["skills"] or ""), resource.kind,
                                                resource.user_id is not None)}
    name = changes.get("name")
    if name is not None and Resource.objects.filter(project=project, name=name.strip()) \
            .exclude(pk=resource.pk).exists():
        raise InvalidInput.field("name", f"{project.code} already has a resource {name!r}")
    return apply_changes(actor=actor, obj=resource, expected_version=version,
                         changes=dict(changes),
                         editable=("name", "unit", "max_units", "skills"))


@transaction.atomic
def set_rate(*, actor: User, resource: Resource, effective_from: dt.date, standard: Decimal,
             overtime: Decimal = Decimal(0), cost_per_use: Decimal = Decimal(0)) -> Rate:
    """Adds the rates in force from a date (or replaces those of that date)."""
    access_project(actor, resource.project.code, "resource.manage")
    rate = Rate.objects.filter(resource=resource, effective_from=effective_from).first() or \
        Rate(resource=resource, effective_from=effective_from)
    before = (str(rate.standard), str(rate.overtime), str(rate.cost_per_use)) \
        if rate.pk else None
    rate.standard, rate.overtime, rate.cost_per_use = standard, overtime, cost_per_use
    validate(rate, exclude=["resource"])
    rate.save()
    record_change(actor=actor, obj=resource, verb="rate set", changes={
        f"rate from {effective_from.isoformat()}": [
            before, (str(standard), str(overtime), str(cost_per_use))]})
    return rate


def _task(project: Project, task_uid: int) -> PlanTask:
    task = PlanTask.objects.filter(plan__project=project, uid=task_uid).first()
    if task is None:
        raise InvalidInput.field("task_uid", f"no task with UID {task_uid} in the plan")
    if task.summary:
        raise InvalidInput.field("task_uid", "is a summary task: assign to its subtasks")
    return task


@transaction.atomic
def assign_resource(*, actor: User, project: Project, resource_id: int, task_uid: int,
                    units: Decimal = Decimal(100), work: Decimal = Decimal(0)) -> Assignment:
    """Puts a resource on a task.  Without work, the work is the task's duration × units.
    On an effort-driven task that already has assignments the total work is kept and
    shared, and the duration (or, for fixed duration, the units) follows."""
    access_project(actor, project.code, "resource.manage")
    resource = Resource.objects.filter(project=project, pk=resource_id).first()
    if resource is None:
        raise InvalidInput.field("resource_id", f"no resource {resource_id} in {project.code}")
    task = _task(project, task_uid)
    if Assignment.objects.filter(resource=resource, task_uid=task_uid).exists():
        raise InvalidInput.field("resource_id", f"{resource} is already on task {task_uid}")
    others = list(Assignment.objects.select_for_update().filter(project=project,
                                                                task_uid=task_uid))
    if task.effort_driven and others and not work and resource.kind in WORK_KINDS:
        loadings = [tt.Loading(task.duration, a.units, a.work) for a in others]
        duration, shared = tt.share_work(tt.TaskType(task.task_type), task.duration, loadings,
                                         units)
        for a, loading in zip(others, shared, strict=False):
            _follow(actor, a, loading, "work shared (effort-driven)")
        units, work = shared[-1].units, shared[-1].work
        if duration != task.duration:
            _set_duration(actor, project, task_uid, duration)
    elif not work and resource.kind in WORK_KINDS and not task.milestone:
        work = tt.work_of(task.duration, units)
    made = create_object(actor=actor, obj=Assignment(project=project, resource=resource,
                                                     task_uid=task_uid, units=units, work=work),
                         audit_fields=("resource", "task_uid", "units", "work"))
    _tell_assigned(actor, project, [made])
    return made


def _tell_assigned(actor: User, project: Project, made: Sequence[Assignment]) -> None:
    """The person behind each new assignment of a person resource hears of their task, once
    per task however many of their resources it names."""
    names = dict(PlanTask.objects.filter(plan__project=project,
                                         uid__in={a.task_uid for a in made})
                 .values_list("uid", "name"))
    told: set[tuple[int, int]] = set()
    for a in made:
        person = a.resource.user
        if person is None or (person.pk, a.task_uid) in told \
                or not has_perm(person, project, "project.view"):
            continue
        told.add((person.pk, a.task_uid))
        deliver(recipient=person, obj=a, project=project, kind=NotificationKind.TASK,
                actor=actor, url=f"/projects/{project.code}/plan/",
                message=f"{actor} assigned you to task {a.task_uid} "
                        f"“{names.get(a.task_uid, '')}” ({a.units:g}%)",
                detail=f"{project.code} · {project.name}")


def _follow(actor: User, assignment: Assignment, loading: tt.Loading, verb: str) -> None:
    """Writes the units and work an assignment takes from its task type."""
    before = {"units": str(assignment.units), "work": str(assignment.work)}
    assignment.units, assignment.work = loading.units, loading.work
    after = {"units": str(assignment.units), "work": str(assignment.work)}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        validate(assignment, exclude=["project", "resource"])
        assignment.version += 1
        assignment.save()
        record_change(actor=actor, obj=assignment, verb=verb, changes=changes)


def _set_duration(actor: User, project: Project, task_uid: int, minutes: int) -> None:
    """The task's duration follows its assignments: the plan is rescheduled."""
    # Follows the plan as it is now: the person edited an assignment, not the plan.
    current = Plan.objects.filter(project=project).values_list("version", flat=True).first()
    apply_edits(actor=actor, project=project, version=current,
                edits=[SetDurations({task_uid: minutes})], verb="task duration follows its work",
                permission="resource.manage", strict=False, create=False)


def follow_task_durations(*, actor: User, project: Project,
                          changed: Mapping[int, tuple[int, int]]) -> None:
    """After plan edits changed task durations (``{uid: (before, after)}``), each
    assignment's work (fixed units, fixed duration) or units (fixed work) follows.  Runs in
    the plan edit's transaction; the permission is the plan edit's."""
    if not changed:
        return
    types = dict(PlanTask.objects.filter(plan__project=project, uid__in=list(changed))
                 .values_list("uid", "task_type"))
    for a in Assignment.objects.select_for_update().filter(
            project=project, task_uid__in=list(changed), resource__kind__in=WORK_KINDS):
        old, new = changed[a.task_uid]
        if new <= 0:
            continue
        try:
            loading = tt.recompute(tt.TaskType(types.get(a.task_uid, "fixed_units")),
                                   tt.Loading(old, a.units, a.work), duration=new)
        except tt.TaskTypeError:
            continue
        _follow(actor, a, loading, "follows task duration")


@transaction.atomic
def assign_resources(*, actor: User, project: Project,
                     rows: Sequence[Mapping[str, Any]]) -> list[Assignment]:
    """Many assignments at once (``resource_id``, ``task_uid``, ``units``, ``work``), e.g. a
    staffing plan: every problem is reported, keyed ``rows.N.field``; then nothing is
    written.  One audit entry lists them.  Without work, the work is duration × units."""
    access_project(actor, project.code, "resource.manage")
    resources = {r.pk: r for r in Resource.objects.filter(project=project)}
    tasks = {t.uid: t for t in PlanTask.objects.filter(plan__project=project)}
    taken = set(Assignment.objects.filter(project=project).values_list("resource_id",
                                                                       "task_uid"))
    errors: dict[str, list[str]] = {}
    new: list[Assignment] = []
    for n, row in enumerate(rows):
        resource, uid = resources.get(row.get("resource_id", -1)), row.get("task_uid", -1)
        task = tasks.get(uid)
        if resource is None:
            errors.setdefault(f"rows.{n}.resource_id", []).append("no such resource here")
        elif task is None or task.summary:
            errors.setdefault(f"rows.{n}.task_uid", []).append("no such work task in the plan")
        elif (resource.pk, uid) in taken:
            errors.setdefault(f"rows.{n}.resource_id", []).append("is already on that task")
        else:
            taken.add((resource.pk, uid))
            units = Decimal(row.get("units", 100))
            work = Decimal(row.get("work", 0))
            if not work and resource.kind in WORK_KINDS and not task.milestone:
                work = tt.work_of(task.duration, units)  # as assign_resource
            item = Assignment(project=project, resource=resource, task_uid=uid,
                              units=units, work=work)
            try:
                validate(item, exclude=["project", "resource"])
            except InvalidInput as exc:
                for key, messages in exc.errors.items():
                    errors.setdefault(f"rows.{n}.{key}", []).extend(messages)
            new.append(item)
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    created = Assignment.objects.bulk_create(new)
    record_change(actor=actor, obj=project, verb="resources assigned", changes={
        f"task {a.task_uid}": [None, f"{a.resource.name}: {a.work}"] for a in created})
    _tell_assigned(actor, project, created)
    return created


@transaction.atomic
def update_assignment(*, actor: User, project: Project, assignment_id: int, version: int,
                      units: Decimal | None = None, work: Decimal | None = None) -> Assignment:
    """Changes units or work; the third of work, units and duration follows the task's type
    (``engine/task_types.py``), and a new duration reschedules the plan."""
    access_project(actor, project.code, "resource.manage")
    assignment = Assignment.objects.filter(project=project, pk=assignment_id).first()
    if assignment is None:
        raise NotFound(f"No assignment {assignment_id} in {project.code}")
    changes: dict[str, Any] = {k: v for k, v in (("units", units), ("work", work))
                               if v is not None}
    task = PlanTask.objects.filter(plan__project=project, uid=assignment.task_uid).first()
    duration = None
    if (task is not None and not task.summary and not task.milestone and changes
            and assignment.resource.kind in WORK_KINDS):
        task_type = tt.TaskType(task.task_type)
        loading = tt.Loading(task.duration, assignment.units, assignment.work)
        try:
            for name, value in changes.items():
                loading = tt.recompute(task_type, loading, **{name: value})
        except tt.TaskTypeError as exc:
            raise InvalidInput.field(next(iter(changes)), str(exc)) from None
        changes = {"units": loading.units, "work": loading.work}
        if loading.duration != task.duration:
            others = [tt.duration_of(a.work, a.units) for a in Assignment.objects.filter(
                project=project, task_uid=task.uid, resource__kind__in=WORK_KINDS,
                units__gt=0, work__gt=0).exclude(pk=assignment.pk)]
            duration = max([loading.duration, *others])
    updated = apply_changes(actor=actor, obj=assignment, expected_version=version,
                            changes=changes, editable=("units", "work"))
    if duration is not None and task is not None and duration != task.duration:
        _set_duration(actor, project, task.uid, duration)
    return updated

def _levelled_commit(actor: User, project: Project, version: int | None,
                     delays: Callable[[wsp.Workspace], dict[int, int]], verb: str) -> Plan:
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise NotFound(f"{project.code} has no plan yet")
    wanted = delays(wsp.load(plan))
    return apply_edits(actor=actor, project=project, version=version,
                       edits=[SetLevellingDelays(wanted)], verb=verb, strict=False,
                       create=False)


@transaction.atomic
def level_resources(*, actor: User, project: Project, version: int | None,
                    other_projects: bool = True,
                    delays: dict[int, int] | None = None) -> Plan:
    """Levels the plan: writes the delays ``levelling.compute`` finds as the tasks'
    levelling delays (clearing earlier ones) and reschedules, in one transaction.  The
    audit entry lists each task's delay before and after.  ``other_projects`` (the default)
    keeps room for each person's work on their other projects; off, the plan is levelled
    alone.  ``delays`` (task UID → working minutes) are those of a proposal worked out in
    the background on this ``version`` of the plan, written as they are."""
    _require_plan_edit(actor, project)
    if delays is not None and version is None:
        raise InvalidInput.field("version", "send the version of the plan the levelling "
                                            "was worked out on")
    return _levelled_commit(
        actor, project, version,
        lambda ws: dict(delays) if delays is not None else compute_levelling(
            ws, other_projects=other_projects).wanted,
        "resources levelled" if other_projects else "resources levelled (this plan alone)")


@transaction.atomic
def clear_levelling(*, actor: User, project: Project, version: int | None) -> Plan:
    """Removes every levelling delay from the plan and reschedules."""
    _require_plan_edit(actor, project)
    return _levelled_commit(actor, project, version, lambda ws: {}, "levelling cleared")


def _require_plan_edit(actor: User, project: Project) -> None:
    access_project(actor, project.code, "plan.edit")


@dataclass(frozen=True)
class ImportedResource:
    """A resource as a plan file has it (``key`` is its UID in the file)."""

    key: int
    name: str
    kind: str
    max_units: Decimal | None = None
    standard: Decimal | None = None
    overtime: Decimal | None = None
    cost_per_use: Decimal | None = None
    email: str = ""
    account: str = ""


@dataclass(frozen=True)
class ImportedAssignment:
    task_uid: int
    resource_key: int
    units: Decimal
    work: Decimal | None = None


def _rate_on(resource: Resource, day: dt.date) -> tuple[Decimal, Decimal, Decimal] | None:
    rate = Rate.objects.filter(resource=resource, effective_from__lte=day) \
        .order_by("-effective_from").first()
    return None if rate is None else (rate.standard, rate.overtime, rate.cost_per_use)


def _member_for(item: ImportedResource, members: Sequence[User]) -> User | None:
    """The project member a work resource of a file stands for: by e-mail, account (the
    part after a domain's backslash) or name (display, full or user name), all without
    regard to case."""
    name, email = item.name.strip().casefold(), item.email.strip().casefold()
    account = item.account.rsplit("\\", 1)[-1].strip().casefold()
    for user in members:
        if email and user.email and user.email.casefold() == email:
            return user
    for user in members:
        if account and user.username.casefold() == account:
            return user
    for user in members:
        names = {user.display_name, user.get_full_name(), user.username}
        if name and name in {n.strip().casefold() for n in names if n}:
            return user
    return None


@transaction.atomic
def import_resources(*, actor: User, project: Project, resources: Sequence[ImportedResource],
                     assignments: Sequence[ImportedAssignment], task_uids: Collection[int],
                     rates_from: dt.date, keep_recorded: bool = False) -> dict[int, Resource]:
    """The resources and assignments of an imported plan file.  A resource is matched by
    name to the project's (its maximum units updated; a rate from ``rates_from`` added when
    the file's rates differ from those then in force), or created, a work resource linked to
    the project member it names.  The assignments of the file's tasks are replaced by the
    file's: kept ones updated, others removed (one with time recorded cannot be, and stops
    the import, unless ``keep_recorded``: an update from a file keeps it).  Returns the
    project's resource for each file key."""
    access_project(actor, project.code, "resource.manage")
    existing = {r.name: r for r in Resource.objects.select_for_update().filter(project=project)}
    linked = {r.user_id for r in existing.values() if r.user_id is not None}
    members = list(User.objects.filter(memberships__project=project, is_active=True)
                   .distinct().order_by("pk"))
    found: dict[int, Resource] = {}
    for item in resources:
        name = item.name.strip()[:150]
        resource = existing.get(name)
        if resource is None:
            user = _member_for(item, members) if item.kind in WORK_KINDS else None
            if user is not None and user.pk in linked:
                user = None
            if user is not None:
                linked.add(user.pk)
            resource = create_resource(
                actor=actor, project=project, name=name, kind=item.kind, user=user,
                unit="hour" if item.kind in WORK_KINDS else "unit",
                max_units=item.max_units if item.max_units is not None else Decimal(100))
            existing[name] = resource
        elif item.max_units is not None and resource.max_units != item.max_units:
            resource = update_resource(actor=actor, project=project, resource_id=resource.pk,
                                       version=resource.version,
                                       changes={"max_units": item.max_units})
            existing[name] = resource
        found[item.key] = resource
        if (item.standard, item.overtime, item.cost_per_use) != (None, None, None):
            wanted = (item.standard or ZERO, item.overtime or ZERO, item.cost_per_use or ZERO)
            current = _rate_on(resource, rates_from)
            if current != wanted and (current is not None or any(wanted)):
                set_rate(actor=actor, resource=resource, effective_from=rates_from,
                         standard=wanted[0], overtime=wanted[1], cost_per_use=wanted[2])
    _replace_assignments(actor, project, found, assignments, set(task_uids), keep_recorded)
    return found


def _replace_assignments(actor: User, project: Project, found: Mapping[int, Resource],
                         assignments: Sequence[ImportedAssignment], task_uids: set[int],
                         keep_recorded: bool = False) -> None:
    tasks = {t.uid: t for t in PlanTask.objects.filter(plan__project=project,
                                                       uid__in=task_uids)}
    current = {(a.resource_id, a.task_uid): a for a in Assignment.objects.select_for_update()
               .filter(project=project, task_uid__in=task_uids).select_related("resource")}
    wanted: dict[tuple[int, int], tuple[Resource, Decimal, Decimal]] = {}
    for item in assignments:
        resource, task = found.get(item.resource_key), tasks.get(item.task_uid)
        if resource is None or task is None or task.summary:
            continue  # no resource (MS Project's "unassigned") or a summary task
        work = item.work
        if work is None:
            work = tt.work_of(task.duration, item.units) \
                if resource.kind in WORK_KINDS and not task.milestone else ZERO
        wanted[(resource.pk, task.uid)] = (resource, item.units, work)
    changes: dict[str, Any] = {}
    problems: list[str] = []
    for key, old in current.items():
        if key in wanted:
            continue
        label = f"task {old.task_uid}: {old.resource.name}"
        try:
            old.delete()
        except ProtectedError:
            if keep_recorded:
                continue  # recorded time outlives the file's view of who does the task
            problems.append(f"Task UID {old.task_uid}: {old.resource.name} has time recorded "
                            "on it, so the assignment the file leaves out cannot be removed")
            continue
        changes[label] = [f"{old.units}% {old.work}", None]
    if problems:
        raise InvalidInput(f"The file cannot be imported: {problems[0]}; nothing was changed",
                           {"file": problems})
    new: list[Assignment] = []
    for key, (resource, units, work) in wanted.items():
        label = f"task {key[1]}: {resource.name}"
        kept = current.get(key)
        if kept is None:
            made = Assignment(project=project, resource=resource, task_uid=key[1], units=units,
                              work=work)
            validate(made, exclude=["project", "resource"])
            new.append(made)
            changes[label] = [None, f"{units}% {work}"]
        elif (kept.units, kept.work) != (units, work):
            changes[label] = [f"{kept.units}% {kept.work}", f"{units}% {work}"]
            kept.units, kept.work = units, work
            validate(kept, exclude=["project", "resource"])
            kept.version += 1
            kept.save()
    Assignment.objects.bulk_create(new)
    if changes:
        record_change(actor=actor, obj=project, verb="assignments imported", changes=changes)
    _tell_assigned(actor, project, new)
