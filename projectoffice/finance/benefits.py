"""Reads of the benefits register that pages, the API and the roll-up share: where each
benefit stands against its trajectory, a project's benefits in money, and the benefits of
many projects in one currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import OuterRef, Prefetch, Subquery

from projectoffice.engine import benefits as engine
from projectoffice.portfolio.models import Project

from .models import FINANCIAL_TYPES, Benefit, BenefitMeasurement
from .rollup import Rates, default_currency

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# The statuses a benefit can show, in the order lists count them.
STATUS_LABELS = {
    "on_track": "On track", "behind": "Behind", "realised": "Realised",
    "not_started": "Not started", "not_measured": "Not yet measured",
    "not_realised": "Not realised",
}
STATUS_TONES = {"on_track": "success", "behind": "danger", "realised": "success",
                "not_started": "neutral", "not_measured": "muted", "not_realised": "muted"}


@dataclass
class BenefitState:
    """A benefit with its measurements and where it stands."""

    benefit: Benefit
    measurements: list[BenefitMeasurement]
    status: str
    percent: Decimal | None
    planned_percent: Decimal | None
    latest: BenefitMeasurement | None
    realised_value: Decimal  # the part of the annual value realised to date

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def tone(self) -> str:
        return STATUS_TONES[self.status]

    @property
    def measurable(self) -> bool:
        b = self.benefit
        return b.baseline_value is not None and b.target_value is not None

    def next_date(self, today: dt.date) -> dt.date | None:
        """The next realisation date still to come for an open benefit: the start of its
        realisation or its full realisation, whichever is first on or after ``today``."""
        if self.benefit.is_closed:
            return None
        days = [d for d in (self.benefit.realisation_start, self.benefit.full_realisation)
                if d is not None and d >= today]
        return min(days) if days else None


def standing(b: Any, latest: Sequence[engine.Measurement]
             ) -> tuple[str, Decimal | None, Decimal | None, Decimal]:
    """(status, % realised, % planned, annual value realised to date) of a benefit ``b``
    (a Benefit, or a row with its fields) from its measurements (the latest is enough): the
    register status decides for a closed benefit; an open one is tracked from its latest
    measurement against the trajectory (engine.benefits)."""
    percent = planned = None
    status = "not_measured"
    if b.baseline_value is not None and b.target_value is not None \
            and b.baseline_value != b.target_value:
        result = engine.track(b.baseline_value, b.target_value, b.realisation_start,
                              b.full_realisation, latest)
        status, percent, planned = result.status.value, result.percent, result.planned_percent
    if b.status == "realised":
        status = "realised"
    elif b.status == "not_realised":
        status = "not_realised"
    realised = ZERO
    if b.benefit_type in FINANCIAL_TYPES and b.annual_value:
        if percent is not None and b.status != "not_realised":
            share = min(max(percent, ZERO), HUNDRED) / HUNDRED
            realised = (b.annual_value * share).quantize(CENT, ROUND_HALF_UP)
        elif status == "realised":
            realised = b.annual_value
    return status, percent, planned, realised


def state_of(benefit: Benefit, measurements: Sequence[BenefitMeasurement]) -> BenefitState:
    """Where ``benefit`` stands (see ``standing``), with its measurements."""
    readings = sorted(measurements, key=lambda m: (m.measured_on, m.pk))
    status, percent, planned, realised = standing(
        benefit, [engine.Measurement(m.measured_on, m.value) for m in readings])
    return BenefitState(benefit, readings, status, percent, planned,
                        readings[-1] if readings else None, realised)


def project_benefits(project: Project) -> list[BenefitState]:
    benefits = (Benefit.objects.filter(project=project).select_related("owner", "project")
                .prefetch_related(Prefetch("measurements",
                                           queryset=BenefitMeasurement.objects.all()))
                .order_by("number"))
    return [state_of(b, list(b.measurements.all())) for b in benefits]


@dataclass
class BenefitSummary:
    count: int
    planned: Decimal  # annual value of the financial benefits (not those not realised)
    realised: Decimal  # realised to date
    percent: Decimal | None
    by_status: dict[str, int]
    next_dates: list[tuple[dt.date, BenefitState]]


def summarise(states: Sequence[BenefitState], today: dt.date,
              limit: int = 3) -> BenefitSummary:
    planned = sum((s.benefit.annual_value for s in states
                   if s.benefit.is_financial and s.status != "not_realised"), ZERO)
    realised = sum((s.realised_value for s in states), ZERO)
    by_status = {key: 0 for key in STATUS_LABELS}
    for s in states:
        by_status[s.status] += 1
    upcoming = sorted(((day, s) for s in states if (day := s.next_date(today)) is not None),
                      key=lambda pair: (pair[0], pair[1].benefit.number))
    return BenefitSummary(len(states), planned, realised,
                          (realised * HUNDRED / planned).quantize(Decimal("0.1"))
                          if planned else None, by_status, upcoming[:limit])


# ---- across projects ---------------------------------------------------------------------

class _Row(NamedTuple):
    """A benefit's fields that its standing needs, and its latest measurement."""

    baseline_value: Decimal | None
    target_value: Decimal | None
    realisation_start: dt.date | None
    full_realisation: dt.date | None
    status: str
    benefit_type: str
    annual_value: Decimal
    latest_on: dt.date | None
    latest_value: Decimal | None


