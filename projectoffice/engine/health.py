"""Project health computed from the figures: a RAG per dimension and overall, with the
reason in words ("CPI 0.69 below 0.90").

The Project Office sets the limits (``Thresholds``); the figures are gathered by the
caller. A dimension whose figures are unknown (no plan, no baseline, no earned value yet)
is not judged — it reads "no data" and does not make the project green or red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["DIMENSIONS", "Dimension", "Figures", "Health", "Thresholds", "assess",
           "check_thresholds", "finish_day", "whole_percent", "worst"]

GREEN, AMBER, RED = "green", "amber", "red"
_ORDER = {GREEN: 0, AMBER: 1, RED: 2}
DIMENSIONS = (("schedule", "Schedule"), ("cost", "Cost"), ("risk", "Risk"),
              ("actions", "Overdue actions and issues"),
              ("dependencies", "Late dependencies"))


def finish_day(moment: dt.datetime | None) -> dt.date | None:
    """The day a finish instant belongs to. Work that ends at midnight ended the day
    before (a 24-hour calendar's 00:00 finish is the end of the previous day), so a finish
    read as a date never lands a day late."""
    if moment is None:
        return None
    if moment.hour == 0 and moment.minute == 0:
        return moment.date() - dt.timedelta(days=1)
    return moment.date()


def whole_percent(done: float, total: float) -> int:
    """% complete as every page shows it: a whole percent, halves rounded up (the same
    figure on the plan's summary rows, the project list and the overview)."""
    if total <= 0:
        return 0
    share = Decimal(str(done)) * 100 / Decimal(str(total))
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Amber and red limits. Indices: below amber is amber, below red is red. Slip, VAC
    overrun, risk share and counts: at or above amber is amber, at or above red is red."""

    slip_amber_days: int = 10
    slip_red_days: int = 30
    spi_amber: Decimal = Decimal("0.95")
    spi_red: Decimal = Decimal("0.90")
    cpi_amber: Decimal = Decimal("0.95")
    cpi_red: Decimal = Decimal("0.90")
    vac_amber_percent: Decimal = Decimal(5)
    vac_red_percent: Decimal = Decimal(10)
    risk_amber_percent: int = 36
    risk_red_percent: int = 60
    overdue_amber: int = 1
    overdue_red: int = 5
    late_dependencies_amber: int = 1
    late_dependencies_red: int = 3


def check_thresholds(t: Thresholds) -> dict[str, str]:
    """Per-field problems, in the user's words; empty when the limits make sense."""
    errors: dict[str, str] = {}
    for name in ("spi", "cpi"):
        amber, red = getattr(t, f"{name}_amber"), getattr(t, f"{name}_red")
        for kind, value in (("amber", amber), ("red", red)):
            if not Decimal(0) < value <= Decimal(2):
                errors[f"{name}_{kind}"] = "must be more than 0 and at most 2"
        if f"{name}_red" not in errors and red >= amber:
            errors[f"{name}_red"] = f"must be below the amber limit ({amber})"
    pairs = (("slip", "_days"), ("vac", "_percent"), ("risk", "_percent"), ("overdue", ""),
             ("late_dependencies", ""))
    for name, suffix in pairs:
        amber, red = getattr(t, f"{name}_amber{suffix}"), getattr(t, f"{name}_red{suffix}")
        for kind, value in (("amber", amber), ("red", red)):
            if value < 0:
                errors[f"{name}_{kind}{suffix}"] = "cannot be negative"
        if name in ("vac", "risk") and red > 100:
            errors[f"{name}_red{suffix}"] = "must be at most 100 (%)"
        if f"{name}_red{suffix}" not in errors and red <= amber:
            errors[f"{name}_red{suffix}"] = f"must be above the amber limit ({amber})"
    if t.overdue_amber < 1:
        errors.setdefault("overdue_amber", "must be at least 1")
    if t.late_dependencies_amber < 1:
        errors.setdefault("late_dependencies_amber", "must be at least 1")
    return errors


@dataclass(frozen=True, slots=True)
class Figures:
    """What health is judged on; None where it is not known."""

    finish: dt.date | None = None
    baseline_finish: dt.date | None = None
    spi_t: Decimal | None = None
    cpi: Decimal | None = None
    vac: Decimal | None = None
    bac: Decimal | None = None
    currency: str = ""
    risk_score: int | None = None  # the worst open risk's current score
    risk_scale: int = 5  # probability and impact are scored 1…N
    overdue_actions: int = 0
    overdue_issues: int = 0
    late_dependencies: int = 0


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    label: str
    rag: str | None  # None: not enough data to judge
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) if self.reasons else (
            "no data yet" if self.rag is None else "within limits")


@dataclass(frozen=True, slots=True)
class Health:
    overall: str | None
    dimensions: tuple[Dimension, ...]

    @property
    def reason(self) -> str:
        """The reasons of the dimensions that set the overall RAG."""
        if self.overall is None:
            return "not enough data to judge"
        if self.overall == GREEN:
            return "all figures within the Project Office's limits"
        return "; ".join(r for d in self.dimensions if d.rag == self.overall for r in d.reasons)

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)


