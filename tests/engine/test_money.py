from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput
from projectoffice.engine.money import Money, round_div

amounts = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False)


def test_mixed_currencies_are_refused_with_a_clear_error() -> None:
    with pytest.raises(CurrencyMismatch, match="cannot add EUR and USD"):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")
    with pytest.raises(CurrencyMismatch):
        _ = Money(Decimal(1), "EUR") < Money(Decimal(1), "GBP")


def test_conversion_needs_an_explicit_positive_rate() -> None:
    eur = Money(Decimal("100.00"), "EUR")
    assert eur.convert("USD", Decimal("1.0825")) == Money(Decimal("108.250000"), "USD")
    with pytest.raises(InvalidInput, match="rate"):
        eur.convert("USD", Decimal(0))


def test_floats_and_bad_codes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="amount"):
        Money(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="currency"):
        Money(Decimal(1), "euro")


def test_rounding_is_half_away_from_zero_in_minor_units() -> None:
    assert Money(Decimal("0.125"), "EUR").rounded() == Money(Decimal("0.13"), "EUR")
    assert Money(Decimal("-0.125"), "EUR").to_minor() == -13
    assert Money(Decimal("1234.5"), "JPY").to_minor() == 1235
    assert Money.from_minor(1234567, "KWD").amount == Decimal("1234.567")
    assert round_div(5, 2) == 3 and round_div(-5, 2) == -3 and round_div(7, -2) == -4


@given(amounts, amounts)
def test_addition_and_subtraction_round_trip(a: Decimal, b: Decimal) -> None:
    x, y = Money(a, "EUR"), Money(b, "EUR")
    assert (x + y) - y == x
    assert Money.from_minor(x.to_minor(), "EUR") == x
