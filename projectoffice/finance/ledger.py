"""Writing actual costs and moving task progress from actual work.  Called only from inside
actions (timesheets, finance), in their transaction; it checks no permission itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Min, Sum

from projectoffice.accounts.models import User
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment, ResourceKind

from .models import ActualCost, CostSource

ZERO = Decimal(0)
WORK_KINDS = (ResourceKind.PERSON, ResourceKind.WORK)


def cost_line(*, project: Project, day: dt.date, amount: Decimal, source: str,
              task_uid: int | None = None, hours: Decimal = ZERO,
              resource_id: int | None = None, reference: str = "") -> ActualCost:
    """An unsaved actual-cost line, amounts rounded to the cent."""
    return ActualCost(project=project, task_uid=task_uid, date=day,
                      amount=amount.quantize(Decimal("0.01")), source=source, hours=hours,
                      resource_id=resource_id, reference=reference[:100])


def add_cost(*, project: Project, day: dt.date, amount: Decimal, source: str,
             task_uid: int | None = None, hours: Decimal = ZERO, resource_id: int | None = None,
             reference: str = "") -> ActualCost:
    line = cost_line(project=project, day=day, amount=amount, source=source,
                     task_uid=task_uid, hours=hours, resource_id=resource_id,
                     reference=reference)
    line.save()
    return line


def actual_work(project: Project, task_uids: Iterable[int],
                until: dt.date | None = None) -> dict[int, Decimal]:
    qs = ActualCost.objects.filter(project=project, task_uid__in=list(task_uids),
                                   source__in=(CostSource.TIME, CostSource.ADJUSTMENT))
    if until is not None:
        qs = qs.filter(date__lte=until)
    return {int(row["task_uid"] or 0): row["total"] or ZERO
            for row in qs.values("task_uid").annotate(total=Sum("hours"))}


def planned_work(project: Project, task_uids: Iterable[int]) -> dict[int, Decimal]:
    qs = Assignment.objects.filter(project=project, task_uid__in=list(task_uids),
                                   resource__kind__in=WORK_KINDS)
    return {row["task_uid"]: row["total"] or ZERO
            for row in qs.values("task_uid").annotate(total=Sum("work"))}


def percent_from_work(done: Decimal, planned: Decimal) -> Decimal:
    if planned <= 0:
        return ZERO
    return min(Decimal(100), (done * 100 / planned).quantize(Decimal("0.1")))


def move_progress(*, actor: User, project: Project, task_uids: Iterable[int]) -> None:
    """Sets each task's % complete from its actual work against its planned work (and its
    actual start from the first day of time) through the planning app, which reschedules."""
    uids = sorted(set(task_uids))
    plan = Plan.objects.filter(project=project).first()
    if plan is None or not uids:
        return
    done, planned = actual_work(project, uids), planned_work(project, uids)
    tasks = {t.uid: t for t in PlanTask.objects.filter(plan=plan, uid__in=uids)}
    first_days = {}
    for row in (ActualCost.objects.filter(project=project, task_uid__in=uids, hours__gt=0)
                .values("task_uid").annotate(first=Min("date"))):
        first_days[row["task_uid"]] = row["first"]
    edits: list[dict[str, object]] = []
    for uid in uids:
        task = tasks.get(uid)
        if task is None or task.summary or planned.get(uid, ZERO) <= 0:
            continue
        percent = percent_from_work(done.get(uid, ZERO), planned[uid])
        if float(percent) == task.percent_complete:
            continue
        edit: dict[str, object] = {"uid": uid}
        if task.actual_start is None and uid in first_days and percent > 0:
            edit["actual_start"] = first_days[uid].isoformat()
        edit["percent_complete"] = float(percent)
        edits.append(edit)
    if edits:
        plan_actions.edit_plan(actor=actor, project=project, version=plan.version, edits=edits)
