"""Earned value rolled up over projects (a programme, a portfolio, everything a person sees)
at one status date, in one currency: each project's figures are converted at the exchange
rate in force on the status date, summed, and the indices recomputed from the sums."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projectoffice.errors import InvalidInput
from projectoffice.portfolio.models import Project

from . import queries
from .models import ExchangeRate

ZERO = Decimal(0)
CENT = Decimal("0.01")
AMOUNTS = ("bac", "pv", "ev", "ac", "sv", "cv", "eac", "vac")


class MissingRate(InvalidInput):
    """No exchange rate for a pair on or before the date."""


def rate_on(from_currency: str, to_currency: str, day: dt.date) -> Decimal:
    """The rate in force on ``day`` (1 from = rate to); the inverse of the reverse pair when
    only that one is kept."""
    if from_currency == to_currency:
        return Decimal(1)
    return Rates([from_currency], to_currency).on(from_currency, day)


class Rates:
    """The exchange rates between ``currencies`` and ``target``, read in one query, answering
    as ``rate_on`` does for any of those pairs (a roll-up converts every project with it)."""

    def __init__(self, currencies: Iterable[str], target: str) -> None:
        self.target = target
        others = sorted({c for c in currencies if c != target})
        self._kept: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = {}
        if others:
            from django.db.models import Q

            rows = ExchangeRate.objects.filter(
                Q(from_currency__in=others, to_currency=target)
                | Q(from_currency=target, to_currency__in=others)).order_by("-effective_from")
            for rate in rows.values_list("from_currency", "to_currency", "effective_from",
                                         "rate"):
                self._kept.setdefault((rate[0], rate[1]), []).append((rate[2], rate[3]))

    def _latest(self, pair: tuple[str, str], day: dt.date) -> tuple[dt.date, Decimal] | None:
        return next((kept for kept in self._kept.get(pair, ()) if kept[0] <= day), None)

    def on(self, currency: str, day: dt.date) -> Decimal:
        """The rate from ``currency`` to the target in force on ``day``; raises MissingRate."""
        target = self.target
        if currency == target:
            return Decimal(1)
        direct = self._latest((currency, target), day)
        reverse = self._latest((target, currency), day)
        if direct and (reverse is None or direct[0] >= reverse[0]):
            return direct[1]
        if reverse is not None:
            return Decimal(1) / reverse[1]
        raise MissingRate(
            f"No exchange rate from {currency} to {target} on or before {day:%d %b %Y}:"
            " a PMO manager can add it on the exchange rates page",
            {"currency": [f"no {currency}→{target} rate on or before {day.isoformat()}"]})


@dataclass
class Rollup:
    status_date: dt.date
    currency: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    rates: dict[str, Decimal] = field(default_factory=dict)


def default_currency(projects: Iterable[Project]) -> str:
    counts = Counter(p.currency for p in projects)
    if not counts:
        return "GBP"
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _ratio(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else a / b


def rollup(projects: Iterable[Project], status_date: dt.date,
           currency: str | None = None) -> Rollup:
    """One row per project (figures converted into ``currency``) and the totals.  Raises
    MissingRate naming the first pair without a rate; projects without earned value yet are
    listed without figures."""
    projects = sorted(projects, key=lambda p: p.code)
    target = (currency or default_currency(projects)).upper()
    result = Rollup(status_date, target)
    totals = dict.fromkeys(AMOUNTS, ZERO)
    errors: dict[int, str] = {}
    earned = queries.earned_value_figures(projects, status_date, errors)
    rates = Rates((p.currency for p in projects), target)
    for project in projects:
        row: dict[str, Any] = {"project": project, "code": project.code, "name": project.name,
                               "programme": project.programme.code if project.programme
                               else None, "currency": project.currency, "figures": None}
        if project.pk in errors:
            row["error"] = errors[project.pk]
            result.rows.append(row)
            continue
        ev = earned.get(project.pk)
        if ev is not None:
            rate = rates.on(project.currency, status_date)
            if project.currency != target:
                result.rates[f"{project.currency}→{target}"] = rate
            converted = {k: (ev.figures[k] * rate).quantize(CENT, ROUND_HALF_UP)
                         for k in AMOUNTS}
            converted["spi"], converted["cpi"] = ev.figures["spi"], ev.figures["cpi"]
            row["figures"] = converted
            for k in AMOUNTS:
                totals[k] += converted[k]
        result.rows.append(row)
    result.totals = {**totals, "spi": _ratio(totals["ev"], totals["pv"]),
                     "cpi": _ratio(totals["ev"], totals["ac"]),
                     "projects": sum(1 for r in result.rows if r["figures"])}
    return result