def _summary(rows: Sequence[_Row]) -> BenefitSummary:
    """As ``summarise`` (without the dates to come) for a project's benefit rows."""
    planned = realised = ZERO
    by_status = {key: 0 for key in STATUS_LABELS}
    for row in rows:
        latest = ([] if row.latest_on is None or row.latest_value is None
                  else [engine.Measurement(row.latest_on, row.latest_value)])
        status, _, _, value = standing(row, latest)
        by_status[status] += 1
        realised += value
        if row.benefit_type in FINANCIAL_TYPES and status != "not_realised":
            planned += row.annual_value
    return BenefitSummary(len(rows), planned, realised,
                          (realised * HUNDRED / planned).quantize(Decimal("0.1"))
                          if planned else None, by_status, [])


@dataclass
class BenefitRollup:
    currency: str
    on: dt.date
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    rates: dict[str, Decimal] = field(default_factory=dict)


def rollup(projects: Iterable[Project], on: dt.date,
           currency: str | None = None) -> BenefitRollup:
    """Per project: the number of benefits, the financial benefits' annual value planned
    and realised to date converted into ``currency`` at the rate in force on ``on``, the %
    realised and the count of each status; then the totals.  Raises MissingRate naming the
    first pair without a rate."""
    projects = sorted(projects, key=lambda p: p.code)
    target = (currency or default_currency(projects)).upper()
    result = BenefitRollup(target, on)
    # Rows, not objects, each with its latest measurement (the one the trajectory tracks:
    # the last day's, the first recorded that day): a portfolio holds some thousands of
    # benefits and tens of thousands of measurements.
    latest = BenefitMeasurement.objects.filter(benefit=OuterRef("pk")).order_by(
        "-measured_on", "pk")
    by_project: dict[int, list[_Row]] = {p.pk: [] for p in projects}
    for row in (Benefit.objects.filter(project__in=[p.pk for p in projects]).annotate(
            latest_on=Subquery(latest.values("measured_on")[:1]),
            latest_value=Subquery(latest.values("value")[:1])).order_by().values_list(
            "project_id", *_Row._fields)):
        by_project[row[0]].append(_Row(*row[1:]))
    rates = Rates((p.currency for p in projects), target)
    totals: dict[str, Any] = {"benefits": 0, "planned": ZERO, "realised": ZERO,
                              "by_status": {key: 0 for key in STATUS_LABELS}}
    for project in projects:
        rows = by_project[project.pk]
        if not rows:
            continue
        summary = _summary(rows)
        rate = rates.on(project.currency, on) if summary.planned else Decimal(1)
        if project.currency != target and summary.planned:
            result.rates[f"{project.currency}→{target}"] = rate
        planned = (summary.planned * rate).quantize(CENT, ROUND_HALF_UP)
        realised = (summary.realised * rate).quantize(CENT, ROUND_HALF_UP)
        result.rows.append({
            "project": project, "code": project.code, "name": project.name,
            "programme": project.programme.code if project.programme else None,
            "currency": project.currency, "benefits": summary.count, "planned": planned,
            "realised": realised, "percent": summary.percent,
            "by_status": summary.by_status})
        totals["benefits"] += summary.count
        totals["planned"] += planned
        totals["realised"] += realised
        for key, n in summary.by_status.items():
            totals["by_status"][key] += n
    totals["percent"] = (totals["realised"] * HUNDRED / totals["planned"]).quantize(
        Decimal("0.1")) if totals["planned"] else None
    totals["projects"] = len(result.rows)
    result.totals = totals
    return result
