"""Control-register behaviour beyond the kernel: escalating issues; change requests' plan
edits, impact assessment and application; per-project control settings."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import apply_changes, check_version, lock_for_update
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound, OfficeError
from projectoffice.finance.actions import current_budget, month_of, revise_budget, revised_lines
from projectoffice.finance.models import BudgetVersion, CostCategory
from projectoffice.planning.actions import (
    MAX_BASELINES,
    TASK_FIELDS,
    edit_plan,
    save_baseline,
    what_if,
)
from projectoffice.planning.consolidation import what_if_milestones
from projectoffice.planning.models import Baseline, Plan, PlanTask
from projectoffice.planning.notation import parse_predecessors
from projectoffice.planning.workspace import working_days
from projectoffice.portfolio.access import access_project, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.actions import notify
from projectoffice.registers.models import NotificationKind
from projectoffice.resources.models import Assignment
from projectoffice.resources.queries import planned_cost

from .models import (
    ASSESSMENT,
    ChangeRequest,
    Dependency,
    EscalationLevel,
    Issue,
    ProjectControls,
    Risk,
    risk_scale,
    score_band,
)
from .workflows import DEPENDENCY_WORKFLOW, RISK_WORKFLOW

ESCALATION_ORDER = [EscalationLevel.PROJECT, EscalationLevel.PROGRAMME,
                    EscalationLevel.PORTFOLIO]


@transaction.atomic
def escalate_issue(*, actor: User, issue: Issue, version: int | None, reason: str) -> Issue:
    """Raises an issue one level: project → programme → portfolio (a project outside any
    programme goes straight to the portfolio)."""
    perms = project_permissions(actor, issue.project)
    if "project.view" not in perms:
        raise NotFound(f"No project {issue.project.code!r}")
    if "issue.escalate" not in perms:
        raise Forbidden(f"You need the 'issue.escalate' permission on {issue.project.code}")
    reason = reason.strip()
    if not reason:
        raise InvalidInput.field("reason", "say why the issue is escalated")
    if len(reason) > 2000:
        raise InvalidInput.field("reason", "is longer than 2000 characters")
    locked = lock_for_update(Issue, issue.pk)
    check_version(locked, version)
    if locked.is_closed:
        raise Conflict(f"{locked.reference} is closed; reopen it before escalating")
    level = ESCALATION_ORDER.index(EscalationLevel(locked.escalation_level))
    if level == len(ESCALATION_ORDER) - 1:
        raise Conflict(f"{locked.reference} is already escalated to the portfolio")
    target = ESCALATION_ORDER[level + 1]
    if target == EscalationLevel.PROGRAMME and locked.project.programme_id is None:
        target = EscalationLevel.PORTFOLIO
    before = locked.escalation_level
    locked.escalation_level = target
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="escalated",
                  changes={"escalation_level": [before, str(target)], "reason": [None, reason]})
    message = (f"{locked.reference} escalated to the {locked.get_escalation_level_display()} "
               f"by {actor}: {locked.title}")
    programme = locked.project.programme
    recipients = [locked.owner, locked.project.manager,
                  programme.manager if programme and target == EscalationLevel.PROGRAMME
                  else None]
    for person in dict.fromkeys(p for p in recipients if p is not None):
        notify(recipient=person, item=locked, kind=NotificationKind.ESCALATED, message=message,
               actor=actor)
    return locked


# ---------------------------------------------------------------------------------------------
# Change control: the plan edits a change request proposes, their impact on a what-if copy of
# the plan, and applying them with a new baseline.

EDITABLE_CHANGE_STATES = ("draft", "submitted", "assessed", "deferred")
ASSESSABLE_STATES = ("draft", "submitted", "assessed", "deferred", "approved")
MAX_CHANGE_EDITS = 200
EDIT_KEYS = frozenset({"op", "uid", "before", "level", "predecessor", "type", "lag", *TASK_FIELDS})
BUDGET_OP = "budget"
BUDGET_KEYS = frozenset({"op", "wbs", "category", "period", "amount"})
MAX_BUDGET_AMOUNT = Decimal("1e10")


def plan_edits_of(edits: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The edits a change makes to the plan (everything but budget edits), as the plan
    editor takes them (without the names of the tasks they were drafted against)."""
    return [{k: v for k, v in e.items() if k != REFS} for e in edits
            if e.get("op") != BUDGET_OP]