def worst(rags: list[str | None]) -> str | None:
    known = [r for r in rags if r is not None]
    return max(known, key=_ORDER.__getitem__) if known else None


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _money(value: Decimal, currency: str) -> str:
    sign = "−" if value < 0 else ""
    amount = abs(value)
    text = f"{amount / 1000:.0f}k" if amount >= 1000 else f"{amount:.0f}"
    return f"{currency} {sign}{text}" if currency else f"{sign}{text}"


def _low(name: str, value: Decimal | None, amber: Decimal,
         red: Decimal) -> tuple[str | None, str | None]:
    """An index where lower is worse."""
    if value is None:
        return None, None
    if value < red:
        return RED, f"{name} {_fmt(value)} below {_fmt(red)}"
    if value < amber:
        return AMBER, f"{name} {_fmt(value)} below {_fmt(amber)}"
    return GREEN, None


def _high(value: int | Decimal, amber: int | Decimal, red: int | Decimal,
          text: str) -> tuple[str, str | None]:
    """A count or share where higher is worse; ``text`` takes the limit crossed."""
    if value >= red:
        return RED, text.format(limit=red)
    if value >= amber:
        return AMBER, text.format(limit=amber)
    return GREEN, None


def _dimension(key: str, parts: Sequence[tuple[str | None, str | None]]) -> Dimension:
    rag = worst([r for r, _ in parts])
    reasons = tuple(why for r, why in parts if why and r == rag)
    return Dimension(key, dict(DIMENSIONS)[key], rag, reasons)


def assess(f: Figures, t: Thresholds) -> Health:
    schedule: list[tuple[str | None, str | None]] = []
    if f.finish is not None and f.baseline_finish is not None:
        slip = (f.finish - f.baseline_finish).days
        schedule.append(_high(slip, t.slip_amber_days, t.slip_red_days,
                              f"finish {f.finish:%d %b %Y} is {slip} days after the "
                              f"baseline (limit {{limit}})"))
    schedule.append(_low("SPI(t)", f.spi_t, t.spi_amber, t.spi_red))

    cost = [_low("CPI", f.cpi, t.cpi_amber, t.cpi_red)]
    if f.vac is not None and f.bac:
        overrun = -f.vac * 100 / f.bac
        cost.append(_high(overrun, t.vac_amber_percent, t.vac_red_percent,
                          f"VAC {_money(f.vac, f.currency)} is {overrun:.0f}% of the budget "
                          f"over (limit {{limit}}%)"))

    risk: list[tuple[str | None, str | None]] = [(GREEN, None)]
    if f.risk_score:
        share = Decimal(100 * f.risk_score) / (f.risk_scale ** 2)
        risk = [_high(share, t.risk_amber_percent, t.risk_red_percent,
                      f"worst open risk scores {f.risk_score} of {f.risk_scale ** 2} "
                      f"({share:.0f}%, limit {{limit}}%)")]

    overdue = f.overdue_actions + f.overdue_issues
    actions = [_high(overdue, t.overdue_amber, t.overdue_red,
                     f"{f.overdue_actions} overdue action{'s' * (f.overdue_actions != 1)} "
                     f"and {f.overdue_issues} overdue issue{'s' * (f.overdue_issues != 1)} "
                     f"(limit {{limit}})")]
    dependencies = [_high(f.late_dependencies, t.late_dependencies_amber,
                          t.late_dependencies_red,
                          f"{f.late_dependencies} internal "
                          f"dependenc{'ies' if f.late_dependencies != 1 else 'y'} expected "
                          f"after the date needed (limit {{limit}})")]
    dims = (_dimension("schedule", schedule), _dimension("cost", cost),
            _dimension("risk", risk), _dimension("actions", actions),
            _dimension("dependencies", dependencies))
    return Health(worst([d.rag for d in dims]), dims)
