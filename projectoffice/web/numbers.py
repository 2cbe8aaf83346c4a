"""Numbers written out once in Python, as the templates' ``floatformat`` and ``intcomma``
write them: a table of a hundred rows and ten figures each costs the template language a
thousand filter calls (and their locale look-ups), this a thousand string formats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def _rounded(value: Decimal, exp: Decimal) -> Decimal:
    rounded = value.quantize(exp, ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.00"


def amount(value: Decimal | None, empty: str = "") -> str:
    """``value|floatformat:2|intcomma``: 1,234.50"""
    return empty if value is None else f"{_rounded(value, CENT):,.2f}"


def ratio(value: Decimal | None, empty: str = "–") -> str:
    """``value|floatformat:2|default:"–"``: 0.95"""
    return empty if value is None else f"{_rounded(value, CENT):.2f}"


def percent(value: Decimal | None, empty: str = "–") -> str:
    """``value|floatformat:1`` and a percent sign: 42.5 %"""
    return empty if value is None else f"{_rounded(value, TENTH):.1f} %"
