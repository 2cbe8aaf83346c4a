"""The benefit case: NPV, IRR, simple and discounted payback, ROI of cash flows by period.

Conventions (docs/earned-value.md, section "Finance"): flows fall at the *end* of each
period and period 0 is "now", so the period-0 flow is not discounted (the numpy-financial
convention; a spreadsheet's NPV() discounts its first value, so its result is ours divided
by 1 + rate). Rates are per period, as Decimal fractions (0.08 for 8 %). Results are
unrounded Decimal / Money; round at presentation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from itertools import pairwise

from projectoffice.engine.errors import CurrencyMismatch, InvalidInput
from projectoffice.engine.money import Money

__all__ = [
    "AmbiguousIRR",
    "CashFlow",
    "Money",
    "discounted_payback_period",
    "irr",
    "net_cash_flows",
    "npv",
    "payback_period",
    "roi",
]

# A fixed context: results must not depend on whatever the caller set as decimal's global.
_CONTEXT = Context(prec=40)
_IRR_PLACES = Decimal("1e-12")


class AmbiguousIRR(InvalidInput):
    """The net flows change sign more than once, so several rates may give NPV = 0."""


@dataclass(frozen=True, slots=True)
class CashFlow:
    """Costs and benefits of one period (both non-negative; costs are money going out)."""

    period: int
    costs: Money
    benefits: Money

    @property
    def net(self) -> Money:
        return self.benefits - self.costs


def net_cash_flows(flows: Sequence[CashFlow]) -> tuple[Money, ...]:
    """Net flow of every period from 0 to the last one given (missing periods are zero)."""
    if not flows:
        raise InvalidInput("cash_flows", "at least one period is needed")
    currency = flows[0].costs.currency
    by_period: dict[int, Money] = {}
    for flow in flows:
        name = f"cash_flows[{flow.period}]"
        if flow.period < 0:
            raise InvalidInput(f"{name}.period", "periods count from 0")
        if flow.period in by_period:
            raise InvalidInput(f"{name}.period", "appears twice")
        for label, amount in (("costs", flow.costs), ("benefits", flow.benefits)):
            if amount.currency != currency:
                raise CurrencyMismatch(
                    f"{name}.{label}", f"is in {amount.currency}, the first flow in {currency}"
                )
            if amount.amount < 0:
                raise InvalidInput(f"{name}.{label}", "must not be negative")
        by_period[flow.period] = flow.net
    zero = Money.zero(currency)
    return tuple(by_period.get(p, zero) for p in range(max(by_period) + 1))


def _amounts(net: Sequence[Money]) -> tuple[str, list[Decimal]]:
    if not net:
        raise InvalidInput("cash_flows", "at least one period is needed")
    currency = net[0].currency
    for period, amount in enumerate(net):
        if amount.currency != currency:
            raise CurrencyMismatch(
                f"cash_flows[{period}]", f"is in {amount.currency}, the first flow in {currency}"
            )
    return currency, [m.amount for m in net]


def _check_rate(rate: Decimal) -> None:
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= -1:
        raise InvalidInput("rate", "must be a Decimal greater than -1 (e.g. 0.08 for 8 %)")


def _present_value(amounts: Sequence[Decimal], rate: Decimal) -> Decimal:
    # Horner's scheme from the last period back: one division per period, no powers.
    factor = _CONTEXT.add(Decimal(1), rate)
    total = Decimal(0)
    for amount in reversed(amounts):
        total = _CONTEXT.add(_CONTEXT.divide(total, factor), amount)
    return total


def npv(net: Sequence[Money], rate: Decimal) -> Money:
    """Net present value: sum of ``net[t] / (1 + rate) ** t``, period 0 undiscounted."""
    _check_rate(rate)
    currency, amounts = _amounts(net)
    return Money(_present_value(amounts, rate), currency)


def _sign_changes(amounts: Sequence[Decimal]) -> int:
    signs = [a > 0 for a in amounts if a != 0]
    return sum(1 for a, b in pairwise(signs) if a != b)


def irr(
    net: Sequence[Money], bracket: tuple[Decimal, Decimal] | None = None
) -> Decimal | None:
    """Internal rate of return per period, to 12 decimal places; None when there is none.

    Without a sign change there is no IRR (None). With exactly one, NPV is monotone in the
    rate and has one root above -1, which bisection finds after bracketing it. With more
    than one sign change several roots may exist, so ``AmbiguousIRR`` is raised unless
    ``bracket = (low, high)`` says where to look; then the root in that bracket is returned,
    or None if NPV does not change sign across it.
    """
    _, amounts = _amounts(net)
    changes = _sign_changes(amounts)
    if changes == 0:
        return None
    if bracket is None:
        if changes > 1:
            raise AmbiguousIRR(
                "cash_flows",
                f"net flows change sign {changes} times, so there may be several IRRs; "
                "give a bracket (low, high) to choose one",
            )
        low, high = Decimal("-0.999999"), Decimal(1)
        # Widen upwards until NPV changes sign; a single sign change guarantees it will.
        while _sign(_present_value(amounts, high)) == _sign(_present_value(amounts, low)):
            if high > Decimal(10) ** 9:
                return None
            high *= 2
    else:
        low, high = bracket
        _check_rate(low)
        _check_rate(high)
        if not low < high:
            raise InvalidInput("bracket", "low must be below high")
    f_low, f_high = _present_value(amounts, low), _present_value(amounts, high)
    if f_low == 0:
        return low.quantize(_IRR_PLACES)
    if f_high == 0:
        return high.quantize(_IRR_PLACES)
    if _sign(f_low) == _sign(f_high):
        return None
    # Bisection: slower than Newton but cannot diverge or jump to another root.
    while high - low > Decimal("1e-20"):
        middle = _CONTEXT.divide(_CONTEXT.add(low, high), 2)
        f_middle = _present_value(amounts, middle)
        if f_middle == 0:
            return middle.quantize(_IRR_PLACES)
        if _sign(f_middle) == _sign(f_low):
            low, f_low = middle, f_middle
        else:
            high = middle
    return _CONTEXT.divide(_CONTEXT.add(low, high), 2).quantize(_IRR_PLACES)


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def _payback(values: Sequence[Fraction]) -> Decimal | None:
    """First time the running total of ``values`` turns non-negative, interpolated.

    Within the period that recovers the outlay the flow is assumed to arrive evenly, so the
    fraction is the shortfall at the start of that period over the period's flow. Exact
    fractions keep hand-checkable answers exact (3.154, not 3.15399...).
    """
    if all(v >= 0 for v in values):
        return Decimal(0)  # nothing to recover
    running = Fraction(0)
    for period, value in enumerate(values):
        before = running
        running += value
        if before < 0 <= running:
            result = period - 1 + (-before) / value
            return _CONTEXT.divide(Decimal(result.numerator), Decimal(result.denominator))
    return None


def payback_period(net: Sequence[Money]) -> Decimal | None:
    """Periods until cumulative net flow recovers the outlay; None if it never does."""
    _, amounts = _amounts(net)
    return _payback([Fraction(a) for a in amounts])


def discounted_payback_period(net: Sequence[Money], rate: Decimal) -> Decimal | None:
    """As ``payback_period`` on flows discounted to period 0 at ``rate``."""
    _check_rate(rate)
    _, amounts = _amounts(net)
    factor = 1 + Fraction(rate)
    return _payback([Fraction(a) / factor**t for t, a in enumerate(amounts)])


def roi(flows: Sequence[CashFlow]) -> Decimal | None:
    """(total benefits - total costs) / total costs, undiscounted; None without costs."""
    net_cash_flows(flows)  # validates currencies, signs and periods
    costs = sum((f.costs.amount for f in flows), Decimal(0))
    benefits = sum((f.benefits.amount for f in flows), Decimal(0))
    if costs == 0:
        return None
    return _CONTEXT.divide(benefits - costs, costs)
