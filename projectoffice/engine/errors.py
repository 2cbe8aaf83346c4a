"""Errors the engine raises for input it cannot compute with.

Every error names the offending field so that forms, the API and imports can point the user
at the exact value to fix, instead of showing a stack trace.
"""


class InvalidInput(ValueError):
    """An input value the engine refuses; ``field`` names it (``task[T1].budget`` style)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class CurrencyMismatch(InvalidInput):
    """Two amounts in different currencies met in one sum; convert first at a stated rate."""
