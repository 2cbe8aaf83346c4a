"""Demo schedule risk: per project, risk classes on the build and test work, three-point
estimates on a few tasks, two risks of the register mapped to tasks, and two runs to compare
(before and after a risk was mapped).  Schedule health is recorded by the plan's own status
dates (each one sets its record), so the trend is already there."""

from __future__ import annotations

import random
from typing import Any

from projectoffice.controls.models import Risk
from projectoffice.portfolio.models import Project

from . import actions, queries

DAY = 480


def demo_schedule_risk(rng: random.Random, quiet_iterations: int = 2000,
                       only: list[Project] | None = None) -> None:
    chosen = Project.objects.filter(pk__in=[p.pk for p in only]) if only is not None \
        else Project.objects.all()
    for project in chosen.filter(plan__isnull=False).select_related("manager") \
            .order_by("pk"):
        manager = project.manager
        inputs = queries.plan_inputs(project)
        if manager is None or inputs is None:
            continue
        open_leaves = [t for t in inputs.leaves if not t.done and not t.milestone
                       and t.duration]
        if len(open_leaves) < 4:
            continue
        build = [t for t in open_leaves if _phase(inputs, t.uid) in ("Build", "Design")]
        test = [t for t in open_leaves if _phase(inputs, t.uid) in ("Test", "Deploy")]
        classes = [
            {"name": "Build work", "min_percent": 90, "likely_percent": 100,
             "max_percent": 150, "correlation": 0.6},
            {"name": "Testing", "min_percent": 95, "likely_percent": 105,
             "max_percent": 140, "correlation": 0.4},
        ]
        estimates: list[dict[str, Any]] = [
            {"uid": t.uid, "risk_class": "Build work"} for t in build]
        estimates += [{"uid": t.uid, "risk_class": "Testing"} for t in test]
        classed = {e["uid"] for e in estimates}
        for t in rng.sample([t for t in open_leaves if t.uid not in classed],
                            min(4, len([t for t in open_leaves if t.uid not in classed]))):
            days = t.duration / DAY
            estimates.append({"uid": t.uid, "min": round(days * 0.8, 2),
                              "most_likely": round(days, 2), "max": round(days * 1.7, 2)})
        risks = list(Risk.objects.filter(project=project).exclude(status="closed")
                     .order_by("number")[:2])
        # The risks bear on work on the critical path, where they move the finish.
        critical = {ts.uid for ts in inputs.schedule.tasks if ts.critical}
        pool = [t for t in open_leaves if t.uid in critical] or open_leaves
        targets = rng.sample(pool, min(2, len(pool)))
        events = [{"risk": risks[0].reference, "task_uid": targets[0].uid,
                   "probability": 0.35, "impact_days": 6}] if risks else []
        actions.save_risk_model(actor=manager, code=project.code, classes=classes,
                                estimates=estimates, events=events)
        first = actions.start_risk_run(actor=manager, code=project.code,
                                       iterations=quiet_iterations, seed=11,
                                       note="Durations only", background=False)
        actions.execute_run(first.pk)
        if len(risks) > 1 and len(targets) > 1:
            events.append({"risk": risks[1].reference, "task_uid": targets[1].uid,
                           "probability": 0.5, "impact_days": 10})
            actions.save_risk_model(actor=manager, code=project.code, classes=classes,
                                    estimates=estimates, events=events)
        second = actions.start_risk_run(actor=manager, code=project.code,
                                        iterations=quiet_iterations * 2, seed=12,
                                        note="With the risk register's events",
                                        background=False)
        actions.execute_run(second.pk)
        # The plan's last status date is recorded again now that progress, resources and
        # assignments are in (each status date recorded itself when it was set).
        actions.keep_health_record(actor=manager, project=project, status_date=None)


def _phase(inputs: queries.PlanInputs, uid: int) -> str:
    """The name of the top-level summary a task sits under."""
    parents = {t.uid: t.parent for t in inputs.project.tasks}
    current = uid
    parent = parents.get(current)
    while parent is not None:
        current, parent = parent, parents.get(parent)
    return inputs.tasks[current].name if current in inputs.tasks else ""
