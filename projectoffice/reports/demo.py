"""Demo status reports: every project reports monthly; the last three months are published
(so the history, the comparison with the last period and the portfolio packs have content),
one project's current report waits for the Project Office's review and another's is a
draft."""

from __future__ import annotations

import datetime as dt
import random

from projectoffice.accounts.models import User
from projectoffice.engine.reporting import period_containing
from projectoffice.portfolio.models import Project

from . import actions

SUMMARIES = [
    "Work is progressing to plan; the team closed the period's milestones and the "
    "forecast holds.",
    "Progress slowed this period: the supplier delivered late and testing started a week "
    "behind. Recovery actions are in place.",
    "A steady period: design sign-off obtained, build continuing, no new issues of note.",
    "Costs ran above plan because of overtime in integration testing; the forecast at "
    "completion is under review with finance.",
]
RISK_WORDS = "The top risks are reviewed fortnightly with the owners; responses are on track."
NEXT_WORDS = "Next period the team completes the build of the current release and starts " \
             "user acceptance testing."
RAGS = ("green", "amber", "red")


def _declared(rng: random.Random, base: str) -> dict[str, str]:
    level = RAGS.index(base) if base in RAGS else 0
    out = {}
    for key in ("schedule", "cost", "risk", "scope", "benefits"):
        out[key] = RAGS[max(0, min(2, level + rng.choice((-1, 0, 0, 0, 1))))]
    worst = max(out.values(), key=RAGS.index)
    out["overall"] = worst if worst != "red" or rng.random() < 0.5 else "amber"
    out["reason"] = ("" if out["overall"] == "green"
                     else "Delivery and budget pressures named in the sections below.")
    return out


def demo_reports(pmo: User, today: dt.date, seed: int = 11,
                 only: list[Project] | None = None) -> None:
    rng = random.Random(seed)
    current = period_containing(today, "monthly")
    months = [current.preceding()]
    for _ in range(2):
        months.insert(0, months[0].preceding())
    chosen = Project.objects.filter(pk__in=[p.pk for p in only]) if only is not None \
        else Project.objects.all()
    projects = list(chosen.exclude(manager=None).select_related("manager").order_by("pk"))
    for n, project in enumerate(projects):
        pm = project.manager
        assert pm is not None
        actions.configure_reporting(actor=pm, project=project, version=None, period="monthly",
                                    recipients="investment.board@example.org")
        base = str(project.rag)
        for month in months:
            if project.start_date and month.end < project.start_date:
                continue
            report = actions.start_report(actor=pm, project=project, today=month.end,
                                          day=month.start)
            report = actions.edit_report(
                actor=pm, report=report, version=report.version,
                declared=_declared(rng, base),
                commentary={"summary": rng.choice(SUMMARIES), "risks": RISK_WORDS,
                            "next": NEXT_WORDS})
            report = actions.submit_report(actor=pm, report=report, version=report.version,
                                           today=month.end)
            report = actions.review_report(actor=pmo, report=report, version=report.version,
                                           decision="accept",
                                           comment="Clear and complete; thank you.")
            actions.publish_report(actor=pmo, report=report, version=report.version,
                                   send=False)
        if n % 4 in (0, 1):  # this month: one waits for review, the next is a draft
            report = actions.start_report(actor=pm, project=project, today=today)
            report = actions.edit_report(
                actor=pm, report=report, version=report.version,
                declared=_declared(rng, base),
                commentary={"summary": rng.choice(SUMMARIES), "next": NEXT_WORDS})
            if n % 4 == 0:
                actions.submit_report(actor=pm, report=report, version=report.version,
                                      today=today)
