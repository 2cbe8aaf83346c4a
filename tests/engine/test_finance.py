"""Finance functions against hand-worked values and numpy-financial's documented results.

The numpy-financial figures are the ones its documentation gives for npv() and irr()
(period 0 undiscounted, as here); they are written out as numbers so that the test needs
no numpy-financial.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput
from projectoffice.engine.finance import (
    AmbiguousIRR,
    CashFlow,
    Money,
    discounted_payback_period,
    irr,
    net_cash_flows,
    npv,
    payback_period,
    roi,
)


def flows(*values: str | int) -> list[Money]:
    return [Money(Decimal(str(v)), "USD") for v in values]


def test_npv_numpy_financial_examples() -> None:
    result = npv(flows(-40000, 5000, 8000, 12000, 30000), Decimal("0.08"))
    assert result.rounded() == Money(Decimal("3065.22"), "USD")
    assert npv(flows(-100, 39, 59, 55, 20), Decimal("0.281")).amount.quantize(
        Decimal("1e-12")) == Decimal("-0.008478591638")


def test_npv_hand_worked() -> None:
    # -1000 + 300/1.1 + 400/1.21 + 500/1.331 + 200/1.4641 = 115.5657...
    assert npv(flows(-1000, 300, 400, 500, 200), Decimal("0.10")).rounded().amount == Decimal(
        "115.57")
    assert npv(flows(-1000, 300, 400, 500, 200), Decimal(0)).amount == Decimal(400)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((-100, 39, 59, 55, 20), "0.28095"),
        ((-100, 0, 0, 74), "-0.09550"),
        ((-100, 100, 0, 7), "0.06206"),
    ],
)
def test_irr_numpy_financial_examples(values: tuple[int, ...], expected: str) -> None:
    rate = irr(flows(*values))
    assert rate is not None and rate.quantize(Decimal("0.00001")) == Decimal(expected)
    assert abs(npv(flows(*values), rate).amount) < Decimal("1e-8")


def test_irr_with_several_sign_changes_needs_a_bracket() -> None:
    with pytest.raises(AmbiguousIRR) as exc:
        irr(flows(-100, 100, 0, -7))
    assert exc.value.field == "cash_flows"
    rate = irr(flows(-100, 100, 0, -7), bracket=(Decimal("-0.5"), Decimal("0.5")))
    assert rate is not None and rate.quantize(Decimal("0.00001")) == Decimal("-0.08330")
    rate = irr(flows("-5", "10.5", 1, -8, 1), bracket=(Decimal(0), Decimal("0.5")))
    assert rate is not None and rate.quantize(Decimal("0.00001")) == Decimal("0.08860")
    assert irr(flows(-100, 100, 0, -7), bracket=(Decimal(1), Decimal(2))) is None


def test_irr_none_without_a_sign_change() -> None:
    assert irr(flows(100, 50)) is None
    assert irr(flows(-100, -50)) is None


def test_payback_simple_and_discounted() -> None:
    net = flows(-1000, 300, 400, 500, 200)
    # Cumulative -1000, -700, -300, +200: 300 of period 3's 500 is needed -> 2.6.
    assert payback_period(net) == Decimal("2.6")
    # Discounted at 10 %: shortfall after period 3 is 28000/1331, period 4 brings
    # 2000000/14641, so 3 + 0.154 exactly.
    assert discounted_payback_period(net, Decimal("0.10")) == Decimal("3.154")
    assert payback_period(flows(-1000, 100, 100)) is None
    assert payback_period(flows(0, 100)) == 0


def test_roi_and_cash_flow_validation() -> None:
    usd = lambda v: Money(Decimal(v), "USD")  # noqa: E731
    cash = [CashFlow(0, usd(1000), usd(0)), CashFlow(1, usd(200), usd(800)),
            CashFlow(3, usd(0), usd(700))]
    assert net_cash_flows(cash) == tuple(flows(-1000, 600, 0, 700))
    assert roi(cash) == Decimal("0.25")
    with pytest.raises(InvalidInput) as exc:
        net_cash_flows([CashFlow(0, usd(-1), usd(0))])
    assert exc.value.field == "cash_flows[0].costs"
    with pytest.raises(CurrencyMismatch):
        net_cash_flows([CashFlow(0, usd(1), Money(Decimal(1), "EUR"))])
    with pytest.raises(InvalidInput, match="rate"):
        npv(flows(-1, 2), Decimal(-1))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**6), st.lists(st.integers(0, 10**6), min_size=1, max_size=10))
def test_irr_zeroes_npv_for_conventional_flows(outlay: int, returns: list[int]) -> None:
    net = flows(-outlay, *returns)
    rate = irr(net)
    if sum(returns) == 0:
        assert rate is None
        return
    assert rate is not None
    assert abs(npv(net, rate).amount) <= Decimal("1e-6") * (outlay + sum(returns))