# A stored plan edit names every task by UID and keeps, under REFS, the name each task had
# when the edit was drafted, so that a task deleted since is named in the error.
REFS = "refs"


def _referenced_uids(edit: Mapping[str, Any]) -> list[int]:
    uids = [edit.get(k) for k in ("uid", "before", "predecessor")]
    links = edit.get("predecessors")
    if isinstance(links, list):
        uids += [link.get("task") for link in links
                 if isinstance(link, dict) and not link.get("project")]
    return [u for u in uids if isinstance(u, int) and not isinstance(u, bool)]


def _anchor_edit(actor: User, project: Project, prior: Sequence[Mapping[str, Any]],
                 edit: dict[str, Any]) -> dict[str, Any]:
    """The edit with the predecessors a person typed as rows (``12FS+2d, OTHER:5``) turned
    into the tasks those rows hold now, by UID, and the names of every task it names.
    Rows are read in the plan as the change's earlier edits leave it; a row holding a task
    one of those edits inserts is kept as "the k-th new task" of the change."""
    current, _, edited, _ = what_if(actor, project, plan_edits_of(prior))
    first_new = current.plan.next_uid
    text = edit.get("predecessors")
    anchored = dict(edit)
    names = {t.uid: t.name for t in edited.tasks}
    refs: dict[str, str] = {}
    if isinstance(text, str):
        try:
            specs = parse_predecessors(text, edited.units)
        except ValueError as exc:
            raise InvalidInput.field("edit.predecessors", str(exc)) from None
        links: list[dict[str, Any]] = []
        for spec in specs:
            link: dict[str, Any] = {"type": spec.type, "lag": spec.lag,
                                    "lag_kind": spec.lag_kind}
            if spec.project is None or spec.project == project.code:
                if not 1 <= spec.row <= len(edited.tasks):
                    raise InvalidInput.field("edit.predecessors",
                                             f"there is no row {spec.row} in this plan")
                uid = edited.tasks[spec.row - 1].uid
                link.update({"new": uid - first_new + 1} if uid >= first_new
                            else {"task": uid})
            else:
                try:
                    other = access_project(actor, spec.project, "plan.view")
                except OfficeError as exc:
                    raise InvalidInput.field("edit.predecessors", exc.message) from None
                target = PlanTask.objects.filter(plan__project=other,
                                                 position=spec.row).first()
                if target is None:
                    raise InvalidInput.field("edit.predecessors",
                                             f"{other.code} has no row {spec.row}")
                link.update({"project": other.code, "task": target.uid})
                refs[f"{other.code}:{target.uid}"] = target.name
            links.append(link)
        anchored["predecessors"] = links
    for key in ("uid", "before", "predecessor"):
        given = anchored.get(key)
        if isinstance(given, int) and not isinstance(given, bool) and given >= first_new:
            anchored[key] = {"new": given - first_new + 1}
    for uid in _referenced_uids(anchored):
        if uid in names and uid < first_new:
            refs[str(uid)] = names[uid]
    if refs:
        anchored[REFS] = refs
    return anchored


def _check_tasks_still_there(project: Project, edits: Sequence[Mapping[str, Any]]) -> None:
    """A task an edit was drafted against and that has since been deleted from the plan is
    an error naming it — never a silent re-point to whatever holds its row now."""
    uids = set(PlanTask.objects.filter(plan__project=project).values_list("uid", flat=True))
    for n, edit in enumerate(edits, start=1):
        refs = edit.get(REFS) or {}
        for uid in _referenced_uids(edit):
            if uid not in uids and str(uid) in refs:
                raise InvalidInput.field(
                    "plan_edits", f"edit {n} names task “{refs[str(uid)]}” (UID {uid}), which "
                    "has been deleted from the plan since the change was drafted: remove the "
                    "edit and propose it again")


