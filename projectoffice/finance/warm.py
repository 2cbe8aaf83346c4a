"""Bringing the kept figures (memo.py) up to date in the background, so the first roll-up
after a change reads them instead of computing them: the earned value at each plan's status
date (project health: home, projects, dashboards), the earned value at ``day`` (the roll-ups'
default status date) and the cash flow. A page never waits for this: it computes whatever it
does not find kept."""

from __future__ import annotations

import datetime as dt

from projectoffice.portfolio.models import Project

from . import cashflow, memo, queries

BATCH = 100  # projects computed together: their inputs are held in memory at once


def warm(day: dt.date, project_ids: list[int] | None = None) -> int:
    """Computes and keeps the figures not kept at their project's current version, of the
    given projects (every project when None); forgets those kept under older versions.
    Returns the number of projects looked at."""
    found = Project.objects.order_by("pk")
    if project_ids is not None:
        found = found.filter(pk__in=project_ids)
    projects = list(found)
    for start in range(0, len(projects), BATCH):
        batch = projects[start:start + BATCH]
        queries.earned_value_figures(batch)
        queries.earned_value_figures(batch, day)
        cashflow.project_cash_flows(batch)
    memo.forget_outdated(p.pk for p in projects)
    return len(projects)
