"""How planners type durations, lags and predecessors, and how the grid shows them.

Durations: ``5d``, ``2w``, ``4h``, ``30m``, ``1.5mo``, ``3ed`` (elapsed days), ``0d`` — a bare
number is days.  Predecessors: ``12FS+2d, 14SS, 7FF-1d, 9SF+20%`` where the number is the row
ID in the grid; ``OTHER:5FS`` names row 5 of project OTHER's plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNIT_WORDS = {
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d", "": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "mo": "mo", "mon": "mo", "month": "mo", "months": "mo",
}


@dataclass(frozen=True, slots=True)
class Units:
    minutes_per_day: int = 480
    minutes_per_week: int = 2400
    days_per_month: int = 20

    def per(self, unit: str, elapsed: bool) -> int:
        if elapsed:
            return {"m": 1, "h": 60, "d": 1440, "w": 10080, "mo": 43200}[unit]
        return {"m": 1, "h": 60, "d": self.minutes_per_day, "w": self.minutes_per_week,
                "mo": self.minutes_per_day * self.days_per_month}[unit]


@dataclass(frozen=True, slots=True)
class Duration:
    minutes: int
    unit: str
    elapsed: bool


_DURATION = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(e?)\s*([a-z]*)\s*\??\s*$", re.IGNORECASE)


def parse_duration(text: str, units: Units, *, allow_negative: bool = False) -> Duration:
    """``"3d"`` → 3 working days in minutes.  Raises ValueError with a message for the cell."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a duration: write it like 5d, 2w, 4h or 3ed")
    amount = float(match.group(1).replace(",", "."))
    elapsed = bool(match.group(2))
    word = match.group(3).lower()
    if word not in UNIT_WORDS:
        raise ValueError(f"{text!r} is not a duration: unknown unit {word!r}; use m, h, d, w or mo")
    if amount < 0 and not allow_negative:
        raise ValueError(f"{text!r}: a duration cannot be negative")
    unit = UNIT_WORDS[word]
    minutes = round(amount * units.per(unit, elapsed))
    if abs(minutes) > 100 * 366 * 1440:
        raise ValueError(f"{text!r} is too long")
    return Duration(minutes, unit, elapsed)


def format_duration(minutes: int, unit: str, elapsed: bool, units: Units) -> str:
    per = units.per(unit if unit in ("m", "h", "d", "w", "mo") else "d", elapsed)
    amount = minutes / per
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return f"{text}{'e' if elapsed else ''}{unit}"


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """One predecessor as typed: ``project`` is None for this plan."""

    project: str | None
    row: int
    type: str
    lag: float
    lag_kind: str


_LINK = re.compile(
    r"^\s*(?:([A-Za-z0-9_-]+):)?(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:[.,]\d+)?)\s*(e?[a-z]*|%))?\s*$",
    re.IGNORECASE)


def parse_predecessors(text: str, units: Units) -> list[LinkSpec]:
    specs: list[LinkSpec] = []
    for part in (text or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        match = _LINK.match(part)
        if not match:
            raise ValueError(f"{part.strip()!r} is not a predecessor: "
                             "write it like 12FS+2d or 14SS")
        project, row, kind, sign, amount, unit = match.groups()
        lag = 0.0
        lag_kind = "working"
        if sign:
            value = float(amount.replace(",", ".")) * (-1 if sign == "-" else 1)
            if unit == "%":
                lag, lag_kind = value, "percent"
            else:
                duration = parse_duration(f"{value}{unit}", units, allow_negative=True)
                lag = float(duration.minutes)
                lag_kind = "elapsed" if duration.elapsed else "working"
        specs.append(LinkSpec(project.upper() if project else None, int(row),
                              (kind or "FS").upper(), lag, lag_kind))
    return specs


def format_lag(lag: float, lag_kind: str, units: Units) -> str:
    if not lag:
        return ""
    sign = "+" if lag > 0 else "-"
    if lag_kind == "percent":
        return f"{sign}{abs(lag):g}%"
    elapsed = lag_kind == "elapsed"
    minutes = abs(int(lag))
    per_day = units.per("d", elapsed)
    unit = "d" if minutes % per_day == 0 or minutes >= per_day else "h"
    return sign + format_duration(minutes, unit, elapsed, units)


def format_link(prefix: str, row: int, type_: str, lag: float, lag_kind: str,
                units: Units) -> str:
    kind = "" if type_ == "FS" and not lag else type_
    return f"{prefix}{row}{kind}{format_lag(lag, lag_kind, units)}"
