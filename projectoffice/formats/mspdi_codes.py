"""Codes and value syntax of MS Project XML (MSPDI): durations, lag formats, enumerations."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from projectoffice.engine.network import ConstraintType, DurationUnit, LagKind, LinkType

NAMESPACE = "http://schemas.microsoft.com/project"

LINK_TYPES = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
LINK_CODES = {kind: code for code, kind in LINK_TYPES.items()}

CONSTRAINTS = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
CONSTRAINT_CODES = {kind: code for code, kind in CONSTRAINTS.items()}

# DurationFormat / LagFormat: unit shown, and whether the amount is elapsed (24×7) time.
# The "?" variants (estimated) 35–44 and 51–53 mean the same units.
FORMATS: dict[int, tuple[DurationUnit | None, bool]] = {
    3: (DurationUnit.MINUTES, False),
    4: (DurationUnit.MINUTES, True),
    5: (DurationUnit.HOURS, False),
    6: (DurationUnit.HOURS, True),
    7: (DurationUnit.DAYS, False),
    8: (DurationUnit.DAYS, True),
    9: (DurationUnit.WEEKS, False),
    10: (DurationUnit.WEEKS, True),
    11: (DurationUnit.MONTHS, False),
    12: (DurationUnit.MONTHS, True),
    19: (None, False),  # percent
    20: (None, True),  # elapsed percent
    21: (DurationUnit.DAYS, False),  # "null": shown as days
}
for _code in range(3, 13):
    FORMATS[_code + 32] = FORMATS[_code]
FORMATS[51], FORMATS[52], FORMATS[53] = FORMATS[19], FORMATS[20], FORMATS[21]

UNIT_CODES = {
    DurationUnit.MINUTES: 3,
    DurationUnit.HOURS: 5,
    DurationUnit.DAYS: 7,
    DurationUnit.WEEKS: 9,
    DurationUnit.MONTHS: 11,
}


def format_code(unit: DurationUnit, elapsed: bool) -> int:
    return UNIT_CODES[unit] + (1 if elapsed else 0)


def lag_kind_of(code: int) -> LagKind:
    unit, elapsed = FORMATS[code]
    if unit is None:
        return LagKind.PERCENT
    return LagKind.ELAPSED if elapsed else LagKind.WORKING


_DURATION = re.compile(
    r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


@lru_cache(maxsize=4096)  # a plan repeats a few durations many times
def parse_duration(text: str) -> int:
    """``PT8H0M0S`` -> 480 minutes.  Raises ValueError on anything else."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"not an MSPDI duration: {text!r}")
    sign, days, hours_, minutes, seconds = match.groups()
    total = (
        float(days or 0) * 1440
        + float(hours_ or 0) * 60
        + float(minutes or 0)
        + float(seconds or 0) / 60
    )
    return -round(total) if sign else round(total)


def write_duration(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    hours_, rest = divmod(abs(minutes), 60)
    return f"{sign}PT{hours_}H{rest}M0S"


def parse_datetime(text: str) -> datetime:
    """MSPDI datetimes are local and naive: ``2026-01-05T08:00:00``."""
    return datetime.fromisoformat(text.strip()[:19])


def write_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