def budget_edits_of(edits: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The budget-line edits of a change: {"op": "budget", "wbs", "category", "period",
    "amount"}."""
    return [e for e in edits if e.get("op") == BUDGET_OP]


def budget_total(edits: Sequence[Mapping[str, Any]]) -> Decimal:
    return sum((Decimal(str(e["amount"])) for e in budget_edits_of(edits)), Decimal(0))


def _require_perm(actor: User, project: Project, perm: str) -> frozenset[str]:
    perms = project_permissions(actor, project)
    if "project.view" not in perms:
        raise NotFound(f"No project {project.code!r}")
    if perm not in perms:
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")
    return perms


def _clean_budget_edit(project: Project, edit: Mapping[str, Any]) -> dict[str, Any]:
    """A budget-line edit in its stored form, or InvalidInput naming the field."""
    unknown = sorted(k for k, v in edit.items() if k not in BUDGET_KEYS and v is not None)
    if unknown:
        raise InvalidInput.field(f"edit.{unknown[0]}", "is not a budget edit field")
    if current_budget(project) is None:
        raise InvalidInput.field("edit.op", f"{project.code} has no approved budget to change")
    errors: dict[str, list[str]] = {}
    wbs = edit.get("wbs")
    if wbs in ("", None):
        wbs = None
    elif isinstance(wbs, bool) or (not isinstance(wbs, int) and not str(wbs).isdigit()):
        errors["edit.wbs"] = ["give the WBS element as a plan task UID"]
    else:
        wbs = int(wbs)
        if not PlanTask.objects.filter(plan__project=project, uid=wbs).exists():
            errors["edit.wbs"] = [f"the plan of {project.code} has no task {wbs}"]
    category = edit.get("category")
    if category not in CostCategory.values:
        errors["edit.category"] = [f"use one of {', '.join(CostCategory.values)}"]
    period = month_of(edit.get("period"))
    if period is None:
        errors["edit.period"] = ["give the month as YYYY-MM, e.g. 2026-05"]
    amount: Decimal | None = None
    with contextlib.suppress(ArithmeticError):
        amount = Decimal(str(edit.get("amount", "")).strip().replace(",", ""))
    if amount is None or not amount.is_finite():
        errors["edit.amount"] = [f"give an amount in {project.currency}, e.g. 1200.00 "
                                 "(negative to reduce the line)"]
    elif amount != amount.quantize(Decimal("0.01")):
        errors["edit.amount"] = ["has more than two decimals"]
    elif amount == 0:
        errors["edit.amount"] = ["must not be zero"]
    elif abs(amount) >= MAX_BUDGET_AMOUNT:
        errors["edit.amount"] = ["is too large"]
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v[0]}" for k, v in errors.items()), errors)
    assert period is not None and amount is not None
    return {"op": BUDGET_OP, "wbs": wbs, "category": category,
            "period": period.strftime("%Y-%m"), "amount": str(amount)}


def _check_budget_edits(project: Project, edits: Sequence[Mapping[str, Any]]) -> None:
    """The budget edits must leave every line of the approved budget at zero or more."""
    budget_edits = budget_edits_of(edits)
    if not budget_edits:
        return
    budget = current_budget(project)
    if budget is None:
        raise InvalidInput.field("edit.op", f"{project.code} has no approved budget to change")
    revised_lines(list(budget.lines.all()), budget_edits, field="edit.amount")


def _clean_edit(edit: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(edit) - EDIT_KEYS)
    if unknown:
        raise InvalidInput.field(f"edit.{unknown[0]}", "is not a plan edit field")
    return {k: v for k, v in edit.items() if v is not None}


def _forget_assessment(change: ChangeRequest) -> None:
    change.impact = None
    change.assessed_plan_version = None


@transaction.atomic
def add_change_edit(*, actor: User, change: ChangeRequest, version: int | None,
                    edit: Mapping[str, Any]) -> ChangeRequest:
    """Adds one proposed plan edit (the plan editor's format: update, insert, delete, link,
    unlink, …).  The whole list is checked against the current plan as the plan editor would
    check it; a refused edit is not added.  The previous assessment no longer holds."""
    _require_perm(actor, change.project, "change.change")
    locked = lock_for_update(ChangeRequest, change.pk)
    check_version(locked, version)
    if locked.status not in EDITABLE_CHANGE_STATES:
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}: its plan edits "
                       "can no longer change")
    if edit.get("op") == BUDGET_OP:
        clean = _clean_budget_edit(locked.project, edit)
    else:
        _check_tasks_still_there(locked.project, locked.plan_edits)
        clean = _anchor_edit(actor, locked.project, locked.plan_edits, _clean_edit(edit))
    edits = [*locked.plan_edits, clean]
    if len(edits) > MAX_CHANGE_EDITS:
        raise InvalidInput.field("edit", f"a change request holds at most {MAX_CHANGE_EDITS} "
                                 "plan edits")
    if clean["op"] == BUDGET_OP:
        _check_budget_edits(locked.project, edits)
    else:
        plan_edits = plan_edits_of(edits)
        _check_edits(actor, locked.project, plan_edits, at=len(plan_edits) - 1)
    locked.plan_edits = edits
    _forget_assessment(locked)
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked,
                  verb="budget edit added" if clean["op"] == BUDGET_OP else "plan edit added",
                  changes={"plan_edits": [len(edits) - 1, len(edits)],
                           "edit": [None, describe_edit_plain(clean)]})
    return locked


@transaction.atomic
def remove_change_edit(*, actor: User, change: ChangeRequest, version: int | None,
                       row: int) -> ChangeRequest:
    """Removes the ``row``-th proposed edit (from 1)."""
    _require_perm(actor, change.project, "change.change")
    locked = lock_for_update(ChangeRequest, change.pk)
    if version is not None:
        check_version(locked, version)
    if locked.status not in EDITABLE_CHANGE_STATES:
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}: its plan edits "
                       "can no longer change")
    if not 1 <= row <= len(locked.plan_edits):
        raise NotFound(f"{locked.reference} has no plan edit {row}")
    edits = list(locked.plan_edits)
    gone = edits.pop(row - 1)
    locked.plan_edits = edits
    _forget_assessment(locked)
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked,
                  verb="budget edit removed" if gone.get("op") == BUDGET_OP
                  else "plan edit removed",
                  changes={"plan_edits": [len(edits) + 1, len(edits)],
                           "edit": [describe_edit_plain(gone), None]})
    return locked


def describe_edit_plain(edit: Mapping[str, Any]) -> str:
    op = str(edit.get("op", "update"))
    if op == BUDGET_OP:
        wbs = f"task {edit['wbs']}" if edit.get("wbs") is not None else "the project"
        return (f"budget {edit.get('amount')} on {edit.get('category')} {edit.get('period')} "
                f"of {wbs}")
    fields = ", ".join(f"{k} {v}" for k, v in edit.items() if k not in ("op", "uid"))
    uid = edit.get("uid")
    target = (f"new task {uid['new']}" if isinstance(uid, dict) else
              f"task {uid}" if uid is not None else "new task")
    return f"{op} {target}" + (f": {fields}" if fields else "")


def _check_edits(actor: User, project: Project, edits: Sequence[Mapping[str, Any]],
                 at: int | None = None) -> tuple[Any, Any, Any, Any]:
    try:
        return what_if(actor, project, edits)
    except InvalidInput as exc:
        # The plan editor names edits by position in the list it was given.
        if at is not None:
            errors = {k.replace(f"edits.{at}.", "edit.", 1): v for k, v in exc.errors.items()}
            raise InvalidInput(exc.message.replace(f"edits.{at}.", "edit.", 1),
                               errors) from None
        raise


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@transaction.atomic
def assess_change(*, actor: User, change: ChangeRequest, version: int | None,
                  cost_impact: Decimal | None = None, today: dt.date | None = None
                  ) -> ChangeRequest:
    """Applies the proposed edits to a what-if copy of the plan (nothing is written to the
    plan), schedules it and records the impact: how far the finish moves in working days,
    which milestones move here and in linked projects, the added cost (the change in planned
    cost of the resources on the edited tasks, plus the assessor's figure for anything
    else), and the risks and dependencies affected.  Fills delay_days and cost_impact and
    keeps the plan version the assessment holds for."""
    perms = _require_perm(actor, change.project, "change.transition")
    locked = lock_for_update(ChangeRequest, change.pk)
    check_version(locked, version)
    if locked.status not in ASSESSABLE_STATES:
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}: it can no "
                       "longer be assessed")
    if cost_impact is not None and abs(cost_impact) >= Decimal("1e10"):
        raise InvalidInput.field("cost_impact", "is too large")
    if cost_impact is not None and "cost.view" not in perms:
        raise Forbidden("You may not set the cost impact",
                        {"cost_impact": ["only people who may see costs set the cost impact"]})
    project = locked.project
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise InvalidInput.field("plan_edits", f"{project.code} has no plan to assess against")
    budget_edits = budget_edits_of(locked.plan_edits)
    budget = None
    if budget_edits:
        budget = current_budget(project)
        if budget is None:
            raise InvalidInput.field("plan_edits", f"{project.code} has no approved budget "
                                     "for the budget edits to change")
        _check_budget_edits(project, locked.plan_edits)
    _check_tasks_still_there(project, locked.plan_edits)
    plan_edits = plan_edits_of(locked.plan_edits)
    current, before, edited, after = _check_edits(actor, project, plan_edits)
    delay = working_days(current, before.finish, after.finish)
    names = {t.uid: (k, t.name) for k, t in enumerate(edited.tasks, start=1)}
    milestones = []
    for row, task in enumerate(current.tasks, start=1):
        if not task.milestone:
            continue
        was = before.task(task.uid).finish
        if task.uid not in names:
            milestones.append({"project": project.code, "row": row, "uid": task.uid,
                               "name": task.name, "before": _iso(was), "after": None,
                               "days": None, "unit": "removed"})
            continue
        will = after.task(task.uid).finish
        milestones.append({"project": project.code, "row": row, "uid": task.uid,
                           "name": task.name, "before": _iso(was), "after": _iso(will),
                           "days": working_days(current, was, will), "unit": "working days"})
    for moved in what_if_milestones(actor, plan, edited):
        milestones.append({**moved, "before": _iso(moved["before"]),
                           "after": _iso(moved["after"]), "unit": "calendar days"})
    touched = {int(e["uid"]) for e in plan_edits if isinstance(e.get("uid"), int)}
    touched |= {int(e["predecessor"]) for e in plan_edits
                if isinstance(e.get("predecessor"), int)}
    moved_uids = {t.uid for t in current.tasks if t.uid in names
                  and before.task(t.uid).finish != after.task(t.uid).finish}
    linked = (Dependency.objects.filter(other_task__plan=plan, other_task__uid__in=touched
                                        | moved_uids,
                                        status__in=DEPENDENCY_WORKFLOW.open_states)
              .select_related("project", "other_task"))
    own = Dependency.objects.filter(project=project,
                                    status__in=DEPENDENCY_WORKFLOW.open_states)
    dependencies = [{"reference": d.reference, "project": d.project.code, "title": d.title,
                     "task": d.other_task.name if d.other_task else "",
                     "linked": True}
                    for d in linked if "dependency.view" in project_permissions(actor,
                                                                                 d.project)]
    dependencies += [{"reference": d.reference, "project": project.code, "title": d.title,
                      "task": "", "linked": False}
                     for d in own.order_by("number") if "dependency.view" in perms]
    scale = risk_scale(project)
    # Risks on a task the change edits or moves come first; the project's other open risks
    # follow, as a change can bear on them too.
    open_risks = (Risk.objects.filter(project=project, status__in=RISK_WORKFLOW.open_states)
                  .select_related("task").order_by("-inherent_score", "number"))

    def bearing(r: Risk) -> str:
        if r.task is None or r.task.plan_id != plan.pk:
            return ""
        if r.task.uid in touched:
            return "edited"
        return "moved" if r.task.uid in moved_uids else ""

    ranked = sorted(((bearing(r), r) for r in open_risks), key=lambda br: not br[0])
    risks = [{"reference": r.reference, "title": r.title, "score": r.current_score,
              "severity": score_band(r.current_score, scale),
              "task": r.task.name if r.task is not None else "", "affected": why}
             for why, r in ranked[:20]]
    resource_cost = _resource_cost(project, current, edited)
    if cost_impact is not None:
        other_cost = cost_impact
    elif locked.impact is not None:
        other_cost = Decimal(str(locked.impact.get("other_cost", "0")))
    else:
        other_cost = locked.cost_impact or Decimal(0)
    other_cost = other_cost.quantize(Decimal("0.01"))
    budget_cost = budget_total(locked.plan_edits).quantize(Decimal("0.01"))
    cost = (resource_cost + budget_cost + other_cost).quantize(Decimal("0.01"))
    previous = (locked.delay_days, locked.cost_impact)
    locked.impact = {
        "assessed_on": (today or timezone.localdate()).isoformat(),
        "assessed_by": actor.username, "plan_version": plan.version,
        "edits": len(locked.plan_edits),
        "finish_before": _iso(before.finish), "finish_after": _iso(after.finish),
        "finish_days": delay, "milestones": milestones,
        "cost": str(cost), "resource_cost": str(resource_cost), "other_cost": str(other_cost),
        "budget_cost": str(budget_cost),
        "budget_number": budget.number if budget is not None else None,
        "budget_version": budget.version if budget is not None else None,
        "risks": risks, "dependencies": dependencies,
    }
    locked.assessed_plan_version = plan.version
    locked.delay_days = delay
    locked.cost_impact = cost
    changes: dict[str, Any] = {"delay_days": [previous[0], delay],
                               "cost_impact": [str(previous[1]) if previous[1] is not None
                                               else None, str(cost)],
                               "plan_version": [None, plan.version]}
    if budget is not None:
        changes["budget_number"] = [None, budget.number]
    if locked.status == "approved" and (delay, cost) != previous:
        # What was approved is no longer what would be applied: decide it again.
        locked.status = "assessed"
        changes["status"] = ["approved", "assessed"]
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="impact assessed", changes=changes)
    return locked


def _resource_cost(project: Project, current: Any, edited: Any) -> Decimal:
    """The change in planned cost of the resources assigned to tasks the edits change: work
    scales with the task's duration (a removed task's cost is saved), at the rate in force
    at the task's start."""
    old_tasks, new_tasks = current.by_uid(), edited.by_uid()
    delta = Decimal(0)
    for a in (Assignment.objects.filter(project=project).select_related("resource")
              .prefetch_related("resource__rates")):
        old, new = old_tasks.get(a.task_uid), new_tasks.get(a.task_uid)
        if old is None or (new is not None and new.duration == old.duration):
            continue
        rates = list(a.resource.rates.all())
        task = PlanTask.objects.filter(plan__project=project, uid=a.task_uid).first()
        day = task.start.date() if task is not None and task.start else None
        before = planned_cost(a, rates, day)
        if new is None:
            delta -= before
        elif old.duration > 0:
            scaled = Assignment(resource=a.resource,
                                work=(a.work * new.duration / old.duration).quantize(
                                    Decimal("0.01")))
            delta += planned_cost(scaled, rates, day) - before
    return delta.quantize(Decimal("0.01"))


