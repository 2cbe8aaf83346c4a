"""The one source of a project's finish, % complete, SPI, CPI and computed RAG.

Every page, the API and the exports read these figures through ``project_health`` (one
project) or ``health_of`` (many): the inputs of all the projects are read in a fixed number
of queries, and the judgement is the pure rule in engine/health.py with the thresholds the
Project Office sets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projectoffice.audit.kept import kept
from projectoffice.engine import health as rule

from .models import HealthThresholds, Project, Rag


def thresholds_row() -> HealthThresholds:
    """The saved thresholds, or an unsaved row of defaults."""
    return HealthThresholds.objects.order_by("pk").first() or HealthThresholds()


@dataclass(frozen=True)
class Finish:
    """A project's finish: its plan's scheduled finish, else the target date set before a
    plan exists (``is_target``), else unknown."""

    date: dt.date | None
    is_target: bool = False

    @property
    def label(self) -> str:
        if self.date is None:
            return "—"
        return f"{self.date:%-d %b %Y}" + (" (target)" if self.is_target else "")


def finish_from(plan_finish: dt.datetime | None, target: dt.date | None) -> Finish:
    if plan_finish is not None:
        return Finish(rule.finish_day(plan_finish))
    return Finish(target, is_target=target is not None)


@dataclass(frozen=True)
class ProjectHealth:
    project: Project
    finish: Finish
    baseline_finish: dt.date | None
    percent_complete: int | None
    spi: Decimal | None
    spi_t: Decimal | None
    cpi: Decimal | None
    vac: Decimal | None
    bac: Decimal | None
    status_date: dt.date | None
    health: rule.Health

    @property
    def computed(self) -> str | None:
        return self.health.overall

    @property
    def declared(self) -> str:
        return str(self.project.rag)

    @property
    def mismatch(self) -> bool:
        """The project manager's RAG differs from the figures' (not judged: no flag)."""
        return self.computed is not None and self.computed != self.declared

    @property
    def computed_label(self) -> str:
        return Rag(self.computed).label if self.computed else "Not judged"


# The apps that hold a project's figures feed them in, each registering a provider in its
# AppConfig.ready: given the projects and today, a provider returns, per project pk, the
# figures it knows (keys of HealthInputs), reading all the projects in a fixed number of
# queries. Planning gives the finish, baseline and % complete, finance the earned value,
# controls the risks, overdue items and late dependencies.
HealthProvider = Callable[[list[Project], dt.date], dict[int, dict[str, Any]]]
_PROVIDERS: dict[str, HealthProvider] = {}


def provide_health_inputs(name: str, provider: HealthProvider) -> None:
    _PROVIDERS[name] = provider


def health_inputs(projects: list[Project], today: dt.date) -> dict[int, dict[str, Any]]:
    inputs: dict[int, dict[str, Any]] = {p.pk: {} for p in projects}
    for provider in _PROVIDERS.values():
        for pk, values in provider(projects, today).items():
            inputs[pk].update(values)
    return inputs


def health_of(projects: list[Project], today: dt.date,
              thresholds: HealthThresholds | None = None) -> dict[int, ProjectHealth]:
    """Health of each project by pk. A fixed number of queries, whatever the number of
    projects: plans, baselines, % complete, earned value inputs, risks, overdue items and
    dependencies are each read once for all of them."""
    limits = (thresholds or thresholds_row()).limits()
    projects = list(projects)
    if not projects:
        return {}
    inputs = health_inputs(projects, today)
    out: dict[int, ProjectHealth] = {}
    for project in projects:
        got = inputs[project.pk]
        finish = finish_from(got.get("plan_finish"), project.finish_date)
        base = got.get("baseline_finish")
        figures = rule.Figures(
            finish=None if finish.is_target else finish.date, baseline_finish=base,
            spi_t=got.get("spi_t"), cpi=got.get("cpi"), vac=got.get("vac"),
            bac=got.get("bac"), currency=project.currency,
            risk_score=got.get("risk_score"),
            **{k: got[k] for k in ("risk_scale",) if k in got},
            overdue_actions=got.get("overdue_actions", 0),
            overdue_issues=got.get("overdue_issues", 0),
            late_dependencies=got.get("late_dependencies", 0))
        out[project.pk] = ProjectHealth(
            project, finish, base, got.get("percent_complete"),
            got.get("spi"), got.get("spi_t"), got.get("cpi"), got.get("vac"), got.get("bac"),
            got.get("status_date"), rule.assess(figures, limits))
    return out


def project_health(project: Project, today: dt.date) -> ProjectHealth:
    return health_of([project], today)[project.pk]


def count_rags(rags: list[tuple[str, str | None]]) -> dict[str, dict[str, int]]:
    """Declared and computed RAG counts of (declared, computed) pairs, and the mismatches
    (a project whose figures are not judged is no mismatch)."""
    counts: dict[str, dict[str, int]] = {"declared": {}, "computed": {}}
    for declared, computed in rags:
        counts["declared"][declared] = counts["declared"].get(declared, 0) + 1
        key = computed or "none"
        counts["computed"][key] = counts["computed"].get(key, 0) + 1
    counts["mismatch"] = {"all": sum(1 for declared, computed in rags
                                     if computed is not None and computed != declared)}
    return counts


def computed_rags(projects: list[Project], today: dt.date) -> dict[int, str | None]:
    """The figures' RAG of each project (None: not judged), as ``health_of`` gives it, kept
    in the cache under the data version of every project, today and the thresholds: a key
    that any change to what the figures read replaces, so what is kept is never stale. Every
    project's version is in the key, not only these projects': a late dependency is a change
    in another project."""
    limits = thresholds_row().limits()
    return kept("computed-rags", (today.isoformat(), limits, sorted(p.pk for p in projects)),
                lambda: {pk: h.computed for pk, h in health_of(projects, today).items()})
