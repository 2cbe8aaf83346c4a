"""How a benefit of the old plain list becomes an item of the benefits register (used by
migration 0005 and kept here so it can be tested on its own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

CASH_RELEASING = "cash_releasing"
QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"


def _number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").replace("−", "-")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def register_fields(old: dict[str, Any], *, number: int, today: dt.date) -> dict[str, Any]:
    """The register item's fields for one old row (``name``, ``measure``, ``target`` text,
    ``owner_id``, ``expected_by``, ``annual_value``, ``project_id``).  A target that is a
    plain number becomes the target value; any other wording is kept in the description,
    as the old list had no baseline to measure from.  A benefit with an annual value is
    financial (cash-releasing); otherwise quantitative when the target is a number and
    qualitative when not.  Every benefit starts as identified."""
    target_text = (old.get("target") or "").strip()
    target = _number(target_text)
    annual = Decimal(old.get("annual_value") or 0)
    if annual > 0:
        kind = CASH_RELEASING
    elif target is not None:
        kind = QUANTITATIVE
    else:
        kind = QUALITATIVE
    description = f"Target as first recorded: {target_text}" if target_text and target is None \
        else ""
    return {
        "project_id": old["project_id"], "number": number, "reference": f"BEN-{number:04d}",
        "title": (old.get("name") or "Benefit")[:200], "description": description,
        "owner_id": old.get("owner_id"), "status": "identified", "priority": "medium",
        "raised_on": today, "due_date": old.get("expected_by"),
        "benefit_type": kind, "measure": (old.get("measure") or "")[:200],
        "target_value": target, "full_realisation": old.get("expected_by"),
        "annual_value": annual if kind == CASH_RELEASING else Decimal(0),
    }
