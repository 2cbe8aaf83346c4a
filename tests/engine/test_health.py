"""The health rule: figures and thresholds → a RAG per dimension, overall, and the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from projectoffice.engine.health import (
    Figures,
    Thresholds,
    assess,
    check_thresholds,
    finish_day,
    worst,
)

LIMITS = Thresholds()
D = Decimal


def test_everything_within_limits_is_green() -> None:
    health = assess(Figures(finish=dt.date(2027, 1, 10), baseline_finish=dt.date(2027, 1, 5),
                            spi_t=D("0.99"), cpi=D("1.02"), vac=D(500), bac=D(100000),
                            risk_score=4), LIMITS)
    assert health.overall == "green"
    assert {d.rag for d in health.dimensions} == {"green"}
    assert health.reason == "all figures within the Project Office's limits"


def test_low_cpi_and_vac_make_the_cost_dimension_red_with_the_reason() -> None:
    health = assess(Figures(cpi=D("0.6934"), vac=D(-234214.57), bac=D(530000),
                            currency="GBP"), LIMITS)
    cost = health.dimension("cost")
    assert cost.rag == "red" and health.overall == "red"
    assert "CPI 0.69 below 0.90" in cost.reasons
    assert any(r.startswith("VAC GBP −234k is 44% of the budget over") for r in cost.reasons)
    assert "CPI 0.69 below 0.90" in health.reason


def test_amber_between_the_limits_and_red_at_the_red_limit() -> None:
    assert assess(Figures(cpi=D("0.93")), LIMITS).dimension("cost").rag == "amber"
    assert assess(Figures(cpi=D("0.95")), LIMITS).dimension("cost").rag == "green"
    assert assess(Figures(spi_t=D("0.89")), LIMITS).dimension("schedule").rag == "red"
    slip = Figures(finish=dt.date(2027, 2, 11), baseline_finish=dt.date(2027, 1, 1))
    schedule = assess(slip, LIMITS).dimension("schedule")
    assert schedule.rag == "red" and "41 days after the baseline" in schedule.reason
    assert assess(replace(slip, finish=dt.date(2027, 1, 15)),
                  LIMITS).dimension("schedule").rag == "amber"


def test_counts_risk_and_dependencies() -> None:
    health = assess(Figures(overdue_actions=2, overdue_issues=3, risk_score=16, risk_scale=5,
                            late_dependencies=1), LIMITS)
    assert health.dimension("actions").rag == "red"
    assert health.dimension("actions").reason.startswith("2 overdue actions and 3 overdue")
    assert health.dimension("risk").rag == "red"  # 16 of 25 is 64%, above 60%
    assert health.dimension("dependencies").rag == "amber"


def test_risk_share_against_the_scale() -> None:
    assert assess(Figures(risk_score=15, risk_scale=5), LIMITS).dimension("risk").rag == "red"
    assert assess(Figures(risk_score=10, risk_scale=5), LIMITS).dimension("risk").rag == "amber"
    assert assess(Figures(risk_score=10, risk_scale=10), LIMITS).dimension("risk").rag == "green"


def test_without_figures_a_dimension_is_not_judged() -> None:
    health = assess(Figures(), LIMITS)
    assert health.dimension("schedule").rag is None
    assert health.dimension("cost").rag is None
    assert health.dimension("schedule").reason == "no data yet"
    assert health.overall == "green"  # the counted dimensions are known: none overdue


def test_worst_ignores_unknown() -> None:
    assert worst([None, "amber", "green"]) == "amber"
    assert worst([None, None]) is None


def test_thresholds_must_put_amber_before_red() -> None:
    assert check_thresholds(LIMITS) == {}
    bad = replace(LIMITS, cpi_amber=D("0.85"), cpi_red=D("0.90"), overdue_red=1,
                  slip_amber_days=-1, vac_red_percent=D(150), spi_amber=D(3))
    errors = check_thresholds(bad)
    assert errors["cpi_red"] == "must be below the amber limit (0.85)"
    assert errors["overdue_red"] == "must be above the amber limit (1)"
    assert errors["slip_amber_days"] == "cannot be negative"
    assert errors["vac_red_percent"] == "must be at most 100 (%)"
    assert errors["spi_amber"] == "must be more than 0 and at most 2"


def test_a_finish_at_midnight_belongs_to_the_day_before() -> None:
    assert finish_day(dt.datetime(2027, 6, 29, 0, 0)) == dt.date(2027, 6, 28)
    assert finish_day(dt.datetime(2027, 6, 28, 17, 0)) == dt.date(2027, 6, 28)
    assert finish_day(None) is None


def test_percent_complete_rounds_halves_up_on_every_page() -> None:
    from projectoffice.engine.health import whole_percent

    assert whole_percent(8.5, 100) == 9  # round() would give 8 here and 9 elsewhere
    assert whole_percent(0, 0) == 0
    assert whole_percent(1, 3) == 33
