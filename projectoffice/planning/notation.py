"""How planners type durations, lags and predecessors, and how the grid shows them.

Durations: ``5d``, ``2w``, ``4h``, ``30m``, ``1.5mo``, ``3ed`` (elapsed days), ``0d`` — a bare
number is days.  Predecessors: ``12FS+2d, 14SS, 7FF-1d, 9SF+20%`` where the number is the row
ID in the grid; ``OTHER:5FS`` names row 5 of project OTHER's plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
    return f"{prefix}{row}{link_suffix(type_, lag, lag_kind, units)}"


def link_suffix(type_: str, lag: float, lag_kind: str, units: Units) -> str:
    """What follows the row in a predecessor: its type (unless a plain FS) and its lag."""
    kind = "" if type_ == "FS" and not lag else type_
    return f"{kind}{format_lag(lag, lag_kind, units)}"


# --- recurring calendar exceptions -----------------------------------------------------------

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")
POSITIONS = ("1st", "2nd", "3rd", "4th", "last")
RECURRENCE_HELP = ("daily 3 · weekly 2 Mon Thu · monthly 1 day 15 · monthly 1 2nd Tue · "
                   "yearly May last Fri — add “times 5” to stop after five days")


def format_recurrence(data: dict[str, Any] | None) -> str:
    """A stored recurrence (``workspace.recurrence_json``) in the calendar page's notation."""
    if not data:
        return ""
    kind, every = str(data["kind"]), int(data.get("every") or 1)
    weekday, position, day = data.get("weekday"), data.get("position"), data.get("day")
    when = ""
    if day is not None:
        when = f"day {day}"
    elif weekday is not None and position is not None:
        when = f"{POSITIONS[int(position) - 1]} {WEEKDAY_NAMES[int(weekday)]}"
    if kind == "daily":
        text = f"daily {every}"
    elif kind == "weekly":
        days = " ".join(WEEKDAY_NAMES[int(d)] for d in data.get("weekdays") or [])
        text = f"weekly {every} {days}"
    elif kind == "monthly":
        text = f"monthly {every} {when}"
    else:
        month = MONTH_NAMES[int(data.get("month") or 1) - 1]
        text = f"yearly {month} {when.removeprefix('day ')}"
    if data.get("occurrences"):
        text += f" times {data['occurrences']}"
    return text


def parse_recurrence(text: str) -> dict[str, Any] | None:
    """The calendar page's notation (see RECURRENCE_HELP) as stored JSON; ValueError if bad."""
    words = text.split()
    if not words:
        return None
    occurrences: int | None = None
    if len(words) >= 2 and words[-2].lower() == "times":
        occurrences = _whole(words[-1], "times")
        words = words[:-2]
    kind = words[0].lower()
    rest = words[1:]
    out: dict[str, Any] = {"kind": kind, "every": 1, "weekdays": [], "day": None,
                              "weekday": None, "position": None, "month": None,
                              "occurrences": occurrences}
    if kind in ("daily", "weekly", "monthly") and rest and rest[0].isdigit():
        out["every"] = _whole(rest[0], "every")
        rest = rest[1:]
    if kind == "daily":
        if rest:
            raise ValueError("write “daily N”")
    elif kind == "weekly":
        out["weekdays"] = [_weekday(word) for word in rest]
        if not rest:
            raise ValueError("name the days, e.g. “weekly 1 Mon Thu”")
    elif kind in ("monthly", "yearly"):
        if kind == "yearly":
            if not rest:
                raise ValueError("write e.g. “yearly May 15” or “yearly May last Fri”")
            out["month"] = _month(rest[0])
            rest = rest[1:]
        if rest and rest[0].lower() == "day":
            rest = rest[1:]
        if len(rest) == 1:
            out["day"] = _whole(rest[0], "day")
        elif len(rest) == 2 and rest[0].lower() in POSITIONS:
            out["position"] = POSITIONS.index(rest[0].lower()) + 1
            out["weekday"] = _weekday(rest[1])
        else:
            raise ValueError("give a day (15) or a weekday (2nd Tue, last Fri)")
    else:
        raise ValueError("start with daily, weekly, monthly or yearly")
    return out


def _whole(text: str, what: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{what} needs a whole number of at least 1, not {text!r}")
    return int(text)


_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")


def _weekday(text: str) -> int:
    key = text[:3].capitalize()
    if key not in WEEKDAY_NAMES or (len(text) > 3 and text.lower() not in _FULL_WEEKDAYS):
        raise ValueError(f"{text!r} is not a day of the week (Mon … Sun)")
    return WEEKDAY_NAMES.index(key)


def _month(text: str) -> int:
    key = text[:3].capitalize()
    if key not in MONTH_NAMES or (len(text) > 3 and text.lower() not in _FULL_MONTHS):
        raise ValueError(f"{text!r} is not a month (Jan … Dec)")
    return MONTH_NAMES.index(key) + 1
