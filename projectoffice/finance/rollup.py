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
    direct = (ExchangeRate.objects.filter(from_currency=from_currency, to_currency=to_currency,
                                          effective_from__lte=day)
              .order_by("-effective_from").first())
    reverse = (ExchangeRate.objects.filter(from_currency=to_currency,
                                           to_currency=from_currency, effective_from__lte=day)
               .order_by("-effective_from").first())
    if direct and (reverse is None or direct.effective_from >= reverse.effective_from):
        return direct.rate
    if reverse is not None:
        return Decimal(1) / reverse.rate
    raise MissingRate(
        f"No exchange rate from {from_currency} to {to_currency} on or before {day:%d %b %Y}:"
        " a PMO manager can add it on the exchange rates page",
        {"currency": [f"no {from_currency}→{to_currency} rate on or before {day.isoformat()}"]})


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
    earned = queries.earned_value_many(projects, status_date, errors)
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
            rate = rate_on(project.currency, target, status_date)
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
