"""Earned value measures of one task or node, and Lipke's earned schedule.

The measures are kept as integer minor units (see ``projectoffice.engine.evm`` for why) and
presented as ``Money``; the formulas and their worked examples are in docs/earned-value.md.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from projectoffice.engine.money import DECIMAL_CONTEXT as _C
from projectoffice.engine.money import Money, round_div

__all__ = ["Performance", "earned_schedule"]


def _ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return _C.divide(Decimal(numerator), Decimal(denominator))


@dataclass(frozen=True, slots=True)
class Performance:
    """Earned value measures of one task or node at the status date.

    Stored as integer minor units; the properties present them as ``Money`` (rounded to the
    cent where a division is involved) and indices as unrounded ``Decimal``. Indices whose
    denominator is zero are None rather than infinite: "not yet measurable".
    Time figures (``at``, ``es``, ``planned_duration``) are in periods, counted from the start
    of the first period in which this task or node has planned value.
    """

    currency: str
    bac_minor: int
    pv_minor: int
    ev_minor: int
    ac_minor: int
    etc_bottom_up_minor: int | None = None
    new_estimate_minor: int | None = None
    at: Decimal | None = None
    es: Decimal | None = None
    planned_duration: int | None = None
    origin: int = 0

    def _money(self, minor: int) -> Money:
        return Money.from_minor(minor, self.currency)

    @property
    def bac(self) -> Money:
        return self._money(self.bac_minor)

    @property
    def pv(self) -> Money:
        return self._money(self.pv_minor)

    @property
    def ev(self) -> Money:
        return self._money(self.ev_minor)

    @property
    def ac(self) -> Money:
        return self._money(self.ac_minor)

    @property
    def sv(self) -> Money:
        return self._money(self.ev_minor - self.pv_minor)

    @property
    def cv(self) -> Money:
        return self._money(self.ev_minor - self.ac_minor)

    @property
    def spi(self) -> Decimal | None:
        return _ratio(self.ev_minor, self.pv_minor)

    @property
    def cpi(self) -> Decimal | None:
        return _ratio(self.ev_minor, self.ac_minor)

    @property
    def percent_complete(self) -> Decimal | None:
        ratio = _ratio(self.ev_minor * 100, self.bac_minor)
        return ratio

    # Estimates at completion: the four standard formulas plus a manager's new estimate.
    @property
    def eac_remaining_at_budget(self) -> Money:
        """AC + (BAC - EV): the remaining work will cost what was budgeted."""
        return self._money(self.ac_minor + self.bac_minor - self.ev_minor)

    @property
    def eac_cpi(self) -> Money | None:
        """BAC / CPI: the remaining work at the cost efficiency so far.

        None while CPI is not measurable (no EV or no AC yet): with AC = 0 the formula would
        forecast a cost of zero.
        """
        if self.ev_minor == 0 or self.ac_minor == 0:
            return None
        return self._money(round_div(self.bac_minor * self.ac_minor, self.ev_minor))

    @property
    def eac_cpi_spi(self) -> Money | None:
        """AC + (BAC - EV) / (CPI x SPI): cost and schedule efficiency both weigh on the rest."""
        if self.ev_minor == 0 or self.pv_minor == 0 or self.ac_minor == 0:
            return None
        remaining = round_div(
            (self.bac_minor - self.ev_minor) * self.ac_minor * self.pv_minor,
            self.ev_minor * self.ev_minor,
        )
        return self._money(self.ac_minor + remaining)

    @property
    def eac_bottom_up(self) -> Money | None:
        """AC + bottom-up ETC, when at least one task below has a fresh estimate."""
        if self.etc_bottom_up_minor is None:
            return None
        return self._money(self.ac_minor + self.etc_bottom_up_minor)

    @property
    def eac_new_estimate(self) -> Money | None:
        if self.new_estimate_minor is None:
            return None
        return self._money(self.new_estimate_minor)

    @property
    def eac_basis(self) -> str:
        """Which estimate ``eac`` uses: an explicit estimate beats a formula."""
        if self.new_estimate_minor is not None:
            return "new_estimate"
        if self.etc_bottom_up_minor is not None:
            return "bottom_up"
        if self.ev_minor != 0 and self.ac_minor != 0:
            return "cpi"
        return "remaining_at_budget"

    @property
    def eac(self) -> Money:
        basis = self.eac_basis
        chosen = {
            "new_estimate": self.eac_new_estimate,
            "bottom_up": self.eac_bottom_up,
            "cpi": self.eac_cpi,
        }.get(basis)
        return chosen if chosen is not None else self.eac_remaining_at_budget

    @property
    def etc(self) -> Money:
        return self.eac - self.ac

    @property
    def vac(self) -> Money:
        return self.bac - self.eac

    @property
    def tcpi_bac(self) -> Decimal | None:
        """Efficiency needed on the remaining work to finish at BAC."""
        return _ratio(self.bac_minor - self.ev_minor, self.bac_minor - self.ac_minor)

    @property
    def tcpi_eac(self) -> Decimal | None:
        """Efficiency needed on the remaining work to finish at ``eac``."""
        return _ratio(self.bac_minor - self.ev_minor, self.eac.to_minor() - self.ac_minor)

    # Earned schedule (Lipke): time-based schedule measures.
    @property
    def sv_t(self) -> Decimal | None:
        if self.es is None or self.at is None:
            return None
        return _C.subtract(self.es, self.at)

    @property
    def spi_t(self) -> Decimal | None:
        if self.es is None or self.at is None or self.at <= 0:
            return None
        return _C.divide(self.es, self.at)

    @property
    def ieac_t(self) -> Decimal | None:
        """Forecast duration PD / SPI(t), in periods from this element's start."""
        spi_t = self.spi_t
        if spi_t is None or spi_t == 0 or self.planned_duration is None:
            return None
        return _C.divide(Decimal(self.planned_duration), spi_t)


def earned_schedule(
    cumulative: Sequence[int], bac: int, ev: int, position: Decimal
) -> tuple[Decimal | None, Decimal | None, int | None, int]:
    """Lipke's ES on a cumulative PV curve; returns (AT, ES, PD, origin), time in periods.

    ``cumulative[k]`` is planned value at the end of period ``k``; time is measured from
    the start of the first period with planned value (``origin``), so a project that starts
    in week 10 of a portfolio's grid has its own clock.
    """
    if bac == 0:
        return None, None, None, 0
    origin = bisect_right(cumulative, 0)
    at = _C.subtract(position, Decimal(origin))
    planned_duration = bisect_left(cumulative, bac) + 1 - origin
    if ev >= bac:
        return at, Decimal(planned_duration), planned_duration, origin
    # C = number of whole periods whose cumulative PV has been earned.
    whole = bisect_right(cumulative, ev)
    earned_before = cumulative[whole - 1] if whole > 0 else 0
    planned_next = cumulative[whole]
    fraction = _C.divide(Decimal(ev - earned_before), Decimal(planned_next - earned_before))
    return at, _C.add(Decimal(whole - origin), fraction), planned_duration, origin
