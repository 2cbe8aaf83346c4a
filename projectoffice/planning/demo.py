"""Demo plans: a few hundred tasks per project in phases and work packages, every link type,
milestones, a task calendar (data migration works six days a week), a baseline, slips over
three reporting periods (the milestone trend), progress to today, and links between
projects.  Each plan is created by one action (not one per task)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from projectoffice.portfolio.models import Project

from . import actions
from .models import Plan, PlanTask
from .queries import plan_view
from .workspace import LinkRow, TaskRow

PHASES = (
    ("Initiation", ("Business case", "Stakeholder map", "Project charter", "Kick-off")),
    ("Analysis", ("Current process", "Requirements", "Data analysis", "Vendor review",
                  "Risk workshop")),
    ("Design", ("Solution design", "Data model", "Integration design", "Security review",
                "Design sign-off")),
    ("Build", ("Core platform", "Interfaces", "Reports", "Data migration", "Workflows",
               "Environments")),
    ("Test", ("System test", "Integration test", "Performance test", "User acceptance")),
    ("Deploy", ("Training", "Cut-over rehearsal", "Go-live", "Hypercare")),
    ("Close", ("Lessons learned", "Handover", "Closure report")),
)
STEPS = ("Plan", "Prepare", "Draft", "Review", "Rework", "Approve", "Deliver", "Check")
DAY = 480


def build_rows(rng: random.Random) -> tuple[list[TaskRow], list[LinkRow]]:
    tasks: list[TaskRow] = []
    links: list[LinkRow] = []
    uid = 0

    def add(name: str, level: int, days: float = 0, milestone: bool = False) -> int:
        nonlocal uid
        uid += 1
        tasks.append(TaskRow(uid=uid, name=name, outline_level=level,
                             duration=0 if milestone else round(days * DAY),
                             milestone=milestone))
        return uid

    previous_gate: int | None = None
    for phase, packages in PHASES:
        add(phase, 1)
        ends: list[int] = []
        for k, package in enumerate(packages):
            add(package, 2)
            steps = rng.sample(STEPS, rng.randint(4, 7))
            first = last = 0
            for s, step in enumerate(steps):
                t = add(f"{step} {package.lower()}", 3, rng.choice((1, 2, 3, 3, 5, 5, 8, 10)))
                if s == 0:
                    first = t
                    if previous_gate is not None:
                        links.append(LinkRow(previous_gate, t, "FS", 0, "working"))
                    elif k and ends:
                        links.append(LinkRow(ends[-1], t, "SS", 2 * DAY, "working"))
                else:
                    kind = rng.choices(("FS", "SS", "FF", "SF"), weights=(14, 3, 2, 1))[0]
                    lag = 0.0
                    if kind == "SS":
                        lag = float(rng.choice((1, 2)) * DAY)
                    elif kind == "FS" and rng.random() < 0.15:
                        lag = float(rng.choice((-1, 1, 2)) * DAY)
                    if kind == "SF":
                        links.append(LinkRow(last, t, "FS", 0, "working"))
                    else:
                        links.append(LinkRow(last, t, kind, lag, "working"))
                last = t
            del first
            ends.append(last)
        gate = add(f"{phase} complete", 2, milestone=True)
        for end in ends:
            links.append(LinkRow(end, gate, "FS", 0, "working"))
        previous_gate = gate
    return tasks, links


def demo_plan(rng: random.Random, project: Project, planner: Any, today: dt.date) -> Plan:
    tasks, links = build_rows(rng)
    start = dt.datetime.combine(project.start_date or today, dt.time(8, 0))
    plan = actions.replace_plan(actor=planner, project=project, version=None, tasks=tasks,
                                links=links, start=start, verb="demo plan created")
    # The office is in England: its public holidays are non-working days in every calendar.
    weekday = [[480, 720], [780, 1020]]
    years = list(range(start.year - 1, start.year + 4))
    plan = actions.save_calendar(actor=planner, project=project, version=plan.version, uid=1,
                                 name="Standard", week=[weekday] * 5 + [[], []], exceptions=[],
                                 country="GB", region="ENG", years=years)
    # Data migration runs over weekends too: its tasks follow a six-day calendar.
    plan = actions.save_calendar(actor=planner, project=project, version=plan.version, uid=2,
                                 name="Six-day week (migration)", week=[weekday] * 6 + [[]],
                                 exceptions=[], country="GB", region="ENG", years=years)
    migration = [t.uid for t in tasks if t.outline_level == 3 and t.name.endswith(
        "data migration")]
    if migration:
        plan = actions.edit_plan(actor=planner, project=project, version=plan.version,
                                 edits=[{"uid": uid, "calendar_uid": 2} for uid in migration])
    actions.save_baseline(actor=planner, project=project, number=0, name="Approved plan",
                          at=dt.datetime.combine(project.start_date or today, dt.time(9, 0),
                                                 tzinfo=dt.UTC))
    leaves = [t for t in tasks if t.duration and t.outline_level == 3]
    for weeks_ago in (4, 2, 0):
        status = today - dt.timedelta(weeks=weeks_ago)
        if status < start.date():
            continue
        slips = rng.sample(leaves, 3)
        plan = actions.edit_plan(
            actor=planner, project=project, version=plan.version,
            edits=[{"uid": t.uid, "duration": f"{round(t.duration / DAY * 1.5) or 1}d"}
                   for t in slips])
        plan = actions.set_plan_settings(actor=planner, project=project, version=plan.version,
                                         status_date=status)
    if plan.status_date is not None:
        plan = actions.update_progress(actor=planner, project=project, version=plan.version)
    return plan


def link_projects(rng: random.Random, projects: list[Project], planner: Any) -> None:
    """Each project's build waits for a milestone of the project before it (where both have
    plans): cross-project links the master schedule and the impact list follow."""
    for before, after in itertools.pairwise(projects):
        gate = PlanTask.objects.filter(plan__project=before, milestone=True,
                                       name="Design complete").first()
        target = PlanTask.objects.filter(plan__project=after, outline_level=3,
                                         name__startswith="Plan").order_by(
            "-position").first() or PlanTask.objects.filter(
            plan__project=after, outline_level=3).order_by("-position").first()
        if gate is None or target is None:
            continue
        plan = Plan.objects.get(project=after)
        row = PlanTask.objects.filter(plan=plan, pk=target.pk).values_list("position",
                                                                           flat=True).first()
        own = [t for t in _predecessor_text(plan, target.uid) if t]
        text = ", ".join([*own, f"{before.code}:{gate.position}FS+5d"])
        actions.edit_plan(actor=planner, project=after, version=plan.version,
                          edits=[{"uid": target.uid, "predecessors": text}])
        del row


def _predecessor_text(plan: Plan, uid: int) -> list[str]:
    view = plan_view(plan.project)
    row = next(r for r in view.rows if r["uid"] == uid)
    return list(row["predecessors"])
