"""The errors every layer raises and the API and views turn into 4xx responses.

Actions raise these; `api.py` maps each to one JSON shape
``{"status": 409, "message": "...", "errors": {"field": ["..."]}}`` and views show them
next to the field or as a page message. Nothing here is ever a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class OfficeError(Exception):
    """Base class: carries an HTTP status, a message and optional per-field errors."""

    status = 400

    def __init__(self, message: str, errors: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}


class InvalidInput(OfficeError):
    """A request's data is wrong; `errors` names the fields."""

    status = 422

    @classmethod
    def field(cls, name: str, message: str) -> InvalidInput:
        return cls(f"{name}: {message}", {name: [message]})


class NotFound(OfficeError):
    status = 404


class Forbidden(OfficeError):
    status = 403


class Conflict(OfficeError):
    """The object changed since the caller read it (stale version) or the move is not allowed
    from its current state."""

    status = 409


class StaleVersion(Conflict):
    def __init__(self, label: str, expected: int, current: int) -> None:
        super().__init__(
            f"{label} was changed by someone else (your version {expected}, current {current});"
            " reload and apply your change again",
            {"version": [f"expected {current}"]},
        )
        self.current = current