def apply_change(actor: User, change: ChangeRequest) -> None:
    """Makes an approved change's plan edits to the plan (one plan edit, one reschedule) and
    saves the next free baseline named after the change; its budget edits make a new budget
    version, approved at once.  Called by the "apply" move under its lock and transaction:
    every check is made before anything is written, and any refusal leaves the plan, the
    budget and the change as they were."""
    if not change.plan_edits:
        return
    project = change.project
    _check_tasks_still_there(project, change.plan_edits)
    plan_edits = plan_edits_of(change.plan_edits)
    budget_edits = budget_edits_of(change.plan_edits)
    perms = project_permissions(actor, project)
    if plan_edits:
        for perm in ("plan.edit", "baseline.save"):
            if perm not in perms:
                raise Forbidden(f"Applying {change.reference} edits the plan and saves a "
                                f"baseline: you need the {perm!r} permission on "
                                f"{project.code}")
    if budget_edits and "finance.manage" not in perms:
        raise Forbidden(f"Applying {change.reference} changes the budget: you need the "
                        f"'finance.manage' permission on {project.code}")
    if change.assessed_plan_version is None or change.impact is None:
        raise Conflict(f"{change.reference} has not been assessed: assess its impact first",
                       {"impact": ["assess the impact first"]})
    free: list[int] = []
    plan = None
    if plan_edits:
        plan = Plan.objects.filter(project=project).first()
        if plan is None:
            raise InvalidInput.field("plan", f"{project.code} has no plan to apply the change "
                                     "to")
        plan = lock_for_update(Plan, plan.pk)
        if plan.version != change.assessed_plan_version:
            raise Conflict(f"The plan has changed since {change.reference} was assessed "
                           f"(version {change.assessed_plan_version}, now {plan.version}): "
                           "re-assess first",
                           {"plan": ["changed since the assessment: re-assess first"]})
        used = set(Baseline.objects.filter(plan=plan).values_list("number", flat=True))
        free = [n for n in range(1, MAX_BASELINES) if n not in used]
        if not free:
            raise Conflict(f"All {MAX_BASELINES} baselines of {project.code} are in use: clear "
                           f"one before applying {change.reference}",
                           {"baseline": ["no free baseline number"]})
    budget = None
    if budget_edits:
        budget = current_budget(project)
        if budget is not None:
            budget = lock_for_update(BudgetVersion, budget.pk)
        assessed = (change.impact.get("budget_number"), change.impact.get("budget_version"))
        if budget is None or (budget.number, budget.version) != assessed:
            now = f"now version {budget.number}" if budget is not None else "now none"
            raise Conflict(f"The approved budget has changed since {change.reference} was "
                           f"assessed (version {assessed[0]}, {now}): re-assess first",
                           {"budget": ["changed since the assessment: re-assess first"]})
    changes: dict[str, Any] = {}
    if plan_edits:
        assert plan is not None
        before = plan.version
        edited = edit_plan(actor=actor, project=project, version=plan.version,
                           edits=plan_edits, source=change.reference)
        name = f"{change.reference} {change.title}"[:100]
        baseline = save_baseline(actor=actor, project=project, number=free[0], name=name,
                                 source=change.reference)
        change.baseline_number = baseline.number
        changes.update({"plan_version": [before, edited.version],
                        "baseline": [None, f"{baseline.number} {baseline.name}"]})
    if budget is not None:
        revised = revise_budget(actor=actor, project=project, base=budget, edits=budget_edits,
                                name=f"{change.reference} {change.title}",
                                source=change.reference)
        changes["budget"] = [budget.number, revised.number]
        change.impact = {**change.impact, "applied_budget": revised.number}
    record_change(actor=actor, obj=change,
                  verb="applied to the plan" if plan_edits else "applied to the budget",
                  changes=changes)


