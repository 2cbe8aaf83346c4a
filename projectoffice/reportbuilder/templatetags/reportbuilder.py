"""How the report builder's cells read on the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, (Decimal, int, float)):
        number = Decimal(str(value))
        return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    return str(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, (Decimal, int, float)) and not isinstance(value, bool)


@register.filter
def lookup(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
