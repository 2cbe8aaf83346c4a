"""Money: a Decimal amount with an ISO 4217 currency code.

Arithmetic refuses to mix currencies (a silent mix is the classic portfolio roll-up bug);
converting takes an explicit rate. Amounts keep full precision until ``rounded()``, which
callers use only at presentation points (reports, the worked examples in the docs).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput

# Every Decimal division and sum in the engine uses this context, so results never depend on
# whatever precision or rounding the caller set in decimal's thread-local context.
DECIMAL_CONTEXT = Context(prec=28)

# ISO 4217 minor units that differ from the usual two decimals. Only these few currencies
# matter in practice; everything else has cents.
_MINOR_UNITS = {
    "JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "XOF": 0, "XAF": 0, "UGX": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}


def minor_units(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (2 for EUR/USD, 0 for JPY)."""
    return _MINOR_UNITS.get(currency, 2)


def round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in exact integer arithmetic.

    The engine computes in integer minor units; this is its one rounding rule, the
    commercial one that the published worked examples and spreadsheets use.
    """
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def _check_currency(code: str, field: str) -> None:
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper():
        raise InvalidInput(field, f"currency must be a three-letter ISO 4217 code, got {code!r}")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency. Floats are refused: they cannot hold cents exactly."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            if isinstance(self.amount, int) and not isinstance(self.amount, bool):
                object.__setattr__(self, "amount", Decimal(self.amount))
            else:
                raise InvalidInput(
                    "amount", f"must be a Decimal or int, got {type(self.amount).__name__}"
                )
        if not self.amount.is_finite():
            raise InvalidInput("amount", "must be a finite number")
        _check_currency(self.currency, "currency")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, units: int, currency: str) -> Money:
        """From an integer count of minor units (cents), the engine's internal form."""
        return cls(Decimal(units).scaleb(-minor_units(currency)), currency)

    def to_minor(self) -> int:
        """Whole minor units, rounding half away from zero (commercial rounding)."""
        numerator, denominator = self.amount.as_integer_ratio()
        return round_div(numerator * 10 ** minor_units(self.currency), denominator)

    def rounded(self) -> Money:
        """Rounded to the currency's minor unit, half away from zero."""
        return Money.from_minor(self.to_minor(), self.currency)

    def _same(self, other: Money, operation: str) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {operation} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                "currency",
                f"cannot {operation} {self.currency} and {other.currency}; "
                "convert one of them at a stated rate first",
            )

    def __add__(self, other: Money) -> Money:
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, Money | float):
            raise TypeError("Money can only be multiplied by a Decimal or an int")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, Money | float):
            raise TypeError("Money can only be divided by a Decimal or an int")
        return Money(self.amount / divisor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount >= other.amount

    def convert(self, to_currency: str, rate: Decimal) -> Money:
        """This amount in ``to_currency`` at ``rate`` units of it per one unit of ours.

        Unrounded, so that a chain of conversions does not accumulate rounding; round where
        the converted figure is shown.
        """
        _check_currency(to_currency, "to_currency")
        if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
            raise InvalidInput("rate", "must be a positive Decimal")
        return Money(self.amount * rate, to_currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