# ---------------------------------------------------------------------------------------------
# Per-project control settings.


def may_configure(actor: User, project: Project) -> bool:
    """PMO managers and the sponsor of the project (or of its programme)."""
    if actor.is_superuser or "controls.configure" in project_permissions(actor, project):
        return True
    sponsors = {project.sponsor_id}
    if project.programme_id is not None:
        assert project.programme is not None
        sponsors.add(project.programme.sponsor_id)
    return actor.pk in sponsors - {None}


@transaction.atomic
def set_project_controls(*, actor: User, project: Project, version: int | None,
                         changes: Mapping[str, Any]) -> ProjectControls:
    """Sets the project's change approval thresholds and risk scale."""
    _require_perm(actor, project, "project.view")
    if not may_configure(actor, project):
        raise Forbidden(f"Only a PMO manager or the sponsor sets the control thresholds of "
                        f"{project.code}")
    current = ProjectControls.objects.filter(project=project).first()
    if current is None:
        current = ProjectControls(project=project)
        check_version(current, version)
        current.save()
        record_creation(actor=actor, obj=current,
                        fields=("approval_cost", "approval_days", "risk_scale"))
        version = current.version
    scale = changes.get("risk_scale")
    if scale is not None and isinstance(scale, int):
        worst = _highest_risk_value(project)
        if scale < worst:
            raise InvalidInput.field("risk_scale", f"risks of {project.code} are scored up to "
                                     f"{worst}: rescore them before lowering the scale")
    project.__dict__.pop("_controls", None)
    return apply_changes(actor=actor, obj=current, expected_version=version, changes=changes,
                         editable=("approval_cost", "approval_days", "risk_scale"))


def _highest_risk_value(project: Project) -> int:
    from django.db.models import Max

    names = [f"{stage}_{k}" for stage in ("inherent", "residual") for k in ASSESSMENT]
    values = Risk.objects.filter(project=project).aggregate(**{n: Max(n) for n in names})
    return max((int(v) for v in values.values() if v is not None), default=0)
