"""Small parsers for the plain HTML forms of the time and money pages: each refusal is an
InvalidInput naming the field, shown as the page's message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages

from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest


def decimal_input(value: str, name: str) -> Decimal:
    try:
        return Decimal(value.strip() or "0")
    except InvalidOperation:
        raise InvalidInput.field(name, f"{value!r} is not a number") from None


def date_input(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field(name, "write the date as YYYY-MM-DD") from None


def int_input(value: str | None, name: str) -> int:
    if not value or not value.strip().isdigit():
        raise InvalidInput.field(name, "choose one")
    return int(value)


def show_error(request: AuthedRequest, exc: OfficeError) -> None:
    messages.error(request, exc.message)


