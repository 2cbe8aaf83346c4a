"""Worked examples of docs/earned-value.md, reproduced to the cent.

Example 1 and 2 apply the formulas of the PMI Practice Standard for Earned Value Management
(2nd ed., 2011); example 3 applies Lipke's earned schedule ("Schedule is Different", The
Measurable News, March 2003) to a twelve-month plan laid out like the paper's illustration
(status at the end of July, EV between the planned values of May and June). The figures of
all three are worked by hand in the doc.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from projectoffice.engine.evm import (
    EarnedValueMethod,
    Milestone,
    Node,
    NodeKind,
    Performance,
    Task,
    TaskStatus,
    analyse,
)
from projectoffice.engine.periods import PeriodGrid

from .evm_fixtures import months, phased_task, project, usd

Q2 = Decimal("0.01")
Q4 = Decimal("0.0001")


def q(value: Decimal | None, places: Decimal = Q4) -> Decimal:
    assert value is not None
    return value.quantize(places)


# Example 1: BAC 100,000.00 over ten months, status at the end of month 5.
def example_1() -> Performance:
    grid = months(10)
    tasks = [
        phased_task("A", ["6000"] * 10, grid),
        phased_task("B", ["4000"] * 10, grid),
    ]
    statuses = [
        TaskStatus("A", usd("27000"), percent_complete=Decimal(40)),
        TaskStatus("B", usd("18000"), percent_complete=Decimal(40)),
    ]
    result = analyse(grid, project(), tasks, statuses, date(2025, 5, 31), currency="USD")
    return result.node("P")


def test_example_1_basic_measures_and_indices() -> None:
    p = example_1()
    assert (p.bac, p.pv, p.ev, p.ac) == (usd("100000"), usd("50000"), usd("40000"), usd("45000"))
    assert p.sv == usd("-10000") and p.cv == usd("-5000")
    assert p.spi == Decimal("0.8")
    assert q(p.cpi) == Decimal("0.8889")


def test_example_1_estimates_at_completion() -> None:
    p = example_1()
    assert p.eac_remaining_at_budget == usd("105000.00")
    assert p.eac_cpi == usd("112500.00")
    assert p.eac_cpi_spi == usd("129375.00")
    assert p.eac_basis == "cpi" and p.eac == usd("112500.00")
    assert p.etc == usd("67500.00") and p.vac == usd("-12500.00")
    assert q(p.tcpi_bac) == Decimal("1.0909")
    assert q(p.tcpi_eac) == Decimal("0.8889")


def test_example_1_bottom_up_and_new_estimate() -> None:
    grid = months(10)
    tasks = [phased_task("A", ["6000"] * 10, grid), phased_task("B", ["4000"] * 10, grid)]
    statuses = [
        TaskStatus("A", usd("27000"), percent_complete=Decimal(40),
                   estimate_to_complete=usd("38000")),
        TaskStatus("B", usd("18000"), percent_complete=Decimal(40)),
    ]
    result = analyse(grid, project(), tasks, statuses, date(2025, 5, 31), currency="USD")
    p = result.node("P")
    # A has a fresh ETC of 38,000; B's remaining budget 24,000 stands in for its ETC.
    assert p.eac_bottom_up == usd("107000.00")
    assert p.eac_basis == "bottom_up" and p.etc == usd("62000.00")
    with_estimate = analyse(grid, project(), tasks, statuses, date(2025, 5, 31),
                            currency="USD", new_estimates={"P": usd("110000")})
    assert with_estimate.node("P").eac_basis == "new_estimate"
    assert with_estimate.node("P").vac == usd("-10000.00")


def test_no_cost_yet_falls_back_to_remaining_at_budget() -> None:
    p = Performance("USD", bac_minor=100_000, pv_minor=20_000, ev_minor=10_000, ac_minor=0)
    assert p.cpi is None and p.eac_cpi is None and p.eac_cpi_spi is None
    assert p.eac_basis == "remaining_at_budget" and p.eac == usd("900.00")
    assert p.tcpi_bac == Decimal("0.9")


def test_example_2_awkward_figures_round_once_to_the_cent() -> None:
    p = Performance("USD", bac_minor=12345678, pv_minor=6172839, ev_minor=4567891,
                    ac_minor=5012345)
    assert p.eac_cpi == usd("135469.08")
    assert p.eac_cpi_spi == usd("165455.63")
    assert p.eac_remaining_at_budget == usd("127901.32")
    assert q(p.cpi) == Decimal("0.9113") and q(p.spi) == Decimal("0.7400")
    assert q(p.tcpi_bac) == Decimal("1.0606")
    assert p.vac == usd("-12012.30")


# Example 3: earned schedule on a twelve-month plan (amounts in thousands of dollars x 1000).
PLAN = ["100000", "150000", "200000", "250000", "300000", "300000", "300000", "300000",
        "300000", "300000", "300000", "200000"]
EV_HISTORY = {1: 80_000, 2: 200_000, 3: 380_000, 4: 600_000, 5: 800_000, 6: 980_000,
              7: 1_150_000, 14: 3_000_000}
EXPECTED_ES = {1: "0.8000", 2: "1.6667", 3: "2.6500", 4: "3.6000", 5: "4.3333", 6: "4.9333",
               7: "5.5000", 14: "12.0000"}
EXPECTED_SPI_T = {1: "0.8000", 2: "0.8333", 3: "0.8833", 4: "0.9000", 5: "0.8667", 6: "0.8222",
                  7: "0.7857", 14: "0.8571"}


def es_analysis(month: int) -> Performance:
    grid = months(15)  # three months past the plan: room to finish late
    task = phased_task("W", PLAN, grid)
    percent = Decimal(EV_HISTORY[month] * 100) / Decimal(3_000_000)
    status = TaskStatus("W", usd(EV_HISTORY[month]), percent_complete=percent)
    return analyse(grid, project(), [task], [status], grid.ends[month - 1],
                   currency="USD").node("P")


def test_example_3_earned_schedule_table() -> None:
    for month, expected in EXPECTED_ES.items():
        p = es_analysis(month)
        assert p.ev == usd(EV_HISTORY[month])
        assert q(p.es) == Decimal(expected), month
        assert p.at == month
        assert q(p.spi_t) == Decimal(EXPECTED_SPI_T[month]), month
        assert p.spi_t == p.es / p.at


def test_example_3_status_at_end_of_july() -> None:
    p = es_analysis(7)
    assert p.pv == usd("1600000") and p.sv == usd("-450000")
    assert p.spi == Decimal("0.71875")
    assert p.es == Decimal("5.5") and p.sv_t == Decimal("-1.5")
    assert q(p.spi_t) == Decimal("0.7857")
    assert p.planned_duration == 12
    assert q(p.ieac_t) == Decimal("15.2727")


def test_example_3_dates() -> None:
    grid = months(15)
    task = phased_task("W", PLAN, grid)
    status = TaskStatus("W", usd(1_150_000), percent_complete=Decimal(1_150_000 * 100) / 3_000_000)
    result = analyse(grid, project(), [task], [status], date(2025, 7, 31), currency="USD")
    # ES 5.5: half of June's 30 days.
    assert result.earned_schedule_date("P") == date(2025, 6, 15)
    # IEAC(t) 15.2727 is 0.2727 periods past the 15-month grid (ending 31 March 2026); at
    # the last period's 31 days that is day 8.45, so the finish falls on 9 April 2026.
    assert result.forecast_finish("P") == date(2026, 4, 9)


def test_example_3_late_finish_classic_spi_recovers_but_spi_t_does_not() -> None:
    p = es_analysis(14)
    assert p.spi == 1 and p.sv == usd(0)
    assert p.es == 12 and p.sv_t == -2
    assert q(p.spi_t) == Decimal("0.8571")


def test_linear_spread_rounds_cumulative_amounts() -> None:
    grid = months(3)
    task = Task("L", "P", usd("1000.00"), date(2025, 1, 1), date(2025, 3, 31))
    result = analyse(grid, project(), [task], [], date(2025, 2, 14), currency="USD")
    # 1,000.00 over 90 days: 31/90 -> 344.44, 59/90 -> 655.56, then the full budget.
    assert result.pv_curve("P") == (usd("344.44"), usd("655.56"), usd("1000.00"))
    # Status on 14 February: half of February's 311.12 is planned by then.
    assert result.node("P").pv == usd("500.00")
    assert result.node("P").at == Decimal("1.5")


def test_discrete_methods() -> None:
    grid = months(2)
    weights = (Milestone("design", Decimal(30)), Milestone("build", Decimal("50")),
               Milestone("accept", Decimal(20)))
    tasks = [
        Task("Z", "P", usd("1000.01"), date(2025, 1, 1), date(2025, 1, 31),
             method=EarnedValueMethod.ZERO_HUNDRED),
        Task("F", "P", usd("1000.01"), date(2025, 1, 1), date(2025, 1, 31),
             method=EarnedValueMethod.FIFTY_FIFTY),
        Task("M", "P", usd("1000.00"), date(2025, 1, 1), date(2025, 2, 28),
             method=EarnedValueMethod.WEIGHTED_MILESTONES, milestones=weights),
    ]
    statuses = [
        TaskStatus("Z", usd(10), started=True),
        TaskStatus("F", usd(10), started=True),
        TaskStatus("M", usd(10), milestones_done=("design", "accept")),
    ]
    result = analyse(grid, project(), tasks, statuses, date(2025, 1, 31), currency="USD")
    assert result.task("Z").ev == usd(0)
    assert result.task("F").ev == usd("500.01")  # half of 1,000.01, rounded half up
    assert result.task("M").ev == usd("500.00")
    done = [TaskStatus("Z", usd(10), started=True, finished=True)]
    assert analyse(grid, project(), tasks[:1], done, date(2025, 1, 31),
                   currency="USD").task("Z").ev == usd("1000.01")


def test_roll_up_sums_then_recomputes_and_es_uses_the_summed_curve() -> None:
    grid = months(4)
    nodes = [
        Node("PF", None, NodeKind.PORTFOLIO),
        Node("PG", "PF", NodeKind.PROGRAMME),
        Node("P1", "PG", NodeKind.PROJECT),
        Node("P2", "PG", NodeKind.PROJECT),
        Node("P1.1", "P1", NodeKind.WBS),
    ]
    tasks = [
        phased_task("A", ["100", "100", "100", "100"], grid, parent="P1.1"),
        phased_task("B", ["0", "0", "300", "300"], grid, parent="P2"),
    ]
    statuses = [
        TaskStatus("A", usd(250), percent_complete=Decimal(50)),
        TaskStatus("B", usd(50), percent_complete=Decimal(10)),
    ]
    result = analyse(grid, nodes, tasks, statuses, date(2025, 3, 31), currency="USD")
    top = result.node("PF")
    assert (top.bac, top.pv, top.ev, top.ac) == (usd(1000), usd(600), usd(260), usd(300))
    assert q(top.cpi) == Decimal("0.8667") and q(top.spi) == Decimal("0.4333")
    # Portfolio PV curve 100, 200, 600, 1000: EV 260 lies 60/400 into period 3.
    assert top.es == Decimal("2.15")
    # P2 has its own clock: it starts in period 3, so at the end of March AT is 1.
    p2 = result.node("P2")
    assert p2.origin == 2 and p2.at == 1 and p2.es == Decimal("0.2")
    assert result.node("P1").ev == result.node("P1.1").ev == usd(200)
    assert result.task("A").es == 2


def test_grid_positions() -> None:
    grid = PeriodGrid(date(2025, 1, 6), (date(2025, 1, 12), date(2025, 1, 19)))
    assert grid.position(date(2025, 1, 12)) == 1
    assert grid.position(date(2025, 1, 15)) == Decimal(1) + Decimal(3) / Decimal(7)
    assert grid.date_at(Decimal(1)) == date(2025, 1, 12)
    assert grid.date_at(Decimal("1.5")) == date(2025, 1, 16)
    assert grid.date_at(Decimal(3)) == date(2025, 1, 26)


def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    import decimal

    p = Performance("USD", bac_minor=300, pv_minor=160, ev_minor=115, ac_minor=120,
                    at=Decimal(7), es=Decimal("5.5"), planned_duration=12)
    expected = (p.cpi, p.spi_t, p.ieac_t, p.tcpi_bac)
    with decimal.localcontext() as context:
        context.prec = 5
        context.rounding = decimal.ROUND_DOWN
        assert (p.cpi, p.spi_t, p.ieac_t, p.tcpi_bac) == expected
