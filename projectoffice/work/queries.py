"""My work: the tasks assigned to a person in every plan they belong to, and their open
actions and issues — each read in a fixed number of queries, however many projects."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.controls.models import Action, Issue
from projectoffice.controls.workflows import ACTION_WORKFLOW, ISSUE_WORKFLOW
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.access import projects_with, visible_projects
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Assignment

# The groups of My tasks, in the order the page shows them.
TASK_GROUPS = (("late", "Late"), ("this_week", "Due this week"),
               ("next_week", "Due next week"), ("later", "In progress or starting soon"))
# Tasks that neither finish by next week nor start within this many days are not listed.
STARTING_SOON_DAYS = 28


@dataclass(frozen=True)
class MyTask:
    project: Project
    uid: int
    row: int
    name: str
    start: dt.datetime | None
    finish: dt.datetime | None
    percent_complete: float
    milestone: bool
    work_hours: Decimal
    plan_version: int
    may_update: bool  # the person may record progress on it here

    @property
    def key(self) -> str:
        return f"{self.project.code}-{self.uid}"


def _group(task: MyTask, today: dt.date) -> str | None:
    if task.finish is None or task.percent_complete >= 100:
        return None
    finish = task.finish.date()
    sunday = today + dt.timedelta(days=6 - today.weekday())
    if finish < today:
        return "late"
    if finish <= sunday:
        return "this_week"
    if finish <= sunday + dt.timedelta(days=7):
        return "next_week"
    started = task.percent_complete > 0
    soon = task.start is not None and task.start.date() <= today + dt.timedelta(
        days=STARTING_SOON_DAYS)
    return "later" if started or soon else None


def my_tasks(user: Any, today: dt.date) -> dict[str, list[MyTask]]:
    """The person's unfinished plan tasks that are late, due this week or next, or in
    progress or starting within four weeks, grouped as TASK_GROUPS, each by finish date.
    Three queries: the assignments, the tasks, the projects where progress may be set."""
    assignments = (Assignment.objects.filter(resource__user=user,
                                             project__in=visible_projects(user))
                   .values_list("project_id", "task_uid", "work"))
    work: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for project_id, uid, hours in assignments:
        work[(project_id, uid)] += hours
    if not work:
        return {key: [] for key, _ in TASK_GROUPS}
    project_ids = {p for p, _ in work}
    may_update = set(projects_with(user, "plan.edit").filter(pk__in=project_ids)
                     .values_list("pk", flat=True))
    # Only the fields shown: a plan's row also holds its calendars and settings as JSON,
    # which decoding once per task cost more than the rest of the page.
    rows = (PlanTask.objects.filter(plan__project_id__in=project_ids,
                                    uid__in={u for _, u in work}, summary=False)
            .select_related("plan__project")
            .only("uid", "position", "name", "start", "finish", "percent_complete",
                  "milestone", "plan__version", "plan__project"))
    groups: dict[str, list[MyTask]] = {key: [] for key, _ in TASK_GROUPS}
    for row in rows:
        project = row.plan.project
        key = (project.pk, row.uid)
        if key not in work:
            continue
        task = MyTask(project=project, uid=row.uid, row=row.position,
                      name=row.name, start=row.start, finish=row.finish,
                      percent_complete=row.percent_complete, milestone=row.milestone,
                      work_hours=work[key], plan_version=row.plan.version,
                      may_update=project.pk in may_update)
        group = _group(task, today)
        if group is not None:
            groups[group].append(task)
    for tasks in groups.values():
        tasks.sort(key=lambda t: (str(t.finish), t.project.code, t.row))  # all have one
    return groups


def my_open_items(user: Any) -> tuple[QuerySet[Action], QuerySet[Issue]]:
    """Open actions assigned to or owned by the person, and open issues they own."""
    visible = visible_projects(user)
    actions = (Action.objects.filter(Q(assignee=user) | Q(owner=user), project__in=visible,
                                     status__in=ACTION_WORKFLOW.open_states)
               .select_related("project").order_by("due_date", "project__code", "number"))
    issues = (Issue.objects.filter(owner=user, project__in=visible,
                                   status__in=ISSUE_WORKFLOW.open_states)
              .select_related("project").order_by("due_date", "project__code", "number"))
    return actions, issues
